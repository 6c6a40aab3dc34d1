/**
 * Can a runtime's CUDA kernels run on a GPU? Pure: a compute capability ("9.0") and the kernel
 * architectures an image build recorded (`CudaBuildInfo.archs`: "sm_XY" = SASS for
 * cc X.Y, "compute_XY" = PTX for virtual architecture X.Y) in, a decision out.
 *
 * Rules (CUDA C Programming Guide, "Binary Compatibility" and "PTX Compatibility"):
 * - SASS sm_XY runs on a GPU of the same major X with minor >= Y (sm_86 runs on 8.9; sm_80 does
 *   not run on 9.0, a new major never runs an older major's SASS).
 * - PTX compute_XY is JIT-compiled by the driver for any GPU with cc >= X.Y (minutes for a large
 *   framework, once per compile cache).
 */

/** Compute capability as major and minor numbers (cc 9.0 -> { major: 9, minor: 0 }). */
export interface ComputeCapability {
  major: number;
  minor: number;
}

export type ArchSupportKind = 'native' | 'ptx-jit' | 'unsupported' | 'unknown';

export interface ArchSupport {
  kind: ArchSupportKind;
  /** The arch that serves the GPU ('sm_86' for native, 'compute_80' for ptx-jit); null otherwise. */
  via: string | null;
  /** One sentence for the report: why this kind. */
  reason: string;
}

/** "9.0", "8.6", [9, 0] or { major, minor } -> ComputeCapability; null when unparsable. */
export function parseComputeCapability(cc: string | readonly number[] | ComputeCapability | null | undefined): ComputeCapability | null {
  if (cc === null || cc === undefined) return null;
  if (typeof cc === 'string') {
    const m = /^\s*(\d+)\.(\d+)\s*$/.exec(cc);
    return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
  }
  if (Array.isArray(cc)) {
    const [major, minor] = cc as readonly number[];
    return Number.isInteger(major) && Number.isInteger(minor) ? { major: major!, minor: minor! } : null;
  }
  const c = cc as ComputeCapability;
  return Number.isInteger(c.major) && Number.isInteger(c.minor) ? { major: c.major, minor: c.minor } : null;
}

/** "sm_86" -> { kind: 'sass', major: 8, minor: 6 }; "compute_80" -> ptx; null for anything else. */
export function parseArch(arch: string): { kind: 'sass' | 'ptx'; major: number; minor: number } | null {
  const m = /^(sm|compute)_(\d+)(\d)[a-z]?$/.exec(arch.trim());
  if (!m) return null;
  return { kind: m[1] === 'sm' ? 'sass' : 'ptx', major: Number(m[2]), minor: Number(m[3]) };
}

const ccText = (cc: ComputeCapability) => `${cc.major}.${cc.minor}`;

/**
 * The decision for one image on one GPU. `archs` null (the image recorded none, or the process
 * runner uses the host's own packages) gives 'unknown': the run goes on and says it could not check.
 */
export function decideArchSupport(gpuCc: ComputeCapability | string | null, archs: readonly string[] | null | undefined): ArchSupport {
  const cc = parseComputeCapability(gpuCc);
  if (!cc) return { kind: 'unknown', via: null, reason: 'the GPU compute capability is unknown, so kernel architectures were not checked' };
  if (!archs || archs.length === 0) {
    return { kind: 'unknown', via: null, reason: `the image recorded no CUDA kernel architectures, so support for cc ${ccText(cc)} was not checked` };
  }
  const parsed = archs.map((a) => ({ text: a, arch: parseArch(a) })).filter((a) => a.arch !== null);
  // Best SASS: same major, highest minor not above the GPU's.
  const sass = parsed
    .filter((a) => a.arch!.kind === 'sass' && a.arch!.major === cc.major && a.arch!.minor <= cc.minor)
    .sort((a, b) => b.arch!.minor - a.arch!.minor)[0];
  if (sass) return { kind: 'native', via: sass.text, reason: `${sass.text} kernels run natively on cc ${ccText(cc)}` };
  // Best PTX: the newest virtual arch not above the GPU's cc.
  const ptx = parsed
    .filter((a) => a.arch!.kind === 'ptx' && (a.arch!.major < cc.major || (a.arch!.major === cc.major && a.arch!.minor <= cc.minor)))
    .sort((a, b) => b.arch!.major - a.arch!.major || b.arch!.minor - a.arch!.minor)[0];
  if (ptx) {
    return {
      kind: 'ptx-jit',
      via: ptx.text,
      reason: `no SASS for cc ${ccText(cc)} (has ${archs.join(', ')}): the driver JIT-compiles ${ptx.text} PTX, which takes minutes once per compile cache`,
    };
  }
  return {
    kind: 'unsupported',
    via: null,
    reason: `no kernels for cc ${ccText(cc)}: the image has ${archs.join(', ')} (SASS runs only on the same major with an equal or higher minor, and there is no PTX at or below ${ccText(cc)})`,
  };
}
