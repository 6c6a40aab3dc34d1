import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Contracts, type ImageArchiveRecord, packageRoot, SchemaId } from '../contracts/index.js';
import { GreenrtError, hashingStream, InputError, type InputProblem, openInputFile } from '../core/index.js';
import { type DockerEngine, engineError } from '../docker/index.js';
import { ensureFolder, readJsonFile, refuseNonRegularTarget, writeJsonFile } from '../results/index.js';
import type { ImageFlavour, ImageRuntime } from './build-context.js';
import { imageContext } from './ensure-image.js';
import { inspectImageOrNull } from './image-build.js';
import { importLayer, type ImportedLayer } from './layer-import.js';
import { readLayerTar } from './layer-tar.js';
import { writeTar, type TarEntry } from './tar-writer.js';

/**
 * Image archives: `greenrt images save` writes each image as the engine's `docker save` archive plus a record
 * (schemas/image-archive.schema.json) naming its config digest, layers, the archive's SHA-256 and the recipe;
 * `greenrt images load` loads what an engine lacks and refuses an archive that is not what its record says.
 * Identity is the config digest: the image id on the classic store, and the config blob an archive names on
 * any engine (the containerd store's image id is the manifest's digest instead).
 */

/** An archive that is not the image its record names: exit 4, and nothing of it is left tagged. */
export class ImageArchiveError extends GreenrtError {
  override readonly exitCode = 4 as const;
  constructor(message: string, hint: string) {
    super('E_IMAGE_ARCHIVE', message, { hint });
  }
}

/** What `images save`/`load` did with one image. */
export interface ImageTransfer {
  tag: string;
  configDigest: string;
  /** saved: archive written; kept: an archive of the same image was already there; loaded: read into the engine;
   *  present: the engine had it; tagged: the engine had the image under another name and now has the tag too. */
  action: 'saved' | 'kept' | 'loaded' | 'present' | 'tagged';
  /** The record's path (absolute). */
  record: string;
  archiveBytes: number;
  durationMs: number;
}

export interface SaveImagesOptions {
  contracts: Contracts;
  /** Folder for the archives and their records (made when missing). */
  outDir: string;
  repoRoot?: string;
  caBundlePath?: string;
  progress?: (line: string) => void;
  /** Clock for savedAt (ms since the epoch); default Date.now. */
  nowMs?: () => number;
}

/** Images saved at once by saveImages. */
export const SAVE_CONCURRENCY = 2;

/** `fn` over `items` with at most `limit` running at once; results in the items' order. The first error is thrown (after the running ones end). */
async function inOrder<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}

/** The archive and record names for a tag: <runtime>-<flavour>-<hash12>.tar and .json. */
export function archiveNames(tag: string): { archive: string; record: string } {
  const m = /^greenrt\/([a-z0-9]+):([a-z]+)-([0-9a-f]{12})$/.exec(tag);
  if (!m) throw new Error(`not a greenrt runtime image tag: ${tag}`);
  const stem = `${m[1]}-${m[2]}-${m[3]}`;
  return { archive: `${stem}.tar`, record: `${stem}.json` };
}

/** The config digest of an inspected image: its id on the classic store; on the containerd store, null (read it from an archive). */
export function configDigestOf(engine: DockerEngine, inspect: { Id: string }): string | null {
  return usesContainerdStore(engine) ? null : inspect.Id;
}

/** True when the engine keeps images in containerd (engine 24+ with the containerd image store): ids are then manifest digests. */
export function usesContainerdStore(engine: DockerEngine): boolean {
  return /snapshotter|^overlayfs$|^stargz$/.test(engine.info.storageDriver);
}

/**
 * Saves images that exist on the engine (build them first: `ensureImage`/`buildImages`). An archive already in
 * `outDir` whose record names the same config digest is kept as it is. Each archive is streamed from the engine
 * to a temp file beside its target while its SHA-256 is computed, checked (its config blob must be the image's),
 * synced and renamed; the record is written after it, so a record always describes a whole archive.
 */
export async function saveImages(
  engine: DockerEngine,
  tags: string[],
  options: SaveImagesOptions,
): Promise<{ records: ImageArchiveRecord[]; transfers: ImageTransfer[] }> {
  const outDir = resolve(options.outDir);
  await ensureFolder(outDir);
  const saveOne = async (tag: string): Promise<{ record: ImageArchiveRecord; transfer: ImageTransfer }> => {
    const started = performance.now();
    const names = archiveNames(tag);
    const inspect = await inspectImageOrNull(engine, tag);
    if (!inspect) {
      throw new InputError('Image not on this engine', [
        { file: 'command line', path: '', message: `${tag} is not on this Docker engine`, hint: 'Build it first: greenrt images build' },
      ]);
    }
    const recordFile = join(outDir, names.record);
    const archiveFile = join(outDir, names.archive);
    const known = configDigestOf(engine, inspect);
    const existing = await readArchiveRecord(options.contracts, recordFile);
    if (existing && known !== null && existing.configDigest === known && (await sizeOf(archiveFile)) === existing.archive.bytes) {
      return {
        record: existing,
        transfer: {
          tag,
          configDigest: known,
          action: 'kept',
          record: recordFile,
          archiveBytes: existing.archive.bytes,
          durationMs: performance.now() - started,
        },
      };
    }
    options.progress?.(`saving ${tag} (${(inspect.Size / 2 ** 20).toFixed(0)} MiB) to ${archiveFile}`);
    const written = await writeArchive(engine, tag, archiveFile, async (tmp) => {
      const content = await readArchiveImage(tmp);
      const image = content.find((c) => c.repoTags.includes(tag)) ?? (content.length === 1 ? content[0] : undefined);
      if (!image) throw new Error(`the engine's archive of ${tag} does not name it (manifest.json)`);
      if (known !== null && image.configDigest !== known)
        throw new Error(`the engine's archive of ${tag} holds config ${image.configDigest}, not the image's ${known}`);
      return image;
    });
    const labels = inspect.Config?.Labels ?? {};
    const runtime = labels['dev.greenrt.runtime'] as ImageRuntime;
    const flavour = labels['dev.greenrt.flavour'] as ImageFlavour;
    const record: ImageArchiveRecord = {
      schemaVersion: 1,
      runtime,
      flavour,
      tag,
      configDigest: written.image.configDigest,
      diffIds: written.image.diffIds,
      imageSizeBytes: inspect.Size,
      archive: { file: names.archive, bytes: written.bytes, sha256: written.sha256 },
      builtFrom: await recipeOf(engine, tag, labels, options),
      savedBy: { engineVersion: engine.info.serverVersion, apiVersion: engine.info.apiVersion, storageDriver: engine.info.storageDriver },
      savedAt: new Date((options.nowMs ?? Date.now)()).toISOString(),
    };
    await writeJsonFile(options.contracts, SchemaId.imageArchive, recordFile, record);
    return {
      record,
      transfer: {
        tag,
        configDigest: record.configDigest,
        action: 'saved',
        record: recordFile,
        archiveBytes: written.bytes,
        durationMs: performance.now() - started,
      },
    };
  };
  // Two at a time: one `docker save` leaves a core and the disk idle part of the time (the engine assembles each
  // layer's tar from its files); more than two only queue on the disk.
  const saved = await inOrder(tags, SAVE_CONCURRENCY, saveOne);
  const records = saved.map((s) => s.record);
  const transfers = saved.map((s) => s.transfer);
  return { records, transfers };
}

export interface LoadImagesOptions {
  contracts: Contracts;
  /** Only these tags (default: every record in the folder). A tag without a record is an InputError. */
  tags?: string[];
  progress?: (line: string) => void;
}

/**
 * Loads into the engine the archived images it lacks (by config digest), after checking each archive against
 * its record: size, SHA-256, and the config blob it holds (its digest must be the record's, and its layers the
 * record's). After `docker load` the tag must name that config digest; when it does not, the tag is removed.
 * An image already there under another tag gets the tag (no load). Throws ImageArchiveError (exit 4) for an
 * archive that is not its record's image, InputError (exit 2) for a damaged or missing record.
 */
export async function loadImages(engine: DockerEngine, dir: string, options: LoadImagesOptions): Promise<ImageTransfer[]> {
  const folder = resolve(dir);
  const records = await readArchiveFolder(options.contracts, folder);
  let wanted = records;
  if (options.tags) {
    const missing = options.tags.filter((t) => !records.some((r) => r.record.tag === t));
    if (missing.length > 0) {
      throw new InputError(`No saved archive for ${missing.join(', ')} in ${folder}`, [
        {
          file: folder,
          path: '',
          message: `has no record for ${missing.join(', ')} (it holds ${records.map((r) => r.record.tag).join(', ') || 'none'})`,
          hint: 'Save them there first: greenrt images save <runtime> --flavour <flavour> --out <folder>',
        },
      ]);
    }
    wanted = records.filter((r) => options.tags!.includes(r.record.tag));
  }
  const transfers: ImageTransfer[] = [];
  for (const { record, file } of wanted) transfers.push(await loadOne(engine, folder, record, file, options));
  return transfers;
}

async function loadOne(
  engine: DockerEngine,
  folder: string,
  record: ImageArchiveRecord,
  recordFile: string,
  options: LoadImagesOptions,
): Promise<ImageTransfer> {
  const started = performance.now();
  const done = (action: ImageTransfer['action']): ImageTransfer => ({
    tag: record.tag,
    configDigest: record.configDigest,
    action,
    record: recordFile,
    archiveBytes: record.archive.bytes,
    durationMs: performance.now() - started,
  });
  const containerd = usesContainerdStore(engine);
  const matches = (i: { Id: string; RootFS?: { Layers?: string[] } } | null) =>
    i !== null && (containerd ? sameList(i.RootFS?.Layers ?? [], record.diffIds) : i.Id === record.configDigest);
  const tagged = await inspectImageOrNull(engine, record.tag);
  if (matches(tagged)) return done('present');
  if (!containerd && !tagged) {
    // The same bytes under another name (or none): tag them, nothing to load.
    const byDigest = await inspectImageOrNull(engine, record.configDigest);
    if (byDigest && matches(byDigest)) {
      const [repo, tag] = splitTag(record.tag);
      await engine.docker
        .getImage(record.configDigest)
        .tag({ repo, tag })
        .catch((e: unknown) => {
          throw engineError(e, `Tagging ${record.configDigest} as ${record.tag}`);
        });
      return done('tagged');
    }
  }
  const archive = join(folder, record.archive.file);
  const refuse = (why: string) =>
    new ImageArchiveError(
      `Image archive ${archive} is not the image its record ${recordFile} names (${record.tag}, config ${record.configDigest}): ${why}. Nothing was loaded.`,
      'Save the image again from the engine that has it (greenrt images save ... --out <folder>), or copy the archive and its record again.',
    );
  const size = await sizeOf(archive);
  if (size === null) throw refuse('the archive is missing');
  if (size !== record.archive.bytes) throw refuse(`it has ${size} bytes, the record says ${record.archive.bytes}`);
  const scan = await scanArchive(archive).catch((e: unknown) => {
    throw refuse(`it cannot be read as an image archive (${(e as Error).message})`);
  });
  const image = scan.images.find((c) => c.repoTags.includes(record.tag)) ?? (scan.images.length === 1 ? scan.images[0] : undefined);
  if (!image) throw refuse(`its manifest.json does not name ${record.tag}`);
  if (image.configDigest !== record.configDigest) throw refuse(`its config digest is ${image.configDigest}`);
  if (!sameList(image.diffIds, record.diffIds)) throw refuse(`its layers (diff_ids) are not the record's`);
  options.progress?.(`loading ${record.tag} (${(record.archive.bytes / 2 ** 20).toFixed(0)} MiB) from ${archive}`);
  // The SHA-256 is computed on the bytes as they stream to the engine: an archive changed after its check is caught.
  const firstLayer = containerd ? null : firstLayerApart(scan, image);
  let answer = '';
  let sha256: string;
  if (firstLayer !== null) {
    const apart = await loadFirstLayerApart(engine, archive, firstLayer, record, refuse);
    answer = apart.answer;
    sha256 = apart.sha256;
  } else {
    const hashing = hashingStream();
    try {
      const archiveHandle = await openInputFile(archive);
      const source = archiveHandle.createReadStream({ highWaterMark: READ_CHUNK_BYTES }).pipe(hashing.stream);
      const response = (await engine.docker.loadImage(source as unknown as NodeJS.ReadableStream, { quiet: true })) as NodeJS.ReadableStream;
      for await (const chunk of response as AsyncIterable<Buffer | string>) answer += chunk.toString();
    } catch (error) {
      throw engineError(error, `Loading ${archive}`);
    }
    sha256 = hashing.sha256();
  }
  const failed = /"error(Detail)?"\s*:/.exec(answer) ? answer.trim().slice(0, 500) : null;
  const after = await inspectImageOrNull(engine, record.tag);
  const bad =
    failed !== null
      ? `the engine refused it: ${failed}`
      : sha256 !== record.archive.sha256
        ? `its SHA-256 is ${sha256}, the record says ${record.archive.sha256}`
        : !matches(after)
          ? `after loading, ${record.tag} is ${after?.Id ?? 'missing'}`
          : null;
  if (bad !== null) {
    // Nothing half-loaded left tagged: the tag goes (the layers stay unnamed, for docker image prune).
    if (after && after.Id !== tagged?.Id)
      await engine.docker
        .getImage(record.tag)
        .remove({ noprune: false })
        .catch(() => undefined);
    throw refuse(bad);
  }
  return done('loaded');
}

/** Reads of an archive: 1 MiB at a time (the default 64 KiB costs a system call and a stream turn per 64 KiB). */
const READ_CHUNK_BYTES = 1 << 20;

/** Bytes of an archive besides its first layer that the one-pass load holds in memory (greenrt's code layer: a few MiB). */
const REST_IN_MEMORY_MAX_BYTES = 256 * 2 ** 20;

/**
 * The path of the image's first layer file when the archive can be loaded with that layer apart (one image, regular
 * files and folders only, the first layer named once, the rest small enough to hold), else null.
 */
function firstLayerApart(scan: ArchiveScan, image: ArchiveScan['images'][number]): string | null {
  const first = image.layerFiles[0];
  if (scan.images.length !== 1 || first === undefined || image.layerFiles.length !== image.diffIds.length || image.layerFiles.indexOf(first, 1) !== -1)
    return null;
  let found = 0;
  let rest = 0;
  for (const e of scan.entries) {
    if (e.type === '5') continue;
    if (e.type !== '0' && e.type !== '\0') return null; // a link (one layer file shared by two layers) or anything unusual
    if (e.path === first) found++;
    else rest += e.size;
  }
  return found === 1 && rest <= REST_IN_MEMORY_MAX_BYTES ? first : null;
}

/**
 * One pass over an archive on the classic image store, hashed on the way: its first layer (an assembled image's
 * install layer, nearly all of its bytes) streams into `docker import`, the rest (config, manifest, other layers) is
 * held; when the layer and the SHA-256 are the record's, the rest is `docker load`ed, and the engine takes the first
 * layer from the import (it reads a layer file only when it lacks the layer). Plain `docker load` would first copy the
 * whole archive into a temp folder of the engine's and read it again. The imported image (untagged) is removed after.
 */
async function loadFirstLayerApart(
  engine: DockerEngine,
  archive: string,
  firstLayer: string,
  record: ImageArchiveRecord,
  refuse: (why: string) => ImageArchiveError,
): Promise<{ answer: string; sha256: string }> {
  const hash = createHash('sha256');
  const handle = await openInputFile(archive);
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const chunks = hashed();
  const rest: TarEntry[] = [];
  let importedId: string | null = null;
  const dropImported = async () => {
    if (importedId !== null)
      await engine.docker
        .getImage(importedId)
        .remove({ force: true })
        .catch(() => undefined);
  };
  try {
    let imported: ImportedLayer<void>;
    try {
      imported = await importLayer(
        engine,
        async (write) => {
          for await (const { entry, data } of readLayerTar(chunks)) {
            if (entry.path === firstLayer) await data(write);
            else if (entry.type === 'file') {
              const parts: Buffer[] = [];
              await data((chunk) => void parts.push(chunk));
              rest.push({ path: entry.path, type: 'file', data: Buffer.concat(parts) });
            } else if (entry.type === 'directory' && entry.path !== '') rest.push({ path: entry.path, type: 'directory' });
            else if (entry.type !== 'directory') throw new Error(`${entry.path} is a ${entry.type}, not a file or folder`);
          }
        },
        { what: `Loading ${archive} (its first layer)` },
      );
    } catch (error) {
      if (error instanceof GreenrtError && error.code !== 'E_IMAGE_ASSEMBLY') throw error;
      throw refuse(`its first layer could not be read or imported (${(error as Error).message})`);
    }
    importedId = imported.imageId;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()); // the end-of-archive blocks, hashed too
    const sha256 = hash.digest('hex');
    if (sha256 !== record.archive.sha256) throw refuse(`its SHA-256 is ${sha256}, the record says ${record.archive.sha256}`);
    if (imported.layers.length !== 1 || imported.layers[0] !== record.diffIds[0])
      throw refuse(`its first layer is ${imported.layers.join(', ')}, the record says ${record.diffIds[0]}`);
    let answer = '';
    try {
      const response = (await engine.docker.loadImage(Readable.from([writeTar(rest)]) as unknown as NodeJS.ReadableStream, {
        quiet: true,
      })) as NodeJS.ReadableStream;
      for await (const chunk of response as AsyncIterable<Buffer | string>) answer += chunk.toString();
    } catch (error) {
      throw engineError(error, `Loading ${archive}`);
    }
    return { answer, sha256 };
  } finally {
    stream.destroy();
    await dropImported();
  }
}

/** One image inside a `docker save` archive: its tags, config digest (SHA-256 of the config blob) and layers. */
export interface ArchivedImage {
  repoTags: string[];
  configDigest: string;
  diffIds: string[];
}

/** What a scan of an archive's headers found: its images (with the paths of their layer files) and every entry. */
interface ArchiveScan {
  images: (ArchivedImage & { layerFiles: string[] })[];
  /** Every entry, in archive order: path (no leading './'), tar type flag, data bytes. */
  entries: { path: string; type: string; size: number }[];
}

/**
 * The images a `docker save` archive holds, read from its manifest.json and config blobs (the classic layout of
 * engine 20.10 and the OCI layout of engine 25+ both carry manifest.json). Each config blob is hashed: its
 * digest must be the name the manifest gives it. Layers are not read (docker load checks them against diff_ids).
 */
export async function readArchiveImage(file: string): Promise<ArchivedImage[]> {
  return (await scanArchive(file)).images.map(({ repoTags, configDigest, diffIds }) => ({ repoTags, configDigest, diffIds }));
}

async function scanArchive(file: string): Promise<ArchiveScan> {
  const handle = await openInputFile(file);
  try {
    const entries = await tarEntries(handle);
    const files = new Map(entries.filter((e) => e.type === '0' || e.type === '\0').map((e) => [e.path, e]));
    const read = async (name: string, max: number) => {
      const e = files.get(name.replace(/^\.\//, ''));
      if (!e) throw new Error(`no ${name} in the archive`);
      if (e.size > max) throw new Error(`${name} is ${e.size} bytes (over ${max})`);
      const buf = Buffer.alloc(e.size);
      await handle.read(buf, 0, e.size, e.offset);
      return buf;
    };
    const manifest = JSON.parse((await read('manifest.json', 16 * 2 ** 20)).toString('utf8')) as {
      Config?: string;
      RepoTags?: string[] | null;
      Layers?: unknown;
    }[];
    if (!Array.isArray(manifest)) throw new Error('manifest.json is not a list');
    const images: ArchiveScan['images'] = [];
    for (const m of manifest) {
      if (typeof m.Config !== 'string') throw new Error('a manifest.json entry has no Config');
      const bytes = await read(m.Config, 64 * 2 ** 20);
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const named = /([0-9a-f]{64})(\.json)?$/.exec(m.Config)?.[1];
      if (named && `sha256:${named}` !== digest) throw new Error(`config ${m.Config} hashes to ${digest}`);
      const config = JSON.parse(bytes.toString('utf8')) as { rootfs?: { diff_ids?: unknown } };
      const diffIds = Array.isArray(config.rootfs?.diff_ids) ? config.rootfs.diff_ids.map(String) : [];
      const layerFiles = Array.isArray(m.Layers) ? m.Layers.map((l) => String(l).replace(/^\.\//, '')) : [];
      images.push({ repoTags: m.RepoTags ?? [], configDigest: digest, diffIds, layerFiles });
    }
    return { images, entries: entries.map(({ path, type, size }) => ({ path, type, size })) };
  } finally {
    await handle.close();
  }
}

/** Every entry of a tar (ustar, PAX and GNU long names), in order: path, type flag, offset and size of its data. */
async function tarEntries(handle: FileHandle): Promise<{ path: string; type: string; offset: number; size: number }[]> {
  const entries: { path: string; type: string; offset: number; size: number }[] = [];
  const header = Buffer.alloc(512);
  let offset = 0;
  let longName: string | null = null;
  for (;;) {
    const { bytesRead } = await handle.read(header, 0, 512, offset);
    if (bytesRead < 512 || header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const sizeField = header.subarray(124, 136);
    // Sizes over 8 GiB use base-256 (first byte 0x80).
    const size = sizeField[0]! & 0x80 ? Number(sizeField.subarray(1).readBigUInt64BE(3)) : Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const dataOffset = offset + 512;
    if (type === 'L' || type === 'x') {
      const buf = Buffer.alloc(size);
      await handle.read(buf, 0, size, dataOffset);
      if (type === 'L') longName = buf.toString('utf8').replace(/\0.*$/s, '');
      else {
        const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(buf.toString('utf8'))?.[1];
        if (path !== undefined) longName = path;
      }
    } else {
      const prefix = field(345, 155);
      const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      longName = null;
      entries.push({ path: name.replace(/^\.\//, '').replace(/\/+$/, ''), type, offset: dataOffset, size });
    }
    offset = dataOffset + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Streams `docker save <tag>` to a temp file beside `target` while hashing it, checks it, syncs and renames it. */
async function writeArchive<T>(
  engine: DockerEngine,
  tag: string,
  target: string,
  check: (tmp: string) => Promise<T>,
): Promise<{ bytes: number; sha256: string; image: T }> {
  const tmp = join(resolve(target, '..'), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const hashing = hashingStream();
  try {
    let source: NodeJS.ReadableStream;
    try {
      source = await engine.docker.getImage(tag).get();
    } catch (error) {
      throw engineError(error, `Saving ${tag}`);
    }
    await pipeline(source, hashing.stream, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const image = await check(tmp);
    // As writeFileAtomic: only a regular file (or nothing) is replaced.
    await refuseNonRegularTarget(target);
    await rename(tmp, target);
    return { bytes: hashing.bytes, sha256: hashing.sha256(), image };
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** The recipe of a saved image: its context-hash label, the lock files of the context that builds this tag here. */
async function recipeOf(
  engine: DockerEngine,
  tag: string,
  labels: Record<string, string>,
  options: Pick<SaveImagesOptions, 'repoRoot' | 'caBundlePath'>,
): Promise<ImageArchiveRecord['builtFrom']> {
  const runtime = labels['dev.greenrt.runtime'] as ImageRuntime;
  const flavour = labels['dev.greenrt.flavour'] as ImageFlavour;
  let lockFiles: Record<string, string> = {};
  let baseImage: string | null = null;
  try {
    const here = imageContext({ runtime, flavour, repoRoot: options.repoRoot ?? packageRoot, caBundlePath: options.caBundlePath });
    baseImage = here.baseImage;
    if (here.ctx.tag === tag) lockFiles = await lockFilesOf(here.ctx.tar);
  } catch {
    // a runtime this checkout cannot build: the record keeps the label's hash only
  }
  const baseImageId = baseImage ? ((await inspectImageOrNull(engine, baseImage))?.Id ?? null) : null;
  return { contextHash: labels['dev.greenrt.context-hash'] ?? '', lockFiles, baseImage, baseImageId };
}

async function lockFilesOf(tar: Buffer): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const path = prefix ? `${prefix}/${name}` : name;
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (/\.lock$/.test(path) && header[156] !== 53 /* '5' directory */)
      out[path] = createHash('sha256')
        .update(tar.subarray(offset + 512, offset + 512 + size))
        .digest('hex');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Every record in a folder of saved images, checked against the schema; InputError (exit 2) naming each damaged one. */
export async function readArchiveFolder(contracts: Contracts, folder: string): Promise<{ record: ImageArchiveRecord; file: string }[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /^[a-z0-9]+-[a-z]+-[0-9a-f]{12}\.json$/.test(n)).sort();
  } catch (error) {
    throw new InputError(`Cannot read the saved images in ${folder}`, [
      {
        file: folder,
        path: '',
        message: `is not a readable folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        hint: 'Pass the folder greenrt images save wrote.',
      },
    ]);
  }
  const problems: InputProblem[] = [];
  const out: { record: ImageArchiveRecord; file: string }[] = [];
  for (const name of names) {
    const file = join(folder, name);
    const read = await readJsonFile<ImageArchiveRecord>(contracts, SchemaId.imageArchive, file, { shown: file, hint, noFollow: true });
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    const expected = archiveNames(read.data.tag);
    if (expected.record !== name || expected.archive !== read.data.archive.file) {
      problems.push({ file, path: '/tag', message: `names ${read.data.tag}, whose record is ${expected.record} and archive ${expected.archive}`, hint });
      continue;
    }
    out.push({ record: read.data, file });
  }
  if (problems.length > 0) throw new InputError(`Saved image records in ${folder} are damaged`, problems);
  if (out.length === 0) {
    throw new InputError(`No saved images in ${folder}`, [
      { file: folder, path: '', message: 'holds no <runtime>-<flavour>-<hash12>.json record', hint: 'Pass the folder greenrt images save wrote.' },
    ]);
  }
  return out;
}

const hint =
  'greenrt images save writes these records atomically, so something else changed it: save the image again (greenrt images save ... --out <folder>).';

async function readArchiveRecord(contracts: Contracts, file: string): Promise<ImageArchiveRecord | null> {
  const read = await readJsonFile<ImageArchiveRecord>(contracts, SchemaId.imageArchive, file, { shown: file, hint, noFollow: true });
  return read.ok ? read.data : null;
}

async function sizeOf(file: string): Promise<number | null> {
  return stat(file).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function splitTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}
