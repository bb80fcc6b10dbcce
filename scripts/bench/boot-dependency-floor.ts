/**
 * The dependency floor of `deno task bench boot`: the third-party stack every function boots on —
 * zod, Hono with @hono/zod-openapi (and through it @asteasolutions/zod-to-openapi), postgres.js
 * (vendor/postgres, which loads Deno's Node compatibility layer: node:net, node:tls, node:crypto,
 * node:stream, node:fs…) and @upstash/redis — with none of our code: one route, answered after one
 * query and one Redis PING, as a function's health route does. No function can boot faster than
 * this without replacing one of those libraries; the bench measures it beside the functions.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { Redis } from "@upstash/redis";
import postgres from "postgres";
import { z } from "zod";

const env = (name: string) => {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const sql = postgres(env("DATABASE_URL"), { prepare: false, max: 1, onnotice: () => {} });
const redis = new Redis({ url: env("UPSTASH_REDIS_REST_URL"), token: env("UPSTASH_REDIS_REST_TOKEN") });
// One schema, so zod is used as the functions use it, not only loaded.
const answer = z.object({ status: z.literal("healthy") });

const app = new OpenAPIHono();
app.get("/", async (c) => {
  await sql`select 1`;
  await redis.ping();
  return c.json(answer.parse({ status: "healthy" }));
});
Deno.serve({ port: Number(env("PORT")), onListen: () => {} }, app.fetch);
