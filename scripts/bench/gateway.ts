import postgres from "postgres";
import { signTestToken } from "../../tests/support/tokens.ts";
import { inProcessCost, type InProcessRoute } from "./gateway-in-process.ts";
import { alternate, formatMeasurement, median, round } from "./measure.ts";
import { type FunctionProcess, startFunctionProcess } from "./processes.ts";
import type { BenchContext, Benchmark } from "./types.ts";

/** A URL to load and the processes that serve it (their CPU time is what it costs). */
type Target = { label: string; url: string; headers?: Record<string, string>; servers: FunctionProcess[] };

/**
 * The cost of the gateway, on two routes: a trivial one (auth's JWKS document: no database, no
 * Redis) and a real one (`GET /users/me`: token, session check, a database read). Each is served by
 * the function alone, by the gateway with every function inline, and by the gateway proxying over
 * HTTP to the function; each server runs in its own process and the load comes from this one, 16
 * requests in flight. The three are measured in alternating rounds, so a burst of noise on this
 * shared machine lands on all of them, and the ratios are the medians of the rounds' ratios.
 * Throughput on a shared 2-core machine is noisy, so each round also reads the CPU time the
 * serving processes spent, and the same routes are timed in-process (no HTTP): together they say
 * what inline mode adds per request, which bounds its throughput ratio.
 */
export const gatewayBenchmark: Benchmark = {
  name: "gateway",
  async run(ctx) {
    // Many short rounds: one of 2000 requests lasts 0.2–1 s, and with 5 of them the median ratio
    // still swung 0.79–1.05 between runs (rounds 0.73–1.43) on this shared machine.
    const rounds = ctx.quick ? 2 : 15;
    const perRound = ctx.quick ? 300 : 2000;
    const auth = await startFunctionProcess(ctx.root, "auth", ctx.env);
    const users = await startFunctionProcess(ctx.root, "users", ctx.env);
    const inline = await startFunctionProcess(ctx.root, "gateway", ctx.env);
    // One proxy gateway per function: FUNCTIONS_BASE_URL points at a single host.
    const proxyAuth = await startFunctionProcess(ctx.root, "gateway", {
      ...ctx.env,
      GATEWAY_MODE: "proxy",
      FUNCTIONS_BASE_URL: auth.url,
    });
    const proxyUsers = await startFunctionProcess(ctx.root, "gateway", {
      ...ctx.env,
      GATEWAY_MODE: "proxy",
      FUNCTIONS_BASE_URL: users.url,
    });
    try {
      const bearer = { authorization: `Bearer ${await benchUserToken(ctx)}` };
      const routes: { name: string; targets: Target[]; inProcess: InProcessRoute }[] = [
        {
          name: "a trivial route (JWKS)",
          targets: [
            { label: "function alone", url: `${auth.url}/auth/auth/.well-known/jwks.json`, servers: [auth] },
            {
              label: "gateway, inline",
              url: `${inline.url}/api/v1/auth/.well-known/jwks.json`,
              servers: [inline],
            },
            {
              label: "gateway, proxy",
              url: `${proxyAuth.url}/api/v1/auth/.well-known/jwks.json`,
              servers: [proxyAuth, auth],
            },
          ],
          inProcess: {
            service: "auth",
            functionPath: "/auth/auth/.well-known/jwks.json",
            gatewayPath: "/api/v1/auth/.well-known/jwks.json",
          },
        },
        {
          name: "a database route (GET /users/me)",
          targets: [
            {
              label: "function alone",
              url: `${users.url}/users/users/me`,
              headers: bearer,
              servers: [users],
            },
            {
              label: "gateway, inline",
              url: `${inline.url}/api/v1/users/me`,
              headers: bearer,
              servers: [inline],
            },
            {
              label: "gateway, proxy",
              url: `${proxyUsers.url}/api/v1/users/me`,
              headers: bearer,
              servers: [proxyUsers, users],
            },
          ],
          inProcess: {
            service: "users",
            functionPath: "/users/users/me",
            gatewayPath: "/api/v1/users/me",
            headers: bearer,
          },
        },
      ];
      const inProcess = await inProcessCost(ctx.env, routes.map((r) => r.inProcess), {
        rounds: ctx.quick ? 10 : 20,
        calls: ctx.quick ? 100 : 300,
        warmup: 1000,
      });
      const lines: string[] = [];
      for (const [index, route] of routes.entries()) {
        // Per round and target: µs of CPU its serving processes spent per request.
        const cpu: number[][] = route.targets.map(() => []);
        const result = await alternate(route.targets.map(hit), {
          rounds,
          perRound,
          concurrency: 16,
          // Until the JIT has settled: the gateway runs two apps' code on every request and settles
          // later than the function alone (at 100 it still spent ~130 µs more per request).
          warmup: ctx.quick ? 1000 : 2000,
          turn: async (k, run) => {
            const before = await serversCpu(route.targets[k]);
            const measurement = await run();
            cpu[k].push((await serversCpu(route.targets[k]) - before) / measurement.count);
            return measurement;
          },
        });
        const [direct, viaInline, viaProxy] = result.total;
        ctx.figure({
          kind: "latency",
          title: `${route.name}, 16 in flight: the function alone vs through the gateway`,
          unit: "ms",
          series: Object.fromEntries(route.targets.map((t, i) => [t.label, result.total[i].samples])),
        });
        const inlineRatio = median(result.rounds.map((r) => r[1].per_second / r[0].per_second));
        const proxyRatio = median(result.rounds.map((r) => r[2].per_second / r[0].per_second));
        ctx.figure({
          kind: "ratio",
          title: `${route.name}: inline throughput ÷ the function alone's`,
          value: round(inlineRatio, 2),
          floor: 1,
          goal: 0.95,
          better: "higher",
        });
        ctx.figure({
          kind: "ratio",
          title: `${route.name}: proxy throughput ÷ the function alone's`,
          value: round(proxyRatio, 2),
          floor: 1,
          better: "higher",
        });
        const [cpuDirect, cpuInline, cpuProxy] = cpu.map((rounds) => median(rounds));
        const cpuExtra = median(cpu[1].map((c, r) => c - cpu[0][r]));
        const own = inProcess[index];
        lines.push(
          `${route.name}:`,
          `  ${formatMeasurement("function alone (HTTP)", direct)}`,
          `  ${formatMeasurement("gateway, inline mode (HTTP → in-process)", viaInline)}`,
          `  ${formatMeasurement("gateway, proxy mode (HTTP → HTTP)", viaProxy)}`,
          `  throughput inline/direct: ${round(inlineRatio, 2)} (goal ≥ 0.95: ${
            inlineRatio >= 0.95 ? "met" : "not met"
          }; rounds ${result.rounds.map((r) => round(r[1].per_second / r[0].per_second, 2)).join(", ")})` +
            `   proxy/direct: ${round(proxyRatio, 2)}`,
          `  p50 inline/direct: ${round(viaInline.p50_ms / direct.p50_ms, 2)}` +
            `   proxy/direct: ${round(viaProxy.p50_ms / direct.p50_ms, 2)}`,
          `  server CPU per request (median of rounds): function alone ${
            micros(cpuDirect)
          }, gateway inline ` +
            `${micros(cpuInline)} (${signed(cpuExtra)}), proxy ${micros(cpuProxy)} (gateway + function)`,
          `  in-process, no HTTP (CPU per call): the function's app ${
            micros(own.functionMicros)
          }, the inline ` +
            `gateway's ${micros(own.gatewayMicros)} (${signed(own.extraMicros)})`,
          `  bound: where the serving CPU limits throughput, inline gets ≈ ${
            round(cpuDirect / cpuInline, 2)
          } of the function's (its CPU ÷ the gateway's); inline mode adds the in-process difference: the ` +
            `route table and the function app's own dispatch, with the middleware the gateway already ran skipped`,
        );
      }
      return lines;
    } finally {
      await Promise.all([auth, users, inline, proxyAuth, proxyUsers].map((p) => p.stop()));
    }
  },
};

async function serversCpu(target: Target): Promise<number> {
  const each = await Promise.all(target.servers.map((server) => server.cpuMicros()));
  return each.reduce((sum, micros) => sum + micros, 0);
}

const micros = (value: number) => Number.isNaN(value) ? "n/a" : `${Math.round(value)} µs`;
const signed = (value: number) =>
  Number.isNaN(value) ? "n/a" : `${value >= 0 ? "+" : "−"}${micros(Math.abs(value))}`;

function hit(target: Target) {
  return async () => {
    const response = await fetch(target.url, { headers: target.headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${target.url} answered ${response.status}`);
  };
}

/** A client account made in SQL (no password hash to wait for) and a token for it. */
async function benchUserToken(ctx: BenchContext): Promise<string> {
  const sql = postgres(ctx.env.DATABASE_URL, { prepare: false, max: 1, onnotice: () => {} });
  try {
    const [user] = await sql<{ id: string; email: string }[]>`
      select id, email from public.create_usuario(
        ${`bench-gateway-${crypto.randomUUID()}@example.com`}, 'Bench', 'Gateway', 'CLIENTE')`;
    return await signTestToken({ sub: user.id, rol: "CLIENTE", email: user.email }, { expiresIn: "1h" });
  } finally {
    await sql.end();
  }
}
