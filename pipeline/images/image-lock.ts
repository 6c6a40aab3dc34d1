import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GreenrtError, InputError } from '../core/index.js';
import { checkJsonText, writeJsonFile } from '../results/index.js';
import { Contracts, SchemaId, packageRoot, type ImageLock } from '../contracts/index.js';
import { imageRuntimeNames } from '../catalogue/index.js';
import type { ImageRuntime } from './build-context.js';
import type { DockerEngine } from '../docker/index.js';
import { readDockerfileBases } from './dockerfile-bases.js';
import { inspectImageOrNull } from './image-build.js';

/**
 * images/images.lock.json: local bases (greenrt/debian:<suite>, made by debootstrap + docker import)
 * recorded by image id (a local import has no registry digest); every wheel is locked by hash in the
 * runtime's requirements-<flavour>.lock. Registry images that a Dockerfile may still name (none of
 * greenrt's do) are pinned to the digest seen on the first build and checked on every later one.
 */
export type { ImageLock };
/** One registry image of the lock (schemas/image-lock.schema.json). */
export type UpstreamLockEntry = ImageLock['upstream'][string];
/** One local base of the lock (schemas/image-lock.schema.json). */
export type LocalBaseLockEntry = ImageLock['localBases'][string];

export interface LockResult {
  lock: ImageLock;
  lockPath: string;
  /** What changed in the lock (new digests, new tags, new local ids). */
  changes: string[];
  /** Notes for the user (unresolved upstream tags, local base id changes). */
  notes: string[];
}

export const LOCK_FILE = join('images', 'images.lock.json');

/**
 * The image lock, checked against schemas/image-lock.schema.json; an absent one is empty. A file that is not JSON
 * or fails the schema is an InputError (exit 2) naming the file, each JSON path and the fix.
 */
export function readLock(lockPath: string): ImageLock {
  if (!existsSync(lockPath)) return { schemaVersion: 1, upstream: {}, localBases: {} };
  const read = checkJsonText<ImageLock>(new Contracts(), SchemaId.imageLock, readFileSync(lockPath, 'utf8'), {
    shown: lockPath,
    hint: 'Restore it from git (git checkout images/images.lock.json), or delete it and run greenrt images lock.',
  });
  if (!read.ok) throw new InputError(`Image lock ${lockPath} is damaged`, read.problems);
  return read.data;
}

/** Runtimes with a Dockerfile in the checkout, sorted. */
export function imageRuntimes(repoRoot = packageRoot): ImageRuntime[] {
  const dir = join(repoRoot, 'images');
  return readdirSync(dir)
    .filter((d) => (imageRuntimeNames as readonly string[]).includes(d) && existsSync(join(dir, d, 'Dockerfile')))
    .sort() as ImageRuntime[];
}

/**
 * Resolves and checks the lock: every upstream tag present on this host must match its locked
 * digest (mismatch throws E_IMAGE_LOCK_MISMATCH with the fix); unresolved digests are filled in;
 * local base ids are recorded. Writes the file (atomically) when something changed and `write` is not false.
 */
export async function lockImages(
  engine: DockerEngine,
  options: { repoRoot?: string; lockPath?: string; runtimes?: ImageRuntime[]; write?: boolean; now?: () => string } = {},
): Promise<LockResult> {
  const repoRoot = options.repoRoot ?? packageRoot;
  const lockPath = options.lockPath ?? join(repoRoot, LOCK_FILE);
  const now = options.now ?? (() => new Date().toISOString());
  const lock = readLock(lockPath);
  const changes: string[] = [];
  const notes: string[] = [];
  const named = new Set<string>();
  for (const runtime of options.runtimes ?? imageRuntimes(repoRoot)) {
    const file = `images/${runtime}/Dockerfile`;
    const bases = readDockerfileBases(readFileSync(join(repoRoot, file), 'utf8'));
    for (const ref of [...bases.upstreamRefs, ...(bases.base ? [bases.base] : [])]) named.add(ref);
    for (const ref of bases.upstreamRefs) {
      const entry = lock.upstream[ref] ?? { digest: null, resolvedAt: null, usedBy: [] };
      lock.upstream[ref] = entry;
      if (!entry.usedBy.includes(file)) entry.usedBy = [...entry.usedBy, file].sort();
      const digests = await localDigests(engine, ref);
      if (digests === null) {
        if (!entry.digest) notes.push(`${ref}: not pulled on this host; its digest is resolved on the first build on a host that pulls it.`);
        continue;
      }
      if (entry.digest && !digests.includes(entry.digest)) {
        throw new GreenrtError(
          'E_IMAGE_LOCK_MISMATCH',
          `Base image ${ref} (${file}): local digest ${digests.join(', ') || 'none'} differs from the locked ${entry.digest}. The upstream tag moved. Pull the locked one (docker pull ${repoOf(ref)}@${entry.digest} && docker tag ${repoOf(ref)}@${entry.digest} ${ref}), or accept the new base by deleting its entry in ${LOCK_FILE} and running greenrt images lock.`,
          { hint: `docker pull ${repoOf(ref)}@${entry.digest}` },
        );
      }
      if (!entry.digest && digests[0]) {
        entry.digest = digests[0];
        entry.resolvedAt = now();
        changes.push(`${ref}: locked to ${entry.digest}`);
      }
    }
    if (bases.base && !bases.upstreamRefs.includes(bases.base)) {
      const entry = lock.localBases[bases.base] ?? { imageId: null, recordedAt: null, usedBy: [], digest: 'not applicable' };
      lock.localBases[bases.base] = entry;
      if (!entry.usedBy.includes(file)) entry.usedBy = [...entry.usedBy, file].sort();
      const id = (await inspectImageOrNull(engine, bases.base))?.Id ?? null;
      if (id && id !== entry.imageId) {
        if (entry.imageId) notes.push(`${bases.base}: local image id changed from ${entry.imageId} to ${id} (rebuilt base; images built on it get new ids).`);
        entry.imageId = id;
        entry.recordedAt = now();
        changes.push(`${bases.base}: recorded local id ${id} (registry digest not applicable)`);
      }
    }
  }
  if (!options.runtimes) dropUnnamed(lock, named, changes);
  if (changes.length > 0 && options.write !== false) await writeLock(lockPath, lock);
  return { lock, lockPath, changes, notes };
}

/** Entries no Dockerfile names any more (a full scan only): a stale pin is noise, not a guarantee. */
function dropUnnamed(lock: ImageLock, named: Set<string>, changes: string[]): void {
  for (const table of [lock.upstream, lock.localBases] as Record<string, unknown>[]) {
    for (const ref of Object.keys(table)) {
      if (named.has(ref)) continue;
      delete table[ref];
      changes.push(`${ref}: removed (no Dockerfile names it)`);
    }
  }
}

/** Writes the lock sorted, checked against its schema first, atomically (nothing half-written). */
async function writeLock(path: string, lock: ImageLock): Promise<void> {
  const sorted: ImageLock = {
    schemaVersion: 1,
    upstream: Object.fromEntries(Object.entries(lock.upstream).sort(([a], [b]) => a.localeCompare(b))),
    localBases: Object.fromEntries(Object.entries(lock.localBases).sort(([a], [b]) => a.localeCompare(b))),
  };
  await writeJsonFile(new Contracts(), SchemaId.imageLock, path, sorted);
}

/** RepoDigests of a local image restricted to the reference's repository; null when absent locally. */
async function localDigests(engine: DockerEngine, ref: string): Promise<string[] | null> {
  const inspect = await inspectImageOrNull(engine, ref);
  if (!inspect) return null;
  const repo = normalizeRepo(repoOf(ref));
  return (inspect.RepoDigests ?? [])
    .filter((d) => normalizeRepo(d.split('@')[0] ?? '') === repo)
    .map((d) => d.split('@')[1] ?? '')
    .filter(Boolean);
}

/** 'nvidia/cuda:12.4.1-runtime' -> 'nvidia/cuda' (a ':' after the last '/' starts the tag). */
export function repoOf(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function normalizeRepo(repo: string): string {
  let r = repo.replace(/^docker\.io\//, '').replace(/^index\.docker\.io\//, '');
  if (!r.includes('/')) r = `library/${r}`;
  return r.replace(/^library\/library\//, 'library/');
}
