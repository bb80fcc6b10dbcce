/**
 * The one error type handlers throw. `onError` turns it into the FastAPI-compatible body the
 * existing clients parse: `{detail, code, request_id}` (+ `errors` for validation).
 *
 * @example
 * throw new AppError("not_found", "Oferta no encontrada");
 */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "internal"
  | "bad_gateway"
  | "service_unavailable"
  | "gateway_timeout";

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504;

export function statusOf(code: ErrorCode): ErrorStatus {
  switch (code) {
    case "bad_request":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "method_not_allowed":
      return 405;
    case "conflict":
      return 409;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    case "validation_failed":
      return 422;
    case "rate_limited":
      return 429;
    case "internal":
      return 500;
    case "bad_gateway":
      return 502;
    case "service_unavailable":
      return 503;
    case "gateway_timeout":
      return 504;
  }
}

/** One problem found by validation, in FastAPI's shape. */
export type FieldError = { loc: (string | number)[]; msg: string; type: string };

export class AppError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "AppError";
    this.status = statusOf(code);
  }
}

/** What goes on the wire for an error; `request_id` lets support find the log line. */
export type ErrorBody = {
  detail: string;
  code: ErrorCode;
  request_id: string;
  errors?: FieldError[];
};

export function errorBody(error: AppError, requestId: string): ErrorBody {
  const body: ErrorBody = { detail: error.detail, code: error.code, request_id: requestId };
  if (error.extra.errors) body.errors = error.extra.errors;
  return body;
}

/**
 * SQL functions raise `PTnnn` SQLSTATEs (PostgREST's convention) so that a rule enforced in the
 * database maps to an HTTP status without parsing message text.
 */
export function fromSqlState(sqlState: string | undefined, message: string): AppError | null {
  if (!sqlState) return null;
  const match = /^PT(\d{3})$/.exec(sqlState);
  if (match) {
    const status = Number(match[1]);
    const code = CODE_BY_STATUS.get(status);
    if (code) return new AppError(code, message);
  }
  // 22P02: a malformed uuid/number reached SQL; the contract wants a 4xx, never 500.
  if (sqlState === "22P02") return new AppError("validation_failed", "Identificador inválido");
  // 22003: a number the request sent is out of its column's range (a page 10^18, say).
  if (sqlState === "22003") return new AppError("validation_failed", "Número fuera de rango");
  return null;
}

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  ([
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "payload_too_large",
    "validation_failed",
    "rate_limited",
  ] as const).map((code) => [statusOf(code), code]),
);
