import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { AppError } from "./errors.ts";
import type { AppEnv } from "./app-env.ts";
import { type AuthUser, type Rol, ROLES } from "./auth-user.ts";
import { type JsonWebKeySet, JWT_ALGORITHM } from "./jwt-keys.ts";

// Re-exported: most callers think of roles and users as part of auth.
export { type AuthUser, type Rol, ROLES };

export type TokenVerifier = (token: string) => Promise<AuthUser>;
/** Answers false when the user's sessions were ended after the token was issued (ban, logout-all). */
export type SessionCheck = (user: AuthUser) => Promise<boolean>;

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.literal("authenticated"),
  rol: z.enum(ROLES),
  email: z.string(),
  iat: z.number(),
  exp: z.number(),
  // Every token auth mints names its session (a uuid; logout and reuse detection revoke by it).
  sid: z.guid(),
});

/** Clock difference tolerated between the minting and the verifying function, in seconds. */
const TOKEN_CLOCK_SKEW_SECONDS = 30;
/** Verified tokens kept per process (a few MB at most); the map starts over when full. */
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Offline verification with the configured public keys: algorithm, issuer and audience pinned,
 * so `alg: none`, HS256-with-the-public-key and foreign tokens all fail the same way. The token
 * must also look like one auth mints: a session id (`sid`), issued no later than now and living
 * no longer than `maxLifetimeSeconds` (JWT_ACCESS_TTL_MINUTES) — a signed token with a far `exp`
 * or none would outlive every revocation window.
 *
 * A token that passed is remembered until it expires: checking its ES256 signature costs about a
 * millisecond of CPU here (WebCrypto), more than most requests' own work, and a client sends the
 * same token with every request. Only the exact string that verified is remembered, and expiry is
 * checked on every use; revocation is the session check's job, which runs on every request.
 *
 * @example
 * const verify = createTokenVerifier({ jwks, issuer: "conectar-profesionales", audience: "authenticated", maxLifetimeSeconds: 3600 });
 * const user = await verify(token); // throws AppError 401 when anything is off
 */
export function createTokenVerifier(
  options: { jwks: JsonWebKeySet; issuer: string; audience: string; maxLifetimeSeconds: number },
): TokenVerifier {
  const maxLifetime = options.maxLifetimeSeconds + TOKEN_CLOCK_SKEW_SECONDS;
  // jose (46 modules) loads with the first token, not at boot: health and public routes never need it.
  let loaded:
    | Promise<{ jose: typeof import("jose"); keys: ReturnType<typeof import("jose").createLocalJWKSet> }>
    | null = null;
  const load = async () => {
    const jose = await import("jose");
    return {
      jose,
      keys: jose.createLocalJWKSet(options.jwks as Parameters<typeof jose.createLocalJWKSet>[0]),
    };
  };
  const verified = new Map<string, { user: AuthUser; exp: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known) {
      if (known.exp > Date.now() / 1000) return { ...known.user };
      verified.delete(token);
    }
    const { jose: { errors: joseErrors, jwtVerify }, keys } = await (loaded ??= load());
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [JWT_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["sub", "exp", "iat"],
      });
      const claims = claimsSchema.parse(payload);
      const now = Date.now() / 1000;
      if (claims.exp - claims.iat > maxLifetime || claims.iat > now + TOKEN_CLOCK_SKEW_SECONDS) {
        throw invalidToken();
      }
      const user: AuthUser = {
        id: claims.sub,
        rol: claims.rol,
        email: claims.email,
        sessionId: claims.sid,
        issuedAt: claims.iat,
      };
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.clear();
      verified.set(token, { user, exp: claims.exp });
      return { ...user };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof z.ZodError) throw invalidToken();
      throw error;
    }
  };
}

export function invalidToken(): AppError {
  return new AppError("unauthorized", "Token inválido o expirado");
}

/**
 * Route guard: a valid bearer token (and a live session) or 401 with `WWW-Authenticate: Bearer`.
 * Sets `c.var.user`. Runs before validation, as the contract orders checks.
 */
export function requireUser(verify: TokenVerifier, isSessionLive?: SessionCheck) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const [scheme, token] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw new AppError("unauthorized", "Not authenticated");
    }
    const user = await verify(token.trim());
    if (isSessionLive && !(await isSessionLive(user))) {
      throw new AppError("unauthorized", "La sesión ya no es válida. Iniciá sesión nuevamente.");
    }
    c.set("user", user);
    await next();
  });
}

const FORBIDDEN_DETAIL: Record<Rol, string> = {
  PROFESIONAL: "No tenés permisos de profesional",
  ADMIN: "Acceso denegado. Se requiere rol de Administrador",
  CLIENTE: "Acceso denegado. Se requiere rol de Cliente",
};

/** 403 unless `c.var.user` has one of `roles`; mount after `requireUser`. */
export function requireRole(...roles: Rol[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.rol)) {
      throw new AppError("forbidden", roles.length === 1 ? FORBIDDEN_DETAIL[roles[0]] : "Acceso denegado");
    }
    await next();
  });
}
