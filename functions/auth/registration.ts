import postgres from "postgres";
import { AppError } from "../../shared/errors.ts";
import { emitEvent } from "../../shared/events.ts";
import { emailTaken, insertAccount } from "./credentials.ts";
import type { AuthDeps } from "./deps.ts";
import { sendVerification } from "./email-verification.ts";
import { MESSAGES } from "./messages.ts";
import type { registerSchema } from "./schemas.ts";
import { type UserView, userView } from "./user-view.ts";
import type { z } from "zod";

export type Registration = z.output<typeof registerSchema>;

/**
 * Opens an account: the users service's `create_usuario`, auth's credential, and — for a
 * PROFESIONAL — the professionals service's `create_professional_profile`, all in one
 * transaction with the `user.registered` and `email.verification_requested` events.
 */
export async function registerAccount(deps: AuthDeps, input: Registration, ip: string): Promise<UserView> {
  const { db } = deps.platform;
  await deps.limits.registerIp.consume(ip);
  await deps.limits.registerAccount.consume(input.email);
  // Cheap check first: no 0.7 s hash for an address that is already taken.
  if (await emailTaken(db.sql, input.email)) throw new AppError("bad_request", MESSAGES.emailTaken);
  const passwordHash = await deps.passwords.hash(input.password);
  try {
    return await db.asService(async (tx) => {
      const user = await insertAccount(tx, { ...input, passwordHash });
      let profesionalId: string | null = null;
      if (input.rol === "PROFESIONAL") {
        const [profile] = await tx<{ id: string }[]>`
          select id from public.create_professional_profile(${user.id}, ${input.oficio_id}::uuid)`;
        profesionalId = profile.id;
      }
      await emitEvent(tx, {
        type: "user.registered",
        aggregateId: user.id,
        producer: "auth",
        payload: {
          user_id: user.id,
          email: user.email,
          nombre: user.nombre,
          apellido: user.apellido,
          rol: user.rol,
          profesional_id: profesionalId,
        },
      });
      await sendVerification(tx, deps, user);
      return userView(user);
    });
  } catch (error) {
    // Two registrations of one address racing: the unique index decides, the loser gets the 400.
    if (error instanceof postgres.PostgresError && error.constraint_name === "usuarios_email_key") {
      throw new AppError("bad_request", MESSAGES.emailTaken);
    }
    throw error;
  }
}
