import assert from "node:assert/strict";
import { apiKeyMatches, sha256Hex, webhookReasons } from "./moderation.ts";

Deno.test("apiKeyMatches: only the exact configured key; nothing passes when no key is configured", async () => {
  const key = "a-shared-secret-of-32-characters";
  assert.equal(await apiKeyMatches(key, key), true);
  assert.equal(await apiKeyMatches(`${key} `, key), false);
  assert.equal(await apiKeyMatches("short", key), false);
  assert.equal(await apiKeyMatches(undefined, key), false);
  assert.equal(await apiKeyMatches(key, undefined), false);
  assert.equal(await apiKeyMatches("", ""), false);
});

Deno.test("webhookReasons reads the Cloud Function's flags, or keeps a free-text reason", () => {
  assert.deepEqual(webhookReasons("phone:true, email:false, social:true"), ["phone", "social"]);
  assert.deepEqual(webhookReasons("spam"), ["spam"]);
  assert.deepEqual(webhookReasons(undefined), ["webhook"]);
  assert.deepEqual(webhookReasons("  "), ["webhook"]);
});

Deno.test("sha256Hex is the lowercase hex digest", async () => {
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
