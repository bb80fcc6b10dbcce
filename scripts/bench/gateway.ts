import postgres from "postgres";
import { signTestToken } from "../../tests/support/tokens.ts";
import { alternate, formatMeasurement, median, round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { BenchContext, Benchmark } from "./types.ts";

type Target = { label: string; url: string; headers?: Record<string, string> };

/**
 * The cost of the gateway, on two routes: a trivial one (auth's JWKS document: no database, no
 * Redis) and a real one (`GET /users/me`: token, session check, a database read). Each is served by
 * the function alone, by the gateway with every function inline, and by the gateway proxying over
 * HTTP to the function; each server runs in its own process and the load comes from this one, 16
 * requests in flight. The three are measured in alternating rounds, so a burst of noise on this
 * shared machine lands on all of them, and the ratios are the medians of the rounds' ratios.
 */
export const gatewayBenchmark: Benchmark = {
  name: "gateway",
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 5;
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
      const routes: { name: string; targets: Target[] }[] = [
        {
          name: "a trivial route (JWKS)",
          targets: [
            { label: "function alone", url: `${auth.url}/auth/auth/.well-known/jwks.json` },
            { label: "gateway, inline", url: `${inline.url}/api/v1/auth/.well-known/jwks.json` },
            { label: "gateway, proxy", url: `${proxyAuth.url}/api/v1/auth/.well-known/jwks.json` },
          ],
        },
        {
          name: "a database route (GET /users/me)",
          targets: [
            { label: "function alone", url: `${users.url}/users/users/me`, headers: bearer },
            { label: "gateway, inline", url: `${inline.url}/api/v1/users/me`, headers: bearer },
            { label: "gateway, proxy", url: `${proxyUsers.url}/api/v1/users/me`, headers: bearer },
          ],
        },
      ];
      const lines: string[] = [];
      for (const route of routes) {
        const result = await alternate(route.targets.map(hit), {
          rounds,
          perRound,
          concurrency: 16,
          warmup: 100,
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
        );
      }
      return lines;
    } finally {
      await Promise.all([auth, users, inline, proxyAuth, proxyUsers].map((p) => p.stop()));
    }
  },
};

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
