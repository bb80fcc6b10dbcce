import process from "node:process";
import { createApp } from "../../functions/gateway/app.ts";
import { createGatewayDeps } from "../../functions/gateway/wiring.ts";
import type { ServiceName } from "../../shared/function-names.ts";
import { median } from "./measure.ts";

/** One route as the function serves it (`/<fn>/…`) and as the gateway does (its public path). */
export type InProcessRoute = {
  service: ServiceName;
  functionPath: string;
  gatewayPath: string;
  headers?: Record<string, string>;
};

export type InProcessCost = { functionMicros: number; gatewayMicros: number; extraMicros: number };

/**
 * The gateway's cost without HTTP: the inline gateway and the function's own app (the same app,
 * called without the `inline` binding: its full stack, as when served alone) built in this process
 * on the run's stack and given the same request. CPU time of this process per call, so other load
 * on the shared machine hardly counts; blocks of calls alternate, medians of the blocks.
 */
export async function inProcessCost(
  env: Record<string, string>,
  routes: InProcessRoute[],
  options: { rounds: number; calls: number; warmup: number },
): Promise<InProcessCost[]> {
  const deps = createGatewayDeps({ ...env, LOG_LEVEL: "error" }, () => {});
  try {
    const gateway = createApp(deps);
    // What Deno.serve tells a handler about the connection.
    const connection = { remoteAddr: { hostname: "127.0.0.1" } };
    const results: InProcessCost[] = [];
    for (const route of routes) {
      const fn = deps.apps![route.service];
      const call = (app: typeof fn, path: string) => async () => {
        const request = new Request(`http://127.0.0.1${path}`, { headers: route.headers });
        const response = await app.fetch(request, connection);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status} in-process`);
      };
      const sides = [call(fn, route.functionPath), call(gateway, route.gatewayPath)];
      for (const side of sides) await cpuPerCall(side, options.warmup);
      const blocks: [number, number][] = [];
      for (let r = 0; r < options.rounds; r++) {
        blocks.push([await cpuPerCall(sides[0], options.calls), await cpuPerCall(sides[1], options.calls)]);
      }
      results.push({
        functionMicros: median(blocks.map((b) => b[0])),
        gatewayMicros: median(blocks.map((b) => b[1])),
        extraMicros: median(blocks.map((b) => b[1] - b[0])),
      });
    }
    return results;
  } finally {
    await deps.close();
  }
}

async function cpuPerCall(call: () => Promise<void>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / calls;
}
