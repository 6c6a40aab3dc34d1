/**
 * Ports: the side effects stages depend on, built once in `cli` and passed down.
 * Fakes for tests live in `pipeline/testing/`.
 */

/** Wall and monotonic time. `monotonicNs` shares the kernel's CLOCK_MONOTONIC with containers. */
export interface Clock {
  /** Wall clock, ms since the Unix epoch. */
  nowMs(): number;
  /** CLOCK_MONOTONIC in ns (process.hrtime.bigint()). */
  monotonicNs(): bigint;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicNs: () => process.hrtime.bigint(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
