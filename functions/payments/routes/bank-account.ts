import type { PaymentsPlatform } from "../config.ts";
import { createRoute, errorSchema, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import { findBankAccount, saveBankAccount, toBankAccountView } from "../bank-account-store.ts";
import { bankAccountInputSchema, bankAccountSchema } from "../payout-schemas.ts";

/**
 * `POST|GET /pagos/cuenta-bancaria`: where the professional's withdrawals are paid. The source of
 * truth for payouts; the monolith's `PUT /professional/payout-info` (free text on the profile,
 * professionals function) stays for compatibility and is not used to pay.
 */
export function registerBankAccountRoutes(app: ServiceApp, platform: PaymentsPlatform) {
  const professionalOnly = platform.access(["PROFESIONAL"]);

  app.openapi(
    createRoute({
      method: "get",
      path: "/pagos/cuenta-bancaria",
      summary: "My payout account, masked (null when none)",
      ...professionalOnly,
      responses: {
        200: json(bankAccountSchema.nullable(), "The account (CBU/CVU by its last 4 digits) or null"),
      },
    }),
    async (c) => {
      const row = await platform.db.asUser(c.var.user, (tx) => findBankAccount(tx, c.var.user.id));
      return c.json(row ? toBankAccountView(row) : null, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/pagos/cuenta-bancaria",
      summary: "Set or replace my payout account: a CBU/CVU (BCRA check digits) or an alias",
      ...professionalOnly,
      request: { body: jsonBody(bankAccountInputSchema) },
      responses: {
        200: json(bankAccountSchema, "The saved account, masked"),
        422: json(errorSchema, "Bad CBU/CVU check digit, alias or CUIT"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      // Written by payments code (API roles cannot write the table); the key is the caller.
      const row = await platform.db.asService((tx) => saveBankAccount(tx, c.var.user.id, input));
      platform.log.info("bank account saved", { request_id: c.var.requestId, usuario_id: c.var.user.id });
      return c.json(toBankAccountView(row), 200);
    },
  );
}
