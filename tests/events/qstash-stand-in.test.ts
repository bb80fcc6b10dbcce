import assert from "node:assert/strict";
import { Client, Receiver } from "@upstash/qstash";
import { startQStashStandIn } from "../fakes/qstash.ts";
import { it } from "../support/env.ts";
import { waitFor } from "./helpers.ts";

const keys = { token: "tok-test", currentSigningKey: "sig_current_test", nextSigningKey: "sig_next_test" };
const qstash = startQStashStandIn({ ...keys, retryBaseMs: 50, defaultRetries: 2 });
const client = new Client({
  baseUrl: qstash.url,
  token: keys.token,
  devMode: false,
  retry: false,
  enableTelemetry: false,
});
const receiver = new Receiver({
  currentSigningKey: keys.currentSigningKey,
  nextSigningKey: keys.nextSigningKey,
  devMode: false,
});

type Received = { url: string; headers: Headers; body: string };
/** An endpoint that answers with `statuses` in turn (the last one repeats) and records requests. */
function endpoint(statuses: number[] = [200], headers: Record<string, string> = {}) {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({ url: req.url, headers: req.headers, body: await req.text() });
    const status = statuses[Math.min(received.length - 1, statuses.length - 1)];
    return new Response("answer", { status, headers });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/hook`, received, stop: () => server.shutdown() };
}

async function dlq() {
  const response = await fetch(`${qstash.url}/v2/dlq`, {
    headers: { authorization: `Bearer ${keys.token}` },
  });
  return (await response.json()).messages as { url: string; responseStatus: number; body: string }[];
}

it("the SDK's publishJSON is delivered with a signature the SDK's Receiver accepts for that URL", async () => {
  const target = endpoint();
  const { messageId } = await client.publishJSON({
    url: target.url,
    body: { hello: "mundo" },
    headers: { "X-Trace": "abc" },
  });
  assert.match(messageId, /^msg_/);
  await waitFor(() => Promise.resolve(target.received.length === 1));
  const [req] = target.received;
  assert.equal(req.body, JSON.stringify({ hello: "mundo" }));
  assert.equal(req.headers.get("content-type"), "application/json");
  assert.equal(req.headers.get("x-trace"), "abc");
  assert.equal(req.headers.get("upstash-message-id"), messageId);
  assert.equal(req.headers.get("upstash-retried"), "0");
  const signature = req.headers.get("upstash-signature")!;
  assert.equal(await receiver.verify({ signature, body: req.body, url: target.url }), true);
  await assert.rejects(receiver.verify({ signature, body: req.body, url: `${target.url}/other` }));
  await assert.rejects(receiver.verify({ signature, body: "{}", url: target.url }));
  const claims = JSON.parse(atob(signature.split(".")[1].replaceAll("-", "+").replaceAll("_", "/")));
  assert.equal(claims.iss, "Upstash");
  assert.equal(claims.sub, target.url);
  assert.equal(claims.exp - claims.iat, 300);
  assert.ok(claims.nbf <= claims.iat && claims.jti);
  await target.stop();
});

it("a deduplication id seen before is accepted (202) but delivered once", async () => {
  const target = endpoint();
  const id = crypto.randomUUID();
  const first = await client.publishJSON({ url: target.url, body: { n: 1 }, deduplicationId: id });
  const second = await client.publishJSON({ url: target.url, body: { n: 1 }, deduplicationId: id });
  assert.equal(second.messageId, first.messageId);
  assert.equal(second.deduplicated, true);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(target.received.length, 1);
  await target.stop();
});

it("a failing endpoint is retried with backoff until it answers 2xx", async () => {
  const target = endpoint([503, 500, 200]);
  await client.publishJSON({ url: target.url, body: { retry: true } });
  await waitFor(() => Promise.resolve(target.received.length === 3));
  assert.deepEqual(target.received.map((r) => r.headers.get("upstash-retried")), ["0", "1", "2"]);
  assert.equal((await dlq()).filter((m) => m.url === target.url).length, 0);
  await target.stop();
});

it("after the last retry the message goes to the dead-letter list with the last answer", async () => {
  const target = endpoint([500]);
  await client.publishJSON({ url: target.url, body: { doomed: true }, retries: 1 });
  const [dead] = await waitFor(() =>
    dlq().then((m) => m.filter((d) => d.url === target.url)).then((m) => m.length ? m : null)
  );
  assert.equal(target.received.length, 2);
  assert.equal(dead.responseStatus, 500);
  assert.equal(dead.body, JSON.stringify({ doomed: true }));
  await target.stop();
});

it("489 with Upstash-NonRetryable-Error goes to the dead-letter list without retries", async () => {
  const target = endpoint([489], { "upstash-nonretryable-error": "true" });
  await client.publishJSON({ url: target.url, body: { bad: true } });
  await waitFor(() => dlq().then((m) => m.some((d) => d.url === target.url)));
  assert.equal(target.received.length, 1);
  await target.stop();
});

it("a delayed message is not delivered before its delay", async () => {
  const target = endpoint();
  await client.publishJSON({ url: target.url, body: {}, delay: 1 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(target.received.length, 0);
  await waitFor(() => Promise.resolve(target.received.length === 1));
  await target.stop();
});

it("publishing without the token is refused with 401", async () => {
  const stranger = new Client({ baseUrl: qstash.url, token: "wrong", devMode: false, retry: false });
  await assert.rejects(stranger.publishJSON({ url: "http://127.0.0.1:9/x", body: {} }), /Unauthorized/);
  const response = await fetch(`${qstash.url}/v2/dlq`);
  assert.equal(response.status, 401);
  await response.body?.cancel();
});

it("the SDK's batchJSON is one request: each message is delivered, signed for its own destination", async () => {
  const [a, b] = [endpoint(), endpoint()];
  const id = crypto.randomUUID();
  const answers = await client.batchJSON([
    { url: a.url, body: { to: "a" }, deduplicationId: id },
    { url: b.url, body: { to: "b" } },
    { url: a.url, body: { to: "a" }, deduplicationId: id },
  ]);
  assert.equal(answers.length, 3);
  const [first, second, repeated] = answers as { messageId: string; deduplicated?: boolean }[];
  assert.match(first.messageId, /^msg_/);
  assert.notEqual(second.messageId, first.messageId);
  assert.deepEqual([repeated.messageId, repeated.deduplicated], [first.messageId, true]);
  await waitFor(() => Promise.resolve(a.received.length === 1 && b.received.length === 1));
  for (const [target, to] of [[a, "a"], [b, "b"]] as const) {
    const [req] = target.received;
    assert.equal(req.body, JSON.stringify({ to }));
    assert.equal(req.headers.get("content-type"), "application/json");
    const signature = req.headers.get("upstash-signature")!;
    assert.equal(await receiver.verify({ signature, body: req.body, url: target.url }), true);
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(a.received.length, 1, "the duplicate is not delivered");
  await Promise.all([a.stop(), b.stop()]);
});

it("a batch message with a bad destination is refused on its own; a body that is not a batch is 400", async () => {
  const target = endpoint();
  const batch = (body: string, token = keys.token) =>
    fetch(`${qstash.url}/v2/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
  const mixed = await batch(JSON.stringify([
    { destination: "not-a-url", body: "x" },
    { destination: target.url, headers: { "upstash-forward-x-trace": "t1" }, body: "hello" },
  ]));
  assert.equal(mixed.status, 200);
  const [refused, accepted] = await mixed.json();
  assert.match(refused.error, /invalid destination/);
  assert.match(accepted.messageId, /^msg_/);
  await waitFor(() => Promise.resolve(target.received.length === 1));
  assert.equal(target.received[0].body, "hello");
  assert.equal(target.received[0].headers.get("x-trace"), "t1");

  for (
    const body of ["{not json", JSON.stringify({ destination: target.url }), JSON.stringify([{ body: "x" }])]
  ) {
    const response = await batch(body);
    assert.equal(response.status, 400, body);
    await response.body?.cancel();
  }
  const stranger = await batch(JSON.stringify([{ destination: target.url }]), "wrong");
  assert.equal(stranger.status, 401);
  await stranger.body?.cancel();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(target.received.length, 1, "refused batches published nothing");
  await target.stop();
});

it("messages are delivered in parallel, at most `parallelism` at a time, the others in turn", async () => {
  const limited = startQStashStandIn({ ...keys, parallelism: 3 });
  let inFlight = 0;
  let most = 0;
  let received = 0;
  const release: (() => void)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.text();
    received++;
    most = Math.max(most, ++inFlight);
    await new Promise<void>((r) => release.push(r));
    inFlight--;
    return new Response("ok");
  });
  const url = `http://127.0.0.1:${server.addr.port}/slow`;
  const publisher = new Client({ baseUrl: limited.url, token: keys.token, devMode: false, retry: false });
  await publisher.batchJSON(Array.from({ length: 7 }, (_, n) => ({ url, body: { n } })));
  await waitFor(() => Promise.resolve(inFlight === 3));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(received, 3, "the fourth waits for a free slot");
  await waitFor(() => {
    release.splice(0).forEach((r) => r());
    return Promise.resolve(received === 7 && inFlight === 0);
  });
  assert.equal(most, 3);
  await server.shutdown();
  await limited.stop();
});

/** A message to `target` that lands in the DLQ at once (489, non-retryable); answers its body. */
async function deadLetterTo(target: { url: string; received: Received[] }, n: number) {
  const before = target.received.length;
  await client.publishJSON({ url: target.url, body: { n } });
  await waitFor(() => dlq().then((m) => m.some((d) => d.body === JSON.stringify({ n }))));
  assert.equal(target.received.length, before + 1);
}

it("the SDK's dlq.listMessages filters by url and responseStatus and pages with its cursor", async () => {
  const [a, b] = [
    endpoint([489], { "upstash-nonretryable-error": "true" }),
    endpoint([489], { "upstash-nonretryable-error": "true" }),
  ];
  for (let n = 0; n < 3; n++) await deadLetterTo(a, n);
  await deadLetterTo(b, 3);
  const first = await client.dlq.listMessages({ filter: { url: [a.url, b.url] }, count: 3 });
  assert.equal(first.messages.length, 3);
  assert.ok(first.cursor, "more match: a cursor");
  const rest = await client.dlq.listMessages({
    filter: { url: [a.url, b.url] },
    count: 3,
    cursor: first.cursor,
  });
  assert.equal(rest.messages.length, 1);
  assert.equal(rest.cursor, undefined, "the last page has no cursor");
  const all = [...first.messages, ...rest.messages];
  assert.deepEqual(all.map((m) => m.body), [0, 1, 2, 3].map((n) => JSON.stringify({ n })));
  assert.equal(new Set(all.map((m) => m.dlqId)).size, 4);
  const [dead] = all;
  assert.equal(dead.url, a.url);
  assert.equal(dead.responseStatus, 489);
  assert.deepEqual(dead.responseHeader?.["upstash-nonretryable-error"], ["true"]);
  assert.equal(dead.responseBody, "answer");
  assert.match(dead.messageId, /^msg_/);

  const onlyB = await client.dlq.listMessages({ filter: { url: b.url } });
  assert.deepEqual(onlyB.messages.map((m) => m.body), [JSON.stringify({ n: 3 })]);
  const other = await client.dlq.listMessages({ filter: { url: a.url, responseStatus: 500 } });
  assert.deepEqual(other.messages, []);
  const byId = await client.dlq.listMessages({ dlqIds: [all[1].dlqId] });
  assert.deepEqual(byId.messages.map((m) => m.dlqId), [all[1].dlqId]);
  await client.dlq.delete(all.map((m) => m.dlqId));
  await Promise.all([a.stop(), b.stop()]);
});

it("the SDK's dlq.delete removes one or many ({deleted}); an unknown id is 404, an unknown filter 400", async () => {
  const target = endpoint([489], { "upstash-nonretryable-error": "true" });
  for (let n = 10; n < 13; n++) await deadLetterTo(target, n);
  const ids = (await client.dlq.listMessages({ filter: { url: target.url } })).messages.map((m) => m.dlqId);
  assert.deepEqual(await client.dlq.delete(ids[0]), { deleted: 1 });
  assert.equal((await client.dlq.delete([ids[1], ids[2], "dlq_unknown"])).deleted, 2);
  assert.deepEqual((await client.dlq.listMessages({ filter: { url: target.url } })).messages, []);
  await assert.rejects(client.dlq.delete(ids[0]), /not found/);
  const unknownFilter = await fetch(`${qstash.url}/v2/dlq?hostname=x`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${keys.token}` },
  });
  assert.equal(unknownFilter.status, 400);
  await unknownFilter.body?.cancel();
  await target.stop();
});

it("the SDK's dlq.retry republishes each as a fresh message with its retries and takes it out of the DLQ", async () => {
  const target = endpoint([489, 503, 200], { "upstash-nonretryable-error": "true" });
  await client.publishJSON({ url: target.url, body: { again: true }, retries: 1 });
  const [dead] = await waitFor(() =>
    client.dlq.listMessages({ filter: { url: target.url } }).then((page) =>
      page.messages.length ? page.messages : null
    )
  );
  const { responses } = await client.dlq.retry([dead.dlqId]);
  assert.equal(responses.length, 1);
  assert.match(responses[0].messageId, /^msg_/);
  assert.notEqual(responses[0].messageId, dead.messageId);
  assert.deepEqual((await client.dlq.listMessages({ filter: { url: target.url } })).messages, []);
  // Delivered again (503), retried once (200): the fresh message has its own retries.
  await waitFor(() => Promise.resolve(target.received.length === 3));
  const [, again, retried] = target.received;
  assert.deepEqual([again, retried].map((r) => r.headers.get("upstash-message-id")), [
    responses[0].messageId,
    responses[0].messageId,
  ]);
  assert.deepEqual([again, retried].map((r) => r.headers.get("upstash-retried")), ["0", "1"]);
  assert.equal(again.body, JSON.stringify({ again: true }));
  assert.equal(
    await receiver.verify({
      signature: again.headers.get("upstash-signature")!,
      body: again.body,
      url: target.url,
    }),
    true,
  );
  assert.deepEqual(await client.dlq.retry([dead.dlqId]), { responses: [], cursor: undefined });
  await target.stop();
});
