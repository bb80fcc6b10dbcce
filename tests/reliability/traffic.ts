import type { TestApi } from "../support/http-api.ts";

/**
 * Requests kept in flight while a fault is injected: `workers` loops, each calling the next of
 * `requests` as soon as its previous answer arrived, every answer recorded with when it came.
 *
 * @example
 * const traffic = startTraffic(gw, [(gw) => gw.json("GET", "/api/v1/users/me", { token })], 4);
 * …inject the fault, recover…
 * const answers = await traffic.stop();
 */
export type Answer = {
  /** performance.now() when the answer (or the network error) came. */
  at: number;
  what: string;
  status: number | "network error";
  /** The error body's `code` and its Retry-After, when it was an error. */
  code?: string;
  retryAfter?: string | null;
  /** What a 2xx answer carried (e.g. the id a write created). */
  // deno-lint-ignore no-explicit-any
  body?: any;
};
export type Request = {
  what: string;
  // deno-lint-ignore no-explicit-any
  send(gw: TestApi): Promise<{ status: number; headers: Headers; body: any }>;
};
export type Traffic = {
  /** Answers so far (live: the array grows while traffic runs). */
  readonly answers: Answer[];
  stop(): Promise<Answer[]>;
};

export function startTraffic(gw: TestApi, requests: Request[], workers: number): Traffic {
  const answers: Answer[] = [];
  let running = true;
  let next = 0;
  const worker = async () => {
    while (running) {
      const request = requests[next++ % requests.length];
      try {
        const res = await request.send(gw);
        answers.push({
          at: performance.now(),
          what: request.what,
          status: res.status,
          ...(res.status >= 400
            ? { code: res.body?.code, retryAfter: res.headers.get("retry-after") }
            : { body: res.body }),
        });
      } catch {
        answers.push({ at: performance.now(), what: request.what, status: "network error" });
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const loops = Array.from({ length: workers }, worker);
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

/** Answers counted by status (`{"200": 31, "503": 4}`), for messages and the report. */
export function countByStatus(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[String(a.status)] = (counts[String(a.status)] ?? 0) + 1;
  return counts;
}
