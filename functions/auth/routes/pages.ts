import { z } from "zod";
import { createRoute, other, type ServiceApp } from "../../../shared/route.ts";
import type { AuthDeps } from "../deps.ts";
import { oneTimeTokenState } from "../one-time-tokens.ts";
import { PAGE_HEADERS } from "../pages/page-shell.ts";
import { resetPageState, resetPasswordPage } from "../pages/reset-password-page.ts";
import { verifyEmailPage, verifyPageState } from "../pages/verify-email-page.ts";

/**
 * The pages the reset and verification e-mails link to by default (PASSWORD_RESET_URL_BASE,
 * EMAIL_VERIFICATION_URL_BASE): the frontend has neither, so auth serves them at the API's
 * origin (the gateway routes `/reset-password` and `/verify-email` here). They only read the
 * token's state; the work is done by the existing JSON routes the page's script calls. The
 * token is never logged (the access log writes the path without its query string).
 */
const pageQuery = z.object({
  token: z.string().optional().describe("The e-mailed single-use token (read, not used up)"),
});

export function registerPageRoutes(app: ServiceApp, deps: AuthDeps) {
  const { config, db } = deps.platform;
  const frontend = config.FRONTEND_URL.replace(/\/+$/, "");
  const state = async (token: string | undefined, purpose: "password_reset" | "email_verification") =>
    token ? await oneTimeTokenState(db.sql, token, purpose) : null;

  app.openapi(
    createRoute({
      method: "get",
      path: "/reset-password",
      summary: "Page of the reset e-mail's link: choose a new password, or ask for a new link (HTML)",
      tags: ["pages"],
      request: { query: pageQuery },
      responses: { 200: other("HTML page (Spanish); Referrer-Policy: no-referrer, no-store", "text/html") },
    }),
    async (c) => {
      const { token } = c.req.valid("query");
      const page = resetPasswordPage(resetPageState(token, await state(token, "password_reset")), {
        loginUrl: `${frontend}/login`,
        ttlMinutes: config.PASSWORD_RESET_TTL_MINUTES,
      });
      return c.html(page, 200, PAGE_HEADERS);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/verify-email",
      summary: "Page of the verification e-mail's link: confirms the address and links to the app (HTML)",
      tags: ["pages"],
      request: { query: pageQuery },
      responses: { 200: other("HTML page (Spanish); Referrer-Policy: no-referrer, no-store", "text/html") },
    }),
    async (c) => {
      const { token } = c.req.valid("query");
      const page = verifyEmailPage(verifyPageState(token, await state(token, "email_verification")), {
        frontendUrl: frontend,
        ttlHours: config.EMAIL_VERIFICATION_TTL_HOURS,
      });
      return c.html(page, 200, PAGE_HEADERS);
    },
  );
}
