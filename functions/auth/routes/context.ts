import type { Context } from "hono";
import { type AppEnv, forwardedFor } from "../../../shared/http.ts";
import { clientIp } from "../client-ip.ts";
import type { AuthDeps } from "../deps.ts";
import type { ClientMeta } from "../login.ts";

/** Who is calling from where, for rate limits and the session record. */
export function clientMeta(c: Context<AppEnv>, deps: AuthDeps): ClientMeta {
  const hops = deps.platform.config.TRUSTED_PROXY_HOPS;
  return {
    ip: clientIp(forwardedFor(c), c.env?.remoteAddr?.hostname, hops),
    userAgent: c.req.header("user-agent"),
  };
}

/** Token responses must not be cached by anything in between (RFC 6749 §5.1). */
export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;
