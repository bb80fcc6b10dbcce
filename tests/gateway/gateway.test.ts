import assert from "node:assert/strict";
import { SERVICE_NAMES } from "../../shared/function-names.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";

it("GET /health aggregates the six services in the original gateway's shape", async () => {
  for (const path of ["/health", "/api/v1/health"]) {
    const { status, body } = await (await api()).json("GET", path);
    assert.equal(status, 200);
    assert.equal(body.gateway, "healthy");
    assert.equal(typeof body.version, "string");
    assert.deepEqual(Object.keys(body.servicios).sort(), [...SERVICE_NAMES].sort());
    for (const service of SERVICE_NAMES) assert.equal(body.servicios[service].estado, "healthy", service);
    assert.equal(body.estado_general, "healthy");
  }
});

it("the aggregated health carries each function's own dependency checks", async () => {
  const { body } = await (await api()).json("GET", "/health");
  for (const service of SERVICE_NAMES) {
    assert.equal(body.servicios[service].checks.db.status, "ok", service);
    assert.equal(body.servicios[service].checks.redis.status, "ok", service);
  }
});

it("an unknown path answers 404 JSON with a request id", async () => {
  for (const path of ["/nope", "/api/v1/nope", "/chatter", "/api/v1/chatter/x"]) {
    const { status, body, headers } = await (await api()).json("GET", path);
    assert.equal(status, 404, path);
    assert.equal(body.code, "not_found");
    assert.equal(body.request_id, headers.get("x-request-id"));
  }
});

it("a routed path that the function does not serve answers the function's 404", async () => {
  const { status, body } = await (await api()).json("GET", "/api/v1/pagos/no-such-route");
  assert.equal(status, 404);
  assert.equal(body.code, "not_found");
});

it("the request id given by the caller is passed on and returned", async () => {
  const { headers, body } = await (await api()).json("GET", "/api/v1/users/unknown-route", {
    headers: { "x-request-id": "trace-42" },
  });
  assert.equal(headers.get("x-request-id"), "trace-42");
  // The 404 body comes from the users function: it saw the same id.
  assert.equal(body.request_id, "trace-42");
});

it("security headers are on every gateway response", async () => {
  for (const path of ["/", "/health", "/nope", "/api/v1/users/unknown"]) {
    const response = await (await api()).fetch(path);
    await response.body?.cancel();
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(response.headers.get("x-frame-options"), "DENY", path);
    assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
  }
});

it("CORS preflight is answered by the gateway for the allowed frontend origin", async () => {
  const response = await (await api()).fetch("/api/v1/auth/login", {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });
  await response.body?.cancel();
  assert.equal(response.status, 204);
  assert.equal(response.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assert.equal(response.headers.get("access-control-allow-credentials"), "true");
  assert.match(response.headers.get("access-control-allow-headers") ?? "", /authorization/i);
});

it("a cross-origin answer lets the frontend read the list total, the request id and the rate-limit headers", async () => {
  const response = await (await api()).fetch("/api/v1/public/oficios", {
    headers: { origin: "http://localhost:3000" },
  });
  await response.body?.cancel();
  assert.equal(response.headers.get("access-control-allow-origin"), "http://localhost:3000");
  const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(
    /\s*,\s*/,
  );
  for (const header of ["x-total-count", "x-request-id", "retry-after", "x-ratelimit-remaining"]) {
    assert.ok(exposed.includes(header), `${header} in ${exposed}`);
  }
});

it("GET / answers the original's welcome document", async () => {
  const { status, body } = await (await api()).json("GET", "/");
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.equal(body.docs, "/docs");
});

it("/openapi.json merges every function's document and /docs renders it", async () => {
  const gateway = await api();
  const { status, body } = await gateway.json("GET", "/openapi.json");
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  assert.ok(body.paths["/health"]);
  assert.doesNotMatch(body.info.description, /unavailable/);
  const docs = await gateway.fetch("/docs");
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await docs.text(), /openapi\.json/);
});

it("the gateway also answers under /gateway, as Supabase serves the function", async () => {
  const { status, body } = await (await api()).json("GET", "/gateway/health");
  assert.equal(status, 200);
  assert.equal(body.gateway, "healthy");
});
