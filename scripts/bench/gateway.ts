import { formatMeasurement, measure, round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { Benchmark } from "./types.ts";

/**
 * The cost of the gateway on a trivial route (auth's JWKS document: no database, no Redis):
 * the auth function alone vs the gateway with every function inline vs the gateway proxying
 * over HTTP to the separately running auth function. Each server runs in its own process; the
 * load comes from this one, with 16 requests in flight.
 */
export const gatewayBenchmark: Benchmark = {
  name: "gateway",
  async run(ctx) {
    const iterations = ctx.quick ? 500 : 5000;
    const auth = await startFunctionProcess(ctx.root, "auth", ctx.env);
    const inline = await startFunctionProcess(ctx.root, "gateway", ctx.env);
    const proxy = await startFunctionProcess(ctx.root, "gateway", {
      ...ctx.env,
      GATEWAY_MODE: "proxy",
      FUNCTIONS_BASE_URL: auth.url,
    });
    try {
      const hit = (url: string) => async () => {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status >= 500) throw new Error(`${url} answered ${response.status}`);
      };
      const options = { iterations, concurrency: 16, warmup: 200 };
      const direct = await measure(hit(`${auth.url}/auth/auth/.well-known/jwks.json`), options);
      const viaInline = await measure(hit(`${inline.url}/api/v1/auth/.well-known/jwks.json`), options);
      const viaProxy = await measure(hit(`${proxy.url}/api/v1/auth/.well-known/jwks.json`), options);
      ctx.figure({
        kind: "latency",
        title: "A trivial route (JWKS), 16 in flight: the function alone vs through the gateway",
        unit: "ms",
        series: {
          "auth function called directly": direct.samples,
          "gateway, inline mode": viaInline.samples,
          "gateway, proxy mode": viaProxy.samples,
        },
      });
      for (const [mode, m] of [["inline", viaInline], ["proxy", viaProxy]] as const) {
        // Both as costs against the function alone, whose figures are the floor (1).
        ctx.figure({
          kind: "ratio",
          title: `${mode}: p50 ÷ direct p50`,
          value: round(m.p50_ms / direct.p50_ms, 2),
          floor: 1,
          better: "lower",
        });
        ctx.figure({
          kind: "ratio",
          title: `${mode}: direct throughput ÷ ${mode}'s`,
          value: round(direct.per_second / m.per_second, 2),
          floor: 1,
          better: "lower",
        });
      }
      return [
        formatMeasurement("auth function called directly (HTTP)", direct),
        formatMeasurement("gateway, inline mode (HTTP → in-process)", viaInline),
        formatMeasurement("gateway, proxy mode (HTTP → HTTP)", viaProxy),
        `throughput ratio inline/direct: ${round(viaInline.per_second / direct.per_second, 2)}` +
        `   proxy/direct: ${round(viaProxy.per_second / direct.per_second, 2)}` +
        `   inline/proxy: ${round(viaInline.per_second / viaProxy.per_second, 2)}`,
        `p50 latency ratio inline/direct: ${round(viaInline.p50_ms / direct.p50_ms, 2)}` +
        `   proxy/direct: ${round(viaProxy.p50_ms / direct.p50_ms, 2)}`,
      ];
    } finally {
      await Promise.all([auth.stop(), inline.stop(), proxy.stop()]);
    }
  },
};
