import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { toAppError } from "./mercadopago-errors.ts";

// Shaped like the SDK's errors (utils/errors): class name, `status`, `error`, `__cause__`.
function sdkError(name: string, status: number, error = "", cause?: Error): Error {
  return Object.assign(new Error("from MercadoPago"), { name, status, error, causes: [], __cause__: cause });
}

const cases: { name: string; error: Error; code: AppError["code"]; detail: RegExp }[] = [
  {
    name: "connection refused",
    error: sdkError("MPConnectionError", 0, "connection_error", new TypeError("error sending request")),
    code: "service_unavailable",
    detail: /no está disponible/,
  },
  {
    name: "timeout",
    error: sdkError("MPConnectionError", 0, "connection_error", new DOMException("aborted", "AbortError")),
    code: "service_unavailable",
    detail: /no respondió a tiempo/,
  },
  { name: "503", error: sdkError("MPServerError", 503), code: "service_unavailable", detail: /\(503\)/ },
  { name: "429", error: sdkError("MPRateLimitError", 429), code: "service_unavailable", detail: /\(429\)/ },
  {
    name: "404",
    error: sdkError("MPNotFoundError", 404, "not_found"),
    code: "not_found",
    detail: /no lo encontró/,
  },
  { name: "409", error: sdkError("MPIdempotencyError", 409, "idem"), code: "conflict", detail: /\(idem\)/ },
  { name: "401", error: sdkError("MPAuthenticationError", 401), code: "bad_gateway", detail: /credenciales/ },
  {
    name: "400",
    error: sdkError("MPBadRequestError", 400, "bad_request"),
    code: "bad_request",
    detail: /rechazó la solicitud \(bad_request\)/,
  },
];

for (const { name, error, code, detail } of cases) {
  Deno.test(`toAppError maps an SDK ${name} to ${code}`, () => {
    const mapped = toAppError(error, 'consultar el pago "1"');
    assert.ok(mapped instanceof AppError);
    assert.equal(mapped.code, code);
    assert.match(mapped.detail, /^No se pudo consultar el pago "1": MercadoPago /);
    assert.match(mapped.detail, detail);
    assert.equal(mapped.cause, error);
  });
}

Deno.test("toAppError leaves errors that are not the SDK's alone", () => {
  const bug = new TypeError("Cannot read properties of undefined");
  assert.equal(toAppError(bug, "x"), bug);
});
