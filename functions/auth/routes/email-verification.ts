import type { Hono } from "hono";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { AuthDeps } from "../deps.ts";
import { confirmVerification, requestVerification } from "../email-verification.ts";
import { readInput } from "../input.ts";
import { verifyEmailSchema } from "../schemas.ts";
import { clientMeta } from "./context.ts";

/** Ask for a (new) verification e-mail; confirm the address with its token. */
export function registerEmailVerificationRoutes(app: Hono<AppEnv>, deps: AuthDeps, doc: ApiDoc) {
  app.post("/auth/verify-email/request", deps.platform.auth, async (c) => {
    return c.json(await requestVerification(deps, c.var.user, clientMeta(c, deps).ip));
  });
  doc.describe({
    method: "post",
    path: "/auth/verify-email/request",
    summary: "Send the signed-in user a new e-mail verification link",
    auth: "any",
    responses: { 200: { description: "{message, success, email_verificado}" } },
  });

  app.post("/auth/verify-email", async (c) => {
    const { token } = await readInput(c, verifyEmailSchema, { query: true });
    return c.json(await confirmVerification(deps, token, clientMeta(c, deps).ip));
  });
  doc.describe({
    method: "post",
    path: "/auth/verify-email",
    summary: "Confirm the e-mail address with the token from the link (JSON or query `token`)",
    body: verifyEmailSchema,
    responses: {
      200: { description: "{message, success, email_verificado: true}" },
      400: { description: "Invalid, used or expired token" },
    },
  });
}
