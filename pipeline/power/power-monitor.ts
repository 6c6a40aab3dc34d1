import type { GpuState } from '../contracts/index.js';
import type { Clock } from '../core/index.js';
import { baselineFromRecorded } from './baseline.js';
import { waitForCooldownGate } from './cooldown.js';
import { Sampler } from './sampler.js';
import { SeriesStore } from './series-store.js';
import type { PowerSource } from './source.js';
import type { Baseline, CooldownOptions, CooldownResult, PowerSourceName, Recorded, SourceStatus } from './types.js';
import { detectCounterPeriods } from './update-period.js';

export interface PowerMonitorOptions {
  clock: Clock;
  /** Source objects, one per configured sampled source (see createPowerSources). */
  sources: PowerSource[];
  /** The configured names as listed (may include 'none'). */
  configured: PowerSourceName[];
  /** Requested sampling rate, Hz (the experiment's `power.sampleHz`). */
  sampleHz: number;
  /** Samples older than this are dropped unless a recording needs them, ms (default 120 000). */
  retainMs?: number;
  /** Length of the fast-read burst that detects counter update periods at probe, ms (default 500; 0 skips). */
  updatePeriodBurstMs?: number;
}

/** A recording in progress; `stop()` returns the samples around it. */
export interface Recording {
  readonly trialId: string;
  readonly startNs: bigint;
  stop(): Promise<Recorded>;
}

/**
 * Samples every working source continuously (one timer for polled sources, one child for
 * nvidia-smi) from `start()` to `close()`. Recordings are spans cut from that stream, so a window
 * that is only known afterwards (the entrypoint's measure markers) can be computed exactly.
 */
export class PowerMonitor {
  readonly sampleHz: number;
  private readonly store = new SeriesStore();
  private statuses: SourceStatus[] | null = null;
  private probing: Promise<SourceStatus[]> | null = null;
  private sampler: Sampler | null = null;
  private startedNs: bigint | null = null;
  private readonly active = new Set<bigint>();
  private lastBaseline: Baseline | null = null;
  private lastPollNs: bigint | null = null;

  constructor(private readonly options: PowerMonitorOptions) {
    this.sampleHz = options.sampleHz;
    if (!(this.sampleHz > 0 && this.sampleHz <= 1000)) throw new RangeError(`sampleHz must be in (0, 1000], got ${this.sampleHz}`);
  }

  private get clock(): Clock {
    return this.options.clock;
  }
  private working(): PowerSource[] {
    return this.options.sources.filter((s) => this.statuses?.find((st) => st.source === s.name)?.available);
  }

  /** Which configured sources work, with reason and fix for those that do not. Cached. */
  probe(signal?: AbortSignal): Promise<SourceStatus[]> {
    // One probe at a time: concurrent callers share it.
    this.probing ??= this.runProbe(signal).catch((e: unknown) => {
      this.probing = null;
      throw e;
    });
    return this.probing;
  }

  private async runProbe(signal?: AbortSignal): Promise<SourceStatus[]> {
    const statuses: SourceStatus[] = [];
    for (const name of this.options.configured) {
      if (name === 'none') {
        statuses.push({ source: 'none', available: true, domains: [], reason: 'power.sources lists "none": energy is not measured', fix: null, detail: null });
        continue;
      }
      const source = this.options.sources.find((s) => s.name === name);
      statuses.push(
        source
          ? await probeSafely(source)
          : { source: name, available: false, domains: [], reason: 'no source object was built for it', fix: null, detail: null },
      );
    }
    this.statuses = statuses;
    for (const source of this.working()) {
      for (const d of statuses.find((s) => s.source === source.name)!.domains) this.store.declare(d, this.sampleHz);
    }
    const polled = this.working().filter((s) => s.poll);
    const domains = polled.flatMap((s) => statuses.find((st) => st.source === s.name)!.domains);
    await detectCounterPeriods(polled, domains, this.clock, this.options.updatePeriodBurstMs ?? 500, signal);
    return statuses;
  }

  /** True when at least one source measures some domain (after probe). */
  canMeasure(): boolean {
    return (this.statuses ?? []).some((s) => s.available && s.domains.length > 0);
  }

  /** Starts sampling (probes first). Idempotent. */
  async start(): Promise<void> {
    await this.probe();
    if (this.sampler) return;
    let ticks = 0;
    this.sampler = new Sampler(this.clock, 1000 / this.sampleHz, () => {
      this.pollAll();
      if (++ticks % 100 === 0) this.prune();
    });
    this.startedNs = this.clock.monotonicNs();
    this.sampler.start();
    for (const s of this.working()) await s.startStream?.(this.store.forSource(s.name), this.sampleHz);
  }

  private prune(): void {
    const keepNs = BigInt(Math.round((this.options.retainMs ?? 120_000) * 1e6));
    let cut = this.clock.monotonicNs() - keepNs;
    for (const startNs of this.active) if (startNs < cut) cut = startNs;
    this.store.prune(cut);
  }

  /** GPU state now, from the first GPU source that works (NVML before nvidia-smi). */
  async gpuStateSnapshot(): Promise<GpuState[]> {
    await this.probe();
    const ordered = [...this.working()].sort((a, b) => (a.name === 'nvml' ? -1 : b.name === 'nvml' ? 1 : 0));
    for (const s of ordered) if (s.gpuState) return s.gpuState();
    return [];
  }

  /** Marks the start of a trial's recording; call before the container or process starts. */
  async startRecording(trialId: string): Promise<Recording> {
    await this.start();
    const gpuStart = await this.gpuStateSnapshot();
    const startNs = this.clock.monotonicNs();
    this.active.add(startNs);
    this.pollNow();
    let stopped: Recorded | null = null;
    return {
      trialId,
      startNs,
      stop: async () => {
        if (stopped) return stopped;
        const endNs = this.clock.monotonicNs();
        this.pollNow();
        await this.waitForStreamsAfter(endNs);
        const gpuEnd = await this.gpuStateSnapshot();
        this.active.delete(startNs);
        stopped = {
          trialId,
          startNs,
          endNs,
          series: this.store.slice(startNs, endNs),
          unavailable: (this.statuses ?? []).filter((s) => !s.available),
          gpuState: [...gpuStart, ...gpuEnd],
        };
        return stopped;
      },
    };
  }

  /**
   * One read of every polled source outside the timer, for a sample at a recording's edge; skipped
   * when the timer read less than half an interval ago (it would only inflate the achieved rate).
   */
  private pollNow(): void {
    const now = this.clock.monotonicNs();
    if (this.lastPollNs !== null && now - this.lastPollNs < BigInt(Math.round(500_000_000 / this.sampleHz))) return;
    this.pollAll();
  }

  private pollAll(): void {
    this.lastPollNs = this.clock.monotonicNs();
    for (const s of this.working()) {
      if (!s.poll) continue;
      const sink = this.store.forSource(s.name);
      try {
        s.poll(sink);
      } catch (e) {
        // A source bug must not stop the sampler: record it against every domain of the source.
        for (const d of this.statuses!.find((st) => st.source === s.name)!.domains)
          sink.error(d.domain, this.lastPollNs, `poll failed: ${(e as Error).message}`);
      }
    }
  }

  /** Streamed samples arrive late: wait (bounded) for one stamped after `endNs`. */
  private async waitForStreamsAfter(endNs: bigint): Promise<void> {
    const streaming = this.working().filter((s) => s.startStream);
    const intervalMs = 1000 / this.sampleHz;
    const deadline = endNs + BigInt(Math.round(Math.max(3 * intervalMs, 1500) * 1e6));
    for (const s of streaming) {
      while ((this.store.latestNs(s.name) ?? -1n) <= endNs && this.clock.monotonicNs() < deadline) await this.clock.sleep(intervalMs / 2);
    }
  }

  /** Records `durationMs` of idle power per domain; net energy of later trials subtracts it. */
  async measureBaseline(durationMs: number, signal?: AbortSignal): Promise<Baseline> {
    const rec = await this.startRecording('baseline');
    let aborted: unknown = null;
    try {
      await this.clock.sleep(durationMs, signal);
    } catch (e) {
      aborted = e;
    }
    const recorded = await rec.stop();
    if (aborted) throw aborted;
    this.lastBaseline = baselineFromRecorded(recorded);
    return this.lastBaseline;
  }

  get baseline(): Baseline | null {
    return this.lastBaseline;
  }
  set baseline(b: Baseline | null) {
    this.lastBaseline = b;
  }

  /** Waits until power and GPU temperature are back near the baseline, at most maxMs (after minMs). */
  async waitForCooldown(options: CooldownOptions, signal?: AbortSignal): Promise<CooldownResult> {
    await this.start();
    const baseline = options.baseline === undefined ? this.lastBaseline : options.baseline;
    return waitForCooldownGate(
      {
        clock: this.clock,
        canMeasure: this.canMeasure(),
        samplingSinceNs: this.startedNs ?? this.clock.monotonicNs(),
        slice: (a, b) => this.store.slice(a, b),
      },
      options,
      baseline,
      signal,
    );
  }

  /** Stops sampling and closes every source. */
  async close(): Promise<void> {
    await this.sampler?.stop();
    this.sampler = null;
    for (const s of this.options.sources) await s.close();
    this.statuses = null;
    this.probing = null;
  }

  /** Achieved tick statistics of the polled sampler (for benchmarks). */
  get samplerStats(): { ticks: number; missedTicks: number } {
    return { ticks: this.sampler?.ticks ?? 0, missedTicks: this.sampler?.missedTicks ?? 0 };
  }
}

/** A source's probe, with an unexpected failure turned into an unavailable status. */
async function probeSafely(source: PowerSource): Promise<SourceStatus> {
  try {
    return await source.probe();
  } catch (e) {
    return {
      source: source.name,
      available: false,
      domains: [],
      reason: `probe failed: ${(e as Error).message}`,
      fix: 'Report this as a greenrt bug, with `greenrt doctor` output.',
      detail: null,
    };
  }
}
