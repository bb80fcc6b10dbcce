import type { TestApi } from "../support/http-api.ts";

/**
 * An account registered through the API, and its logins: each token a real session of its own
 * (auth_sessions), which the session check falls back to when Redis is down.
 */
export type SignedUp = { id: string; email: string; password: string };

const V = "/api/v1";
export const PASSWORD = "Password123!";

export async function signUp(gw: TestApi, label: string): Promise<SignedUp> {
  const email = `${label}-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const registered = await gw.json("POST", `${V}/auth/register`, {
    body: { email, password: PASSWORD, nombre: "Ana", apellido: "Paz", rol: "CLIENTE" },
  });
  if (registered.status !== 201) {
    throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  return { id: registered.body.id, email, password: PASSWORD };
}

export async function logIn(gw: TestApi, email: string, password: string): Promise<string> {
  const res = await gw.json("POST", `${V}/auth/login`, { body: { email, password } });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/** The seeded admin (ADMIN_EMAIL), signed in for real: its session must exist in Postgres too. */
export async function logInAdmin(gw: TestApi): Promise<string> {
  const env = Deno.env.toObject();
  return await logIn(gw, env.ADMIN_EMAIL ?? "admin@example.com", env.ADMIN_PASSWORD ?? "Admin1234!");
}

/** A step a scenario's setup needs: anything but `status` ends the scenario with the answer. */
export async function expectStatus(
  res: Promise<{ status: number; body: unknown }>,
  status: number,
  what: string,
) {
  const { status: got, body } = await res;
  if (got !== status) throw new Error(`${what}: ${got} ${JSON.stringify(body)}`);
}

/** Logs `who` in every 50 ms until it works: ms from now to that login, or null after `withinMs`. */
export async function untilLogInWorks(gw: TestApi, who: SignedUp, withinMs: number): Promise<number | null> {
  const started = performance.now();
  for (const deadline = Date.now() + withinMs; Date.now() < deadline;) {
    const login = await gw.json("POST", `${V}/auth/login`, {
      body: { email: who.email, password: who.password },
    });
    if (login.status === 200) return Math.round(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}
