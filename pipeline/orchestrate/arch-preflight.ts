import { decideArchSupport, type ArchSupport } from '../plan/index.js';
import type { CudaBuildInfo } from '../images/index.js';
import type { GpuDevice } from '../power/index.js';

/** The image facts the pre-flight reads (a BuiltImage / ImageRecord has them). */
export interface ImageArchFacts {
  runtime: string;
  flavour: string;
  description?: { cuda?: Pick<CudaBuildInfo, 'archs'> | null } | null;
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
 * Decides, before any trial, whether each cuda image's kernels run on every measured GPU: the
 * worst verdict over the GPUs wins (a trial runs on all of them). Pure.
 */
export function archPreflight(images: readonly ImageArchFacts[], measured: readonly GpuDevice[]): ImageArchVerdict[] {
  return images
    .filter((i) => i.flavour !== 'cpu')
    .map((image) => {
      const archs = image.description?.cuda?.archs ?? null;
      const verdicts = (measured.length ? measured : [null]).map((g) => ({ gpu: g, v: decideArchSupport(g?.computeCapability ?? null, archs) }));
      const worst = verdicts.reduce((a, b) => (severity[b.v.kind] > severity[a.v.kind] ? b : a));
      const on = worst.gpu ? `gpu:${worst.gpu.index} ${worst.gpu.name ?? ''}`.trim() : 'the GPU';
      return {
        runtime: image.runtime,
        flavour: image.flavour,
        archs,
        support: worst.v.kind,
        reason: `${image.runtime}:${image.flavour} on ${on}: ${worst.v.reason}`,
        computeCacheDir: worst.v.kind === 'ptx-jit' ? CUDA_COMPUTE_CACHE_DIR : null,
      };
    });
}
