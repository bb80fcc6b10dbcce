/**
 * Who may call the API, as the access token says. A leaf module (no imports), so the shared Hono
 * env type and the auth middleware can both use it without importing each other.
 *
 * @example
 * const admin: AuthUser = { id, rol: "ADMIN", email, sessionId: null, issuedAt: 0 };
 */
export const ROLES = ["CLIENTE", "PROFESIONAL", "ADMIN"] as const;
export type Rol = (typeof ROLES)[number];

/** Who is calling, taken from a verified access token. */
export type AuthUser = {
  id: string;
  rol: Rol;
  email: string;
  /** Refresh-token family the access token was minted from (null for tokens without one). */
  sessionId: string | null;
  /** `iat`, seconds since the epoch: compared with the user's "valid after" on revocation. */
  issuedAt: number;
};
