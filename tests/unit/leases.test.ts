import assert from "node:assert/strict";
import { takeLease } from "../../scripts/local/leases.ts";

Deno.test("the last live holder of a lease may stop the server; a dead holder's lease does not count", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const alone = await takeLease(dir);
    assert.equal(await alone.release(), true);

    // pid 1 is always alive: another run still using the server.
    await Deno.writeTextFile(`${dir}/1`, "");
    const shared = await takeLease(dir);
    assert.equal(await shared.release(), false);
    await Deno.remove(`${dir}/1`);

    // A run killed with SIGKILL left its file behind.
    await Deno.writeTextFile(`${dir}/2147483646`, "");
    const afterCrash = await takeLease(dir);
    assert.equal(await afterCrash.release(), true);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["2147483646"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
