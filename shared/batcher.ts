/**
 * Work handed over item by item but done in batches, without waiting to fill one: a lone item goes
 * at once; items that arrive while `parallel` batches are running wait, and the next batch takes
 * them all (up to `max`). Under load batches grow by themselves; alone, nothing is delayed. Used
 * for after-commit work (the relay's publishes, the notifications' e-mails and pushes).
 *
 * @example
 * const publisher = createBatcher({ parallel: 2, max: 100, run: publish, onError: logIt });
 * publisher.add([eventId]); // fire and forget
 * await publisher.drain(); // before shutting down
 */
export type Batcher<T> = {
  add(items: T[]): void;
  /** Resolves when everything added so far has been run. */
  drain(): Promise<void>;
};

export function createBatcher<T>(options: {
  parallel: number;
  max: number;
  run: (items: T[]) => Promise<unknown>;
  onError: (error: unknown) => void;
}): Batcher<T> {
  const waiting: T[] = [];
  const batches = new Set<Promise<void>>();
  let runners = 0;

  async function runWaiting() {
    try {
      while (waiting.length) {
        try {
          await options.run(waiting.splice(0, options.max));
        } catch (error) {
          options.onError(error);
        }
      }
    } finally {
      // In the same turn the loop finds nothing waiting: an item added after it starts a runner.
      runners--;
    }
  }

  return {
    add(items) {
      waiting.push(...items);
      if (runners >= options.parallel) return;
      runners++;
      const batch = runWaiting();
      batches.add(batch);
      batch.finally(() => batches.delete(batch));
      keepAlive(batch);
    },
    async drain() {
      while (batches.size) await Promise.allSettled([...batches]);
    },
  };
}

/** On Supabase's edge runtime, keeps the isolate alive until background work settles. */
export function keepAlive(promise: Promise<unknown>): void {
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil?: (p: Promise<unknown>) => void } }).EdgeRuntime;
  runtime?.waitUntil?.(promise.catch(() => {}));
}
