import { mountEventReceiver } from "../../shared/event-receiver.ts";
import { createServiceApp } from "../../shared/platform.ts";
import type { PaymentsPlatform } from "./config.ts";
import type { ServiceApp } from "../../shared/route.ts";
import { paymentEventHandlers } from "./refunds.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { registerAdminAnomalyRoutes } from "./routes/admin-anomalies.ts";
import { registerAdminDashboardRoutes } from "./routes/admin-dashboards.ts";
import { registerBalanceRoutes } from "./routes/balance.ts";
import { registerBankAccountRoutes } from "./routes/bank-account.ts";
import { registerCheckoutRoutes } from "./routes/checkout.ts";
import { registerReconcileRoute } from "./routes/reconcile.ts";
import { registerWebhookRoutes } from "./routes/webhook.ts";
import { registerWithdrawalRoutes } from "./routes/withdrawals.ts";
import { paymentSettings } from "./settings.ts";

/** `payments` function: MercadoPago checkout, escrow ledger, releases and refunds. */
export function createApp(platform: PaymentsPlatform): ServiceApp {
  const app = createServiceApp(platform);
  const settings = paymentSettings(platform.config);
  registerCheckoutRoutes(app, platform, settings);
  registerWebhookRoutes(app, platform, settings);
  registerReconcileRoute(app, platform, settings);
  registerAdminRoutes(app, platform);
  registerAdminAnomalyRoutes(app, platform);
  // Professionals' money and the admin's money dashboards.
  registerBalanceRoutes(app, platform);
  registerBankAccountRoutes(app, platform);
  registerWithdrawalRoutes(app, platform);
  registerAdminDashboardRoutes(app, platform);
  mountEventReceiver(app, platform, paymentEventHandlers(platform.db, settings));
  return app;
}
