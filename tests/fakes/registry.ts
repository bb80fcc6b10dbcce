import { EMAIL_SINK_STAND_IN } from "./email-sink.ts";
import { FCM_STAND_IN } from "./fcm.ts";
import { FIRESTORE_STAND_IN } from "./firestore.ts";
import { MERCADOPAGO_STAND_IN } from "./mercadopago.ts";
import { QSTASH_STAND_IN } from "./qstash.ts";
import { SUPABASE_STORAGE_STAND_IN } from "./supabase-storage.ts";
import { startUpstashRedisStandIn } from "./upstash-redis.ts";

/**
 * Local stand-ins for the SaaS the functions call. Each speaks the real service's HTTP protocol
 * and answers with the variables that point the functions at it; production code only ever sees
 * different base URLs and keys. Later features add theirs here (QStash, Storage, MercadoPago, FCM,
 * e-mail), and both the local stack and the tests pick them up.
 */
export type StandInContext = {
  /** redis://… of the project's redis-server (the stack stops when there is none). */
  redisUrl: string;
  /** Redis logical database for this stack (the dev stack and test runs keep apart). */
  redisDb: number;
  /** Fixed ports for the dev stack; 0 (ephemeral) for test runs. */
  fixedPorts: boolean;
  /** Project-local folder for anything a stand-in keeps on disk. */
  dataDir: string;
  log: (msg: string) => void;
};

export type RunningStandIn = { env: Record<string, string>; stop: () => Promise<void> };
export type StandIn = { name: string; start(ctx: StandInContext): Promise<RunningStandIn> };

export const STAND_INS: StandIn[] = [
  {
    name: "Upstash Redis REST",
    async start(ctx) {
      const token = "local-upstash-token";
      const server = await startUpstashRedisStandIn({
        redisUrl: ctx.redisUrl,
        token,
        port: ctx.fixedPorts ? 8079 : 0,
        db: ctx.redisDb,
      });
      return {
        env: { UPSTASH_REDIS_REST_URL: server.url, UPSTASH_REDIS_REST_TOKEN: server.token },
        stop: server.stop,
      };
    },
  },
  SUPABASE_STORAGE_STAND_IN,
  QSTASH_STAND_IN,
  FCM_STAND_IN,
  EMAIL_SINK_STAND_IN,
  MERCADOPAGO_STAND_IN,
  FIRESTORE_STAND_IN,
];
