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

/** What Deno.serve tells a handler about the connection. */
const CONNECTION = { remoteAddr: { hostname: "127.0.0.1" } };

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
  const gateway = inProcessGateway(env);
  const { deps } = gateway;
  try {
    const results: InProcessCost[] = [];
    for (const route of routes) {
      const fn = deps.apps![route.service];
      const call = (fetch: (request: Request) => Response | Promise<Response>, path: string) => async () => {
        const request = new Request(`http://127.0.0.1${path}`, { headers: route.headers });
        const response = await fetch(request);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status} in-process`);
      };
      const sides: [() => Promise<void>, () => Promise<void>] = [
        call((request) => fn.fetch(request, CONNECTION), route.functionPath),
        call(gateway.fetch, route.gatewayPath),
      ];
      const cost = await alternatingCpu(sides, options);
      results.push({ functionMicros: cost.base, gatewayMicros: cost.other, extraMicros: cost.extra });
    }
    return results;
  } finally {
    await gateway.close();
  }
}

export type InProcessGateway = ReturnType<typeof inProcessGateway>;

/** The inline gateway built in this process on the run's stack: its handler, as Deno.serve calls it. */
export function inProcessGateway(env: Record<string, string>) {
  const deps = createGatewayDeps({ ...env, LOG_LEVEL: "error" }, () => {});
  const gateway = createApp(deps);
  return {
    deps,
    fetch: (request: Request) => gateway.fetch(request, CONNECTION),
    close: () => deps.close(),
  };
}

/**
 * CPU per call (µs) of two ways of doing the same work, in alternating blocks of `calls` so other
 * load on the shared machine falls on both: each side's median and the median of the differences.
 */
export async function alternatingCpu(
  [base, other]: [() => Promise<void>, () => Promise<void>],
  options: { rounds: number; calls: number; warmup: number },
): Promise<{ base: number; other: number; extra: number }> {
  for (const side of [base, other]) await cpuPerCall(side, options.warmup);
  const blocks: [number, number][] = [];
  for (let r = 0; r < options.rounds; r++) {
    blocks.push([await cpuPerCall(base, options.calls), await cpuPerCall(other, options.calls)]);
  }
  return {
    base: median(blocks.map((b) => b[0])),
    other: median(blocks.map((b) => b[1])),
    extra: median(blocks.map((b) => b[1] - b[0])),
  };
}

/** CPU time of this process (µs) per call of `call`, over `calls` calls in a row. */
async function cpuPerCall(call: () => Promise<void>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / calls;
}
