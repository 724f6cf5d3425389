/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 15 000 ms). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** What the test is waiting for, in words; it becomes the timeout message. */
  what: string;
}

/**
 * Polls `probe` until it returns a value other than `undefined` or `false`, and returns that value.
 * A probe that throws counts as "not yet"; the last error is attached as the timeout's `cause`.
 * Use this instead of sleeping in async tests.
 *
 * @throws Error `timed out after Xms waiting for: <what>` when the deadline passes.
 * @example
 *   const row = await waitFor(() => findReferral(db, id), { what: `referral ${id} stored` });
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 50, what }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs}ms waiting for: ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
