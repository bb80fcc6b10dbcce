import {
  createPasswordHasher,
  DEFAULT_SCRYPT_PARAMS,
  type ScryptParams,
} from "../../functions/auth/passwords.ts";
import { formatMeasurement, measure, round } from "./measure.ts";
import { startFunctionProcess } from "./processes.ts";
import type { Benchmark } from "./types.ts";

/**
 * What a password costs: hashing at the chosen scrypt parameters (and an OWASP-equivalent set
 * for comparison), login latency through the gateway, and whole sign-up flows per second
 * (register → login → GET /users/me). Login is deliberately slow: the hash dominates it.
 */
export const authBenchmark: Benchmark = {
  name: "auth",
  async run(ctx) {
    const lines: string[] = [];
    const hashing: Record<string, number[]> = {};
    let chosenHashP50: number | undefined;
    const hashes = ctx.quick ? 3 : 8;
    for (
      const [label, params] of [["chosen", DEFAULT_SCRYPT_PARAMS], ["OWASP's 128 MiB set", {
        logN: 17,
        r: 8,
        p: 1,
      }]] as const
    ) {
      const hasher = createPasswordHasher(params as ScryptParams, { concurrency: 2 });
      const one = await measure(() => hasher.hash("Bench-password-2026"), { iterations: hashes, warmup: 1 });
      const two = await measure(() => hasher.hash("Bench-password-2026"), {
        iterations: hashes,
        concurrency: 2,
        warmup: 0,
      });
      const p = params as ScryptParams;
      const name = `scrypt N=2^${p.logN} r=${p.r} p=${p.p} (${label}, ${
        128 * 2 ** p.logN * p.r / 2 ** 20
      } MiB)`;
      lines.push(formatMeasurement(`${name}: hash`, one));
      lines.push(formatMeasurement(`${name}: 2 at once`, two));
      lines.push(`${name}: ${round(1000 / one.p50_ms, 2)} hashes/s on one core`);
      hashing[`${label} (N=2^${p.logN}, ${128 * 2 ** p.logN * p.r / 2 ** 20} MiB): one hash`] = one.samples;
      chosenHashP50 ??= one.p50_ms;
    }

    const gateway = await startFunctionProcess(ctx.root, "gateway", ctx.env);
    try {
      const call = async (path: string, init: RequestInit, expected: number) => {
        const response = await fetch(`${gateway.url}${path}`, init);
        const body = await response.text();
        if (response.status !== expected) throw new Error(`${path} answered ${response.status}: ${body}`);
        return body ? JSON.parse(body) : null;
      };
      const register = (email: string) =>
        call("/api/v1/auth/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password: "Bench-password-2026", nombre: "Bench", apellido: "User" }),
        }, 201);
      const login = (email: string) =>
        call("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username: email, password: "Bench-password-2026" }),
        }, 200);
      const run = crypto.randomUUID().slice(0, 8);
      const email = `bench-login-${run}@example.com`;
      await register(email);
      const logins = ctx.quick ? 5 : 20;
      const loggedIn = await measure(() => login(email), { iterations: logins, warmup: 2 });
      lines.push(formatMeasurement("POST /auth/login (form), 1 at a time", loggedIn));
      const flow = async (i: number) => {
        const address = `bench-flow-${run}-${i}@example.com`;
        await register(address);
        const { access_token } = await login(address);
        await call("/api/v1/users/me", { headers: { authorization: `Bearer ${access_token}` } }, 200);
      };
      const flows = ctx.quick ? 4 : 16;
      const started = performance.now();
      const measured = await measure((i) => flow(i), { iterations: flows, concurrency: 4, warmup: 0 });
      const perSecond = round(flows / ((performance.now() - started) / 1000), 2);
      lines.push(formatMeasurement("register → login → GET /users/me, 4 in flight", measured));
      lines.push(`sign-up flows per second (register → login → GET /users/me): ${perSecond}`);
      ctx.figure({
        kind: "latency",
        title: "Passwords: a hash, a login, a whole sign-up",
        unit: "ms",
        series: {
          ...hashing,
          "POST /auth/login, 1 at a time": loggedIn.samples,
          "register → login → /users/me, 4 in flight": measured.samples,
        },
      });
      // A login can be no faster than the one hash it verifies: that hash is its floor.
      ctx.figure({
        kind: "ratio",
        title: "login p50 ÷ one hash p50 (chosen scrypt)",
        value: round(loggedIn.p50_ms / chosenHashP50!, 2),
        floor: 1,
        better: "lower",
      });
      return lines;
    } finally {
      await gateway.stop();
    }
  },
};
