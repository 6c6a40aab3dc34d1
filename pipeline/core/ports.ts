/**
 * Ports: the side effects stages depend on, built once in `cli` and passed down.
 * Fakes for tests live in `pipeline/testing/`.
 */

/** Progress for long work, shown by the CLI (cli/progress.ts draws it); stages report through it. */
export interface Progress {
  /** A line that stays (an event worth keeping in the log). */
  info(message: string): void;
  /** The transient status (trial n of N, current step). */
  status(message: string): void;
  /** Trial-level progress: done of total, with an ETA from the mean trial time so far. */
  step(done: number, total: number, label: string): void;
  done(): void;
}

/** Progress that shows nothing (tests, quiet commands). */
export const silentProgress: Progress = { info: () => {}, status: () => {}, step: () => {}, done: () => {} };

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
