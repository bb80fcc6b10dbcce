import { z } from "zod";
import { userReadSchema } from "../../shared/user-read.ts";
import { newPasswordSchema, presentedPasswordSchema } from "./password-policy.ts";

/** Request bodies of auth's routes. Unknown fields are ignored, as the original did. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Trimmed and lower-cased before it is checked, stored or looked up. */
export const emailSchema = z
  .string({ error: "El email es obligatorio" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "El email no es válido" }).max(255, { error: "El email es demasiado largo" }));

const name = (label: string) =>
  z.string({ error: `El ${label} es obligatorio` }).trim().min(1, { error: `El ${label} es obligatorio` })
    .max(100, { error: `El ${label} puede tener hasta 100 caracteres` });

/**
 * The trade a professional registers with: a trade id (UUID; one nobody has is ignored later), or
 * nothing. The frontend falls back to the ids "1"…"10" when it cannot load the trades
 * (compatibility.md, register row), so those — and only those — are read as "none chosen";
 * anything else is a 422 rather than being dropped in silence.
 */
const FRONTEND_FALLBACK_ID = /^(?:[1-9]|10)$/;
const oficioIdSchema = z
  .union([z.string(), z.number(), z.null()], { error: "oficio_id debe ser el id (UUID) de un oficio" })
  .optional()
  .refine(
    (v) =>
      v === undefined || v === null || v === "" || FRONTEND_FALLBACK_ID.test(String(v)) ||
      UUID.test(String(v)),
    { error: "oficio_id debe ser el id (UUID) de un oficio" },
  )
  .transform((v) => typeof v === "string" && UUID.test(v) ? v : null);

export const registerSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  nombre: name("nombre"),
  apellido: name("apellido"),
  rol: z
    .enum(["CLIENTE", "PROFESIONAL", "ADMIN"], { error: "El rol debe ser CLIENTE o PROFESIONAL" })
    .default("CLIENTE")
    // The original let anyone become admin; admins now come from the seed or another admin.
    .refine((rol) => rol !== "ADMIN", { error: "No se puede registrar una cuenta de administrador" })
    .transform((rol) => rol as "CLIENTE" | "PROFESIONAL"),
  oficio_id: oficioIdSchema,
});

const presentedEmail = z.string().trim().toLowerCase().max(320);

/** OAuth2 password form (`username`) or JSON (`email` or `username`). */
export const loginSchema = z
  .object({
    username: presentedEmail.optional(),
    email: presentedEmail.optional(),
    password: presentedPasswordSchema,
    grant_type: z.string().optional(),
  })
  .refine((d) => d.email || d.username, { error: "El email es obligatorio", path: ["username"] })
  .refine((d) => !d.grant_type || d.grant_type === "password", {
    error: 'grant_type debe ser "password"',
    path: ["grant_type"],
  })
  .transform((d) => ({ email: (d.email || d.username) as string, password: d.password }));

export const refreshSchema = z.object({
  refresh_token: z.string({ error: "refresh_token es obligatorio" }).min(1).max(200),
});

export const logoutSchema = z.object({ refresh_token: z.string().max(200).optional() });

export const forgotPasswordSchema = z.object({ email: emailSchema });

const oneTimeToken = z.string({ error: "El token es obligatorio" }).min(1, {
  error: "El token es obligatorio",
})
  .max(200);

export const resetPasswordSchema = z.object({ token: oneTimeToken, new_password: newPasswordSchema });

export const changePasswordSchema = z.object({
  current_password: presentedPasswordSchema,
  new_password: newPasswordSchema,
});

export const verifyEmailSchema = z.object({ token: oneTimeToken });

/** Responses of auth's routes (they describe the JSON exactly: `c.json` is checked against them). */

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  refresh_token: z.string(),
  expires_in: z.number().int().describe("Seconds the access token lives"),
}).meta({ id: "TokenResponse" });

export const messageResponseSchema = z.object({ message: z.string(), success: z.boolean() })
  .meta({ id: "AuthMessage" });

/** UserRead (as `/users/me` answers it) plus whether the e-mail address is verified. */
export const userViewSchema = userReadSchema.extend({ email_verificado: z.boolean() })
  .meta({ id: "AuthUserView" });

export const meSchema = userViewSchema.extend({
  session_id: z.string().nullable().describe("The refresh-token family of this access token"),
}).meta({ id: "AuthMe" });

export const verificationResultSchema = messageResponseSchema.extend({ email_verificado: z.boolean() })
  .meta({ id: "EmailVerificationResult" });

/** Public members only (`d` and the other private parameters never leave the function). */
export const jwksSchema = z.object({
  keys: z.array(z.object({
    kty: z.string().optional(),
    crv: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
    kid: z.string().optional(),
    alg: z.string().optional(),
    use: z.string().optional(),
  })),
}).meta({ id: "JsonWebKeySet" });
