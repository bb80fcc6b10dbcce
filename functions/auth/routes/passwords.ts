import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import type { AuthDeps } from "../deps.ts";
import { authFields } from "../input.ts";
import { changePassword } from "../password-change.ts";
import { requestPasswordReset, resetPassword } from "../password-reset.ts";
import {
  changePasswordSchema,
  forgotPasswordSchema,
  messageResponseSchema,
  resetPasswordSchema,
} from "../schemas.ts";
import { clientMeta } from "./context.ts";

/** Forgot / reset (JSON body or query, both generations) and change password (two paths). */
export function registerPasswordRoutes(app: ServiceApp, deps: AuthDeps) {
  const { platform } = deps;
  const done = json(messageResponseSchema, "Done");

  const forgot = authFields(forgotPasswordSchema, { query: true });
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/forgot-password",
      summary:
        "Send a reset link if the account exists (always the same answer); `email` in the body or query",
      ...forgot.doc,
      responses: { 200: done, 429: json(errorSchema, "Too many requests") },
    }),
    async (c) => {
      const { email } = await forgot.read(c);
      return c.json(await requestPasswordReset(deps, email, clientMeta(c, deps).ip), 200);
    },
  );

  const reset = authFields(resetPasswordSchema, { query: true });
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/reset-password",
      summary: "Set a new password with the e-mailed token (single use, 1 h); ends every session",
      ...reset.doc,
      responses: { 200: done, 400: json(errorSchema, "Invalid, used or expired token") },
    }),
    async (c) => {
      const input = await reset.read(c);
      const result = await resetPassword(deps, input, clientMeta(c, deps).ip);
      platform.log.info("password reset", { request_id: c.var.requestId });
      return c.json(result, 200);
    },
  );

  const change = authFields(changePasswordSchema);
  for (const path of ["/auth/change-password", "/users/me/change-password"]) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        summary: "Change the password (current one required, new one different); other sessions end",
        ...platform.access("signed-in"),
        ...change.doc,
        responses: { 200: done, 400: json(errorSchema, "Wrong current password, or new = current") },
      }),
      async (c) => {
        const input = await change.read(c);
        const result = await changePassword(deps, c.var.user, input, clientMeta(c, deps).ip);
        platform.log.info("password changed", { request_id: c.var.requestId, user_id: c.var.user.id });
        return c.json(result, 200);
      },
    );
  }
}
