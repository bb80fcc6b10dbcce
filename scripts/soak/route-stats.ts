import { percentile, round } from "../bench/measure.ts";
import type { TestApi } from "../../tests/support/http-api.ts";

/**
 * Every request of a soak, per route (`POST /api/v1/cliente/ofertas/:id/accept`: ids and numbers
 * in the path become `:id`, the query is dropped): latencies, and each status that was neither a
 * success (2xx, or the checkout's 302) nor one the workload provoked on purpose ("expected").
 */
export type RouteSummary = {
  route: string;
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** Unexpected answers by status (0: no answer at all — the connection failed). */
  errors: Record<string, number>;
  /** Answers the workload asked for on purpose, by status. */
  expected: Record<string, number>;
};

export class RouteStats {
  #routes = new Map<
    string,
    { samples: number[]; errors: Map<number, number>; expected: Map<number, number> }
  >();

  record(route: string, status: number, ms: number, outcome: "ok" | "expected" | "error") {
    let entry = this.#routes.get(route);
    if (!entry) {
      entry = { samples: [], errors: new Map(), expected: new Map() };
      this.#routes.set(route, entry);
    }
    entry.samples.push(ms);
    const counts = outcome === "error" ? entry.errors : outcome === "expected" ? entry.expected : null;
    counts?.set(status, (counts.get(status) ?? 0) + 1);
  }

  get requests(): number {
    return [...this.#routes.values()].reduce((n, r) => n + r.samples.length, 0);
  }

  /** Unexpected answers over every route. */
  get errors(): number {
    return [...this.#routes.values()].reduce((n, r) => n + sum(r.errors.values()), 0);
  }

  get expected(): number {
    return [...this.#routes.values()].reduce((n, r) => n + sum(r.expected.values()), 0);
  }

  summary(): RouteSummary[] {
    return [...this.#routes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([route, r]) => {
      const sorted = [...r.samples].sort((a, b) => a - b);
      return {
        route,
        count: sorted.length,
        p50_ms: round(percentile(sorted, 0.5), 1),
        p95_ms: round(percentile(sorted, 0.95), 1),
        p99_ms: round(percentile(sorted, 0.99), 1),
        errors: Object.fromEntries(r.errors),
        expected: Object.fromEntries(r.expected),
      };
    });
  }
}

/** `GET /api/v1/public/professional/3f…?x=1` → `GET /api/v1/public/professional/:id`. */
export function routeOf(method: string, path: string): string {
  const bare = path.split("?")[0].replace(/\/+$/, "") || "/";
  const normalised = bare.split("/").map((segment) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || /^\d+$/.test(segment)
      ? ":id"
      : segment
  ).join("/");
  return `${method.toUpperCase()} ${normalised}`;
}

/**
 * `api` with every request recorded in `stats` (the time until the body is read, for `json`;
 * until the headers, for `fetch`). Statuses in `expected` are answers asked for on purpose.
 */
export function recordingApi(
  api: TestApi,
  stats: RouteStats,
  options: { expected?: number[] } = {},
): TestApi {
  const outcome = (status: number) =>
    options.expected?.includes(status) ? "expected" : status >= 200 && status < 400 ? "ok" : "error";
  const timed = async <T extends { status: number }>(route: string, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const answer = await call();
      stats.record(route, answer.status, performance.now() - started, outcome(answer.status));
      return answer;
    } catch (error) {
      stats.record(route, 0, performance.now() - started, "error");
      throw error;
    }
  };
  return {
    url: api.url,
    fetch: (path, init) => timed(routeOf(init?.method ?? "GET", path), () => api.fetch(path, init)),
    json: (method, path, options) => timed(routeOf(method, path), () => api.json(method, path, options)),
  };
}

function sum(counts: Iterable<number>): number {
  let total = 0;
  for (const c of counts) total += c;
  return total;
}
