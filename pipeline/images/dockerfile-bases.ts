import type { ImageFlavour } from './build-context.js';

/**
 * Which base images a runtime Dockerfile starts from, read from its text (no Docker needed).
 * Conventions (images/<runtime>/Dockerfile, see docs/ARCHITECTURE.md ("Build contexts")):
 *   ARG BASE_IMAGE=greenrt/debian:<suite>        the cpu default (or a `# greenrt-base: <suite>` line)
 *   ARG CUDA_BASE_IMAGE=nvidia/cuda:<tag>         the cuda default (or `# greenrt-cuda-base: <ref>`)
 *   FROM ${BASE_IMAGE} ...
 * Only ARGs whose name ends in IMAGE count as image references.
 */
export interface DockerfileBases {
  /** Debian suite of the cpu base (bookworm, trixie), when named. */
  suite: string | null;
  /** The cpu flavour's base image reference. */
  cpuBase: string | null;
  /** The cuda flavour's base image reference (an upstream tag). */
  cudaBase: string | null;
  /** Registry references (FROM lines and ARG defaults outside greenrt/ and local/), sorted: what the lock file pins. */
  upstreamRefs: string[];
}

const LOCAL_PREFIXES = ['greenrt/', 'local/'];

export function readDockerfileBases(text: string): DockerfileBases {
  const args = new Map<string, string>();
  const fromRefs: string[] = [];
  let suiteComment: string | null = null;
  let cudaComment: string | null = null;
  const stages = new Set<string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const comment = /^#\s*greenrt-(base|cuda-base):\s*(\S+)/i.exec(line);
    if (comment) {
      if (comment[1]!.toLowerCase() === 'base') suiteComment = comment[2]!;
      else cudaComment = comment[2]!;
      continue;
    }
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=("?)([^"\s]+)\2/i.exec(line);
    if (arg) args.set(arg[1]!, arg[3]!);
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      if (!stages.has(from[1]!)) fromRefs.push(from[1]!);
      if (from[2]) stages.add(from[2]);
    }
  }
  const cpuBase = args.get('BASE_IMAGE') ?? (suiteComment ? `greenrt/debian:${suiteComment}` : null);
  const suite = suiteComment ?? (cpuBase ? (/^greenrt\/debian:([a-z]+)$/.exec(cpuBase)?.[1] ?? null) : null);
  const cudaBase = cudaComment ?? args.get('CUDA_BASE_IMAGE') ?? null;
  const imageArgs = [...args].filter(([k]) => /IMAGE$/.test(k)).map(([, v]) => v);
  const candidates = [...fromRefs, ...imageArgs, ...(cudaBase ? [cudaBase] : [])];
  const upstreamRefs = [...new Set(candidates.filter(isRegistryRef))].sort();
  return { suite, cpuBase, cudaBase, upstreamRefs };
}

/** The base image a flavour builds from when no --base-image is given (null: the Dockerfile's own default). */
export function defaultBaseImage(bases: DockerfileBases, flavour: ImageFlavour): string | null {
  return flavour === 'cuda' ? bases.cudaBase : bases.cpuBase;
}

/** A reference that names a registry image: no variables, not scratch, not one of ours. */
function isRegistryRef(ref: string): boolean {
  if (ref.includes('$') || ref === 'scratch') return false;
  if (LOCAL_PREFIXES.some((p) => ref.startsWith(p))) return false;
  return /^[a-z0-9][a-z0-9._\-/]*(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(ref) && (ref.includes(':') || ref.includes('/'));
}
