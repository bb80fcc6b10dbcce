// Object routes of the Supabase Storage stand-in (see supabase-storage.ts).

import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { cors, type Ctx, fail, json, noSuchBucket, noSuchKey } from "./supabase-storage-http.ts";
import { parseMultipart } from "./supabase-storage-multipart.ts";
import type { ObjectRecord } from "./supabase-storage-store.ts";

const DEFAULT_LIMIT = 50 * 1024 * 1024; // Supabase's global upload limit
const PLAIN = "text/plain;charset=UTF-8";

export async function upload(req: Request, ctx: Ctx, bucketId: string, name: string): Promise<Response> {
  const bucket = await ctx.store.getBucket(bucketId);
  if (!bucket) return noSuchBucket();
  if (!name || name.split("/").some((s) => !s) || name.length > 1024) {
    return fail(400, "InvalidKey", "InvalidKey", `Invalid key: ${name}`);
  }
  const existing = await ctx.store.getObject(bucketId, name);
  if (req.method === "PUT" && !existing) return noSuchKey();
  if (req.method === "POST" && existing && req.headers.get("x-upsert") !== "true") {
    return fail(409, "KeyAlreadyExists", "Duplicate", "The resource already exists");
  }
  const content = await readContent(req);
  if (!content) return fail(400, "InvalidRequest", "InvalidRequest", "No content provided");
  if (content.bytes.length > (bucket.file_size_limit ?? DEFAULT_LIMIT)) {
    return fail(413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size");
  }
  if (bucket.allowed_mime_types && !bucket.allowed_mime_types.includes(content.contentType.split(";")[0])) {
    return fail(
      415,
      "InvalidMimeType",
      "invalid_mime_type",
      `mime type ${content.contentType} is not supported`,
    );
  }
  const at = new Date(ctx.now()).toISOString();
  const record: ObjectRecord = {
    id: existing?.id ?? crypto.randomUUID(),
    name,
    bucket_id: bucketId,
    content_type: content.contentType,
    cache_control: content.cacheControl,
    size: content.bytes.length,
    etag: `"${createHash("md5").update(content.bytes).digest("hex")}"`,
    created_at: existing?.created_at ?? at,
    updated_at: at,
  };
  await ctx.store.putObject(record, content.bytes);
  return json({ Id: record.id, Key: `${bucketId}/${name}` });
}

async function readContent(req: Request) {
  const type = req.headers.get("content-type") ?? "";
  const body = new Uint8Array(await req.arrayBuffer());
  if (type.startsWith("multipart/form-data")) {
    const parts = parseMultipart(body, type) ?? [];
    const file = parts.find((p) => p.filename !== null);
    if (!file) return null;
    const cacheControl = parts.find((p) => p.name === "cacheControl");
    return {
      bytes: file.data,
      contentType: file.type || PLAIN,
      cacheControl: `max-age=${cacheControl ? new TextDecoder().decode(cacheControl.data) : "3600"}`,
    };
  }
  return {
    bytes: body,
    contentType: type || PLAIN,
    cacheControl: req.headers.get("cache-control") ?? "no-cache",
  };
}

export async function servePublic(req: Request, ctx: Ctx, bucketId: string, name: string) {
  const bucket = await ctx.store.getBucket(bucketId);
  // Private buckets answer exactly like missing ones: nothing about them leaks.
  if (!bucket?.public) return noSuchBucket();
  return await serve(req, ctx, bucketId, name);
}

export async function serve(req: Request, ctx: Ctx, bucketId: string, name: string, expires?: number) {
  if (!(await ctx.store.getBucket(bucketId))) return noSuchBucket();
  const object = await ctx.store.getObject(bucketId, name);
  if (!object) return noSuchKey();
  const headers = new Headers({
    "content-type": object.content_type,
    "cache-control": object.cache_control,
    "content-length": String(object.size),
    etag: object.etag,
    "last-modified": new Date(object.updated_at).toUTCString(),
    "x-content-type-options": "nosniff",
  });
  if (expires) headers.set("expires", new Date(expires * 1000).toUTCString());
  const download = new URL(req.url).searchParams.get("download");
  if (download !== null) {
    const filename = download || name.split("/").pop() || "download";
    headers.set("content-disposition", `attachment; filename="${encodeURIComponent(filename)}"`);
  }
  if (req.headers.get("if-none-match") === object.etag) {
    return cors(new Response(null, { status: 304, headers }));
  }
  const body = req.method === "HEAD" ? null : await ctx.store.readBytes(bucketId, name);
  return cors(new Response(body, { status: 200, headers }));
}

export async function sign(req: Request, ctx: Ctx, bucketId: string, name: string): Promise<Response> {
  const body = await req.json().catch(() => ({}));
  const expiresIn = body.expiresIn;
  if (!Number.isInteger(expiresIn) || expiresIn < 1) {
    return fail(400, "InvalidRequest", "Bad Request", "body/expiresIn must be integer >= 1");
  }
  if (!(await ctx.store.getBucket(bucketId))) return noSuchBucket();
  if (!(await ctx.store.getObject(bucketId, name))) return noSuchKey();
  const iat = Math.floor(ctx.now() / 1000);
  const token = await new SignJWT({ url: `${bucketId}/${name}` })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresIn)
    .sign(ctx.secret);
  return json({ signedURL: `/object/sign/${bucketId}/${name}?token=${token}` });
}

export async function serveSigned(req: Request, ctx: Ctx, url: URL, bucketId: string, name: string) {
  const token = url.searchParams.get("token");
  if (!token) {
    return fail(400, "InvalidRequest", "Bad Request", "querystring must have required property 'token'");
  }
  let payload: { url?: unknown; exp?: number };
  try {
    ({ payload } = await jwtVerify(token, ctx.secret, {
      algorithms: ["HS256"],
      currentDate: new Date(ctx.now()),
    }));
  } catch (error) {
    return fail(400, "InvalidJWT", "InvalidJWT", error instanceof Error ? error.message : "invalid token");
  }
  if (payload.url !== `${bucketId}/${name}`) {
    return fail(400, "InvalidSignature", "InvalidSignature", "The url do not match the signature");
  }
  return await serve(req, ctx, bucketId, name, payload.exp);
}

export async function removeObjects(req: Request, ctx: Ctx, bucketId: string): Promise<Response> {
  const body = await req.json().catch(() => ({}));
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((p) => typeof p !== "string")) {
    return fail(400, "InvalidRequest", "Bad Request", "body/prefixes must NOT have fewer than 1 items");
  }
  if (!(await ctx.store.getBucket(bucketId))) return noSuchBucket();
  const removed = [];
  for (const name of new Set(prefixes as string[])) {
    const object = await ctx.store.getObject(bucketId, name);
    if (!object) continue;
    await ctx.store.deleteObject(bucketId, name);
    removed.push(fileObject(object));
  }
  return json(removed);
}

/** storage-js's `FileObject`. */
function fileObject(o: ObjectRecord) {
  return {
    name: o.name,
    bucket_id: o.bucket_id,
    owner: "",
    id: o.id,
    updated_at: o.updated_at,
    created_at: o.created_at,
    last_accessed_at: o.updated_at,
    metadata: {
      eTag: o.etag,
      size: o.size,
      mimetype: o.content_type,
      cacheControl: o.cache_control,
      lastModified: o.updated_at,
      contentLength: o.size,
      httpStatusCode: 200,
    },
  };
}
