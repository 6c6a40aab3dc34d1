/**
 * Splits a trial's energy by hardware: GPU (gpu:N), CPU packages (package-N), DRAM (dram-N).
 * Two sources can measure the same domain (nvml and nvidia-smi on gpu:0): one reading per domain is
 * kept, the strongest provenance first (counter > integrated > estimated), as the totals do.
 */
import type { TrialResult } from '../contracts/index.js';

export type EnergyPart = 'gpu' | 'cpu' | 'dram';
export const ENERGY_PARTS: readonly EnergyPart[] = ['gpu', 'cpu', 'dram'];

export interface DomainSplit {
  /** Gross energy of each part over the measure window, J; null when that part was not measured. */
  energyJ: Record<EnergyPart, number | null>;
  /** Same, per inference (J). */
  perInferenceJ: Record<EnergyPart, number | null>;
}

const STRENGTH: Record<string, number> = { counter: 3, integrated: 2, estimated: 1, unavailable: 0 };

export function partOf(domain: string): EnergyPart | null {
  if (domain.startsWith('gpu')) return 'gpu';
  if (domain.startsWith('package')) return 'cpu';
  if (domain.startsWith('dram')) return 'dram';
  return null;
}

/** The trial's energy by part; null when no reading has a value. */
export function splitEnergy(trial: TrialResult): DomainSplit | null {
  const best = new Map<string, { provenance: string; energyJ: number }>();
  for (const r of trial.energy.readings) {
    if (r.energyJ === null || r.provenance === 'unavailable' || !partOf(r.domain)) continue;
    const held = best.get(r.domain);
    if (!held || STRENGTH[r.provenance]! > STRENGTH[held.provenance]!) best.set(r.domain, { provenance: r.provenance, energyJ: r.energyJ });
  }
  if (best.size === 0) return null;
  const energyJ: Record<EnergyPart, number | null> = { gpu: null, cpu: null, dram: null };
  for (const [domain, r] of best) {
    const part = partOf(domain)!;
    energyJ[part] = (energyJ[part] ?? 0) + r.energyJ;
  }
  const n = trial.config.measuredIterations;
  const perInferenceJ = { gpu: div(energyJ.gpu, n), cpu: div(energyJ.cpu, n), dram: div(energyJ.dram, n) };
  return { energyJ, perInferenceJ };
}

function div(v: number | null, n: number): number | null {
  return v === null ? null : v / n;
}
