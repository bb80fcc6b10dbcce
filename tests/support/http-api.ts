/** A JSON client of the API over HTTP, as tests and benchmarks drive it. */
export type TestApi = {
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request; answers status, headers and parsed body (tests assert on its shape). */
  // deno-lint-ignore no-explicit-any
  json<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: T }>;
};

/** A client of an API already listening at `url` (e.g. a gateway process a benchmark started). */
export function httpApi(url: string): TestApi {
  const doFetch = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return {
    url,
    fetch: doFetch,
    async json(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers["content-type"] ??= "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await doFetch(path, {
        method,
        headers,
        body: options.body === undefined
          ? undefined
          : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch { /* not JSON: keep the text */ }
      // deno-lint-ignore no-explicit-any
      return { status: response.status, headers: response.headers, body: body as any };
    },
  };
}
