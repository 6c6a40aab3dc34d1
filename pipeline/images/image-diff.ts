import { createHash } from 'node:crypto';
import { GreenrtError } from '../core/index.js';
import { type DockerEngine, engineError } from '../docker/index.js';
import { type LayerEntry, readLayerTar } from './layer-tar.js';

/**
 * A small image differ: two images' files (a flattened `docker export` of each) compared entry by entry, each
 * difference named as content (bytes, type, link target) or metadata only (mode, owner, mtime, xattrs). Used by
 * the reproducibility tests and `make images-repro-check` to say *which* paths made two config digests differ.
 */

/** One file of an image, as the differ compares it: the entry's metadata, its data's sha256 (hex), xattrs as JSON. */
export type FileFacts = Pick<LayerEntry, 'type' | 'mode' | 'uid' | 'gid' | 'mtimeS' | 'size' | 'linkname'> & { sha256: string; xattrs: string };

/** Every path of the image's filesystem (flattened), with its facts. Streams the export; holds no file data. */
export async function imageFiles(engine: DockerEngine, image: string): Promise<Map<string, FileFacts>> {
  const container = await engine.docker.createContainer({ Image: image, Cmd: ['true'], NetworkDisabled: true }).catch((e: unknown) => {
    throw engineError(e, `Image diff (creating a container of ${image})`);
  });
  const files = new Map<string, FileFacts>();
  try {
    const stream = (await container.export()) as unknown as AsyncIterable<Buffer>;
    for await (const { entry, data } of readLayerTar(stream)) {
      const hash = createHash('sha256');
      await data((chunk) => void hash.update(chunk));
      files.set(entry.path, {
        type: entry.type,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        mtimeS: entry.mtimeS,
        size: entry.size,
        linkname: entry.linkname,
        sha256: entry.type === 'file' ? hash.digest('hex') : '',
        xattrs: JSON.stringify(Object.entries(entry.xattrs).sort()),
      });
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
  return files;
}

export interface ImageDiff {
  onlyInA: string[];
  onlyInB: string[];
  /** Paths whose bytes, type or link target differ. */
  content: string[];
  /** Paths that differ in mode, owner, mtime or xattrs only: `path (field a -> b, ...)`. */
  metadata: string[];
}

/** Compares two file maps (imageFiles). */
export function diffFiles(a: Map<string, FileFacts>, b: Map<string, FileFacts>): ImageDiff {
  const diff: ImageDiff = { onlyInA: [], onlyInB: [], content: [], metadata: [] };
  for (const [path, fa] of a) {
    const fb = b.get(path);
    if (!fb) {
      diff.onlyInA.push(path);
      continue;
    }
    if (fa.type !== fb.type || fa.sha256 !== fb.sha256 || fa.linkname !== fb.linkname || fa.size !== fb.size) {
      diff.content.push(path);
      continue;
    }
    const fields = (['mode', 'uid', 'gid', 'mtimeS', 'xattrs'] as const).filter((k) => fa[k] !== fb[k]).map((k) => `${k} ${String(fa[k])} -> ${String(fb[k])}`);
    if (fields.length > 0) diff.metadata.push(`${path} (${fields.join(', ')})`);
  }
  for (const path of b.keys()) if (!a.has(path)) diff.onlyInB.push(path);
  return diff;
}

/** A few readable lines for a failure message: counts, then up to `limit` paths of each kind. */
export function formatImageDiff(diff: ImageDiff, limit = 20): string {
  const part = (title: string, paths: string[]) =>
    paths.length === 0
      ? []
      : [`${title}: ${paths.length}`, ...paths.slice(0, limit).map((p) => `  ${p}`), ...(paths.length > limit ? [`  ... ${paths.length - limit} more`] : [])];
  const lines = [
    ...part('content differs', diff.content),
    ...part('metadata differs', diff.metadata),
    ...part('only in the first', diff.onlyInA),
    ...part('only in the second', diff.onlyInB),
  ];
  return lines.length === 0 ? 'the files are identical (the configs differ)' : lines.join('\n');
}

/** The two images' files compared; throws nothing when they match, so callers decide what a difference means. */
export async function diffImages(engine: DockerEngine, a: string, b: string): Promise<ImageDiff> {
  if (a === b) throw new GreenrtError('E_IMAGE_DIFF', `Image diff: give two different images (got ${a} twice).`);
  return diffFiles(await imageFiles(engine, a), await imageFiles(engine, b));
}
