import { z } from "zod";
import type { ProfessionalsPlatform } from "../config.ts";
import { createRoute, json, jsonBody, type ServiceApp } from "../../../shared/route.ts";
import {
  applyProfileChanges,
  ownProfileId,
  profileReadSchema,
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
import { replaceInstantServices, serviceReadSchema } from "../services.ts";
import { oficioReadSchema } from "../trades.ts";

const servicesSchema = z.object({ servicio_ids: z.array(z.uuid()).max(100) });

const payoutResultSchema = z.object({
  status: z.literal("ok"),
  message: z.string(),
  payout_account: z.string(),
});

/** The signed-in professional's own profile (`/professional/*`: PROFESIONAL only, as the user). */
export function registerProfileRoutes(app: ServiceApp, platform: ProfessionalsPlatform) {
  const { db } = platform;
  const pro = platform.access(["PROFESIONAL"]);

  app.openapi(
    createRoute({
      method: "get",
      path: "/professional/me",
      summary: "My professional profile",
      ...pro,
      responses: { 200: json(profileReadSchema, "My profile") },
    }),
    async (c) => {
      const user = c.var.user;
      return c.json(await db.asUser(user, (tx) => readOwnProfile(tx, user.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/profile",
      summary: "Update service settings (partial: radius, instant, hourly rate)",
      ...pro,
      request: { body: jsonBody(serviceSettingsSchema) },
      responses: { 200: json(profileReadSchema, "My updated profile") },
    }),
    async (c) => {
      const user = c.var.user;
      const settings = c.req.valid("json");
      const profile = await db.asUser(user, async (tx) => {
        await applyProfileChanges(tx, await ownProfileId(tx, user.id), { settings });
        return await readOwnProfile(tx, user.id);
      });
      return c.json(profile, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/me",
      summary:
        "The frontend's combined update: settings, location, trades, payout account (extra keys ignored)",
      ...pro,
      request: { body: jsonBody(combinedUpdateSchema) },
      responses: { 200: json(profileReadSchema, "My updated profile") },
    }),
    async (c) => {
      const user = c.var.user;
      const changes = changesFromCombined(c.req.valid("json"));
      const profile = await db.asUser(user, async (tx) => {
        await applyProfileChanges(tx, await ownProfileId(tx, user.id), changes);
        return await readOwnProfile(tx, user.id);
      });
      return c.json(profile, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/profile/location",
      summary: "Set the base location (WGS84 point)",
      ...pro,
      request: { body: jsonBody(locationSchema) },
      responses: { 200: json(profileReadSchema, "My profile with its new location") },
    }),
    async (c) => {
      const user = c.var.user;
      const at = c.req.valid("json");
      const profile = await db.asUser(user, async (tx) => {
        await setLocation(tx, await ownProfileId(tx, user.id), at);
        return await readOwnProfile(tx, user.id);
      });
      return c.json(profile, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/profile/oficios",
      summary: "Replace my trades (unknown id → 404, nothing changes)",
      ...pro,
      request: { body: jsonBody(tradesSchema) },
      responses: { 200: json(z.array(oficioReadSchema), "My trades, by name") },
    }),
    async (c) => {
      const user = c.var.user;
      const { oficio_ids } = c.req.valid("json");
      const trades = await db.asUser(
        user,
        async (tx) => replaceTrades(tx, await ownProfileId(tx, user.id), oficio_ids),
      );
      return c.json(trades, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/professional/oficios",
      summary: "My trades",
      ...pro,
      responses: { 200: json(z.array(oficioReadSchema), "My trades, by name") },
    }),
    async (c) => {
      const user = c.var.user;
      const trades = await db.asUser(user, async (tx) => profileTrades(tx, await ownProfileId(tx, user.id)));
      return c.json(trades, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/professional/profile/servicios-instant",
      summary: "Replace the catalog instant services I offer (unknown id → 404, nothing changes)",
      ...pro,
      request: { body: jsonBody(servicesSchema) },
      responses: { 200: json(z.array(serviceReadSchema), "The catalog services I offer, by name") },
    }),
    async (c) => {
      const user = c.var.user;
      const { servicio_ids } = c.req.valid("json");
      const services = await db.asUser(
        user,
        async (tx) => replaceInstantServices(tx, await ownProfileId(tx, user.id), servicio_ids),
      );
      return c.json(services, 200);
    },
  );

  for (const path of ["/professional/payout-info", "/professional/payout"]) {
    app.openapi(
      createRoute({
        method: "put",
        path,
        summary: "Set the payout account (CVU, CBU or alias)",
        ...pro,
        request: { body: jsonBody(payoutSchema) },
        responses: { 200: json(payoutResultSchema, "The stored payout account") },
      }),
      async (c) => {
        const user = c.var.user;
        const { payout_account } = c.req.valid("json");
        await db.asUser(user, async (tx) => {
          await applyProfileChanges(tx, await ownProfileId(tx, user.id), {
            settings: {},
            payoutAccount: payout_account,
          });
        });
        return c.json({
          status: "ok" as const,
          message: "Información de pago actualizada correctamente",
          payout_account,
        }, 200);
      },
    );
  }
}
