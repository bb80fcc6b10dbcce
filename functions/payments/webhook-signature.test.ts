import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { type SignedWebhook, verifyWebhookSignature } from "./webhook-signature.ts";

const SECRET = "webhook-secret";
const NOW_S = 1_704_908_010;
const REQUEST_ID = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";

// Signed independently of the code under test (node:crypto, not WebCrypto).
function sign(fields: { id?: string; ts?: string; secret?: string; requestId?: string } = {}): string {
  const ts = fields.ts ?? String(NOW_S);
  const manifest = `id:${fields.id ?? "123456"};request-id:${fields.requestId ?? REQUEST_ID};ts:${ts};`;
  return `ts=${ts},v1=${createHmac("sha256", fields.secret ?? SECRET).update(manifest).digest("hex")}`;
}

function flip(hex: string): string {
  const last = hex.at(-1) === "0" ? "1" : "0";
  return hex.slice(0, -1) + last;
}

const cases: { name: string; webhook: Partial<SignedWebhook>; nowS?: number; expect: string }[] = [
  { name: "valid", webhook: {}, expect: "ok" },
  {
    name: "valid with spaces and parts reversed",
    webhook: { xSignature: ` v1=${sign().split("v1=")[1]} , ts=${NOW_S} ` },
    expect: "ok",
  },
  { name: "tampered hash", webhook: { xSignature: flip(sign()) }, expect: "signature_mismatch" },
  { name: "wrong secret", webhook: { xSignature: sign({ secret: "other" }) }, expect: "signature_mismatch" },
  { name: "other data.id", webhook: { dataId: "654321" }, expect: "signature_mismatch" },
  { name: "other request id", webhook: { xRequestId: crypto.randomUUID() }, expect: "signature_mismatch" },
  {
    name: "ts changed after signing",
    webhook: { xSignature: sign().replace(`ts=${NOW_S}`, `ts=${NOW_S + 1}`) },
    expect: "signature_mismatch",
  },
  {
    name: "hash not hex",
    webhook: { xSignature: `ts=${NOW_S},v1=${"z".repeat(64)}` },
    expect: "signature_mismatch",
  },
  { name: "hash too short", webhook: { xSignature: `ts=${NOW_S},v1=abc123` }, expect: "signature_mismatch" },
  { name: "missing header", webhook: { xSignature: null }, expect: "missing_signature" },
  { name: "blank header", webhook: { xSignature: "  " }, expect: "missing_signature" },
  { name: "missing request id", webhook: { xRequestId: undefined }, expect: "missing_request_id" },
  { name: "missing data.id", webhook: { dataId: "" }, expect: "missing_data_id" },
  {
    name: "missing ts",
    webhook: { xSignature: `v1=${sign().split("v1=")[1]}` },
    expect: "missing_timestamp",
  },
  { name: "missing v1", webhook: { xSignature: `ts=${NOW_S}` }, expect: "missing_hash" },
  {
    name: "only a v2",
    webhook: { xSignature: `ts=${NOW_S},v2=${sign().split("v1=")[1]}` },
    expect: "missing_hash",
  },
  { name: "malformed: no key=value", webhook: { xSignature: "garbage" }, expect: "malformed_signature" },
  {
    name: "malformed: empty value",
    webhook: { xSignature: `ts=,v1=${"a".repeat(64)}` },
    expect: "malformed_signature",
  },
  {
    name: "malformed: repeated ts",
    webhook: { xSignature: `${sign()},ts=${NOW_S}` },
    expect: "malformed_signature",
  },
  {
    name: "malformed: ts not digits",
    webhook: { xSignature: sign({ ts: "12ab" }) },
    expect: "malformed_signature",
  },
  {
    name: "upper-case id signed as is",
    webhook: { dataId: "ABC123", xSignature: sign({ id: "ABC123" }) },
    expect: "ok",
  },
  {
    name: "upper-case id signed lower-cased",
    webhook: { dataId: "ABC123", xSignature: sign({ id: "abc123" }) },
    expect: "ok",
  },
  {
    name: "lower-case id signed upper-cased",
    webhook: { dataId: "abc123", xSignature: sign({ id: "ABC123" }) },
    expect: "signature_mismatch",
  },
  { name: "ts 299 s old", webhook: {}, nowS: NOW_S + 299, expect: "ok" },
  { name: "ts 301 s old", webhook: {}, nowS: NOW_S + 301, expect: "timestamp_out_of_tolerance" },
  { name: "ts 301 s ahead", webhook: {}, nowS: NOW_S - 301, expect: "timestamp_out_of_tolerance" },
  {
    name: "ts in milliseconds",
    webhook: { xSignature: sign({ ts: `${NOW_S}123` }) },
    nowS: NOW_S + 1,
    expect: "ok",
  },
  {
    name: "ts in milliseconds, too old",
    webhook: { xSignature: sign({ ts: `${NOW_S}123` }) },
    nowS: NOW_S + 400,
    expect: "timestamp_out_of_tolerance",
  },
];

for (const { name, webhook, nowS, expect } of cases) {
  Deno.test(`verifyWebhookSignature: ${name} → ${expect}`, async () => {
    const check = await verifyWebhookSignature(
      { xSignature: sign(), xRequestId: REQUEST_ID, dataId: "123456", ...webhook },
      { secret: SECRET, toleranceSeconds: 300, now: () => (nowS ?? NOW_S) * 1000 },
    );
    assert.equal(check.ok ? "ok" : check.reason, expect);
  });
}

Deno.test("verifyWebhookSignature reports the id form that was signed and the timestamp", async () => {
  const check = await verifyWebhookSignature(
    { xSignature: sign({ id: "abc123" }), xRequestId: REQUEST_ID, dataId: "ABC123" },
    { secret: SECRET, toleranceSeconds: 300, now: () => NOW_S * 1000 },
  );
  assert.deepEqual(check, { ok: true, timestampMs: NOW_S * 1000, dataId: "abc123" });
});
