import { createHash } from "node:crypto";
import type { Command, Reply } from "./upstash-redis-backend.ts";

// Script flags Redis 7 understands; any other flag makes Redis refuse the script.
const REDIS_SCRIPT_FLAGS = new Set([
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
]);

/** Drops Upstash-only shebang flags (e.g. `allow-key-locking`) that Redis rejects. */
function adaptScript(script: string): string {
  const match = script.match(/^#!lua[ \t]+flags=(\S*)/);
  if (!match) return script;
  const kept = match[1].split(",").filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
  const shebang = kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "#!lua";
  return shebang + script.slice(match[0].length);
}

function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

export type Translated = { sent: Command; fix: (reply: Reply) => Reply };

/**
 * Rewrites scripts for Redis while keeping the client's view of SHA1s: the
 * client computes the SHA1 of the script *it* sent, so EVALSHA with that hash
 * is mapped to the hash of the rewritten script Redis actually cached.
 */
export function scriptTranslator(): (command: Command) => Translated {
  const shaOf = new Map<string, string>(); // client SHA1 -> SHA1 known to Redis
  const keep = (reply: Reply) => reply;

  return function translate(command) {
    const [name, first = "", ...rest] = command;
    const upper = name.toUpperCase();
    if (upper === "EVAL" || upper === "EVAL_RO") {
      const script = adaptScript(first);
      if (script === first) return { sent: command, fix: keep };
      shaOf.set(sha1(first), sha1(script));
      return { sent: [name, script, ...rest], fix: keep };
    }
    if (upper === "EVALSHA" || upper === "EVALSHA_RO") {
      const mapped = shaOf.get(first.toLowerCase());
      return { sent: mapped ? [name, mapped, ...rest] : command, fix: keep };
    }
    if (upper === "SCRIPT" && first.toUpperCase() === "LOAD" && rest.length === 1) {
      const script = adaptScript(rest[0]);
      if (script === rest[0]) return { sent: command, fix: keep };
      const clientSha = sha1(rest[0]);
      shaOf.set(clientSha, sha1(script));
      return {
        sent: [name, first, script],
        fix: (reply) => (typeof reply === "string" ? clientSha : reply),
      };
    }
    return { sent: command, fix: keep };
  };
}
