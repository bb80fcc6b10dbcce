import { RespError, type RespValue } from "../../shared/redis-resp.ts";

/** What the Upstash REST stand-in runs commands on: a real redis-server, or memory. */
export type Command = string[];

export interface Backend {
  run(command: Command): Promise<RespValue>;
  pipeline(commands: Command[]): Promise<RespValue[]>;
  /** Resolves to a RespError when the whole transaction was discarded. */
  multiExec(commands: Command[]): Promise<RespValue[] | RespError>;
  close(): Promise<void>;
}

// Commands that would change per-connection state and so corrupt the pool,
// or that need a streaming response the stand-in does not implement.
const REJECTED = new Set([
  "SELECT",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "MONITOR",
  "QUIT",
  "RESET",
  "HELLO",
  "AUTH",
]);

export function rejectedError(command: Command): RespError | null {
  const name = command[0].toUpperCase();
  return REJECTED.has(name)
    ? new RespError(`ERR '${command[0]}' is not supported by the Upstash REST stand-in`)
    : null;
}
