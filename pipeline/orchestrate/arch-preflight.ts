import { decideArchSupport, type ArchSupport } from '../plan/index.js';
import type { CudaBuildInfo } from '../images/index.js';
import type { GpuDevice } from '../power/index.js';

/** The image facts the pre-flight reads (a BuiltImage / ImageRecord has them). */
export interface ImageArchFacts {
  runtime: string;
  flavour: string;
  description?: { cuda?: (Pick<CudaBuildInfo, 'archs'> & Partial<Pick<CudaBuildInfo, 'archSource' | 'minDriver' | 'minDriverPtxJit'>>) | null } | null;
}

/** One cuda image's verdict, as recorded in the manifest (`gpu.images`). */
export interface ImageArchVerdict {
  runtime: string;
  flavour: string;
  archs: string[] | null;
  support: ArchSupport['kind'];
  reason: string;
  /** Run-scoped CUDA compute cache (relative to the run folder) for 'ptx-jit'; null otherwise. */
  computeCacheDir: string | null;
}

/** Relative to the run folder: one compute cache for the whole run, shared by its ptx-jit trials. */
export const CUDA_COMPUTE_CACHE_DIR = 'cache/cuda-compute';
const severity = { native: 0, unknown: 1, 'ptx-jit': 2, unsupported: 3 } as const;

/**
 * TensorFlow's build list (tf.sysconfig cuda_compute_capabilities) means by `compute_XY` sm_XY machine code
 * AND compute_XY PTX (cuda_configure.bzl passes --cuda-gpu-arch=sm_XY and --cuda-include-ptx=sm_XY). Pure.
 */
export function buildListArchs(archs: readonly string[] | null, archSource: string | null | undefined): string[] | null {
  if (!archs || !archSource?.startsWith('tf.sysconfig')) return archs ? [...archs] : null;
  return [...new Set(archs.flatMap((a) => (/^compute_\d+$/.test(a) ? [a.replace('compute_', 'sm_'), a] : [a])))];
}

/** -1, 0 or 1 comparing dotted driver versions numerically ('550.54.15' vs '525.60.13'); null when either does not parse. */
export function compareDriverVersions(a: string, b: string): number | null {
  const parse = (v: string) => /^\d+(\.\d+)*/.exec(v.trim())?.[0].split('.').map(Number) ?? null;
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Why the host driver cannot run this image (its CUDA runtime's minimum, or the PTX JIT's), or null. */
function driverTooOld(image: ImageArchFacts, support: ArchSupport['kind'], driver: string | null): string | null {
  const cuda = image.description?.cuda;
  if (!driver || !cuda) return null;
  const need =
    support === 'ptx-jit' && cuda.minDriverPtxJit
      ? { v: cuda.minDriverPtxJit, what: 'to JIT-compile its PTX' }
      : cuda.minDriver
        ? { v: cuda.minDriver, what: 'for its CUDA runtime' }
        : null;
  if (!need || (compareDriverVersions(driver, need.v) ?? 0) >= 0) return null;
  return `the host driver ${driver} is older than the ${need.v} this image needs ${need.what}`;
}

/**
 * Decides, before any trial, whether each cuda image's kernels run on the measured GPU and whether the host
 * driver is new enough for it (`driverVersion`, null when unknown: not checked); the worst verdict over the
 * GPUs wins. Pure.
 */
export function archPreflight(images: readonly ImageArchFacts[], measured: readonly GpuDevice[], driverVersion: string | null = null): ImageArchVerdict[] {
  return images
    .filter((i) => i.flavour !== 'cpu')
    .map((image) => {
      const archs = buildListArchs(image.description?.cuda?.archs ?? null, image.description?.cuda?.archSource);
      const verdicts = (measured.length ? measured : [null]).map((g) => ({ gpu: g, v: decideArchSupport(g?.computeCapability ?? null, archs) }));
      const worst = verdicts.reduce((a, b) => (severity[b.v.kind] > severity[a.v.kind] ? b : a));
      const on = worst.gpu ? `gpu:${worst.gpu.index} ${worst.gpu.name ?? ''}`.trim() : 'the GPU';
      const old = worst.v.kind === 'unsupported' ? null : driverTooOld(image, worst.v.kind, driverVersion);
      return {
        runtime: image.runtime,
        flavour: image.flavour,
        archs,
        support: old ? 'unsupported' : worst.v.kind,
        reason: old
          ? `${image.runtime}:${image.flavour} on ${on}: ${old} (update the NVIDIA driver)`
          : `${image.runtime}:${image.flavour} on ${on}: ${worst.v.reason}`,
        computeCacheDir: !old && worst.v.kind === 'ptx-jit' ? CUDA_COMPUTE_CACHE_DIR : null,
      };
    });
}
