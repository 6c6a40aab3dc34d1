import type { Clock } from '../core/index.js';

/**
 * Calls `tick` every `intervalMs` on a self-correcting timer chain: each wake-up targets an
 * absolute time, so delays do not accumulate into drift. A tick that is late by more than a whole
 * interval is skipped (counted in `missedTicks`), not made up in a burst.
 */
export class Sampler {
  private stopped = true;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  ticks = 0;
  missedTicks = 0;

  constructor(
    private readonly clock: Clock,
    readonly intervalMs: number,
    private readonly tick: () => void,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`sampling interval must be > 0 ms, got ${intervalMs}`);
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const intervalNs = BigInt(Math.round(this.intervalMs * 1e6));
    let next = this.clock.monotonicNs();
    while (!this.stopped) {
      this.tick();
      this.ticks++;
      next += intervalNs;
      const now = this.clock.monotonicNs();
      if (now - next >= intervalNs) {
        // More than a whole interval late (event loop blocked): skip the slots that passed.
        const skipped = (now - next) / intervalNs;
        this.missedTicks += Number(skipped);
        next += skipped * intervalNs;
      }
      try {
        await this.clock.sleep(next > now ? Number(next - now) / 1e6 : 0, signal);
      } catch {
        return; // aborted by stop()
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
    this.loop = null;
  }
}
