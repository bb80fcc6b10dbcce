// Local stand-in for Supabase Storage, so code using `@supabase/supabase-js` (storage-js
// 2.119.1) keeps files in development and tests without a Supabase project. Objects live on
// local disk (supabase-storage-store.ts). Protocol, as storage-js sends it and the storage API
// (supabase/storage) answers, all under `/storage/v1`:
// - Every call but public and signed reads needs the service-role key: `Authorization: Bearer
//   <key>` and/or `apikey: <key>` (supabase-js sends both).
// - Errors: HTTP 400 (500 for faults) with `{statusCode: "<404|409|413|…>", code, error, message}`
//   — the storage API keeps the real status in the body; storage-js surfaces it as `statusCode`.
// - Buckets: GET /bucket, POST /bucket {id, name, public, file_size_limit, allowed_mime_types} →
//   {name}, GET|PUT|DELETE /bucket/{id}, POST /bucket/{id}/empty.
// - Upload: POST /object/{bucket}/{path} (x-upsert: true overwrites, else 409 Duplicate), PUT to
//   replace; raw body with `content-type` + `cache-control`, or multipart (file part + `cacheControl`)
//   when supabase-js is given a Blob → {Id, Key}. Bucket `file_size_limit` → 413 EntityTooLarge.
// - Reads: GET /object/{bucket}/{path} and /object/authenticated/… (key), GET /object/public/…
//   (public buckets only; private → 404 Bucket not found), GET /object/sign/…?token=… The bytes
//   come with the stored content type, cache-control, etag, last-modified and
//   `X-Content-Type-Options: nosniff`; `?download[=name]` adds Content-Disposition; HEAD works.
// - Signed URLs: POST /object/sign/{bucket}/{path} {expiresIn} → {signedURL:
//   "/object/sign/{bucket}/{path}?token=<HS256 JWT {url, iat, exp}>"}; an expired or foreign
//   token → 400 InvalidJWT, a token for another object → 400 InvalidSignature.
// - Remove: DELETE /object/{bucket} {prefixes: [names]} → the removed objects (FileObject[]).

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { buckets } from "./supabase-storage-buckets.ts";
import { cors, type Ctx, fail, notFound } from "./supabase-storage-http.ts";
import { removeObjects, serve, servePublic, serveSigned, sign, upload } from "./supabase-storage-objects.ts";
import { createStore } from "./supabase-storage-store.ts";
import type { StandIn } from "./registry.ts";

export type SupabaseStorageStandIn = { url: string; serviceRoleKey: string; stop: () => Promise<void> };

/** The stand-in as the local stack starts it (`STAND_INS`). */
export const SUPABASE_STORAGE_STAND_IN: StandIn = {
  name: "Supabase Storage",
  async start(ctx) {
    // Dev keeps its files across restarts (on Supabase's own local API port); each test run
    // gets a folder and a key of its own, both gone when the run ends.
    const root = `${ctx.dataDir}/supabase-storage`;
    const dataDir = ctx.fixedPorts ? `${root}/dev` : `${root}/run-${crypto.randomUUID()}`;
    if (!ctx.fixedPorts) await removeStaleRuns(root);
    const server = await startSupabaseStorageStandIn({
      dataDir,
      serviceRoleKey: ctx.fixedPorts ? "local-service-role-key" : `test-service-role-${crypto.randomUUID()}`,
      port: ctx.fixedPorts ? 54321 : 0,
    });
    return {
      env: { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: server.serviceRoleKey },
      async stop() {
        await server.stop();
        if (!ctx.fixedPorts) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      },
    };
  },
};

export async function startSupabaseStorageStandIn(opts: {
  dataDir: string;
  serviceRoleKey: string;
  port?: number;
  /** Clock in ms (tests move it forward to expire signed URLs). */
  now?: () => number;
}): Promise<SupabaseStorageStandIn> {
  const store = createStore(opts.dataDir);
  await store.init();
  const ctx: Ctx = {
    store,
    key: opts.serviceRoleKey,
    secret: createHmac("sha256", opts.serviceRoleKey).update("signed-urls").digest(),
    now: opts.now ?? Date.now,
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: opts.port ?? 0, onListen() {} },
    (req) => handle(req, ctx).catch((e) => fail(500, "InternalError", "Internal", String(e))),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    serviceRoleKey: opts.serviceRoleKey,
    stop: () => server.shutdown(),
  };
}

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  if (req.method === "OPTIONS") return cors(new Response(null, { status: 204 }));
  const url = new URL(req.url);
  const match = /^\/storage\/v1\/(bucket|object)(?:\/(.*))?$/.exec(url.pathname);
  if (!match) return notFound(req, url);
  const rest = (match[2] ?? "").split("/").map(decodeSegment);
  const method = req.method === "HEAD" ? "GET" : req.method;

  if (match[1] === "object") {
    const [first, bucket, ...path] = rest;
    const name = path.join("/");
    if (method === "GET" && first === "public") return await servePublic(req, ctx, bucket, name);
    if (method === "GET" && first === "sign") return await serveSigned(req, ctx, url, bucket, name);
    const denied = checkKey(req, ctx.key);
    if (denied) return denied;
    if (method === "POST" && first === "sign") return await sign(req, ctx, bucket, name);
    if (method === "GET" && first === "authenticated") return await serve(req, ctx, bucket, name);
    const objectName = rest.slice(1).join("/");
    if (method === "GET") return await serve(req, ctx, first, objectName);
    if (method === "POST" || method === "PUT") return await upload(req, ctx, first, objectName);
    if (method === "DELETE" && rest.length === 1) return await removeObjects(req, ctx, first);
    return notFound(req, url);
  }
  const denied = checkKey(req, ctx.key);
  if (denied) return denied;
  return await buckets(req, ctx, rest.filter(Boolean), url);
}

function checkKey(req: Request, key: string): Response | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1]?.trim();
  const apikey = req.headers.get("apikey");
  if (!bearer && !apikey) return fail(403, "AccessDenied", "Unauthorized", "Missing authorization header");
  if ((bearer && !same(bearer, key)) || (apikey && !same(apikey, key))) {
    return fail(403, "InvalidJWT", "Unauthorized", "invalid signature");
  }
  return null;
}

function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Folders of test runs that died without cleaning up (older than a day). */
async function removeStaleRuns(root: string) {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.name.startsWith("run-")) continue;
      const info = await Deno.stat(`${root}/${entry.name}`).catch(() => null);
      if (info?.mtime && info.mtime.getTime() < dayAgo) {
        await Deno.remove(`${root}/${entry.name}`, { recursive: true }).catch(() => {});
      }
    }
  } catch { /* no folder yet */ }
}
