import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AuthDeps } from "../deps.ts";
import { readInput } from "../input.ts";
import { MESSAGES } from "../messages.ts";
import { registerAccount } from "../registration.ts";
import { registerSchema } from "../schemas.ts";
import { userView } from "../user-view.ts";
import { clientMeta } from "./context.ts";

/** `POST /auth/register`, `GET /auth/me`. */
export function registerAccountRoutes(app: Hono<AppEnv>, deps: AuthDeps, doc: ApiDoc) {
  const { platform } = deps;

  app.post("/auth/register", async (c) => {
    const input = await readInput(c, registerSchema);
    const user = await registerAccount(deps, input, clientMeta(c, deps).ip);
    platform.log.info("account registered", { request_id: c.var.requestId, user_id: user.id, rol: user.rol });
    return c.json(user, 201);
  });
  doc.describe({
    method: "post",
    path: "/auth/register",
    summary: "Open a CLIENTE or PROFESIONAL account (ADMIN refused); a professional's profile exists at once",
    body: registerSchema,
    responses: {
      201: { description: "UserRead + email_verificado" },
      400: { description: "E-mail already registered" },
      429: { description: "Too many attempts (Retry-After, X-RateLimit-*)" },
    },
  });

  app.get("/auth/me", platform.auth, async (c) => {
    const user = c.var.user;
    // As the user: RLS and column grants decide what is visible (never the hash).
    const [row] = await platform.db.asUser(user, (tx) =>
      tx`select u.*, c.email_verificado_at
        from public.usuarios u left join public.auth_credentials c on c.user_id = u.id
        where u.id = ${user.id}`);
    if (!row) throw new AppError("not_found", MESSAGES.userNotFound);
    return c.json({ ...userView(row as Parameters<typeof userView>[0]), session_id: user.sessionId });
  });
  doc.describe({
    method: "get",
    path: "/auth/me",
    summary: "The signed-in account as auth sees it (with email_verificado and the session id)",
    auth: "any",
  });
}
