import type { PowerTrace } from '../contracts/index.js';
import type { Recorded, TimedValue } from './types.js';

type Series = PowerTrace['series'][number];

const r3 = (x: number) => Math.round(x * 1e3) / 1e3;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

function achievedHz(samples: TimedValue[]): number {
  if (samples.length < 2) return 0;
  const spanS = Number(samples[samples.length - 1]!.tNs - samples[0]!.tNs) / 1e9;
  return spanS > 0 ? r3((samples.length - 1) / spanS) : 0;
}

/**
 * The PowerTrace (schemas/power-trace.schema.json) of a recording: one series per sampled
 * quantity, times in ms from the trace's startNs (the earlier of the recording start and its first
 * sample, so no time is negative); counters as J from their first read.
 */
export function toPowerTrace(runId: string, recorded: Recorded): PowerTrace {
  const all = recorded.series.flatMap((s) => [...s.counter, ...s.power]);
  // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds (Math.min takes numbers only)
  const startNs = all.reduce((min, x) => (x.tNs < min ? x.tNs : min), recorded.startNs);
  // biome-ignore lint/complexity/useMathMinMax: bigint nanoseconds (Math.max takes numbers only)
  const endNs = all.reduce((max, x) => (x.tNs > max ? x.tNs : max), recorded.endNs);
  const tMs = (xs: TimedValue[]) => xs.map((x) => r3(Number(x.tNs - startNs) / 1e6));
  const series: Series[] = [];
  for (const s of recorded.series) {
    const base = { source: s.info.source, domain: s.info.domain, requestedHz: s.requestedHz };
    if (s.counter.length > 0) {
      const origin = s.counter[0]!.v;
      series.push({
        ...base,
        quantity: 'cumulativeEnergyJ',
        averagingWindowMs: null,
        achievedHz: achievedHz(s.counter),
        tMs: tMs(s.counter),
        values: s.counter.map((x) => r6(x.v - origin)),
      });
    }
    if (s.power.length > 0 && s.info.power) {
      series.push({
        ...base,
        quantity: s.info.power.quantity,
        averagingWindowMs: s.info.power.averagingWindowMs,
        achievedHz: achievedHz(s.power),
        tMs: tMs(s.power),
        values: s.power.map((x) => r6(x.v)),
      });
    }
  }
  return {
    schemaVersion: 1,
    runId,
    trialId: recorded.trialId,
    startNs: startNs.toString(),
    endNs: endNs.toString(),
    series,
    gpuState: recorded.gpuState,
  };
}
