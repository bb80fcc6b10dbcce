import { z } from "zod";
import { SERVICE_NAMES, type ServiceName } from "./function-names.ts";

/**
 * Value parsers of `shared/config.ts`: the formats some variables are written in (CSV lists,
 * JSON documents, rate limits, subscriber lists) and how a bad one is reported.
 */
export const csv = z.string().transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));
export const jsonObject = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    ctx.addIssue({ code: "custom", message: "must be JSON" });
    return z.NEVER;
  }
});
export const optionalUrl = z.url().optional();

/** A sliding-window rate limit: `limit` requests per `windowMs`. */
export type RateLimitSpec = { limit: number; windowMs: number };
const WINDOW_UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `"10/15m"` → 10 requests per 15 minutes. Throws on anything else.
 *
 * @example
 * parseRateLimit("5/1h"); // { limit: 5, windowMs: 3_600_000 }
 */
export function parseRateLimit(spec: string): RateLimitSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*([smhd])\s*$/.exec(spec);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new Error(`"${spec}" is not <requests>/<window> (e.g. 10/15m)`);
  }
  return { limit: Number(match[1]), windowMs: Number(match[2]) * WINDOW_UNIT_MS[match[3] as "s"] };
}
export const rateLimit = z.string().transform((s, ctx) => {
  try {
    return parseRateLimit(s);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * Who receives which events: `<function>=<pattern>,<pattern>;<function>=...`, where a pattern is
 * an event type (`review.created`), an aggregate wildcard (`job.*`) or `*` (every event).
 *
 * @example
 * parseSubscribers("notifications=*;professionals=review.created,job.*");
 * // { notifications: ["*"], professionals: ["review.created", "job.*"] }
 */
export function parseSubscribers(spec: string): Partial<Record<ServiceName, string[]>> {
  const result: Partial<Record<ServiceName, string[]>> = {};
  for (const entry of spec.split(";").map((e) => e.trim()).filter(Boolean)) {
    const [name, patterns = ""] = entry.split("=", 2).map((p) => p.trim());
    if (!SERVICE_NAMES.includes(name as ServiceName)) throw new Error(`"${name}" is not a function`);
    const list = patterns.split(",").map((p) => p.trim()).filter(Boolean);
    const bad = list.find((p) => !/^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$/.test(p));
    if (!list.length || bad) throw new Error(`"${entry}" needs <function>=<type>|<aggregate>.*|*`);
    result[name as ServiceName] = list;
  }
  return result;
}
export const subscribers = z.string().transform((s, ctx) => {
  try {
    return parseSubscribers(s);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
/** A Google service-account key file (JSON), as the Firebase console downloads it. */
export const serviceAccount = jsonObject.pipe(z.object({
  project_id: z.string().min(1),
  client_email: z.string().min(3),
  private_key: z.string().includes("PRIVATE KEY"),
  private_key_id: z.string().optional(),
}));
export const millis = (fallback: number) => z.coerce.number().int().min(0).max(86_400_000).default(fallback);
