/**
 * "Which claims can this host test?": before anything runs, each claim of an experiment's claims file joined with
 * what the experiment runs (claim-coverage.ts) and what the host has (GPU and its compute capability, power
 * sources, Docker, the images the plan needs and their kernel architectures). Pure: the `greenrt ae check`
 * command gathers the host facts.
 */

import { ENERGY_CLAIM_METRICS, type Claim } from '../analysis/index.js';
import { decideArchSupport } from '../plan/index.js';
import type { ClaimCoverage } from './claim-coverage.js';

/** What `greenrt ae check` found on this host. */
export interface HostFacts {
  /** NVIDIA GPUs the driver lists (empty: none). */
  gpus: { name: string | null; computeCapability: string | null }[];
  /** RAPL (CPU package) energy readable. */
  cpuEnergy: boolean;
  /** NVML or nvidia-smi energy readable. */
  gpuEnergy: boolean;
  /** The Docker engine answers (null: the experiment does not need it). */
  docker: boolean | null;
  /** Per image the plan needs (`runtime:flavour`): whether it is on the engine and its CUDA kernel architectures (null: unknown). */
  images: Record<string, { present: boolean; archs: string[] | null }>;
}

export type Testability = 'testable' | 'gpu-energy-only' | 'not testable here' | 'not in this experiment';

export interface ClaimForecast {
  id: string;
  scope: Claim['scope'];
  testability: Testability;
  /** Why it is not (fully) testable, each with its fix where the host can be fixed; empty when testable. */
  reasons: string[];
  /** A reason lies with the host (GPU, images, sensors), not with the experiment's matrix. */
  hostMissing: boolean;
}

const GPU_PROVIDERS = new Set(['cuda', 'tensorrt']);

/** The flavour of image a configuration runs in (the catalogue's rule: tensorrt has its own ONNX Runtime image). */
function imageKey(runtime: string, provider: string): string | null {
  if (runtime === 'embedded') return null;
  return `${runtime}:${provider === 'cpu' ? 'cpu' : provider === 'tensorrt' ? 'tensorrt' : 'cuda'}`;
}

/** One forecast per claim, in the claims file's order. */
export function forecastClaims(claims: readonly Claim[], coverage: readonly ClaimCoverage[], host: HostFacts): ClaimForecast[] {
  return claims.map((claim, i) => {
    const cov = coverage[i]!;
    const base = { id: claim.id, scope: claim.scope };
    if (!cov.enough) return { ...base, testability: 'not in this experiment', reasons: [cov.reason!], hostMissing: false };
    const present = cov.needed.filter((id) => !cov.absent.includes(id));
    const configs = present.map((id) => {
      const [runtime, , , provider] = id.split('/');
      return { runtime: runtime!, provider: provider! };
    });
    const reasons: string[] = [];
    const gpu = configs.some((c) => GPU_PROVIDERS.has(c.provider));
    if (gpu && host.gpus.length === 0) {
      reasons.push(
        `no NVIDIA GPU on this host: the claim compares ${[...new Set(configs.filter((c) => GPU_PROVIDERS.has(c.provider)).map((c) => c.provider))].join(' and ')} configurations (fix: run on a GPU host; \`greenrt doctor\` lists what it finds)`,
      );
    }
    const needsDocker = configs.some((c) => c.runtime !== 'embedded');
    if (needsDocker && host.docker === false) reasons.push('the Docker engine does not answer (fix: start dockerd; `greenrt doctor` says why)');
    for (const key of [...new Set(configs.map((c) => imageKey(c.runtime, c.provider)).filter((k): k is string => k !== null))]) {
      const image = host.images[key];
      if (host.docker === false || !image) continue;
      // A missing image is built on the first run (not the host's lack), except TensorRT's, which needs NVIDIA's index.
      if (!image.present && key.endsWith(':tensorrt')) {
        reasons.push(
          `the TensorRT image ${key} is not on this engine and needs NVIDIA's package index to build (fix: \`greenrt images build onnxruntime --flavour tensorrt\` on a host that reaches it, then docker save / load)`,
        );
      }
      if (!image.present) continue;
      if (key.endsWith(':cpu')) continue;
      for (const g of host.gpus) {
        const support = decideArchSupport(g.computeCapability, image.archs);
        if (support.kind === 'unsupported') reasons.push(`${key} has no kernels for ${g.name ?? 'this GPU'}: ${support.reason}`);
      }
    }
    const blocked = reasons.length > 0;
    const energy = claimEnergyMetrics(claim);
    let testability: Testability = blocked ? 'not testable here' : 'testable';
    if (!blocked && energy) {
      if (gpu && !host.cpuEnergy && host.gpuEnergy) {
        testability = 'gpu-energy-only';
        reasons.push('no RAPL here: its energy verdict rests on GPU energy only (counted apart from total-energy verdicts)');
      } else if (gpu && !host.gpuEnergy) {
        testability = 'not testable here';
        reasons.push('no GPU energy source works here (fix: NVML or nvidia-smi; `greenrt doctor`)');
      } else if (!gpu && !host.cpuEnergy) {
        testability = 'not testable here';
        reasons.push('no RAPL here and the claim rests on CPU energy (fix: a bare-metal host with /sys/class/powercap readable)');
      }
    }
    return { ...base, testability, reasons, hostMissing: testability === 'not testable here' };
  });
}

/** Whether the claim's verdict rests on a total-energy metric (checks do not count: they have their own sub-verdicts). */
function claimEnergyMetrics(claim: Claim): boolean {
  if (claim.test === 'correlation') return ENERGY_CLAIM_METRICS.has(claim.x) || ENERGY_CLAIM_METRICS.has(claim.y);
  return claim.metrics.some((m) => ENERGY_CLAIM_METRICS.has(m));
}
