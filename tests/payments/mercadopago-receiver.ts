// A tiny webhook receiver for the MercadoPago stand-in tests: records every request and answers
// with the statuses queued for it (then 200).

export type Received = { url: URL; headers: Headers; body: Record<string, unknown> };

export type Receiver = {
  url: string;
  received: Received[];
  /** Statuses for the next deliveries, in order; 200 once they run out. */
  answers: number[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
};

export function startReceiver(): Receiver {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({ url: new URL(req.url), headers: req.headers, body: await req.json() });
    return new Response(null, { status: answers.shift() ?? 200 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/payments/webhook/mercadopago`,
    received,
    answers,
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    stop: () => server.shutdown(),
  };
}
