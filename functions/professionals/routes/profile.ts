import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";
import {
  applyProfileChanges,
  ownProfileId,
  profileTrades,
  readOwnProfile,
  replaceTrades,
  setLocation,
} from "../profile.ts";
import {
  changesFromCombined,
  combinedUpdateSchema,
  locationSchema,
  payoutSchema,
  serviceSettingsSchema,
  tradesSchema,
} from "../profile-update.ts";
import { replaceInstantServices } from "../services.ts";

const servicesSchema = z.object({ servicio_ids: z.array(z.uuid()).max(100) });
const PRO = ["PROFESIONAL"] as const;

/** The signed-in professional's own profile (`/professional/*`: PROFESIONAL only, as the user). */
export function registerProfileRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const { db } = platform;
  const pro = [platform.auth, requireRole("PROFESIONAL")] as const;

  app.get("/professional/me", ...pro, async (c) => {
    const user = c.var.user;
    return c.json(await db.asUser(user, (tx) => readOwnProfile(tx, user.id)));
  });
  doc.describe({
    method: "get",
    path: "/professional/me",
    summary: "My professional profile",
    auth: [...PRO],
  });

  app.put("/professional/profile", ...pro, validate("json", serviceSettingsSchema), async (c) => {
    const user = c.var.user;
    const settings = c.req.valid("json");
    const profile = await db.asUser(user, async (tx) => {
      await applyProfileChanges(tx, await ownProfileId(tx, user.id), { settings });
      return await readOwnProfile(tx, user.id);
    });
    return c.json(profile);
  });
  doc.describe({
    method: "put",
    path: "/professional/profile",
    summary: "Update service settings (partial: radius, instant, hourly rate)",
    auth: [...PRO],
    body: serviceSettingsSchema,
  });

  app.put("/professional/me", ...pro, validate("json", combinedUpdateSchema), async (c) => {
    const user = c.var.user;
    const changes = changesFromCombined(c.req.valid("json"));
    const profile = await db.asUser(user, async (tx) => {
      await applyProfileChanges(tx, await ownProfileId(tx, user.id), changes);
      return await readOwnProfile(tx, user.id);
    });
    return c.json(profile);
  });
  doc.describe({
    method: "put",
    path: "/professional/me",
    summary:
      "The frontend's combined update: settings, location, trades, payout account (extra keys ignored)",
    auth: [...PRO],
    body: combinedUpdateSchema,
  });

  app.put("/professional/profile/location", ...pro, validate("json", locationSchema), async (c) => {
    const user = c.var.user;
    const at = c.req.valid("json");
    const profile = await db.asUser(user, async (tx) => {
      await setLocation(tx, await ownProfileId(tx, user.id), at);
      return await readOwnProfile(tx, user.id);
    });
    return c.json(profile);
  });
  doc.describe({
    method: "put",
    path: "/professional/profile/location",
    summary: "Set the base location (WGS84 point)",
    auth: [...PRO],
    body: locationSchema,
  });

  app.put("/professional/profile/oficios", ...pro, validate("json", tradesSchema), async (c) => {
    const user = c.var.user;
    const { oficio_ids } = c.req.valid("json");
    const trades = await db.asUser(
      user,
      async (tx) => replaceTrades(tx, await ownProfileId(tx, user.id), oficio_ids),
    );
    return c.json(trades);
  });
  doc.describe({
    method: "put",
    path: "/professional/profile/oficios",
    summary: "Replace my trades (unknown id → 404, nothing changes)",
    auth: [...PRO],
    body: tradesSchema,
  });

  app.get("/professional/oficios", ...pro, async (c) => {
    const user = c.var.user;
    return c.json(await db.asUser(user, async (tx) => profileTrades(tx, await ownProfileId(tx, user.id))));
  });
  doc.describe({ method: "get", path: "/professional/oficios", summary: "My trades", auth: [...PRO] });

  app.put("/professional/profile/servicios-instant", ...pro, validate("json", servicesSchema), async (c) => {
    const user = c.var.user;
    const { servicio_ids } = c.req.valid("json");
    const services = await db.asUser(
      user,
      async (tx) => replaceInstantServices(tx, await ownProfileId(tx, user.id), servicio_ids),
    );
    return c.json(services);
  });
  doc.describe({
    method: "put",
    path: "/professional/profile/servicios-instant",
    summary: "Replace the catalog instant services I offer (unknown id → 404, nothing changes)",
    auth: [...PRO],
    body: servicesSchema,
  });

  for (const path of ["/professional/payout-info", "/professional/payout"]) {
    app.put(path, ...pro, validate("json", payoutSchema), async (c) => {
      const user = c.var.user;
      const { payout_account } = c.req.valid("json");
      await db.asUser(user, async (tx) => {
        await applyProfileChanges(tx, await ownProfileId(tx, user.id), {
          settings: {},
          payoutAccount: payout_account,
        });
      });
      return c.json({
        status: "ok",
        message: "Información de pago actualizada correctamente",
        payout_account,
      });
    });
    doc.describe({
      method: "put",
      path,
      summary: "Set the payout account (CVU, CBU or alias)",
      auth: [...PRO],
      body: payoutSchema,
    });
  }
}
