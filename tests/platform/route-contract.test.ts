// The route contract every function keeps, checked from the routes' own definitions so that a
// route added later is covered without editing this file:
// - every served route is defined once with `createRoute`: it appears in its function's OpenAPI
//   document with a schema for its success response;
// - every guarded route answers 401 without a token, with a garbage token and with a token signed
//   by a foreign key, and 403 to each role it does not admit — before any validation.
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair } from "jose";
import { ROLES } from "../../shared/auth-user.ts";
import { SERVICE_NAMES } from "../../shared/function-names.ts";
import { functionDocument, type Operation } from "../../shared/openapi-document.ts";
import { api } from "../support/gateway.ts";
import { signTestToken } from "../support/tokens.ts";
import { it } from "../support/env.ts";
import { testPlatform } from "../support/platform.ts";
import { APP_MODULES } from "../../functions/gateway/wiring.ts";

/** A function's own plumbing, not public routes: health, its document, event delivery. */
const PLUMBING = /^\/(health|openapi\.json|events)(\/|$)/;

it("every served route of every function is defined once, with a response schema", async () => {
  const undocumented: string[] = [];
  const withoutSchema: string[] = [];
  for (const fn of SERVICE_NAMES) {
    const platform = testPlatform(fn);
    try {
      const app = (await APP_MODULES[fn]()).createApp(platform as never);
      const base = `/${fn}`;
      const doc = functionDocument(app, { name: fn, version: "test", base });
      const documented = new Set<string>();
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          documented.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`);
          if (!hasSuccessSchema(operation)) withoutSchema.push(`${fn}: ${method.toUpperCase()} ${path}`);
        }
      }
      for (const route of app.routes) {
        if (route.method === "ALL") continue; // middleware
        const path = route.path.slice(base.length) || "/";
        if (PLUMBING.test(path)) continue;
        if (!documented.has(`${route.method} ${path}`)) undocumented.push(`${fn}: ${route.method} ${path}`);
      }
    } finally {
      await platform.close();
    }
  }
  assert.deepEqual(undocumented, [], "served without a createRoute definition");
  assert.deepEqual(withoutSchema, [], "defined without a schema for the success response");
});

it("every guarded route answers 401 to a missing, garbage or foreign token and 403 to each other role", async () => {
  const gateway = await api();
  const { body: doc } = await gateway.json("GET", "/openapi.json");
  const foreignKey = await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey);
  const sub = crypto.randomUUID();
  const foreign = await signTestToken({ sub, rol: "ADMIN" }, { key: { ...foreignKey, kid: "foreign" } });
  const byRole = Object.fromEntries(
    await Promise.all(ROLES.map(async (rol) => [rol, await signTestToken({ sub, rol })] as const)),
  );

  const failures: string[] = [];
  let guarded = 0;
  for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.security?.length) continue;
      guarded++;
      const url = path.replace(/\{[^}]+\}/g, crypto.randomUUID());
      const call = async (token?: string) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Bearer ${token}`;
        const hasBody = method !== "get" && method !== "delete";
        // Upper-case: fetch normalises get/post/put/delete but sends "patch" as written.
        const response = await gateway.fetch(url, {
          method: method.toUpperCase(),
          headers,
          body: hasBody ? "{}" : undefined,
        });
        await response.body?.cancel();
        return response.status;
      };
      const expect = async (label: string, token: string | undefined, status: number) => {
        const got = await call(token);
        if (got !== status) {
          failures.push(`${method.toUpperCase()} ${path} ${label}: ${got}, expected ${status}`);
        }
      };
      await expect("without a token", undefined, 401);
      await expect("with a garbage token", "not-a-jwt", 401);
      await expect("with a foreign-signed token", foreign, 401);
      for (const rol of ROLES) {
        if (!(operation["x-roles"] ?? []).includes(rol)) await expect(`as ${rol}`, byRole[rol], 403);
      }
    }
  }
  assert.ok(guarded > 40, `found only ${guarded} guarded routes in /openapi.json`);
  assert.deepEqual(failures, []);
});

function hasSuccessSchema(operation: Operation): boolean {
  return Object.entries(operation.responses ?? {}).some(([status, response]) =>
    /^[23]\d\d$/.test(status) &&
    (status.startsWith("3") || status === "204" ||
      Object.values((response as { content?: Record<string, { schema?: unknown }> }).content ?? {})
        .some((media) => media.schema !== undefined))
  );
}
