import type { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../../../shared/auth.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http.ts";
import type { ApiDoc } from "../../../shared/openapi.ts";
import type { Platform } from "../../../shared/platform.ts";
import { validate } from "../../../shared/validate.ts";

const statuses = ["pending", "in_progress", "published", "failed"] as const;
const outboxQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(statuses).optional(),
  type: z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/).optional(),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Payloads may carry secrets (reset tokens): operators see the envelope, never the payload.
const COLUMNS =
  "id, type, aggregate_id, producer, status, attempts, last_error, next_attempt_at, created_at, published_at";

/**
 * Operators' view of event delivery: outbox rows by state (stuck or failing ones first of all)
 * and "publish now" for one that is not published yet. ADMIN only.
 */
export function registerAdminEventRoutes(app: Hono<AppEnv>, platform: Platform, doc: ApiDoc) {
  const guard = [platform.auth, requireRole("ADMIN")] as const;

  doc.describe({
    method: "get",
    path: "/admin/events/outbox",
    summary: "Events in the outbox by state (payloads not shown)",
    auth: ["ADMIN"],
    query: outboxQuery,
    responses: { 200: { description: "{items, total, page, limit, pages}" } },
  });
  app.get("/admin/events/outbox", ...guard, validate("query", outboxQuery), async (c) => {
    const q = c.req.valid("query");
    const page = await platform.db.asService(async (tx) => {
      const where = tx`where (${q.status ?? null}::public.outbox_status is null or status = ${
        q.status ?? null
      })
        and (${q.type ?? null}::text is null or type = ${q.type ?? null})`;
      const [{ total }] = await tx<
        { total: number }[]
      >`select count(*)::int as total from public.outbox ${where}`;
      const items = await tx`select ${tx.unsafe(COLUMNS)} from public.outbox ${where}
        order by created_at desc, id desc limit ${q.limit} offset ${(q.page - 1) * q.limit}`;
      return { items, total };
    });
    return c.json({ ...page, page: q.page, limit: q.limit, pages: Math.ceil(page.total / q.limit) });
  });

  doc.describe({
    method: "post",
    path: "/admin/events/outbox/:id/retry",
    summary: "Publish a pending, failed or stuck event now",
    auth: ["ADMIN"],
    responses: {
      200: { description: "The event after the attempt" },
      400: { description: "Already published" },
    },
  });
  app.post("/admin/events/outbox/:id/retry", ...guard, async (c) => {
    const id = c.req.param("id");
    if (!UUID.test(id)) throw new AppError("not_found", "Evento no encontrado");
    const [row] = await platform.db.asService((tx) =>
      tx`update public.outbox set status = 'pending', next_attempt_at = now()
         where id = ${id} and status <> 'published' returning id`
    );
    if (!row) {
      const [exists] = await platform.db.sql`select status from public.outbox where id = ${id}`;
      if (!exists) throw new AppError("not_found", "Evento no encontrado");
      throw new AppError("bad_request", "El evento ya fue publicado");
    }
    await platform.relay.publish([id]);
    const [after] = await platform.db.sql`select ${
      platform.db.sql.unsafe(COLUMNS)
    } from public.outbox where id = ${id}`;
    return c.json(after);
  });
}
