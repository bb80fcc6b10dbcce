import { z } from "zod";
import { AppError } from "../../../shared/errors.ts";
import type { NotificationsPlatform } from "../config.ts";
import { createRoute, errorSchema, idParams, json, type ServiceApp } from "../../../shared/route.ts";

const statuses = ["pending", "in_progress", "published", "failed"] as const;
const outboxQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(statuses).optional(),
  type: z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/).optional(),
});

// Payloads may carry secrets (reset tokens): operators see the envelope, never the payload.
const COLUMNS =
  "id, type, aggregate_id, producer, status, attempts, last_error, next_attempt_at, created_at, published_at";

const timestamp = z.iso.datetime({ offset: true }).describe("ISO-8601 UTC");
const outboxEventSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  aggregate_id: z.string(),
  producer: z.string(),
  status: z.enum(statuses),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: timestamp,
  created_at: timestamp,
  published_at: timestamp.nullable(),
}).meta({ id: "OutboxEvent" });
type OutboxEvent = z.infer<typeof outboxEventSchema>;

const outboxPageSchema = z.object({
  items: z.array(outboxEventSchema),
  total: z.number().int(),
  page: z.number().int(),
  limit: z.number().int(),
  pages: z.number().int(),
});

/**
 * Operators' view of event delivery: outbox rows by state (stuck or failing ones first of all)
 * and "publish now" for one that is not published yet. ADMIN only.
 */
export function registerAdminEventRoutes(app: ServiceApp, platform: NotificationsPlatform) {
  const adminOnly = platform.access(["ADMIN"]);

  app.openapi(
    createRoute({
      method: "get",
      path: "/admin/events/outbox",
      summary: "Events in the outbox by state (payloads not shown)",
      ...adminOnly,
      request: { query: outboxQuery },
      responses: { 200: json(outboxPageSchema, "{items, total, page, limit, pages}") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await platform.db.asService(async (tx) => {
        const where = tx`where (${q.status ?? null}::public.outbox_status is null or status = ${
          q.status ?? null
        })
          and (${q.type ?? null}::text is null or type = ${q.type ?? null})`;
        const [{ total }] = await tx<
          { total: number }[]
        >`select count(*)::int as total from public.outbox ${where}`;
        const items = await tx<OutboxRow[]>`select ${tx.unsafe(COLUMNS)} from public.outbox ${where}
          order by created_at desc, id desc limit ${q.limit} offset ${(q.page - 1) * q.limit}`;
        return { items: items.map(toOutboxEvent), total };
      });
      return c.json({ ...page, page: q.page, limit: q.limit, pages: Math.ceil(page.total / q.limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/admin/events/outbox/{id}/retry",
      summary: "Publish a pending, failed or stuck event now",
      ...adminOnly,
      request: { params: idParams },
      responses: {
        200: json(outboxEventSchema, "The event after the attempt"),
        400: json(errorSchema, "Already published"),
        404: json(errorSchema, "No such event"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
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
      const [after] = await platform.db.sql<OutboxRow[]>`select ${
        platform.db.sql.unsafe(COLUMNS)
      } from public.outbox where id = ${id}`;
      return c.json(toOutboxEvent(after), 200);
    },
  );
}

type OutboxRow = Omit<OutboxEvent, "next_attempt_at" | "created_at" | "published_at"> & {
  next_attempt_at: Date;
  created_at: Date;
  published_at: Date | null;
};

function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    type: row.type,
    aggregate_id: row.aggregate_id,
    producer: row.producer,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at.toISOString(),
    created_at: row.created_at.toISOString(),
    published_at: row.published_at?.toISOString() ?? null,
  };
}
