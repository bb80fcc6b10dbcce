import assert from "node:assert/strict";
import postgres from "postgres";
import { ensurePostgres } from "../../scripts/local/postgres.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function postgisVersion(url: string): Promise<string> {
  const sql = postgres(url, { prepare: false, max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists postgis`;
    const [row] = await sql<{ version: string }[]>`select postgis_version() as version`;
    return row.version;
  } finally {
    await sql.end();
  }
}

Deno.test("ensurePostgres creates, reuses and restarts a local PostGIS cluster", async () => {
  const root = await Deno.makeTempDir({ prefix: "local-postgres-test-" });
  const dataDir = `${root}/pg`;
  const port = freePort();
  const log = () => {};
  try {
    const first = await ensurePostgres({ dataDir, port, log });
    assert.equal(first.started, true);
    assert.equal(first.adminUrl, `postgres://postgres@127.0.0.1:${port}/postgres`);
    try {
      assert.match(await postgisVersion(first.adminUrl), /^3\./);

      // While it runs, a second call reuses it and must not stop it.
      const again = await ensurePostgres({ dataDir, port, log });
      assert.equal(again.started, false);
      await again.stop();
      assert.match(await postgisVersion(first.adminUrl), /^3\./);

      // Asked for another port while it runs, a call reuses it where it runs.
      const elsewhere = await ensurePostgres({ dataDir, port: freePort(), log });
      assert.equal(elsewhere.started, false);
      assert.equal(elsewhere.port, port);
      assert.equal(elsewhere.adminUrl, first.adminUrl);
    } finally {
      await first.stop();
    }

    // A stopped, initialised cluster starts again with its data intact.
    const restarted = await ensurePostgres({ dataDir, port, log });
    assert.equal(restarted.started, true);
    try {
      assert.match(await postgisVersion(restarted.adminUrl), /^3\./);
    } finally {
      await restarted.stop();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensurePostgres starts on a free port when a TCP listener holds the preferred one", async () => {
  const root = await Deno.makeTempDir({ prefix: "local-postgres-busy-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held = listener.addr.port;
  const messages: string[] = [];
  try {
    const pg = await ensurePostgres({ dataDir: `${root}/pg`, port: held, log: (m) => messages.push(m) });
    try {
      assert.equal(pg.started, true);
      assert.notEqual(pg.port, held);
      assert.match(await postgisVersion(pg.adminUrl), /^3\./);
      assert.match(
        messages.join("\n"),
        new RegExp(`WARNING: port ${held} is in use .*127\\.0\\.0\\.1:${pg.port}`),
      );
    } finally {
      await pg.stop();
    }
  } finally {
    listener.close();
    await Deno.remove(root, { recursive: true });
  }
});
