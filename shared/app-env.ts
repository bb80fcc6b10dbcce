import type { AuthUser } from "./auth-user.ts";

/**
 * Context every function shares; declared once so `c.var.user` is typed everywhere. A leaf module:
 * auth, http and the route kit all import it, and it imports only the user type.
 *
 * @example
 * const app = new OpenAPIHono<AppEnv>();
 * app.get("/x", (c) => c.json({ id: c.var.user.id }));
 */
export type AppEnv = {
  /** `inline`: the gateway called this app in-process (it already logged the request). */
  Bindings: { inline?: boolean; remoteAddr?: { hostname: string } };
  Variables: { requestId: string; user: AuthUser };
};
