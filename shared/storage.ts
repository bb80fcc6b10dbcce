import type { SupabaseClient } from "@supabase/supabase-js";
import { AppError } from "./errors.ts";

/**
 * Files in Supabase Storage through supabase-js: avatars and portfolio images in public buckets
 * (served at absolute public URLs), KYC documents in the private `kyc` bucket (readable only
 * through short-lived signed URLs). supabase-js is imported on first use, so functions that
 * never touch files boot without it.
 *
 * @example
 * const storage = createStorage({ url: config.SUPABASE_URL, serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY });
 * await storage.upload("avatars", `${userId}/avatar-1a2b.png`, bytes, { contentType: "image/png" });
 * storage.publicUrl("avatars", `${userId}/avatar-1a2b.png`); // https://<ref>.supabase.co/storage/v1/object/public/avatars/…
 * await storage.signedUrl("kyc", `${profileId}/dni.pdf`, 300); // expires in 5 minutes
 */
export type Bucket = "avatars" | "portfolio" | "kyc" | "trabajos";

export type Storage = {
  upload(
    bucket: Bucket,
    path: string,
    body: Uint8Array | Blob,
    options: { contentType: string; upsert?: boolean },
  ): Promise<void>;
  /** Absolute URL that serves the object (public buckets). */
  publicUrl(bucket: Bucket, path: string): string;
  /** Absolute URL that serves the object until it expires (any bucket; the way to read `kyc`). */
  signedUrl(bucket: Bucket, path: string, expiresInSeconds: number): Promise<string>;
  remove(bucket: Bucket, paths: string[]): Promise<void>;
};

/** Every bucket the system uses, as it must exist in each environment. */
export const BUCKETS: Readonly<Record<Bucket, { public: boolean; fileSizeLimit: number }>> = {
  avatars: { public: true, fileSizeLimit: 5 * 1024 * 1024 },
  portfolio: { public: true, fileSizeLimit: 5 * 1024 * 1024 },
  kyc: { public: false, fileSizeLimit: 10 * 1024 * 1024 },
  /** Photos of a job's progress (chat-offers), shown to its parties on the job page. */
  trabajos: { public: true, fileSizeLimit: 5 * 1024 * 1024 },
};

type StorageClient = SupabaseClient["storage"];
type StorageOptions = { url: string; serviceRoleKey: string };

export function createStorage(options: StorageOptions): Storage {
  let client: Promise<StorageClient> | null = null;
  const storage = () => client ??= connect(options);
  const base = `${options.url.replace(/\/+$/, "")}/storage/v1`;

  async function upload(...[bucket, path, body, opts]: Parameters<Storage["upload"]>) {
    const files = (await storage()).from(bucket);
    // Bytes, not a Blob: supabase-js sends a Blob as multipart and then ignores `contentType`.
    const bytes = body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : body;
    const put = () =>
      files.upload(path, bytes, { contentType: opts.contentType, upsert: opts.upsert ?? false });
    let { error } = await put();
    if (error && isMissingBucket(error)) {
      // First use on a project the seed step has not run on: create the bucket, then retry.
      await ensureBucket(await storage(), bucket);
      ({ error } = await put());
    }
    if (error) throw storageFailure("upload", bucket, error);
  }

  return {
    upload,
    // The same URL supabase-js's getPublicUrl builds, without loading supabase-js for it.
    publicUrl: (bucket, path) => encodeURI(`${base}/object/public/${bucket}/${path.replace(/^\/+/, "")}`),
    async signedUrl(bucket, path, expiresInSeconds) {
      const { data, error } = await (await storage()).from(bucket).createSignedUrl(path, expiresInSeconds);
      if (error) throw storageFailure("sign", bucket, error);
      return data.signedUrl;
    },
    async remove(bucket, paths) {
      if (paths.length === 0) return;
      const { error } = await (await storage()).from(bucket).remove(paths);
      if (error) throw storageFailure("remove", bucket, error);
    },
  };
}

/**
 * Creates the missing buckets of `BUCKETS` (idempotent): the seed step runs it so that a real
 * Supabase project gets them too.
 *
 * @example
 * await ensureStorageBuckets({ url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY });
 */
export async function ensureStorageBuckets(options: StorageOptions): Promise<Bucket[]> {
  const storage = await connect(options);
  const created: Bucket[] = [];
  for (const bucket of Object.keys(BUCKETS) as Bucket[]) {
    if (await ensureBucket(storage, bucket)) created.push(bucket);
  }
  return created;
}

async function connect(options: StorageOptions): Promise<StorageClient> {
  const { createClient } = await import("@supabase/supabase-js");
  return createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }).storage;
}

/** True when this call created the bucket. */
async function ensureBucket(storage: StorageClient, bucket: Bucket): Promise<boolean> {
  const { error: missing } = await storage.getBucket(bucket);
  if (!missing) return false;
  if (!isMissingBucket(missing)) throw storageFailure("getBucket", bucket, missing);
  const { error } = await storage.createBucket(bucket, {
    public: BUCKETS[bucket].public,
    fileSizeLimit: BUCKETS[bucket].fileSizeLimit,
  });
  // Someone else created it in between: fine.
  if (error && statusCodeOf(error) !== "409") throw storageFailure("createBucket", bucket, error);
  return !error;
}

function statusCodeOf(error: Error): string | undefined {
  return (error as { statusCode?: string }).statusCode;
}

function isMissingBucket(error: Error): boolean {
  return statusCodeOf(error) === "404" && /bucket not found/i.test(error.message);
}

/** Storage answered with an error: a 502 for the client, the cause kept for the log. */
function storageFailure(action: string, bucket: Bucket, cause: Error): AppError {
  const error = new AppError("bad_gateway", "No se pudo acceder al almacenamiento de archivos");
  error.cause = new Error(`storage ${action} on "${bucket}" failed: ${cause.message}`);
  return error;
}
