import type { Redis } from "@upstash/redis";
import { createTokenVerifier, requireUser, type TokenVerifier } from "./auth.ts";
import { type Access, guard, type ServiceApp } from "./route.ts";
import type { PlatformConfig } from "./config.ts";
import type { FunctionName } from "./function-names.ts";
import { createDb, type Db } from "./db.ts";
import { createFunctionApp } from "./http.ts";
import type { JsonWebKeySet } from "./jwt-keys.ts";
import { createLogger, type Logger, type LogSink } from "./log.ts";
import { createRedisClient } from "./redis-breaker.ts";
import { createRelay, type Relay } from "./relay.ts";
import { createSessionRegistry, sessionInDatabase, type SessionRegistry } from "./sessions.ts";
import { createStorage, type Storage } from "./storage.ts";

/**
 * What every function is built from: config, logger, database, Redis, token verification.
 * Created once per process by `functions/<name>/index.ts` (or by tests) and handed to `createApp`.
 *
 * @example
 * const platform = createPlatform(loadConfig(Deno.env.toObject(), USERS_SETTINGS), "users");
 * Deno.serve(createApp(platform).fetch);
 */
export type Platform<C extends PlatformConfig = PlatformConfig> = {
  readonly fn: FunctionName;
  /** The platform's settings and the function's own (`functions/<fn>/config.ts`). */
  readonly config: C;
  readonly log: Logger;
  readonly db: Db;
  readonly redis: Redis;
  readonly verifyToken: TokenVerifier;
  readonly sessions: SessionRegistry;
  /** Supabase Storage (avatars, portfolio, kyc); supabase-js loads on first use. */
  readonly storage: Storage;
  /** Route guard: signed-in user with a live session (sets `c.var.user`). */
  readonly auth: ReturnType<typeof requireUser>;
  /** Spread into a route definition: the guard (token, then role) and its OpenAPI security. */
  access(who: Access): ReturnType<typeof guard>;
  /** Outbox → QStash; events a transaction emitted are published right after it commits. */
  readonly relay: Relay;
  /** Where log lines go (stdout unless injected); functions sharing this platform log there too. */
  readonly logSink?: LogSink;
  /**
   * Background work of a function's own (the notifications' after-commit e-mails and pushes) that
   * `close` lets finish before the connections go, as it does the relay's publishes.
   */
  drainOnClose(drain: () => Promise<void>): void;
  close(): Promise<void>;
};

export function createPlatform<C extends PlatformConfig>(
  config: C,
  fn: FunctionName,
  logSink?: LogSink,
): Platform<C> {
  const log = createLogger(fn, config.LOG_LEVEL, logSink);
  const db = createDb(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    appName: fn,
    // Only ever called after a commit, so long after `relay` below exists.
    onEventsCommitted: (ids) => relay.publishSoon(ids),
  });
  const relay: Relay = createRelay({ config, log, sql: db.sql });
  const drains = new Set<() => Promise<void>>();
  // An Upstash that does not answer fails fast (and, while it keeps not answering, at once), and each
  // use of Redis decides what then (README, "When a dependency fails").
  const redis = createRedisClient(
    { url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN },
    log,
  );
  const verifyToken = createTokenVerifier({
    jwks: config.JWT_PUBLIC_JWKS as JsonWebKeySet,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeSeconds: config.JWT_ACCESS_TTL_MINUTES * 60,
  });
  const sessions = createSessionRegistry(redis, { fallback: sessionInDatabase(db.sql), log });
  const auth = requireUser(verifyToken, sessions.isLive);
  const storage = createStorage({
    url: config.SUPABASE_URL,
    serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
  });
  return {
    fn,
    config,
    log,
    db,
    redis,
    verifyToken,
    sessions,
    storage,
    auth,
    access: (who) => guard(auth, who),
    relay,
    logSink,
    drainOnClose: (drain) => void drains.add(drain),
    close: async () => {
      // Background work may commit events of its own: the relay's drain goes last.
      await Promise.allSettled([...drains].map((drain) => drain()));
      await relay.drain();
      await db.close();
    },
  };
}

/** Health probes shared by every function. */
export function platformChecks(platform: Platform) {
  return {
    db: () => platform.db.ping(),
    redis: async () => {
      if ((await platform.redis.ping()) !== "PONG") throw new Error("unexpected PING reply");
    },
  };
}

/**
 * The same connections under another function's name (its own log `fn`). The gateway's inline
 * mode runs every function in one process on one pool.
 */
export function forFunction<C extends PlatformConfig>(platform: Platform<C>, fn: FunctionName): Platform<C> {
  return { ...platform, fn, log: createLogger(fn, platform.config.LOG_LEVEL, platform.logSink) };
}

/**
 * A service function's app: the shared HTTP stack under `/<fn>`, health probes of its own
 * dependencies, and its OpenAPI document built from its route definitions.
 *
 * @example
 * const app = createServiceApp(platform);
 * app.openapi(createRoute({ method: "get", path: "/users/me", ...platform.access("signed-in"), ... }), handler);
 */
export function createServiceApp(platform: Platform): ServiceApp {
  return createFunctionApp({
    name: platform.fn,
    version: platform.config.APP_VERSION,
    log: platform.log,
    corsOrigins: platform.config.CORS_ORIGINS,
    checks: platformChecks(platform),
    bodyLimit: { bytes: platform.config.HTTP_BODY_MAX_BYTES },
  });
}
