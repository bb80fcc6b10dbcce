import type { ServiceName } from "../../shared/function-names.ts";

/**
 * Public path prefix → the function that serves it. Matching is by whole path segments and the
 * longest prefix wins, so `/chatter` is not `/chat`, `/trabajos` and `/trabajo/…` are distinct
 * entries, and `/admin/users` beats the `/admin` fallback; a `*` segment matches any one segment
 * (an id). Sources: the original gateway's table (original-system.md §1.2) and every capability of
 * compatibility.md §4.1.
 */
export const ROUTE_TABLE: readonly { prefix: string; service: ServiceName }[] = [
  { prefix: "/auth", service: "auth" },
  // The pages the reset and verification e-mails link to (served by auth; the frontend has none).
  { prefix: "/reset-password", service: "auth" },
  { prefix: "/verify-email", service: "auth" },
  // Credentials belong to auth even under the users' path the clients call.
  { prefix: "/users/me/change-password", service: "auth" },

  { prefix: "/users", service: "users" },
  { prefix: "/usuario", service: "users" },
  { prefix: "/usuarios", service: "users" },
  { prefix: "/admin/users", service: "users" },
  { prefix: "/admin/metrics/users", service: "users" },

  { prefix: "/professional", service: "professionals" },
  { prefix: "/profesional", service: "professionals" },
  { prefix: "/search", service: "professionals" },
  { prefix: "/buscar", service: "professionals" },
  { prefix: "/public", service: "professionals" },
  { prefix: "/publico", service: "professionals" },
  { prefix: "/servicios", service: "professionals" },
  { prefix: "/admin/kyc", service: "professionals" },
  { prefix: "/admin/oficios", service: "professionals" },
  { prefix: "/admin/servicios-instant", service: "professionals" },
  { prefix: "/admin/servicios", service: "professionals" },
  { prefix: "/admin", service: "professionals" },

  { prefix: "/professional/ofertas", service: "chat-offers" },
  { prefix: "/professional/trabajos", service: "chat-offers" },
  { prefix: "/chat", service: "chat-offers" },
  { prefix: "/chat_ofertas", service: "chat-offers" },
  { prefix: "/cliente", service: "chat-offers" },
  { prefix: "/ofertas", service: "chat-offers" },
  { prefix: "/trabajos", service: "chat-offers" },
  { prefix: "/trabajo", service: "chat-offers" },
  { prefix: "/resenas", service: "chat-offers" },
  { prefix: "/admin/trabajos", service: "chat-offers" },
  { prefix: "/webhook/chat", service: "chat-offers" },
  { prefix: "/cliente/chat", service: "chat-offers" },
  // Chat moderation (infractions); beats the /admin fallback.
  { prefix: "/admin/chat", service: "chat-offers" },
  // Disputes over jobs (parties and admins); beats the /admin fallback.
  { prefix: "/disputas", service: "chat-offers" },
  { prefix: "/admin/disputas", service: "chat-offers" },

  { prefix: "/payment", service: "payments" },
  { prefix: "/payments", service: "payments" },
  { prefix: "/pagos", service: "payments" },
  { prefix: "/escrow", service: "payments" },
  { prefix: "/webhook", service: "payments" },
  // Jobs belong to chat-offers (admin cancel…); only the payment simulation is payments'.
  { prefix: "/admin/trabajo", service: "chat-offers" },
  { prefix: "/admin/trabajo/*/simular-pago", service: "payments" },
  { prefix: "/admin/dashboard", service: "payments" },
  { prefix: "/admin/pagos", service: "payments" },
  { prefix: "/admin/metrics/financials", service: "payments" },

  { prefix: "/notifications", service: "notifications" },
  { prefix: "/notificaciones", service: "notifications" },
  { prefix: "/notify", service: "notifications" },
  { prefix: "/notificar", service: "notifications" },
  // Operators' view of event delivery (the outbox); beats the /admin fallback.
  { prefix: "/admin/events", service: "notifications" },
];

const VERSION_PREFIX = /^\/api\/v[12](?=\/|$)/;

/** `/api/v1/users/me/` → `/users/me` (both path styles, no trailing slash, no empty segments). */
export function normalizePublicPath(path: string): string {
  const bare = path.replace(VERSION_PREFIX, "");
  // Already normal, as nearly every request is: no copy (this runs on every request).
  if (bare.startsWith("/") && !bare.endsWith("/") && !bare.includes("//")) return bare;
  const segments = bare.split("/").filter(Boolean);
  return "/" + segments.join("/");
}

type Compiled = { segments: string[]; service: ServiceName };

export function createRouter(table = ROUTE_TABLE) {
  const compiled: Compiled[] = table
    .map((r) => ({ segments: r.prefix.split("/").filter(Boolean), service: r.service }))
    .sort((a, b) => b.segments.length - a.segments.length);
  // The candidates for a path are the routes that share its first segment (plus any whose first
  // segment is `*`), still longest first: a lookup, not a scan of the whole table.
  const anyFirst = (route: Compiled) => route.segments.length === 0 || route.segments[0] === "*";
  const fallback = compiled.filter(anyFirst);
  const byFirstSegment = new Map<string, Compiled[]>();
  for (const { segments: [first] } of compiled) {
    if (first === undefined || first === "*" || byFirstSegment.has(first)) continue;
    byFirstSegment.set(first, compiled.filter((route) => route.segments[0] === first || anyFirst(route)));
  }

  /** The function for an already normalized public path (`/users/me`), or null. */
  function resolveNormalized(path: string): ServiceName | null {
    const segments = path.split("/");
    segments.shift();
    for (const route of byFirstSegment.get(segments[0]) ?? fallback) {
      if (route.segments.length > segments.length) continue;
      // `*` matches any one segment (an id).
      if (route.segments.every((s, i) => s === "*" || s === segments[i])) return route.service;
    }
    return null;
  }
  return {
    resolveNormalized,
    /** The function for a public path, or null when no prefix matches whole segments. */
    resolve: (publicPath: string) => resolveNormalized(normalizePublicPath(publicPath)),
  };
}
