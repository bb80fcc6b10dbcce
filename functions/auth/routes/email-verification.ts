import { createRoute, errorSchema, json, type ServiceApp } from "../../../shared/route.ts";
import type { AuthDeps } from "../deps.ts";
import { confirmVerification, requestVerification } from "../email-verification.ts";
import { authFields } from "../input.ts";
import { verificationResultSchema, verifyEmailSchema } from "../schemas.ts";
import { clientMeta } from "./context.ts";

/** Ask for a (new) verification e-mail; confirm the address with its token. */
export function registerEmailVerificationRoutes(app: ServiceApp, deps: AuthDeps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/verify-email/request",
      summary: "Send the signed-in user a new e-mail verification link",
      ...deps.platform.access("signed-in"),
      responses: {
        200: json(verificationResultSchema, "{message, success, email_verificado}"),
        429: json(errorSchema, "Too many requests"),
      },
    }),
    async (c) => c.json(await requestVerification(deps, c.var.user, clientMeta(c, deps).ip), 200),
  );

  const confirmation = authFields(verifyEmailSchema, { query: true });
  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/verify-email",
      summary: "Confirm the e-mail address with the token from the link (JSON, form or query `token`)",
      ...confirmation.doc,
      responses: {
        200: json(verificationResultSchema, "{message, success, email_verificado: true}"),
        400: json(errorSchema, "Invalid, used or expired token"),
      },
    }),
    async (c) => {
      const { token } = await confirmation.read(c);
      return c.json(await confirmVerification(deps, token, clientMeta(c, deps).ip), 200);
    },
  );
}
