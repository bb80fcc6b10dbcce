// Issue 10 items 3 and 6 (part): every route has a body limit checked before the body is read —
// at the gateway and in each function — while uploads keep their larger ones; unknown methods
// answer 405; answers to signed-in requests are never cached.
import assert from "node:assert/strict";
import { SERVICE_NAMES } from "../../shared/function-names.ts";
import { createAccount } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { testPlatform } from "../support/platform.ts";
import { APP_MODULES } from "../../functions/gateway/wiring.ts";

const MB = 1024 * 1024;
const BIG = 64 * MB;

/** A JSON body of `size` bytes made on demand, counting what the server pulled. */
function streamedJson(size: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x61); // "aaaa…" inside a string
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"email":"'));
    },
    pull(controller) {
      if (state.pulled >= size) return controller.close();
      state.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

async function postStreamed(path: string, size = BIG) {
  const { stream, state } = streamedJson(size);
  const started = performance.now();
  const response = await (await api()).fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.10" },
    body: stream,
    // @ts-ignore: Deno needs `duplex` to stream a request body.
    duplex: "half",
  });
  const body = await response.json();
  return { status: response.status, body, ms: performance.now() - started, pulled: state.pulled };
}

/** Raw HTTP/1.1 over TCP: what fetch will not send (TRACE, a Content-Length it cannot back). */
async function rawHttp(port: number, head: string, timeoutMs = 3000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(head));
    const buffer = new Uint8Array(8192);
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
    const read = await Promise.race([conn.read(buffer), timer]);
    return read === null ? "" : new TextDecoder().decode(buffer.subarray(0, read));
  } finally {
    conn.close();
  }
}

const gatewayPort = async () => Number(new URL((await api()).url).port);

for (const path of ["/search", "/auth/login", "/auth/forgot-password"]) {
  it(`a streamed 64 MB JSON body to POST ${path} answers 413 without being read`, async () => {
    const res = await postStreamed(path);
    assert.equal(res.status, 413, JSON.stringify(res.body));
    assert.equal(res.body.code, "payload_too_large");
    assert.match(res.body.detail, /supera el máximo de 256 KB/);
    assert.ok(res.pulled < 16 * MB, `the server pulled ${res.pulled} bytes`);
    assert.ok(res.ms < 5000, `answered after ${Math.round(res.ms)} ms`);
  });
}

it("a Content-Length over the limit is refused at once, before any body byte arrives", async () => {
  const answer = await rawHttp(
    await gatewayPort(),
    `POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${BIG}\r\n\r\n{`,
  );
  assert.match(answer, /^HTTP\/1\.1 413/, answer.split("\r\n")[0] || "no answer within 3 s");
});

it("the limit is configurable, and a body under it is served as before", async () => {
  const small = await api({ HTTP_BODY_MAX_BYTES: "2048" });
  const over = await small.json("POST", "/search", { body: { q: "x".repeat(3000) } });
  assert.equal(over.status, 413);
  assert.match(over.body.detail, /2 KB/);
  const under = await small.json("POST", "/search", { body: { q: "plomero" } });
  assert.equal(under.status, 200);
});

it("uploads keep their own larger limits: a 1 MB avatar passes the 256 KB JSON limit", async () => {
  const account = await createAccount("CLIENTE");
  const form = new FormData();
  form.append("file", new File([new Uint8Array(MB).fill(7)], "foto.png", { type: "image/png" }));
  const response = await (await api()).fetch("/users/me/avatar", {
    method: "POST",
    headers: { authorization: `Bearer ${account.token}` },
    body: form,
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.ok(body.avatar_url);
});

it("each function applies the limit itself (called without the gateway) and answers 405 to unknown methods", async () => {
  for (const fn of SERVICE_NAMES) {
    const platform = testPlatform(fn);
    try {
      const app = (await APP_MODULES[fn]()).createApp(platform as never);
      const { stream, state } = streamedJson(8 * MB);
      const streamed = await app.fetch(
        new Request(`http://fn.local/${fn}/any/route`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: stream,
          // @ts-ignore: Deno needs `duplex` to stream a request body.
          duplex: "half",
        }),
      );
      assert.equal(streamed.status, 413, `${fn}: streamed body → ${streamed.status}`);
      assert.ok(state.pulled < 2 * MB, `${fn} pulled ${state.pulled} bytes`);
      const declared = await app.fetch(
        new Request(`http://fn.local/${fn}/any/route`, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": String(BIG) },
          body: "{}",
        }),
      );
      assert.equal(declared.status, 413, `${fn}: declared length → ${declared.status}`);
      const unknown = await app.fetch(new Request(`http://fn.local/${fn}/health`, { method: "FOO" }));
      assert.equal(unknown.status, 405, `${fn}: FOO → ${unknown.status}`);
      await unknown.body?.cancel();
    } finally {
      await platform.close();
    }
  }
});

it("TRACE and other unknown methods answer 405 with Allow and a JSON error, not 500", async () => {
  const trace = await rawHttp(
    await gatewayPort(),
    "TRACE /search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  assert.match(trace, /^HTTP\/1\.1 405/, trace.split("\r\n")[0]);
  assert.match(trace, /\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
  assert.match(trace, /"code":"method_not_allowed"/);
  for (const method of ["FOO", "PROPFIND"]) {
    const response = await (await api()).fetch("/users/me", { method });
    assert.equal(response.status, 405, method);
    assert.equal((await response.json()).code, "method_not_allowed");
  }
});

it("answers to signed-in requests carry Cache-Control: private, no-store (errors too); public ones do not", async () => {
  const gateway = await api();
  const admin = await createAccount("ADMIN");
  const me = await gateway.json("GET", "/users/me", { token: admin.token });
  assert.equal(me.status, 200);
  assert.equal(me.headers.get("cache-control"), "private, no-store");
  const missing = await gateway.json("GET", `/admin/users/${crypto.randomUUID()}`, { token: admin.token });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("cache-control"), "private, no-store");
  const invalid = await gateway.json("PUT", "/users/me", { token: admin.token, body: { nombre: 5 } });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.headers.get("cache-control"), "private, no-store");
  const trades = await gateway.json("GET", "/public/oficios", { token: admin.token });
  assert.equal(trades.status, 200);
  assert.equal(trades.headers.get("cache-control"), null);
});
