// Disk layout of the Supabase Storage stand-in (see supabase-storage.ts). Objects are stored
// under the SHA-256 of their name, so no object name (`../x`, `a//b`, unicode) can escape the
// data folder or collide with the metadata files:
//   <dataDir>/buckets/<bucket id>.json
//   <dataDir>/objects/<bucket id>/<sha256(name)>.bin   (bytes)
//   <dataDir>/objects/<bucket id>/<sha256(name)>.json  (metadata)

import { createHash } from "node:crypto";

export type BucketRecord = {
  id: string;
  name: string;
  owner: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: string;
  updated_at: string;
};

export type ObjectRecord = {
  id: string;
  name: string;
  bucket_id: string;
  content_type: string;
  cache_control: string;
  size: number;
  etag: string;
  created_at: string;
  updated_at: string;
};

/** Bucket ids are also folder names: no slashes, never `.` or `..`. */
export const BUCKET_ID = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,100}$/;

export function createStore(dataDir: string) {
  const bucketFile = (id: string) => `${dataDir}/buckets/${id}.json`;
  const objectDir = (bucket: string) => `${dataDir}/objects/${bucket}`;
  const objectBase = (bucket: string, name: string) =>
    `${objectDir(bucket)}/${createHash("sha256").update(name).digest("hex")}`;

  return {
    async init() {
      await Deno.mkdir(`${dataDir}/buckets`, { recursive: true });
      await Deno.mkdir(`${dataDir}/objects`, { recursive: true });
    },
    getBucket: (id: string | undefined) =>
      id && BUCKET_ID.test(id) ? readJson<BucketRecord>(bucketFile(id)) : Promise.resolve(null),
    async listBuckets(): Promise<BucketRecord[]> {
      const buckets: BucketRecord[] = [];
      for await (const entry of Deno.readDir(`${dataDir}/buckets`)) {
        const bucket = await readJson<BucketRecord>(`${dataDir}/buckets/${entry.name}`);
        if (bucket) buckets.push(bucket);
      }
      return buckets.sort((a, b) => a.name.localeCompare(b.name));
    },
    async putBucket(bucket: BucketRecord) {
      await Deno.mkdir(objectDir(bucket.id), { recursive: true });
      await writeAtomic(bucketFile(bucket.id), JSON.stringify(bucket));
    },
    async deleteBucket(id: string) {
      await Deno.remove(objectDir(id), { recursive: true }).catch(ignoreMissing);
      await Deno.remove(bucketFile(id)).catch(ignoreMissing);
    },
    async emptyBucket(id: string) {
      await Deno.remove(objectDir(id), { recursive: true }).catch(ignoreMissing);
      await Deno.mkdir(objectDir(id), { recursive: true });
    },
    async isBucketEmpty(id: string): Promise<boolean> {
      try {
        for await (const _ of Deno.readDir(objectDir(id))) return false;
      } catch (error) {
        ignoreMissing(error);
      }
      return true;
    },
    getObject: (bucket: string, name: string) => readJson<ObjectRecord>(`${objectBase(bucket, name)}.json`),
    async readBytes(bucket: string, name: string): Promise<Uint8Array<ArrayBuffer>> {
      return await Deno.readFile(`${objectBase(bucket, name)}.bin`);
    },
    async putObject(record: ObjectRecord, bytes: Uint8Array) {
      const base = objectBase(record.bucket_id, record.name);
      await writeAtomic(`${base}.bin`, bytes);
      await writeAtomic(`${base}.json`, JSON.stringify(record));
    },
    async deleteObject(bucket: string, name: string) {
      const base = objectBase(bucket, name);
      await Deno.remove(`${base}.json`).catch(ignoreMissing);
      await Deno.remove(`${base}.bin`).catch(ignoreMissing);
    },
  };
}

export type Store = ReturnType<typeof createStore>;

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Write then rename: a reader never sees half an object. */
async function writeAtomic(path: string, data: string | Uint8Array) {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(temp, data);
  else await Deno.writeFile(temp, data);
  await Deno.rename(temp, path);
}

function ignoreMissing(error: unknown) {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
