// The QStash stand-in's dead-letter queue, as `@upstash/qstash@2.12.0` speaks to it (its
// src/client/dlq.ts; query parameters as its HttpClient writes them: arrays repeated):
// - `GET /v2/dlq?url=…&url=…&responseStatus=…&messageId=…&count=…&cursor=…` (or `dlqIds=…`) →
//   `{messages, cursor}`, oldest first, at most `count` (default and most: 100); `cursor` only
//   when more match.
// - `DELETE /v2/dlq/<dlqId>` → `{deleted: 1}` (404 unknown); `DELETE /v2/dlq?dlqIds=…` or with the
//   filters (one page of them) → `{deleted, cursor}`.
// - `POST /v2/dlq/retry?dlqIds=…` (or filters) → `{responses: [{messageId}], cursor}`: each is
//   published again as a fresh message (new id, its retries anew) and leaves the DLQ.
// A query parameter QStash has but this stand-in does not filter by is refused (400) rather than
// ignored: a bulk delete must never widen silently.

/** A message as the stand-in keeps it (what `GET /v2/dlq` shows, plus delivery state). */
export type QueuedMessage = {
  messageId: string;
  url: string;
  method: string;
  header: Record<string, string[]>;
  body: string;
  maxRetries: number;
  timeoutMs: number;
  createdAt: number;
  retried: number;
};
export type LastAnswer = { status: number; header: Record<string, string[]>; body: string };
export type DeadLetterQueue = {
  /** After the last retry (or a non-retryable 489): the message and the answer it last got. */
  add(message: QueuedMessage, answer: LastAnswer): void;
  /** Answers a `/v2/dlq` request, or null when the path is not the DLQ's. */
  handle(req: Request, url: URL): Response | null;
};

type Entry = { seq: number; dlqId: string; message: QueuedMessage; answer: LastAnswer };

const PAGE_MAX = 100;
const MULTI = ["url", "responseStatus", "dlqIds"] as const;
const SINGLE = ["messageId", "count", "cursor"] as const;

/** `republish` publishes a copy as a new message and answers its id. */
export function createDeadLetterQueue(republish: (message: QueuedMessage) => string): DeadLetterQueue {
  const entries: Entry[] = [];
  let seq = 0;

  /** The page a query selects, and the cursor past it; a string: why the query is refused. */
  function select(query: URLSearchParams): { page: Entry[]; cursor?: string } | string {
    const unknown = [...new Set(query.keys())].find((k) => ![...MULTI, ...SINGLE].includes(k as "url"));
    if (unknown) return `unsupported DLQ filter: ${unknown}`;
    const count = query.has("count") ? Number(query.get("count")) : PAGE_MAX;
    const after = query.has("cursor") ? Number(query.get("cursor")) : 0;
    if (!Number.isInteger(count) || count < 1) return "count must be a positive integer";
    if (!Number.isInteger(after) || after < 0) return "invalid cursor";
    const ids = query.getAll("dlqIds");
    const urls = query.getAll("url");
    const statuses = query.getAll("responseStatus").map(Number);
    const messageId = query.get("messageId");
    const matching = entries.filter((e) =>
      e.seq > after &&
      (!ids.length || ids.includes(e.dlqId)) &&
      (!urls.length || urls.includes(e.message.url)) &&
      (!statuses.length || statuses.includes(e.answer.status)) &&
      (!messageId || e.message.messageId === messageId)
    );
    // Named dead letters are all acted on; a filter's, a page at a time.
    const page = ids.length && !query.has("count") ? matching : matching.slice(0, Math.min(count, PAGE_MAX));
    const more = matching.length > page.length;
    return { page, cursor: more ? String(page[page.length - 1].seq) : undefined };
  }

  function remove(page: Entry[]) {
    for (const entry of page) entries.splice(entries.indexOf(entry), 1);
  }

  function shown({ dlqId, message, answer }: Entry) {
    const { timeoutMs: _timeout, retried: _retried, ...fields } = message;
    return {
      ...fields,
      dlqId,
      responseStatus: answer.status,
      responseHeader: answer.header,
      responseBody: answer.body,
    };
  }

  return {
    add(message, answer) {
      entries.push({ seq: ++seq, dlqId: `dlq_${crypto.randomUUID()}`, message, answer });
    },
    handle(req, url) {
      const single = /^\/v2\/dlq\/([^/]+)$/.exec(url.pathname);
      if (req.method === "DELETE" && single && single[1] !== "retry") {
        const entry = entries.find((e) => e.dlqId === decodeURIComponent(single[1]));
        if (!entry) return json(404, { error: "message not found" });
        remove([entry]);
        return json(200, { deleted: 1 });
      }
      const bulk = url.pathname === "/v2/dlq" && (req.method === "GET" || req.method === "DELETE");
      const retry = url.pathname === "/v2/dlq/retry" && req.method === "POST";
      if (!bulk && !retry) return null;
      const selected = select(url.searchParams);
      if (typeof selected === "string") return json(400, { error: selected });
      const { page, cursor } = selected;
      if (req.method === "GET") return json(200, { messages: page.map(shown), cursor });
      remove(page);
      if (req.method === "DELETE") return json(200, { deleted: page.length, cursor });
      return json(200, { responses: page.map((e) => ({ messageId: republish(e.message) })), cursor });
    },
  };
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
