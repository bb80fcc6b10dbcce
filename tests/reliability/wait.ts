/**
 * Polls `probe` every 50 ms until it holds; false when `timeoutMs` passed first. Scenarios report
 * what did not happen instead of throwing, so a fault's outcome can say so.
 */
export async function eventually(
  probe: () => Promise<unknown> | unknown,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
