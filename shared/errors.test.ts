import assert from "node:assert/strict";
import { AppError, errorBody, type ErrorCode, fromSqlState, statusOf } from "./errors.ts";

Deno.test("every error code maps to its HTTP status", () => {
  const expected: Record<ErrorCode, number> = {
    bad_request: 400,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    method_not_allowed: 405,
    conflict: 409,
    payload_too_large: 413,
    unsupported_media_type: 415,
    validation_failed: 422,
    rate_limited: 429,
    internal: 500,
    bad_gateway: 502,
    service_unavailable: 503,
    gateway_timeout: 504,
  };
  for (const [code, status] of Object.entries(expected)) assert.equal(statusOf(code as ErrorCode), status);
});

Deno.test("errorBody has the FastAPI-compatible shape", () => {
  const body = errorBody(new AppError("not_found", "Oferta no encontrada"), "req-1");
  assert.deepEqual(body, { detail: "Oferta no encontrada", code: "not_found", request_id: "req-1" });
});

Deno.test("PTnnn SQLSTATEs map to the HTTP status they name", () => {
  assert.equal(fromSqlState("PT404", "Trabajo no encontrado")?.status, 404);
  assert.equal(fromSqlState("PT400", "Estado inválido")?.detail, "Estado inválido");
  assert.equal(fromSqlState("22P02", "invalid input syntax for type uuid")?.status, 422);
  assert.equal(fromSqlState("23505", "duplicate"), null);
  assert.equal(fromSqlState(undefined, "x"), null);
});
