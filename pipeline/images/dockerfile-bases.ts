/**
 * Which base images a runtime Dockerfile starts from, read from its text (no Docker needed).
 * Conventions (images/<runtime>/Dockerfile, see docs/ARCHITECTURE.md ("Build contexts")):
 *   ARG BASE_IMAGE=greenrt/debian:<suite>        the base of every flavour (or a `# greenrt-base: <suite>` line)
 *   FROM ${BASE_IMAGE} ...
 * The cpu and cuda flavours share the base and differ only in their wheels, so no flavour needs a
 * registry image. Registry references that a Dockerfile still names (FROM lines, ARGs ending in IMAGE)
 * are what images/images.lock.json pins to digests.
 */
export interface DockerfileBases {
  /** Debian suite of the base (bookworm, trixie), when named. */
  suite: string | null;
  /** The base image reference every flavour builds on. */
  base: string | null;
  /** Registry references (FROM lines and ARG defaults outside greenrt/ and local/), sorted: what the lock file pins. */
  upstreamRefs: string[];
}

const LOCAL_PREFIXES = ['greenrt/', 'local/'];

export function readDockerfileBases(text: string): DockerfileBases {
  const args = new Map<string, string>();
  const fromRefs: string[] = [];
  let suiteComment: string | null = null;
  const stages = new Set<string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const comment = /^#\s*greenrt-base:\s*(\S+)/i.exec(line);
    if (comment) {
      suiteComment = comment[1]!;
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
  const base = args.get('BASE_IMAGE') ?? (suiteComment ? `greenrt/debian:${suiteComment}` : null);
  const suite = suiteComment ?? (base ? (/^greenrt\/debian:([a-z]+)$/.exec(base)?.[1] ?? null) : null);
  const imageArgs = [...args].filter(([k]) => /IMAGE$/.test(k)).map(([, v]) => v);
  const upstreamRefs = [...new Set([...fromRefs, ...imageArgs].filter(isRegistryRef))].sort();
  return { suite, base, upstreamRefs };
}

/** A reference that names a registry image: no variables, not scratch, not one of ours. */
function isRegistryRef(ref: string): boolean {
  if (ref.includes('$') || ref === 'scratch') return false;
  if (LOCAL_PREFIXES.some((p) => ref.startsWith(p))) return false;
  return /^[a-z0-9][a-z0-9._\-/]*(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(ref) && (ref.includes(':') || ref.includes('/'));
}
