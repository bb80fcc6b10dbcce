// Responses of the Supabase Storage stand-in, shaped as the storage API answers.

import type { Store } from "./supabase-storage-store.ts";

/** What every handler of the stand-in works with. */
export type Ctx = { store: Store; key: string; secret: Uint8Array; now: () => number };

export function noSuchBucket() {
  return fail(404, "NoSuchBucket", "Bucket not found", "Bucket not found");
}

export function noSuchKey() {
  return fail(404, "NoSuchKey", "not_found", "Object not found");
}

export function notFound(req: Request, url: URL) {
  return cors(Response.json(
    { statusCode: 404, error: "Not Found", message: `Route ${req.method}:${url.pathname} not found` },
    { status: 404 },
  ));
}

export function fail(statusCode: number, code: string, error: string, message: string): Response {
  const status = statusCode >= 500 ? 500 : 400;
  return cors(Response.json({ statusCode: String(statusCode), code, error, message }, { status }));
}

export function json(body: unknown): Response {
  return cors(Response.json(body));
}

export function cors(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-allow-methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
  response.headers.set(
    "access-control-allow-headers",
    "authorization, apikey, content-type, x-client-info, x-upsert, cache-control",
  );
  return response;
}
