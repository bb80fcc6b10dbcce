import assert from "node:assert/strict";
import postgres from "postgres";
import { isDatabaseUnavailable } from "./db.ts";
import { toAppError } from "./http.ts";

/** A server error as postgres.js raises it. */
function serverError(code: string): Error & { code: string } {
  return Object.assign(Object.create(postgres.PostgresError.prototype), {
    name: "PostgresError",
    code,
    message: code,
  });
}
/** A socket or postgres.js connection error (`Error` with a `code`). */
function connectionError(code: string): Error & { code: string } {
  return Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code });
}

Deno.test("a database that cannot be reached or ended the session is a 503 with Retry-After", () => {
  for (
    const error of [
      connectionError("ECONNREFUSED"),
      connectionError("ECONNRESET"),
      connectionError("EPIPE"),
      connectionError("CONNECTION_CLOSED"),
      connectionError("CONNECTION_ENDED"),
      connectionError("CONNECT_TIMEOUT"),
      serverError("57P01"), // admin_shutdown: pg_ctl stop -m fast
      serverError("57P03"), // cannot_connect_now: still starting
      serverError("08006"), // connection_failure
      serverError("53300"), // too_many_connections
    ]
  ) {
    assert.equal(isDatabaseUnavailable(error), true, error.code);
    const mapped = toAppError(error);
    assert.equal(mapped?.status, 503);
    assert.equal(mapped?.code, "service_unavailable");
    assert.ok(mapped?.extra.headers?.["retry-after"]);
  }
});

Deno.test("query errors and everything else are not an outage", () => {
  for (
    const error of [serverError("23505"), serverError("22P02"), serverError("PT404"), new Error("boom"), null]
  ) {
    assert.equal(isDatabaseUnavailable(error), false);
  }
  assert.equal(toAppError(serverError("PT404"))?.status, 404);
  assert.equal(toAppError(new Error("boom")), null);
});
