// The Supabase Storage stand-in, exercised through the real supabase-js client (and through
// shared/storage.ts, which the functions use), on an instance of its own with a movable clock.

import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { createStorage, ensureStorageBuckets } from "../../shared/storage.ts";
import { startSupabaseStorageStandIn } from "../fakes/supabase-storage.ts";
import { it } from "../support/env.ts";

const KEY = "stand-in-test-key";
let clockOffsetMs = 0;
const dataDir = await Deno.makeTempDir({ prefix: "storage-stand-in-" });
const server = await startSupabaseStorageStandIn({
  dataDir,
  serviceRoleKey: KEY,
  now: () => Date.now() + clockOffsetMs,
});
globalThis.addEventListener("unload", () => {
  void server.stop();
  Deno.removeSync(dataDir, { recursive: true });
});

const client = (key = KEY) =>
  createClient(server.url, key, { auth: { persistSession: false, autoRefreshToken: false } }).storage;
const bytes = (text: string) => new TextEncoder().encode(text);
await ensureStorageBuckets({ url: server.url, serviceRoleKey: KEY });

it("ensureStorageBuckets creates avatars, portfolio and trabajos public, kyc private, and is idempotent", async () => {
  assert.deepEqual(await ensureStorageBuckets({ url: server.url, serviceRoleKey: KEY }), []);
  const { data: buckets, error } = await client().listBuckets();
  assert.equal(error, null);
  const byId = Object.fromEntries(buckets!.map((b) => [b.id, b.public]));
  assert.deepEqual(byId, { avatars: true, kyc: false, portfolio: true, trabajos: true });
  const { data: kyc } = await client().getBucket("kyc");
  assert.equal(kyc?.file_size_limit, 10 * 1024 * 1024);
});

it("createBucket of an existing bucket answers 409 Duplicate, getBucket of a missing one 404", async () => {
  const { error } = await client().createBucket("avatars", { public: true });
  assert.equal((error as { statusCode?: string }).statusCode, "409");
  const { error: missing } = await client().getBucket("nope");
  assert.equal((missing as { statusCode?: string }).statusCode, "404");
  assert.equal(missing?.message, "Bucket not found");
});

it("upload stores the bytes with their content type and the public URL serves them with nosniff", async () => {
  const files = client().from("avatars");
  const { data, error } = await files.upload("u1/a.png", bytes("png-bytes"), { contentType: "image/png" });
  assert.equal(error, null);
  assert.equal(data?.path, "u1/a.png");
  assert.equal(data?.fullPath, "avatars/u1/a.png");
  const url = files.getPublicUrl("u1/a.png").data.publicUrl;
  assert.equal(url, createStorage({ url: server.url, serviceRoleKey: KEY }).publicUrl("avatars", "u1/a.png"));
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "image/png");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("cache-control"), "max-age=3600");
  assert.equal(await response.text(), "png-bytes");
});

it("upload of an existing path fails without upsert and replaces it with upsert", async () => {
  const files = client().from("portfolio");
  await files.upload("p/x.jpg", bytes("one"), { contentType: "image/jpeg" });
  const again = await files.upload("p/x.jpg", bytes("two"), { contentType: "image/jpeg" });
  assert.equal((again.error as { statusCode?: string }).statusCode, "409");
  const upsert = await files.upload("p/x.jpg", bytes("three"), { contentType: "image/webp", upsert: true });
  assert.equal(upsert.error, null);
  const { data } = await files.download("p/x.jpg");
  assert.equal(await data?.text(), "three");
  assert.equal(data?.type, "image/webp");
});

it("a Blob is sent as multipart and stored with the Blob's type", async () => {
  const files = client().from("portfolio");
  const blob = new Blob([bytes("gif89a")], { type: "image/gif" });
  const { error } = await files.upload("p/blob.gif", blob);
  assert.equal(error, null);
  const response = await fetch(files.getPublicUrl("p/blob.gif").data.publicUrl);
  assert.equal(response.headers.get("content-type"), "image/gif");
  assert.equal(await response.text(), "gif89a");
});

it("the private kyc bucket is not served publicly, only through a signed URL", async () => {
  const files = client().from("kyc");
  await files.upload("pro/dni.pdf", bytes("%PDF"), { contentType: "application/pdf" });
  const publicUrl = files.getPublicUrl("pro/dni.pdf").data.publicUrl;
  const refused = await fetch(publicUrl);
  assert.notEqual(refused.status, 200);
  assert.equal((await refused.json()).statusCode, "404");
  const { data, error } = await files.createSignedUrl("pro/dni.pdf", 60);
  assert.equal(error, null);
  const served = await fetch(data!.signedUrl);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "application/pdf");
  assert.equal(await served.text(), "%PDF");
});

it("a signed URL stops working once it expires, and a token for another object is refused", async () => {
  const files = client().from("kyc");
  await files.upload("pro/selfie.png", bytes("selfie"), { contentType: "image/png" });
  const { data } = await files.createSignedUrl("pro/selfie.png", 30);
  const token = new URL(data!.signedUrl).searchParams.get("token")!;
  const other = `${server.url}/storage/v1/object/sign/kyc/pro/dni.pdf?token=${token}`;
  const mismatch = await fetch(other);
  assert.equal(mismatch.status, 400);
  assert.equal((await mismatch.json()).code, "InvalidSignature");
  assert.equal((await fetch(data!.signedUrl)).status, 200);
  clockOffsetMs += 31_000;
  try {
    const expired = await fetch(data!.signedUrl);
    assert.equal(expired.status, 400);
    assert.equal((await expired.json()).code, "InvalidJWT");
  } finally {
    clockOffsetMs -= 31_000;
  }
});

it("signing a missing object answers 404 Object not found", async () => {
  const { error } = await client().from("kyc").createSignedUrl("pro/none.pdf", 60);
  assert.equal((error as { statusCode?: string }).statusCode, "404");
  assert.equal(error?.message, "Object not found");
});

it("remove deletes the objects and answers the removed ones; the public URL then 404s", async () => {
  const files = client().from("avatars");
  await files.upload("u2/old.png", bytes("old"), { contentType: "image/png" });
  const { data, error } = await files.remove(["u2/old.png", "u2/never-existed.png"]);
  assert.equal(error, null);
  assert.deepEqual(data?.map((o) => o.name), ["u2/old.png"]);
  const gone = await fetch(files.getPublicUrl("u2/old.png").data.publicUrl);
  assert.equal((await gone.json()).statusCode, "404");
});

it("every authenticated call needs the service-role key", async () => {
  const { error } = await client("wrong-key").from("avatars").upload("x/y.png", bytes("x"), {
    contentType: "image/png",
  });
  assert.equal((error as { statusCode?: string }).statusCode, "403");
  const anonymous = await fetch(`${server.url}/storage/v1/object/avatars/u1/a.png`);
  assert.equal(anonymous.status, 400);
  assert.equal((await anonymous.json()).statusCode, "403");
});

it("a bucket's file size limit is enforced with 413 EntityTooLarge", async () => {
  const big = new Uint8Array(5 * 1024 * 1024 + 1);
  const { error } = await client().from("avatars").upload("u3/big.png", big, { contentType: "image/png" });
  assert.equal((error as { statusCode?: string }).statusCode, "413");
});

it("shared/storage uploads, signs and removes through the same protocol", async () => {
  const storage = createStorage({ url: server.url, serviceRoleKey: KEY });
  await storage.upload("kyc", "p9/doc.txt", new Blob(["hola"]), { contentType: "text/plain" });
  const signed = await storage.signedUrl("kyc", "p9/doc.txt", 60);
  assert.ok(signed.startsWith(`${server.url}/storage/v1/object/sign/kyc/p9/doc.txt?token=`));
  const response = await fetch(signed);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(await response.text(), "hola");
  await storage.remove("kyc", ["p9/doc.txt"]);
  assert.notEqual((await fetch(signed)).status, 200);
});

it("shared/storage creates a missing bucket on first upload", async () => {
  await client().emptyBucket("portfolio");
  await client().deleteBucket("portfolio");
  const storage = createStorage({ url: server.url, serviceRoleKey: KEY });
  await storage.upload("portfolio", "i/1.png", bytes("png"), { contentType: "image/png" });
  const { data } = await client().getBucket("portfolio");
  assert.equal(data?.public, true);
  assert.equal(await (await fetch(storage.publicUrl("portfolio", "i/1.png"))).text(), "png");
});

it("bucket ids and object names cannot reach outside the stand-in's folder", async () => {
  for (const path of ["public/..%2F..%2Fbuckets/avatars", "public/../../etc/passwd", "public/%2E%2E/x"]) {
    const response = await fetch(`${server.url}/storage/v1/object/${path}`);
    assert.notEqual(response.status, 200, path);
    await response.body?.cancel();
  }
  const { error } = await client().createBucket("..", { public: true });
  assert.equal((error as { statusCode?: string }).statusCode, "400");
  const files = client().from("avatars");
  await files.upload("../../escape.png", bytes("x"), { contentType: "image/png" });
  assert.equal(
    (await Array.fromAsync(Deno.readDir(dataDir))).map((e) => e.name).sort().join(),
    "buckets,objects",
  );
});
