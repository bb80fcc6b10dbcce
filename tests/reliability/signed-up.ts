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
