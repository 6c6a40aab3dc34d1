import { Readable } from 'node:stream';
import type { ImageInspectInfo } from 'dockerode';
import { GreenrtError, canonicalJson, sha256Hex } from '../core/index.js';
import { engineError, type DockerEngine } from '../docker/index.js';
import { usesContainerdStore } from './image-archive.js';
import { inspectImageOrNull } from './image-build.js';
import { importLayer, readJsonStream } from './layer-import.js';
import { readLayerTar, type LayerEntry } from './layer-tar.js';
import { memoryEntries, normaliseLayer, type NormalisedLayer } from './normalise-layer.js';
import { writeTar } from './tar-writer.js';

/**
 * The image assembly (docs/ARCHITECTURE.md, "Reproducible images"): the classic builder's output is only an
 * intermediate. The final image has two layers greenrt writes itself, in normal form (normalise-layer.ts):
 *   1. the Dockerfile's "install" stage, flattened (`docker export`) and normalised once per stage image id
 *      (kept as `<repository>-build:install-<id12>`, so a code-only rebuild skips it);
 *   2. CODE_PATHS read from the full intermediate (`GET /containers/{id}/archive`): greenrt's own files;
 * and a config greenrt writes (canonical JSON, `created` = the epoch, no build args or history of the build).
 * It is `docker load`ed under the real tag; on the classic image store its id is the config digest.
 */

/** What the Dockerfile's last stage adds on top of "install" (anything else it writes is not in the image). */
export const CODE_PATHS: readonly string[] = ['opt/greenrt/schemas', 'opt/greenrt/common', 'opt/greenrt/runtime', 'opt/greenrt/packages/cuda.json'];

export interface AssembleRequest {
  /** Image id of the Dockerfile's "install" stage (build target "install"). */
  installImageId: string;
  /** Image id of the whole Dockerfile (the code stage on top of "install"). */
  fullImageId: string;
  /** The real tag, e.g. greenrt/onnxruntime:cpu-<hash12>. */
  tag: string;
  /** SOURCE_DATE_EPOCH (s): the config's `created` and every file's latest mtime. */
  epochS: number;
  /** Labels added to the intermediate's (greenrt's runtime, flavour and context hash). */
  labels: Record<string, string>;
  progress?: (line: string) => void;
}

export interface AssembledImage {
  /** sha256:<hex> of the config greenrt wrote: the image's identity on any image store. */
  configDigest: string;
  /** Layer digests (diff_ids), install layer first. */
  diffIds: string[];
  /** True when the install layer came from the cache (no export this time). */
  installCached: boolean;
  /** Wall times of the steps, ms: the code layer is made beside the install layer, so `assembly` (the whole step's
   *  wall time) is less than their sum when the install layer is exported. */
  timingsMs: { installLayer: number; codeLayer: number; load: number; assembly: number };
}

/** `<repository>-build:<suffix>` for a tag `<repository>:<x>`: where intermediates and the install cache live. */
export function buildRepository(tag: string): string {
  const colon = tag.lastIndexOf(':');
  return `${colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag}-build`;
}

/** Assembles and loads the final image (see the module comment); resolves to its config digest and layers. */
export async function assembleImage(engine: DockerEngine, request: AssembleRequest): Promise<AssembledImage> {
  const progress = request.progress ?? (() => {});
  const t0 = performance.now();
  const cacheTag = `${buildRepository(request.tag)}:install-${request.installImageId.replace(/^sha256:/, '').slice(0, 12)}`;
  // The code layer is read beside the install layer's export and import (it waits on other engine calls).
  const codeStep = (async () => {
    const full = await inspectOrThrow(engine, request.fullImageId);
    const code = await codeLayer(engine, request.fullImageId, request.epochS);
    return { full, code, ms: performance.now() - t0 };
  })();
  codeStep.catch(() => undefined); // awaited below; not an unhandled rejection while the install layer is made
  const cached = await inspectImageOrNull(engine, cacheTag);
  let installDiffId = cached?.RootFS?.Layers?.length === 1 ? (cached.RootFS.Layers[0] as string) : undefined;
  const installCached = installDiffId !== undefined;
  if (installDiffId === undefined) {
    progress(`assembling: exporting and normalising the install stage ${request.installImageId.slice(0, 19)}`);
    const layer = await importNormalisedExport(engine, request.installImageId, cacheTag, request.epochS);
    installDiffId = layer.diffId;
    progress(
      `assembling: install layer ${layer.diffId.slice(0, 19)} (${(layer.sizeBytes / 2 ** 20).toFixed(0)} MiB, ${layer.entries} entries, ${layer.dropped.length} volatile files dropped)`,
    );
  }
  const t1 = performance.now();
  const { full, code, ms: codeMs } = await codeStep;
  const t2 = performance.now();
  const config = imageConfig(full, [installDiffId, code.diffId], request.epochS, request.labels);
  const configDigest = `sha256:${sha256Hex(config)}`;
  await loadImage(engine, request.tag, config, [installDiffId, code.diffId], code.bytes);
  const loaded = await inspectOrThrow(engine, request.tag);
  if (!usesContainerdStore(engine) && loaded.Id !== configDigest) {
    throw new GreenrtError(
      'E_IMAGE_ASSEMBLY',
      `Image assembly (${request.tag}): the engine stored id ${loaded.Id}, not the config digest ${configDigest}. Remove the tag (docker rmi ${request.tag}) and build again.`,
    );
  }
  const t3 = performance.now();
  progress(`assembled ${request.tag}: config ${configDigest.slice(0, 19)} in ${((t3 - t0) / 1000).toFixed(1)} s`);
  return {
    configDigest,
    diffIds: [installDiffId, code.diffId],
    installCached,
    timingsMs: { installLayer: t1 - t0, codeLayer: codeMs, load: t3 - t2, assembly: t3 - t0 },
  };
}

/**
 * The config greenrt writes: the intermediate's runtime settings (Env, Cmd, User, WorkingDir, Labels, ...) and
 * nothing of how it was built (no build args, container id, history or build times). Canonical JSON.
 */
export function imageConfig(
  inspect: Pick<ImageInspectInfo, 'Architecture' | 'Os' | 'Config'>,
  diffIds: string[],
  epochS: number,
  labels: Record<string, string>,
): Buffer {
  const c = (inspect.Config ?? {}) as unknown as Record<string, unknown>;
  const created = new Date(epochS * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const config: Record<string, unknown> = {};
  for (const key of ['Cmd', 'Entrypoint', 'Env', 'ExposedPorts', 'Healthcheck', 'Shell', 'StopSignal', 'User', 'Volumes', 'WorkingDir']) {
    const value = c[key];
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    config[key] = value;
  }
  const allLabels = { ...((c.Labels as Record<string, string> | null) ?? {}), ...labels, 'dev.greenrt.source-date-epoch': String(epochS) };
  config.Labels = allLabels;
  const history = [
    { created, created_by: 'greenrt assemble: install stage (normalised)' },
    { created, created_by: `greenrt assemble: ${CODE_PATHS.join(' ')}` },
  ].slice(0, diffIds.length);
  return Buffer.from(
    canonicalJson({
      architecture: inspect.Architecture,
      os: inspect.Os,
      config,
      created,
      history,
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
}

/** Exports a container of `imageId`, normalises the stream and imports it (tagged `cacheTag`); no temp file. */
async function importNormalisedExport(engine: DockerEngine, imageId: string, cacheTag: string, epochS: number): Promise<NormalisedLayer> {
  const container = await engine.docker.createContainer({ Image: imageId, Cmd: ['true'], NetworkDisabled: true }).catch((e: unknown) => {
    throw engineError(e, `Image assembly (creating a container of ${imageId})`);
  });
  try {
    const exported = (await container.export()) as unknown as NodeJS.ReadableStream;
    const { layers: stored, result: layer } = await importLayer(
      engine,
      (write) => normaliseLayer(readLayerTar(exported as AsyncIterable<Buffer>), write, { epochS }),
      { tag: cacheTag, what: `Image assembly (importing the install layer of ${imageId})` },
    );
    if (stored.length !== 1 || stored[0] !== layer.diffId) {
      await engine.docker
        .getImage(cacheTag)
        .remove({ force: true })
        .catch(() => undefined);
      throw new GreenrtError(
        'E_IMAGE_ASSEMBLY',
        `Image assembly: the engine stored layer ${stored.join(', ')} for the install stage, greenrt wrote ${layer.diffId}.`,
      );
    }
    return layer;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The code layer: CODE_PATHS read from a container of the full intermediate, normalised, in memory. */
async function codeLayer(engine: DockerEngine, imageId: string, epochS: number): Promise<{ bytes: Buffer; diffId: string }> {
  const container = await engine.docker.createContainer({ Image: imageId, Cmd: ['true'], NetworkDisabled: true }).catch((e: unknown) => {
    throw engineError(e, `Image assembly (creating a container of ${imageId})`);
  });
  const items: { entry: LayerEntry; data?: Buffer }[] = [];
  const parents = new Set<string>();
  try {
    for (const path of CODE_PATHS) {
      let stream: NodeJS.ReadableStream;
      try {
        stream = (await container.getArchive({ path: `/${path}` })) as unknown as NodeJS.ReadableStream;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) continue;
        throw engineError(error, `Image assembly (reading /${path})`);
      }
      const parent = path.split('/').slice(0, -1).join('/');
      for (let p = parent; p !== ''; p = p.split('/').slice(0, -1).join('/')) parents.add(p);
      for await (const { entry, data } of readLayerTar(stream as AsyncIterable<Buffer>)) {
        const chunks: Buffer[] = [];
        await data((chunk) => {
          chunks.push(Buffer.from(chunk));
        });
        items.push({
          entry: { ...entry, path: `${parent}/${entry.path}`, linkname: entry.type === 'hardlink' ? `${parent}/${entry.linkname}` : entry.linkname },
          data: Buffer.concat(chunks),
        });
      }
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
  for (const p of parents) {
    items.push({
      entry: { path: p, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtimeS: epochS, size: 0, linkname: '', devmajor: 0, devminor: 0, xattrs: {} },
    });
  }
  const out: Buffer[] = [];
  const layer = await normaliseLayer(memoryEntries(items), (chunk) => void out.push(chunk), { epochS });
  return { bytes: Buffer.concat(out), diffId: layer.diffId };
}

/**
 * `docker load` of config + manifest + the layers not yet on the engine. The install layer is left out: the
 * engine reads a layer file only when it lacks that layer (moby's tarexport), and the cache image holds it.
 */
async function loadImage(engine: DockerEngine, tag: string, config: Buffer, diffIds: string[], codeLayerBytes: Buffer): Promise<void> {
  const hex = (d: string) => d.replace(/^sha256:/, '');
  const configName = `${sha256Hex(config)}.json`;
  const codeDiff = diffIds[diffIds.length - 1] as string;
  const manifest = [{ Config: configName, RepoTags: [tag], Layers: diffIds.map((d) => `${hex(d)}/layer.tar`) }];
  const archive = writeTar([
    { path: configName, type: 'file', data: config },
    { path: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) },
    { path: hex(codeDiff), type: 'directory' },
    { path: `${hex(codeDiff)}/layer.tar`, type: 'file', data: codeLayerBytes },
  ]);
  let response: NodeJS.ReadableStream;
  try {
    response = (await engine.docker.loadImage(Readable.from([archive]) as unknown as string, { quiet: true } as object)) as unknown as NodeJS.ReadableStream;
  } catch (error) {
    throw engineError(error, `Image assembly (loading ${tag})`);
  }
  await readJsonStream(response, `Image assembly (loading ${tag})`);
}

async function inspectOrThrow(engine: DockerEngine, ref: string): Promise<ImageInspectInfo> {
  const inspect = await inspectImageOrNull(engine, ref);
  if (!inspect) throw new GreenrtError('E_IMAGE_ASSEMBLY', `Image assembly: image ${ref} is missing right after it was made. Build again.`);
  return inspect;
}

/**
 * Removes an assembled image and what its build keeps: the intermediate `<repository>-build:<suffix>` (the classic
 * builder's cache, with its untagged parents) and the install-layer cache of the stage it was built on (found among
 * the intermediate's ancestors). The next build of the tag then starts from nothing but the base. Returns the refs removed.
 */
export async function removeImageBuild(engine: DockerEngine, tag: string): Promise<string[]> {
  const build = buildRepository(tag);
  const intermediate = `${build}:${tag.slice(tag.lastIndexOf(':') + 1)}`;
  const refs = [tag, intermediate];
  for (let id = (await inspectImageOrNull(engine, intermediate))?.Id; id; ) {
    refs.push(`${build}:install-${id.replace(/^sha256:/, '').slice(0, 12)}`);
    id = (await inspectImageOrNull(engine, id))?.Parent || undefined;
  }
  const removed: string[] = [];
  for (const ref of refs) {
    if (!(await inspectImageOrNull(engine, ref))) continue;
    await engine.docker.getImage(ref).remove({ force: true });
    removed.push(ref);
  }
  return removed;
}
