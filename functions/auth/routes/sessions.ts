import type { JsonWebKeySet } from "../../../shared/jwt-keys.ts";
import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import { publicKeySet } from "../access-tokens.ts";
import type { AuthDeps } from "../deps.ts";
import { authFields } from "../input.ts";
import { logIn, refreshSession } from "../login.ts";
import { logOut, logOutEverywhere } from "../logout.ts";
import {
  jwksSchema,
  loginSchema,
  logoutSchema,
  messageResponseSchema,
  refreshSchema,
  tokenResponseSchema,
} from "../schemas.ts";
import { clientMeta, NO_STORE } from "./context.ts";

/** Login, refresh, logout (this session / everywhere) and the public keys tokens verify with. */
export function registerSessionRoutes(app: ServiceApp, deps: AuthDeps) {
  const { platform } = deps;

  const login = authFields(loginSchema, {
    description: "OAuth2 password form (`username`, `password`, optional `grant_type=password`) or JSON " +
      "(`email` or `username`, `password`): the same answer either way",
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      summary: "Password login: OAuth2 form (username, password) or JSON ({email|username, password})",
      ...login.doc,
      responses: {
        200: json(tokenResponseSchema, "Access and refresh tokens (Cache-Control: no-store)"),
        401: json(errorSchema, "Wrong credentials, or the account is disabled"),
        429: json(errorSchema, "Too many attempts (Retry-After, X-RateLimit-*)"),
      },
    }),
    async (c) => {
      const input = await login.read(c);
      const { tokens, userId } = await logIn(deps, input, clientMeta(c, deps));
      platform.log.info("login", { request_id: c.var.requestId, user_id: userId });
      return c.json(tokens, 200, NO_STORE);
    },
  );

  const refresh = authFields(refreshSchema);
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/refresh",
      summary: "Rotate a refresh token; re-using a rotated one ends its session",
      ...refresh.doc,
      responses: {
        200: json(tokenResponseSchema, "A new token pair (Cache-Control: no-store)"),
        401: json(errorSchema, "Unknown, expired or re-used refresh token, or the account is disabled"),
      },
    }),
    async (c) => {
      const input = await refresh.read(c);
      return c.json(await refreshSession(deps, input.refresh_token), 200, NO_STORE);
    },
  );

  const logout = authFields(logoutSchema, {
    description:
      "Optionally the session's refresh token (JSON or form); the access token's session ends anyway",
  });
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      summary: "End this session: its refresh token and its access tokens stop working",
      ...platform.access("signed-in"),
      ...logout.doc,
      responses: { 200: json(messageResponseSchema, "Done") },
    }),
    async (c) => {
      const input = await logout.read(c);
      return c.json(await logOut(deps, c.var.user, input.refresh_token), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout-all",
      summary: "End every session of the signed-in user",
      ...platform.access("signed-in"),
      responses: { 200: json(messageResponseSchema, "Done") },
    }),
    async (c) => c.json(await logOutEverywhere(deps, c.var.user), 200),
  );

  const jwks = publicKeySet(platform.config.JWT_PUBLIC_JWKS as JsonWebKeySet);
  app.openapi(
    createRoute({
      method: "get",
      path: "/auth/.well-known/jwks.json",
      summary: "Public keys (JWKS) that verify access tokens",
      responses: { 200: json(jwksSchema, "The public keys (cacheable for 5 minutes)") },
    }),
    (c) => c.json(jwks, 200, { "cache-control": "public, max-age=300" }),
  );
}
