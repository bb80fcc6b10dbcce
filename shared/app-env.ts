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
   * `inline`: the gateway called this app in-process, with the caller's own request. It has
   * already given the request its id (`requestId`), checked its method and body size, and will log
   * it and set the outer headers; `path` is the path to dispatch on (`/<fn><public path>`) and
   * `forwardedFor` the `X-Forwarded-For` chain with the gateway's hop (read it with `forwardedFor`).
   */
  Bindings: {
    inline?: boolean;
    path?: string;
    requestId?: string;
    forwardedFor?: string;
    remoteAddr?: { hostname: string };
  };
  Variables: { requestId: string; user: AuthUser };
};
