import type { Recorded } from '../power/index.js';

/** Why CPU energy is not in a trial's energy when shards share a host (also in the report). */
export const sharedCpuEnergyReason =
  "shared host: other shards ran at the same time on other GPUs of this host (`greenrt run --shared-host`), so the CPU package and DRAM energy (RAPL) belongs to all of them and is left out of this trial's energy";

/**
 * The recording without its RAPL series, RAPL listed as unavailable with the reason: the CPU counters
 * measure the whole host, which concurrent shards share, so they are not this trial's energy.
 */
export function withoutSharedCpuEnergy(recorded: Recorded): Recorded {
  const hadCpu = recorded.series.some((s) => s.info.source === 'rapl') || recorded.unavailable.some((u) => u.source === 'rapl');
  if (!hadCpu) return recorded;
  return {
    ...recorded,
    series: recorded.series.filter((s) => s.info.source !== 'rapl'),
    unavailable: [
      ...recorded.unavailable.filter((u) => u.source !== 'rapl'),
      {
        source: 'rapl',
        available: false,
        domains: [],
        reason: sharedCpuEnergyReason,
        fix: 'Run one shard per host (Slurm --exclusive, the default) to measure CPU energy.',
        detail: null,
      },
    ],
  };
}
