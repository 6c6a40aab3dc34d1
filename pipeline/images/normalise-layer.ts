import { createHash } from 'node:crypto';
import { GreenrtError } from '../core/index.js';
import { compareWalkOrder, END_OF_ARCHIVE, type LayerEntry, layerHeader, padding, type ReadEntry } from './layer-tar.js';

/**
 * The normal form of an image layer (docs/ARCHITECTURE.md, "Reproducible images"): entries in walk order
 * (`docker export`'s own order, checked), mtimes clamped to the epoch, numeric owners, no atime/ctime, xattrs
 * kept, hard links after their targets, and what differs between two builds of the same inputs dropped or fixed.
 */

/** Files dropped from every layer: written by the build's clock or the engine, never by the locks. */
export const VOLATILE_FILES: readonly string[] = [
  '.dockerenv',
  'var/cache/apt/pkgcache.bin',
  'var/cache/apt/srcpkgcache.bin',
  'var/cache/ldconfig/aux-cache',
  'var/log/alternatives.log',
  'var/log/bootstrap.log',
  'var/log/dpkg.log',
];
/** Folders whose files are dropped (the folders stay). */
export const VOLATILE_FOLDERS: readonly string[] = ['var/log/apt'];
/** Files the engine writes into every container (its init layer) and bind-mounts over at run time: fixed empty. */
export const ENGINE_FILES: readonly string[] = ['etc/hostname', 'etc/hosts', 'etc/resolv.conf'];

export interface NormalisedLayer {
  /** sha256:<hex> of the layer bytes (the image config's diff_id). */
  diffId: string;
  sizeBytes: number;
  entries: number;
  /** Paths dropped as volatile. */
  dropped: string[];
}

/** A layer in an order greenrt cannot reproduce (two builds could differ): the exporter changed. */
export class LayerOrderError extends GreenrtError {
  constructor(previous: string, path: string) {
    super(
      'E_IMAGE_ASSEMBLY',
      `Image assembly: the exported layer is not in walk order ("${path}" after "${previous}"), so two builds could write it differently. Report this with your Docker version.`,
    );
  }
}

/**
 * Hashes the output on the way and hands it to `write`: small pieces (headers, padding, small files) gathered into
 * writes of up to 1 MiB, a big data chunk passed on as it came (no copy).
 */
class HashingSink {
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  size = 0;
  constructor(private readonly write: (chunk: Buffer) => void | Promise<void>) {}
  async push(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.hash.update(chunk);
    this.size += chunk.length;
    if (chunk.length >= DIRECT_WRITE_BYTES) {
      await this.flush();
      await this.write(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const out = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.write(out);
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
/** Data chunks at least this big skip the gathering (the engine's stream comes in chunks of up to 64 KiB). */
const DIRECT_WRITE_BYTES = 32 << 10;

/** The normal form of one entry, or null when it is dropped. */
export function normaliseEntry(entry: LayerEntry, epochS: number): LayerEntry | null {
  const { path } = entry;
  if (entry.type !== 'directory' && (VOLATILE_FILES.includes(path) || VOLATILE_FOLDERS.some((d) => path.startsWith(`${d}/`)))) return null;
  const mtimeS = Math.min(entry.mtimeS, epochS);
  const base = { ...entry, mtimeS, xattrs: sortedXattrs(entry.xattrs) };
  if (ENGINE_FILES.includes(path) && entry.type === 'file') return { ...base, mode: 0o644, uid: 0, gid: 0, size: 0, xattrs: {} };
  if (path === '') return { ...base, mode: 0o755, uid: 0, gid: 0 };
  return base;
}

function sortedXattrs(x: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(x)
      .sort()
      .map((k) => [k, x[k] as string]),
  );
}

/**
 * Writes the normal form of a layer's entries to `write` and returns its diff_id. The input must be in walk
 * order (compareWalkOrder); hard links must follow their target. Data is streamed, never held whole.
 */
export async function normaliseLayer(
  input: AsyncIterable<ReadEntry>,
  write: (chunk: Buffer) => void | Promise<void>,
  options: { epochS: number },
): Promise<NormalisedLayer> {
  const sink = new HashingSink(write);
  const seen = new Set<string>();
  const dropped: string[] = [];
  let previous: string | undefined;
  let entries = 0;
  for await (const { entry, data } of input) {
    if (previous !== undefined && compareWalkOrder(previous, entry.path) >= 0) throw new LayerOrderError(previous, entry.path);
    previous = entry.path;
    const out = normaliseEntry(entry, options.epochS);
    if (out === null) {
      dropped.push(entry.path);
      continue;
    }
    if (out.type === 'hardlink' && !seen.has(out.linkname)) {
      throw new GreenrtError('E_IMAGE_ASSEMBLY', `Image assembly: hard link ${out.path} comes before (or without) its target ${out.linkname}.`);
    }
    seen.add(out.path);
    entries++;
    await sink.push(layerHeader(out));
    if (out.type === 'file' && out.size > 0) {
      let written = 0;
      await data(async (chunk) => {
        written += chunk.length;
        await sink.push(chunk);
      });
      if (written !== out.size) throw new GreenrtError('E_IMAGE_ASSEMBLY', `Image assembly: ${out.path} has ${written} bytes, its header says ${out.size}.`);
      await sink.push(padding(out.size));
    }
  }
  await sink.push(END_OF_ARCHIVE);
  await sink.flush();
  return { diffId: sink.digest(), sizeBytes: sink.size, entries, dropped };
}

/** Entries held in memory (small layers), as the reader would hand them over, in walk order. */
export async function* memoryEntries(list: { entry: LayerEntry; data?: Buffer }[]): AsyncGenerator<ReadEntry> {
  const sorted = [...list].sort((a, b) => compareWalkOrder(a.entry.path, b.entry.path));
  for (const item of sorted) {
    yield {
      entry: item.entry,
      data: async (sink) => {
        if (item.data && item.data.length > 0) await sink(item.data);
      },
    };
  }
}
