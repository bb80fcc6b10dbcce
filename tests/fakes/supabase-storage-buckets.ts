// Bucket routes of the Supabase Storage stand-in (see supabase-storage.ts).

import { type Ctx, fail, json, noSuchBucket, notFound } from "./supabase-storage-http.ts";
import { BUCKET_ID } from "./supabase-storage-store.ts";

export async function buckets(req: Request, ctx: Ctx, [id, action]: string[], url: URL): Promise<Response> {
  if (!id && req.method === "GET") return json(await ctx.store.listBuckets());
  if (!id && req.method === "POST") {
    const body = await req.json().catch(() => ({}));
    const bucketId = String(body.id ?? body.name ?? "");
    if (!BUCKET_ID.test(bucketId)) {
      return fail(400, "InvalidBucketName", "Invalid Input", "Bucket name invalid");
    }
    if (await ctx.store.getBucket(bucketId)) {
      return fail(409, "BucketAlreadyExists", "Duplicate", "The resource already exists");
    }
    const at = new Date(ctx.now()).toISOString();
    await ctx.store.putBucket({
      id: bucketId,
      name: bucketId,
      owner: "",
      public: body.public === true,
      file_size_limit: parseSize(body.file_size_limit),
      allowed_mime_types: Array.isArray(body.allowed_mime_types) ? body.allowed_mime_types : null,
      created_at: at,
      updated_at: at,
    });
    return json({ name: bucketId });
  }
  const bucket = await ctx.store.getBucket(id);
  if (!bucket) return noSuchBucket();
  if (req.method === "GET" && !action) return json(bucket);
  if (req.method === "POST" && action === "empty") {
    await ctx.store.emptyBucket(id);
    return json({ message: "Successfully emptied" });
  }
  if (req.method === "PUT" && !action) {
    const body = await req.json().catch(() => ({}));
    await ctx.store.putBucket({
      ...bucket,
      public: body.public === true,
      file_size_limit: body.file_size_limit === undefined
        ? bucket.file_size_limit
        : parseSize(body.file_size_limit),
      allowed_mime_types: body.allowed_mime_types === undefined
        ? bucket.allowed_mime_types
        : body.allowed_mime_types,
      updated_at: new Date(ctx.now()).toISOString(),
    });
    return json({ message: "Successfully updated" });
  }
  if (req.method === "DELETE" && !action) {
    if (!(await ctx.store.isBucketEmpty(id))) {
      return fail(409, "ResourceNotEmpty", "ResourceNotEmpty", "The bucket you tried to delete is not empty");
    }
    await ctx.store.deleteBucket(id);
    return json({ message: "Successfully deleted" });
  }
  return notFound(req, url);
}

/** `5242880`, `"5242880"`, `"5MB"` → bytes. */
function parseSize(value: unknown): number | null {
  if (typeof value === "number") return value;
  const match = /^(\d+)\s*(B|KB|MB|GB)?$/i.exec(String(value ?? "").trim());
  if (!match) return null;
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(match[2] ?? "B").toUpperCase() as "B"];
  return Number(match[1]) * unit;
}
