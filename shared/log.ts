/**
 * JSON-lines logger: `{ts, level, fn, msg, ...fields}` on stdout, one object per line, so
 * Supabase's log explorer (and `jq`) can filter by any field. Never pass secrets or tokens.
 *
 * @example
 * const log = createLogger("auth", "info");
 * log.info("user registered", { request_id, user_id });
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = typeof LOG_LEVELS[number];
export type LogFields = Record<string, unknown>;
export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
};
/** Where a logger writes each line it keeps; `level` is the line's, for sinks that filter again. */
export type LogSink = (line: string, level: LogLevel) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Whether a line at `level` passes a `min` threshold. */
export function atLeast(level: LogLevel, min: LogLevel): boolean {
  return RANK[level] >= RANK[min];
}

export function createLogger(
  fn: string,
  minLevel: LogLevel,
  sink: LogSink = (line) => console.log(line),
): Logger {
  const write = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (!atLeast(level, minLevel)) return;
    sink(JSON.stringify({ ts: new Date().toISOString(), level, fn, msg, ...fields }), level);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** Error details for a log line (never for a response body). */
export function describeError(error: unknown): LogFields {
  if (error instanceof Error) {
    return { error: error.message, error_name: error.name, stack: error.stack };
  }
  return { error: String(error) };
}
