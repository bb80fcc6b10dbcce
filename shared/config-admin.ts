import { z } from "zod";
import { ConfigError } from "./config.ts";

/** The ADMIN account the seed ensures (local/test stacks supply one; production must set it). */
export type AdminBootstrap = { email: string; password: string; nombre: string; apellido: string };

const adminBootstrapSchema = z.object({
  ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  ADMIN_NOMBRE: z.string().trim().min(1).max(100).default("Admin"),
  ADMIN_APELLIDO: z.string().trim().min(1).max(100).default("System"),
});

/**
 * The admin bootstrap variables, or null when neither `ADMIN_EMAIL` nor `ADMIN_PASSWORD` is set
 * (the seed then creates no admin). Setting only one of them is a configuration error.
 *
 * @example
 * loadAdminBootstrap({ ADMIN_EMAIL: "admin@example.com", ADMIN_PASSWORD: "Admin1234!" });
 * // { email: "admin@example.com", password: "Admin1234!", nombre: "Admin", apellido: "System" }
 */
export function loadAdminBootstrap(env: Record<string, string | undefined>): AdminBootstrap | null {
  const parsed = adminBootstrapSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("ADMIN_") && v !== "")),
  );
  if (!parsed.success) {
    const variables = parsed.error.issues.map((i) => String(i.path[0]));
    throw new ConfigError(variables, `Invalid admin bootstrap — ${variables.join(", ")}`);
  }
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ADMIN_NOMBRE: nombre, ADMIN_APELLIDO: apellido } =
    parsed.data;
  if (!email && !password) return null;
  if (!email || !password) {
    const missing = email ? "ADMIN_PASSWORD" : "ADMIN_EMAIL";
    throw new ConfigError([missing], `Invalid admin bootstrap — ${missing} is required with the other`);
  }
  return { email, password, nombre, apellido };
}
