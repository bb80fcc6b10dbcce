// Local stand-in for the Upstash Redis REST API, so code using the
// `@upstash/redis` SDK (and `@upstash/ratelimit`) can run in development and
// tests without an Upstash account or network access.
//
// Protocol, as used by `@upstash/redis@1.39.0` (see its pkg/http.ts):
// - `Authorization: Bearer <token>` (or `?_token=`), else 401.
// - `POST /` with `["CMD", ...args]` -> `{"result": ...}`; Redis errors -> 400 `{"error": ...}`.
// - `POST /pipeline` and `POST /multi-exec` with `[[...], ...]` ->
//   `[{"result": ...} | {"error": ...}, ...]`; a discarded transaction -> 400 `{"error": ...}`.
// - Path form `/cmd/arg1/arg2` (a POST body is appended as the last argument).
// - `Upstash-Encoding: base64` (the SDK's default): every string in the result,
//   recursively, is base64 of its UTF-8 bytes, except a top-level "OK". The SDK
//   keeps a top-level "OK" as is but base64-decodes every string inside arrays,
//   so "OK" must be encoded there. Errors are never encoded.
//
// Backed by a real redis-server (Lua scripts, every command): the rate limits run scripts, which
// no in-memory imitation could. Upstash accepts Lua shebang flags that Redis rejects
// (`@upstash/ratelimit` sends `#!lua flags=allow-key-locking`), so the backend strips them.

import { Buffer } from "node:buffer";
import {
  type Backend,
  type Command,
  rejectedError,
  type Reply,
  ReplyError,
} from "./upstash-redis-backend.ts";
import { redisBackend } from "./upstash-redis-real.ts";

export interface UpstashRedisStandIn {
  /** Base URL to pass to the SDK as `url` (UPSTASH_REDIS_REST_URL). */
  url: string;
  token: string;
  stop: () => Promise<void>;
}

export async function startUpstashRedisStandIn(
  opts: { redisUrl: string; token: string; port?: number; db?: number },
): Promise<UpstashRedisStandIn> {
  // Connects now, so a wrong URL fails here instead of on the first HTTP request.
  const backend = await redisBackend(opts.redisUrl, opts.db);

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve(
      { hostname: "127.0.0.1", port: opts.port ?? 0, onListen() {} },
      (req) => handle(req, opts.token, backend),
    );
  } catch (error) {
    await backend.close();
    throw error;
  }
  let stopped = false;
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    token: opts.token,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.shutdown();
      await backend.close();
    },
  };
}

// ---------------------------------------------------------------------------
// HTTP layer

async function handle(req: Request, token: string, backend: Backend): Promise<Response> {
  const url = new URL(req.url);
  if (!["GET", "HEAD", "POST", "PUT"].includes(req.method)) {
    return json(405, { error: "Method Not Allowed" });
  }
  const bearer = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  if ((bearer ?? url.searchParams.get("_token")) !== token) {
    return json(401, { error: "Unauthorized" });
  }
  const base64 = req.headers.get("upstash-encoding")?.toLowerCase() === "base64";
  const path = url.pathname.replace(/\/+$/, "");

  try {
    if (path === "/pipeline" || path === "/multi-exec") {
      const commands = parseCommandList(await req.text());
      if (typeof commands === "string") return json(400, { error: commands });
      const replies = path === "/pipeline"
        ? await backend.pipeline(commands)
        : await backend.multiExec(commands);
      if (replies instanceof ReplyError) return json(400, { error: replies.message });
      return json(200, replies.map((reply) => toEntry(reply, base64)));
    }

    const command = path === "" ? parseCommand(await req.text()) : await pathCommand(req, url);
    if (typeof command === "string") return json(400, { error: command });
    const entry = toEntry(await dispatch(backend, command), base64);
    return json("error" in entry ? 400 : 200, entry);
  } catch (error) {
    // A lost Redis connection is an infrastructure failure, not a command error.
    return json(500, { error: `ERR upstash stand-in: ${(error as Error).message}` });
  }
}

function dispatch(backend: Backend, command: Command): Promise<Reply> {
  const rejected = rejectedError(command);
  return rejected ? Promise.resolve(rejected) : backend.run(command);
}

function parseCommand(body: string): Command | string {
  try {
    const parsed = JSON.parse(body);
    return isCommand(parsed) ? parsed.map(toArg) : "ERR failed to parse command";
  } catch {
    return "ERR failed to parse command";
  }
}

function parseCommandList(body: string): Command[] | string {
  try {
    const parsed = JSON.parse(body);
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isCommand)) {
      return "ERR failed to parse pipeline request";
    }
    return parsed.map((command: unknown[]) => command.map(toArg));
  } catch {
    return "ERR failed to parse pipeline request";
  }
}

function isCommand(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === "string";
}

/** The SDK sends strings, numbers and booleans; anything else arrives as JSON text. */
function toArg(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** `/set/k/v?EX=100` with an optional POST body appended as the value (Upstash docs). */
async function pathCommand(req: Request, url: URL): Promise<Command | string> {
  const command = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  if (command.length === 0) return "ERR failed to parse command";
  if (req.method === "POST" || req.method === "PUT") {
    const body = await req.text();
    if (body !== "") command.push(body);
  }
  for (const [key, value] of url.searchParams) {
    if (key === "_token") continue;
    command.push(key);
    if (value !== "") command.push(value);
  }
  return command;
}

function toEntry(reply: Reply, base64: boolean): { result: unknown } | { error: string } {
  if (reply instanceof ReplyError) return { error: reply.message };
  if (base64 && reply === "OK") return { result: "OK" };
  return { result: encodeValue(reply, base64) };
}

function encodeValue(value: Reply, base64: boolean): unknown {
  if (value instanceof ReplyError) return value.message;
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, base64));
  if (typeof value === "string" && base64) return Buffer.from(value, "utf8").toString("base64");
  return value;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
