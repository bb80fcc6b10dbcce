import assert from "node:assert/strict";
import { createApp } from "../../functions/gateway/app.ts";
import { proxyUpstreamsFromConfig } from "../../functions/gateway/upstreams.ts";
import { SERVICE_NAMES } from "../../shared/function-names.ts";
import { createLogger } from "../../shared/log.ts";
import { freePort, it, testConfig } from "../support/env.ts";

type Seen = {
  method: string;
  path: string;
  query: [string, string][];
  body: string;
  headers: Record<string, string>;
};

/** A stand-in function that records what reached it and echoes it back. */
function startEchoUpstream(options: { delayMs?: number } = {}) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const entry: Seen = {
      method: request.method,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      body: await request.text(),
      headers: Object.fromEntries(request.headers.entries()),
    };
    seen.push(entry);
    return Response.json(entry, { status: 201, headers: { "x-upstream": "echo" } });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, seen, stop: () => server.shutdown() };
}

function proxyGateway(baseUrl: string, timeoutMs = 2000) {
  const config = testConfig({
    GATEWAY_MODE: "proxy",
    FUNCTIONS_BASE_URL: baseUrl,
    GATEWAY_UPSTREAM_TIMEOUT_MS: String(timeoutMs),
  });
  return createApp({
    config,
    log: createLogger("gateway", "error"),
    upstreams: proxyUpstreamsFromConfig(config, SERVICE_NAMES),
  });
}

it("proxy mode forwards method, body, headers, repeated query keys and the request id", async () => {
  const upstream = startEchoUpstream();
  try {
    const gateway = proxyGateway(upstream.url);
    const response = await gateway.request("/api/v1/cliente/ofertas/abc/accept?tag=a&tag=b&x=1", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer t0k",
        "x-request-id": "req-proxy-1",
      },
      body: JSON.stringify({ hello: "mundo" }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-upstream"), "echo");
    assert.equal(response.headers.get("x-request-id"), "req-proxy-1");
    const seen = await response.json() as Seen;
    assert.equal(seen.method, "POST");
    assert.equal(seen.path, "/chat-offers/cliente/ofertas/abc/accept");
    assert.deepEqual(seen.query, [["tag", "a"], ["tag", "b"], ["x", "1"]]);
    assert.equal(seen.body, JSON.stringify({ hello: "mundo" }));
    assert.equal(seen.headers.authorization, "Bearer t0k");
    assert.equal(seen.headers["x-request-id"], "req-proxy-1");
  } finally {
    await upstream.stop();
  }
});

it("proxy mode routes each prefix to its function's base path", async () => {
  const upstream = startEchoUpstream();
  try {
    const gateway = proxyGateway(upstream.url);
    const cases: [string, string][] = [
      ["/auth/login", "/auth/auth/login"],
      ["/api/v1/users/me", "/users/users/me"],
      ["/users/me/change-password", "/auth/users/me/change-password"],
      ["/api/v1/search/professionals", "/professionals/search/professionals"],
      ["/trabajos", "/chat-offers/trabajos"],
      ["/webhook/mercadopago", "/payments/webhook/mercadopago"],
      ["/notifications", "/notifications/notifications"],
    ];
    for (const [path, expected] of cases) {
      const seen = await (await gateway.request(path)).json() as Seen;
      assert.equal(seen.path, expected, path);
    }
  } finally {
    await upstream.stop();
  }
});

it("an unreachable function answers 502", async () => {
  const gateway = proxyGateway(`http://127.0.0.1:${freePort()}`);
  const response = await gateway.request("/api/v1/users/me");
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.equal(body.code, "bad_gateway");
  assert.match(body.detail, /users/);
});

it("a function slower than the timeout answers 504", async () => {
  const upstream = startEchoUpstream({ delayMs: 1500 });
  try {
    const gateway = proxyGateway(upstream.url, 200);
    const response = await gateway.request("/api/v1/users/me");
    assert.equal(response.status, 504);
    assert.equal((await response.json()).code, "gateway_timeout");
  } finally {
    await upstream.stop();
  }
});

it("aggregated health reports unreachable functions as down and the whole as degraded", async () => {
  const gateway = proxyGateway(`http://127.0.0.1:${freePort()}`);
  const body = await (await gateway.request("/health")).json();
  assert.equal(body.gateway, "healthy");
  assert.equal(body.estado_general, "degraded");
  for (const service of SERVICE_NAMES) assert.equal(body.servicios[service].estado, "down");
});
