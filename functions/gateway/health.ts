import type { ServiceName } from "../../shared/function-names.ts";
import { internalRequest, type Upstream } from "./upstreams.ts";

type ServiceHealth = {
  estado: "healthy" | "unhealthy" | "down";
  checks?: unknown;
  error?: string;
  latency_ms: number;
};

/**
 * The original gateway's aggregated health shape, which its clients read:
 * `{gateway, version, servicios: {<name>: {estado}}, estado_general}`.
 */
export async function aggregateHealth(
  upstreams: Record<ServiceName, Upstream>,
  options: { version: string; requestId: string },
) {
  const entries = await Promise.all(
    (Object.entries(upstreams) as [ServiceName, Upstream][]).map(async ([service, upstream]) => {
      return [service, await probe(service, upstream, options.requestId)] as const;
    }),
  );
  const servicios = Object.fromEntries(entries) as Record<string, ServiceHealth>;
  const allHealthy = entries.every(([, h]) => h.estado === "healthy");
  return {
    gateway: "healthy" as const,
    version: options.version,
    servicios,
    estado_general: allHealthy ? "healthy" as const : "degraded" as const,
  };
}

async function probe(service: ServiceName, upstream: Upstream, requestId: string): Promise<ServiceHealth> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const response = await upstream(internalRequest(service, "/health", requestId));
    const body = await response.json().catch(() => null) as { checks?: unknown } | null;
    const estado = response.status === 200
      ? "healthy"
      : response.status >= 502 && !body?.checks
      ? "down"
      : "unhealthy";
    return { estado, checks: body?.checks, latency_ms: latency() };
  } catch (error) {
    return {
      estado: "down",
      error: error instanceof Error ? error.message : "unreachable",
      latency_ms: latency(),
    };
  }
}
