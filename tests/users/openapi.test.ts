import assert from "node:assert/strict";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";

it("/openapi.json documents every users route with its summary", async () => {
  const { status, body } = await (await api()).json("GET", "/openapi.json");
  assert.equal(status, 200);
  const expected: [string, string][] = [
    ["/users/me", "get"],
    ["/users/me", "put"],
    ["/users/search", "get"],
    ["/users/me/avatar", "post"],
    ["/admin/users", "get"],
    ["/admin/users/search", "get"],
    ["/admin/users/{id}", "get"],
    ["/admin/users/{id}/ban", "post"],
    ["/admin/users/{id}/unban", "post"],
    ["/admin/users/{id}/role", "put"],
    ["/admin/metrics/users", "get"],
  ];
  for (const [path, method] of expected) {
    const operation = body.paths?.[path]?.[method];
    assert.ok(operation, `${method} ${path}`);
    assert.doesNotMatch(operation.summary, /^(GET|PUT|POST) /, `${method} ${path} is described`);
  }
});
