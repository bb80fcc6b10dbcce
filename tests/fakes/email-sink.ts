// Local e-mail sink speaking Resend's HTTP API, so shared/email.ts runs unchanged locally
// (EMAIL_API_URL points here) and tests read what was "sent" — the reset link, for one.
//
// - `POST /emails` with `Authorization: Bearer <key>` and `{from, to, subject, html?, text?}` →
//   200 `{id}`; missing key → 401 missing_api_key, wrong key → 403 invalid_api_key, bad body → 422
//   validation_error (Resend's error bodies: `{statusCode, name, message}`). An `Idempotency-Key`
//   seen before answers the first message's id and stores nothing new.
// - `GET /emails[?to=<address>]` → `{object: "list", has_more: false, data: [...]}`, newest first;
//   `GET /emails/<id>` → one message.

import type { StandIn } from "./registry.ts";

export type SentEmail = {
  object: "email";
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  created_at: string;
};
export type EmailSink = { url: string; apiKey: string; stop: () => Promise<void> };

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

export function startEmailSink(options: { apiKey: string; port?: number }): EmailSink {
  const stored: SentEmail[] = [];
  const byIdempotencyKey = new Map<string, string>();

  async function create(req: Request): Promise<Response> {
    const body = await req.json().catch(() => null) as Record<string, unknown> | null;
    const to = typeof body?.to === "string" ? [body.to] : body?.to;
    const problem = !body
      ? "Invalid JSON body"
      : typeof body.from !== "string" || !body.from
      ? "The `from` field is required"
      : !Array.isArray(to) || !to.length || to.length > 50 ||
          !to.every((t) => typeof t === "string" && EMAIL.test(t))
      ? "Invalid `to` field"
      : typeof body.subject !== "string" || !body.subject
      ? "The `subject` field is required"
      : typeof body.html !== "string" && typeof body.text !== "string"
      ? "Either `html` or `text` is required"
      : null;
    if (problem) return error(422, "validation_error", problem);
    const key = req.headers.get("idempotency-key");
    const known = key ? byIdempotencyKey.get(key) : undefined;
    if (known) return json(200, { id: known });
    const email: SentEmail = {
      object: "email",
      id: crypto.randomUUID(),
      from: body!.from as string,
      to: to as string[],
      subject: body!.subject as string,
      html: typeof body!.html === "string" ? body!.html : null,
      text: typeof body!.text === "string" ? body!.text : null,
      created_at: new Date().toISOString(),
    };
    stored.unshift(email);
    if (key) byIdempotencyKey.set(key, email.id);
    return json(200, { id: email.id });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const bearer = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!bearer) return error(401, "missing_api_key", "Missing API key in the authorization header");
    if (bearer !== options.apiKey) return error(403, "invalid_api_key", "API key is invalid");
    if (req.method === "POST" && url.pathname === "/emails") return await create(req);
    if (req.method === "GET" && url.pathname === "/emails") {
      const to = url.searchParams.get("to")?.toLowerCase();
      const data = stored.filter((e) => !to || e.to.some((t) => t.toLowerCase() === to));
      return json(200, { object: "list", has_more: false, data });
    }
    const one = /^\/emails\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && one) {
      const email = stored.find((e) => e.id === one[1]);
      return email ? json(200, email) : error(404, "not_found", "Email not found");
    }
    return error(404, "not_found", "Not found");
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} }, handle);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    apiKey: options.apiKey,
    stop: () => server.shutdown(),
  };
}

function error(statusCode: number, name: string, message: string): Response {
  return json(statusCode, { statusCode, name, message });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The stack's e-mail provider: messages kept in memory, listed at `GET /emails`. */
export const EMAIL_SINK_STAND_IN: StandIn = {
  name: "e-mail sink (Resend API)",
  start(ctx) {
    const sink = startEmailSink({
      apiKey: `re_local_${crypto.randomUUID().replaceAll("-", "")}`,
      port: ctx.fixedPorts ? 8072 : 0,
    });
    return Promise.resolve({
      env: { EMAIL_API_URL: sink.url, EMAIL_API_KEY: sink.apiKey },
      stop: sink.stop,
    });
  },
};
