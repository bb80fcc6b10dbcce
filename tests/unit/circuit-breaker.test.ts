import assert from "node:assert/strict";
import { CircuitOpenError, createCircuitBreaker } from "../../shared/circuit-breaker.ts";

// The state machine of shared/circuit-breaker.ts on a clock the test moves; through the running
// stack with a hung Redis: tests/reliability/redis-hung.test.ts.

class Timeout extends Error {}
class Answered extends Error {}

function breaker() {
  const clock = { t: 1_000 };
  const events: string[] = [];
  const b = createCircuitBreaker({
    name: "dep",
    failuresToOpen: 3,
    openMs: 5000,
    isFailure: (error) => error instanceof Timeout,
    now: () => clock.t,
    opened: ({ failures }) => events.push(`opened after ${failures}`),
    probeFailed: () => events.push("probe failed"),
    closed: ({ openForMs }) => events.push(`closed after ${openForMs} ms`),
  });
  let calls = 0;
  const ok = () => b.run(() => (calls++, Promise.resolve("ok")));
  const fail = (error: Error = new Timeout("timed out")) => b.run(() => (calls++, Promise.reject(error)));
  return { b, clock, events, ok, fail, calls: () => calls };
}

const openError = (error: unknown) =>
  error instanceof CircuitOpenError && /dep circuit open/.test(error.message);

Deno.test("breaker: opens after 3 failures in a row, then fails at once without calling", async () => {
  const { b, events, fail, ok, calls } = breaker();
  await assert.rejects(fail(), Timeout);
  await assert.rejects(fail(), Timeout);
  assert.equal(b.state(), "closed");
  await assert.rejects(fail(), Timeout);
  assert.equal(b.state(), "open");
  assert.equal(calls(), 3);
  await assert.rejects(ok(), openError);
  await assert.rejects(fail(), (e) => openError(e) && /3 failures in a row, last: timed out/.test(String(e)));
  assert.equal(calls(), 3, "nothing reached the dependency while open");
  assert.deepEqual(events, ["opened after 3"]);
});

Deno.test("breaker: a success or an answered error resets the count", async () => {
  const { b, fail, ok } = breaker();
  await assert.rejects(fail(), Timeout);
  await assert.rejects(fail(), Timeout);
  assert.equal(await ok(), "ok");
  await assert.rejects(fail(), Timeout);
  await assert.rejects(fail(), Timeout);
  // WRONGTYPE and the like: the dependency answered, fast.
  await assert.rejects(fail(new Answered("WRONGTYPE")), Answered);
  await assert.rejects(fail(), Timeout);
  await assert.rejects(fail(), Timeout);
  assert.equal(b.state(), "closed");
});

Deno.test("breaker: after openMs one probe goes through; its success closes the breaker", async () => {
  const { b, clock, events, fail, ok, calls } = breaker();
  for (let i = 0; i < 3; i++) await assert.rejects(fail(), Timeout);
  clock.t += 4999;
  await assert.rejects(ok(), openError);
  clock.t += 1;
  assert.equal(b.state(), "half-open");
  let answer!: (value: string) => void;
  const probe = b.run(() => new Promise<string>((resolve) => answer = resolve));
  // While the probe is out, every other call fails at once.
  await assert.rejects(ok(), openError);
  assert.equal(b.state(), "half-open");
  clock.t += 30;
  answer("pong");
  assert.equal(await probe, "pong");
  assert.equal(b.state(), "closed");
  assert.equal(await ok(), "ok");
  assert.equal(calls(), 4);
  assert.deepEqual(events, ["opened after 3", "closed after 5030 ms"]);
});

Deno.test("breaker: a failed probe opens it again for openMs, logged once as opened", async () => {
  const { b, clock, events, fail, ok } = breaker();
  for (let i = 0; i < 3; i++) await assert.rejects(fail(), Timeout);
  clock.t += 5000;
  await assert.rejects(fail(), Timeout);
  assert.equal(b.state(), "open");
  clock.t += 4999;
  await assert.rejects(ok(), openError);
  clock.t += 1;
  // An answered error is an answer: the probe closes it.
  await assert.rejects(fail(new Answered("NOSCRIPT")), Answered);
  assert.equal(b.state(), "closed");
  assert.deepEqual(events, ["opened after 3", "probe failed", "closed after 10000 ms"]);
});

Deno.test("breaker: calls that were in flight when it opened change nothing after", async () => {
  const { b, clock, events, fail } = breaker();
  const late: Array<(error: Error) => void> = [];
  const inFlight = [1, 2].map(() => b.run(() => new Promise((_, reject) => late.push(reject))));
  for (let i = 0; i < 3; i++) await assert.rejects(fail(), Timeout);
  clock.t += 2000;
  late.forEach((reject) => reject(new Timeout("late")));
  for (const call of inFlight) await assert.rejects(call, Timeout);
  // Still open from the first opening (not pushed back by the late failures).
  clock.t += 3000;
  assert.equal(b.state(), "half-open");
  assert.deepEqual(events, ["opened after 3"]);
});
