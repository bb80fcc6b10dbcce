// HTTP face of the Firestore stand-in: the REST v1 RPCs firebase-admin sends with
// `preferRest: true` (`POST /v1/projects/{p}/databases/{d}/documents[/{parent}]:{verb}`), errors
// in Google's `{error: {code, message, status}}` shape (the client maps `status` to its gRPC
// code), plus test hooks under `/stand-in/` that are not Firestore's protocol.

import type { FirestoreStore, ReadSelector } from "./firestore-store.ts";
import { fieldsToPlain } from "./firestore-values.ts";
import { RpcError } from "./firestore-writes.ts";

export type FaultState = { unavailable: boolean; delayMs: number };
type Options = {
  store: FirestoreStore;
  projectId: string;
  faults: FaultState;
  /** Resolves when the bearer is one of our service account's self-signed JWTs. */
  verifyBearer: (token: string) => Promise<boolean>;
};

const RPC_PATH = /^\/v1\/(projects\/([^/]+)\/databases\/([^/]+)\/documents)(?:\/(.+?))?:(\w+)$/;
const DOCUMENTS_ROOT = /^projects\/[^/]+\/databases\/[^/]+\/documents\//;

export type FirestoreHandler = {
  handle: (req: Request) => Promise<Response>;
  /** Ends every pending `delayMs` wait, so the server can shut down without waiting them out. */
  cancelDelays: () => void;
};

export function createFirestoreHandler(options: Options): FirestoreHandler {
  const { store, faults } = options;
  const delays = new Set<() => void>();

  function delay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        delays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
      delays.add(done);
    });
  }

  async function rpc(req: Request, match: RegExpExecArray): Promise<Response> {
    const [, root, project, , rest, verb] = match;
    const token = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
    if (!token || !await options.verifyBearer(token)) {
      throw new RpcError(
        "UNAUTHENTICATED",
        401,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      );
    }
    if (project !== options.projectId) {
      throw new RpcError("PERMISSION_DENIED", 403, `Permission denied on resource project ${project}.`);
    }
    // deno-lint-ignore no-explicit-any
    const body = await req.json().catch(() => ({})) as Record<string, any>;
    const parent = rest ? `${root}/${rest}` : root;
    const selector = body as ReadSelector;
    switch (verb) {
      case "commit":
        return json(200, store.commit(body.writes ?? [], body.transaction));
      case "batchWrite":
        return json(200, store.batchWrite(body.writes ?? []));
      case "batchGet":
        return json(200, store.batchGet(body.documents ?? [], selector));
      case "beginTransaction":
        return json(200, { transaction: store.beginTransaction(body.options) });
      case "rollback":
        store.rollback(body.transaction ?? "");
        return json(200, {});
      case "runQuery": {
        const { rows, readTime, transaction } = store.query(parent, body.structuredQuery ?? {}, selector);
        const items: Record<string, unknown>[] = rows.length
          ? rows.map((r) => ({ document: { name: r.name, ...r.doc }, readTime }))
          : [{ readTime }];
        if (transaction) items[0].transaction = transaction;
        return json(200, items);
      }
      case "runAggregationQuery": {
        const aggregation = body.structuredAggregationQuery ?? {};
        const { transaction, ...result } = store.aggregate(
          parent,
          aggregation.structuredQuery ?? {},
          aggregation.aggregations ?? [],
          selector,
        );
        return json(200, [transaction ? { ...result, transaction } : result]);
      }
    }
    throw new RpcError("UNIMPLEMENTED", 501, `The stand-in does not implement "${verb}"`);
  }

  function hook(req: Request, url: URL): Response | Promise<Response> {
    const path = url.pathname.slice("/stand-in".length);
    if (req.method === "POST" && path === "/reset") {
      store.reset();
      return json(200, { reset: true });
    }
    if (req.method === "POST" && path === "/fault") {
      return req.json().then((b: Partial<FaultState>) => {
        faults.unavailable = b.unavailable ?? false;
        faults.delayMs = b.delayMs ?? 0;
        return json(200, faults);
      });
    }
    if (req.method === "GET" && path === "/stats") return json(200, store.stats());
    if (req.method === "GET" && path.startsWith("/documents")) {
      const wanted = decodeURIComponent(path.slice("/documents/".length));
      const prefix = url.searchParams.get("prefix") ?? "";
      const documents = [...store.documents()]
        .map(([name, doc]) => ({
          path: name.replace(DOCUMENTS_ROOT, ""),
          name,
          data: fieldsToPlain(doc.fields),
          fields: doc.fields,
          createTime: doc.createTime,
          updateTime: doc.updateTime,
        }))
        .filter((d) => wanted ? d.path === wanted : d.path.startsWith(prefix))
        .sort((a, b) => a.path < b.path ? -1 : 1);
      if (!wanted) return json(200, { documents });
      return documents[0] ? json(200, documents[0]) : json(404, { error: `No document at "${wanted}"` });
    }
    return json(404, { error: "Unknown stand-in hook" });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/stand-in/")) return await hook(req, url);
    try {
      if (faults.delayMs) await delay(faults.delayMs, req.signal);
      if (faults.unavailable) throw new RpcError("UNAVAILABLE", 503, "The service is currently unavailable.");
      const match = RPC_PATH.exec(decodeURIComponent(url.pathname));
      if (req.method !== "POST" || !match) {
        throw new RpcError(
          "UNIMPLEMENTED",
          501,
          `The stand-in does not implement ${req.method} ${url.pathname}`,
        );
      }
      return await rpc(req, match);
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      await req.body?.cancel().catch(() => {});
      return json(error.httpStatus, {
        error: { code: error.httpStatus, message: error.message, status: error.status },
      });
    }
  }

  return { handle, cancelDelays: () => [...delays].forEach((done) => done()) };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
