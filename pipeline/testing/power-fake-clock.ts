import type { Clock } from '../core/index.js';

/**
 * FAKE (tests only): a Clock whose time moves only when a test says so.
 * - `advance(ms)` moves time forward, waking sleepers in time order; after each wake-up it lets
 *   the woken code run (a macrotask turn) so it can sleep again inside the same advance.
 * - `autoAdvance: true` makes `sleep(ms)` move time itself and resolve at once (for bounded loops
 *   such as a burst of reads; never for an endless sampler loop).
 * - `spend(ms)` moves time without waking anyone (time spent inside a blocking call).
 */
export class ManualClock implements Clock {
  private now: bigint;
  private readonly startNs: bigint;
  private readonly startWallMs: number;
  private sleepers: { wakeNs: bigint; resolve: () => void; seq: number }[] = [];
  private seq = 0;
  autoAdvance: boolean;

  constructor(options: { startNs?: bigint; wallMs?: number; autoAdvance?: boolean } = {}) {
    this.startNs = options.startNs ?? 1_000_000_000_000n;
    this.now = this.startNs;
    this.startWallMs = options.wallMs ?? Date.UTC(2025, 0, 1);
    this.autoAdvance = options.autoAdvance ?? false;
  }

  monotonicNs(): bigint {
    return this.now;
  }

  nowMs(): number {
    return this.startWallMs + Number(this.now - this.startNs) / 1e6;
  }

  /** Time since construction, ms. */
  get elapsedMs(): number {
    return Number(this.now - this.startNs) / 1e6;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ns = BigInt(Math.max(0, Math.round(ms * 1e6)));
    if (this.autoAdvance) {
      this.now += ns;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(signal?.reason);
      };
      const entry = {
        wakeNs: this.now + ns,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  spend(ms: number): void {
    this.now += BigInt(Math.round(ms * 1e6));
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.now + BigInt(Math.round(ms * 1e6));
    for (;;) {
      await turn();
      const due = this.sleepers.filter((s) => s.wakeNs <= target).sort((a, b) => (a.wakeNs < b.wakeNs ? -1 : a.wakeNs > b.wakeNs ? 1 : a.seq - b.seq))[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      if (due.wakeNs > this.now) this.now = due.wakeNs;
      due.resolve();
    }
    this.now = target;
    await turn();
  }

  /** Sleepers waiting (count). */
  get pending(): number {
    return this.sleepers.length;
  }
}

/** One macrotask turn: every promise continuation queued so far runs before it resolves. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
