/** What the Upstash REST stand-in runs commands on: a real redis-server (see upstash-redis-real.ts). */
export type Command = string[];

/** A Redis error reply (`-ERR …`): answered as `{"error": …}`, so it is returned, not thrown. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyError";
  }
}

/** A RESP2 reply as the REST API shows it; errors may sit inside arrays (EXEC, Lua tables). */
export type Reply = string | number | null | ReplyError | Reply[];

export interface Backend {
  run(command: Command): Promise<Reply>;
  pipeline(commands: Command[]): Promise<Reply[]>;
  /** Resolves to a ReplyError when the whole transaction was discarded. */
  multiExec(commands: Command[]): Promise<Reply[] | ReplyError>;
  close(): Promise<void>;
}

// Commands that would change the state of the connection every request shares,
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

export function rejectedError(command: Command): ReplyError | null {
  const name = command[0].toUpperCase();
  return REJECTED.has(name)
    ? new ReplyError(`ERR '${command[0]}' is not supported by the Upstash REST stand-in`)
    : null;
}
