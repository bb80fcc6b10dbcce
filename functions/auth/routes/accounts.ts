import { AppError } from "../../../shared/errors.ts";
import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import type { AuthDeps } from "../deps.ts";
import { authFields } from "../input.ts";
import { MESSAGES } from "../messages.ts";
import { registerAccount } from "../registration.ts";
import { meSchema, registerSchema, userViewSchema } from "../schemas.ts";
import { userView } from "../user-view.ts";
import { clientMeta } from "./context.ts";

/** `POST /auth/register`, `GET /auth/me`. */
export function registerAccountRoutes(app: ServiceApp, deps: AuthDeps) {
  const { platform } = deps;

  const registration = authFields(registerSchema);
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/register",
      summary:
        "Open a CLIENTE or PROFESIONAL account (ADMIN refused); a professional's profile exists at once",
      ...registration.doc,
      responses: {
        201: json(userViewSchema, "UserRead + email_verificado"),
        400: json(errorSchema, "E-mail already registered"),
        429: json(errorSchema, "Too many attempts (Retry-After, X-RateLimit-*)"),
      },
    }),
    async (c) => {
      const input = await registration.read(c);
      const user = await registerAccount(deps, input, clientMeta(c, deps).ip);
      platform.log.info("account registered", {
        request_id: c.var.requestId,
        user_id: user.id,
        rol: user.rol,
      });
      return c.json(user, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/auth/me",
      summary: "The signed-in account as auth sees it (with email_verificado and the session id)",
      ...platform.access("signed-in"),
      responses: { 200: json(meSchema, "The signed-in account") },
    }),
    async (c) => {
      const user = c.var.user;
      // As the user: RLS and column grants decide what is visible (never the hash).
      const [row] = await platform.db.asUser(user, (tx) =>
        tx`select u.*, c.email_verificado_at
          from public.usuarios u left join public.auth_credentials c on c.user_id = u.id
          where u.id = ${user.id}`);
      if (!row) throw new AppError("not_found", MESSAGES.userNotFound);
      return c.json({ ...userView(row as Parameters<typeof userView>[0]), session_id: user.sessionId }, 200);
    },
  );
}
