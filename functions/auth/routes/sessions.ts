import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { JsonWebKeySet } from "../../../shared/jwt-keys.ts";
import { publicKeySet } from "../access-tokens.ts";
import type { AuthDeps } from "../deps.ts";
import { readInput } from "../input.ts";
import { logIn, refreshSession } from "../login.ts";
import { logOut, logOutEverywhere } from "../logout.ts";
import {
  loginSchema,
  logoutSchema,
  messageResponseSchema,
  refreshSchema,
  tokenResponseSchema,
} from "../schemas.ts";
import { clientMeta, NO_STORE } from "./context.ts";

/** Login, refresh, logout (this session / everywhere) and the public keys tokens verify with. */
export function registerSessionRoutes(app: Hono<AppEnv>, deps: AuthDeps, doc: ApiDoc) {
  const { platform } = deps;

  app.post("/auth/login", async (c) => {
    const input = await readInput(c, loginSchema);
    const { tokens, userId } = await logIn(deps, input, clientMeta(c, deps));
    platform.log.info("login", { request_id: c.var.requestId, user_id: userId });
    return c.json(tokens, 200, NO_STORE);
  });
  doc.describe({
    method: "post",
    path: "/auth/login",
    summary: "Password login: OAuth2 form (username, password) or JSON ({email|username, password})",
    body: loginSchema,
    bodyType: "application/x-www-form-urlencoded",
    responses: {
      200: { description: "Access and refresh tokens", schema: tokenResponseSchema },
      401: { description: "Wrong credentials, or the account is disabled" },
      429: { description: "Too many attempts (Retry-After, X-RateLimit-*)" },
    },
  });

  app.post("/auth/refresh", async (c) => {
    const input = await readInput(c, refreshSchema);
    return c.json(await refreshSession(deps, input.refresh_token), 200, NO_STORE);
  });
  doc.describe({
    method: "post",
    path: "/auth/refresh",
    summary: "Rotate a refresh token; re-using a rotated one ends its session",
    body: refreshSchema,
    responses: { 200: { description: "A new token pair", schema: tokenResponseSchema } },
  });

  app.post("/auth/logout", platform.auth, async (c) => {
    const input = await readInput(c, logoutSchema);
    return c.json(await logOut(deps, c.var.user, input.refresh_token));
  });
  doc.describe({
    method: "post",
    path: "/auth/logout",
    summary: "End this session: its refresh token and its access tokens stop working",
    auth: "any",
    body: logoutSchema,
    responses: { 200: { description: "Done", schema: messageResponseSchema } },
  });

  app.post("/auth/logout-all", platform.auth, async (c) => {
    return c.json(await logOutEverywhere(deps, c.var.user));
  });
  doc.describe({
    method: "post",
    path: "/auth/logout-all",
    summary: "End every session of the signed-in user",
    auth: "any",
    responses: { 200: { description: "Done", schema: messageResponseSchema } },
  });

  const jwks = publicKeySet(platform.config.JWT_PUBLIC_JWKS as JsonWebKeySet);
  app.get(
    "/auth/.well-known/jwks.json",
    (c) => c.json(jwks, 200, { "cache-control": "public, max-age=300" }),
  );
  doc.describe({
    method: "get",
    path: "/auth/.well-known/jwks.json",
    summary: "Public keys (JWKS) that verify access tokens",
  });
}
