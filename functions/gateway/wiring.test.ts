import assert from "node:assert/strict";
import { onFirstUse } from "./wiring.ts";
import type { FetchApp } from "./upstreams.ts";

const echo = (label: string): FetchApp => ({
  fetch: (request) => new Response(`${label} ${new URL(request.url).pathname}`),
});

Deno.test("an app loaded on first use is built once, however many requests wait for it", async () => {
  let builds = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const app = onFirstUse(async () => {
    builds++;
    await gate;
    return echo("built");
  });
  assert.equal(builds, 0, "nothing is built before a request");
  const waiting = [1, 2, 3].map((i) => app.fetch(new Request(`http://x/r${i}`)));
  release();
  const bodies = await Promise.all(waiting.map(async (r) => await (await r).text()));
  assert.deepEqual(bodies, ["built /r1", "built /r2", "built /r3"]);
  assert.equal(await (await app.fetch(new Request("http://x/later"))).text(), "built /later");
  assert.equal(builds, 1);
});

Deno.test("a build that failed fails its requests and is tried again by the next one", async () => {
  let builds = 0;
  const app = onFirstUse(() => {
    builds++;
    return builds === 1
      ? Promise.reject(new Error("module failed to load"))
      : Promise.resolve(echo("second"));
  });
  await assert.rejects(async () => await app.fetch(new Request("http://x/a")), /module failed to load/);
  assert.equal(await (await app.fetch(new Request("http://x/b"))).text(), "second /b");
  assert.equal(builds, 2);
});

Deno.test("the app's bindings reach it unchanged", async () => {
  const app = onFirstUse(() => Promise.resolve({ fetch: (_request, env) => Response.json(env ?? null) }));
  const env = { inline: true, path: "/users/users/me", requestId: "r-1" };
  assert.deepEqual(await (await app.fetch(new Request("http://x/"), env)).json(), env);
});
