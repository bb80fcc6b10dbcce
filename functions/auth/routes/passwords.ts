import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { AuthDeps } from "../deps.ts";
import { readInput } from "../input.ts";
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
export function registerPasswordRoutes(app: Hono<AppEnv>, deps: AuthDeps, doc: ApiDoc) {
  const { platform } = deps;
  const ok = { 200: { description: "Done", schema: messageResponseSchema } };

  app.post("/auth/forgot-password", async (c) => {
    const { email } = await readInput(c, forgotPasswordSchema, { query: true });
    return c.json(await requestPasswordReset(deps, email, clientMeta(c, deps).ip));
  });
  doc.describe({
    method: "post",
    path: "/auth/forgot-password",
    summary: "Send a reset link if the account exists (always the same answer); `email` in JSON or query",
    body: forgotPasswordSchema,
    responses: { ...ok, 429: { description: "Too many requests" } },
  });

  app.post("/auth/reset-password", async (c) => {
    const input = await readInput(c, resetPasswordSchema, { query: true });
    const result = await resetPassword(deps, input, clientMeta(c, deps).ip);
    platform.log.info("password reset", { request_id: c.var.requestId });
    return c.json(result);
  });
  doc.describe({
    method: "post",
    path: "/auth/reset-password",
    summary: "Set a new password with the e-mailed token (single use, 1 h); ends every session",
    body: resetPasswordSchema,
    responses: { ...ok, 400: { description: "Invalid, used or expired token" } },
  });

  for (const path of ["/auth/change-password", "/users/me/change-password"]) {
    app.post(path, platform.auth, async (c) => {
      const input = await readInput(c, changePasswordSchema);
      const result = await changePassword(deps, c.var.user, input);
      platform.log.info("password changed", { request_id: c.var.requestId, user_id: c.var.user.id });
      return c.json(result);
    });
    doc.describe({
      method: "post",
      path,
      summary: "Change the password (current one required, new one different); other sessions end",
      auth: "any",
      body: changePasswordSchema,
      responses: { ...ok, 400: { description: "Wrong current password, or new = current" } },
    });
  }
}
