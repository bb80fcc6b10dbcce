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
  /**
   * `inline`: the gateway called this app in-process. It has already given the request its id
   * (`requestId`), checked its method and body size, and will log it and set the outer headers.
   */
  Bindings: { inline?: boolean; requestId?: string; remoteAddr?: { hostname: string } };
  Variables: { requestId: string; user: AuthUser };
};
