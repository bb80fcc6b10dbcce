import { createHash, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";
import type { Platform } from "./platform.ts";
import { createSignatureVerifier } from "./qstash.ts";

/**
 * The guard of a route only a schedule calls (function URL beside the event receiver, not routed
 * by the gateway): `Authorization: Bearer <RELAY_SWEEP_SECRET>` (pg_cron + pg_net) or a call
 * QStash signed (a QStash schedule) for the function's public URL, FUNCTIONS_PUBLIC_URL/<fn><path>.
 * Anything else is 401.
 *
 * @example
 * app.post("/events/timers", scheduledOnly(platform, "/events/timers"), handler);
 */
export function scheduledOnly(platform: Platform, path: string): MiddlewareHandler<AppEnv> {
  const verify = createSignatureVerifier(platform.config);
  const secret = platform.config.RELAY_SWEEP_SECRET;
  const url = `${(platform.config.FUNCTIONS_PUBLIC_URL ?? "").replace(/\/+$/, "")}/${platform.fn}${path}`;
  return createMiddleware<AppEnv>(async (c, next) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    const allowed = (secret && bearer && sameSecret(bearer, secret)) ||
      await verify({ signature: c.req.header("upstash-signature"), body: await c.req.text(), url });
    if (!allowed) throw new AppError("unauthorized", "No autorizado");
    await next();
  });
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
