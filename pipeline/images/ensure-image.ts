import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, type ManifestImage } from '../contracts/index.js';
import { ensureBaseImage } from './base-image.js';
import { buildContext, type BuildContext, type ImageFlavour, type ImageRuntime } from './build-context.js';
import { describeImage } from './describe-image.js';
import type { DockerEngine } from '../docker/index.js';
import { readDockerfileBases } from './dockerfile-bases.js';
import { buildFromContext, inspectImageOrNull, type BuildProgress } from './image-build.js';
import { configDigestOf, loadImages, type ImageTransfer } from './image-archive.js';
import { assembleImage, buildRepository } from './assemble-image.js';
import type { Contracts } from '../contracts/index.js';
import { requireLocalBase } from './vendor-inputs.js';

/** An image ready to run trials: the record the run manifest keeps (manifest.images[], schemas/run-manifest.schema.json). */
export type BuiltImage = ManifestImage;

export interface EnsureImageRequest {
  runtime: ImageRuntime;
  flavour: ImageFlavour;
  /** Overrides the Dockerfile's default base (BASE_IMAGE build arg). */
  baseImage?: string;
  /** CA bundle for the install step (default: the host's trust store; null: none). Not part of the tag. */
  caBundlePath?: string | null;
  repoRoot?: string;
  /** Run the describe containers (default true; cached per image id). */
  describe?: boolean;
  /**
   * A folder from `greenrt images vendor` (already checked with checkVendoredInputs): the build sends it in the
   * context and runs with network mode none; the base image must be on the engine.
   */
  vendorDir?: string;
  /** Where descriptions are cached (default <repoRoot>/.build/images). */
  cacheDir?: string;
  signal?: AbortSignal;
  /**
   * A folder of saved images (`greenrt images save`): the image is loaded from its archive when the engine lacks
   * it (checked against its record), never built. A folder without this tag's record is an InputError.
   */
  archives?: { dir: string; contracts: Contracts };
}

/**
 * Builds greenrt/<runtime>:<flavour>-<hash> unless that tag exists; never rebuilds an existing tag. A build is
 * reproducible (docs/ARCHITECTURE.md, "Reproducible images"): the classic builder makes an intermediate
 * (`<repository>-build:<flavour>-<hash>`, kept as the build cache), assembleImage writes the real tag.
 */
export async function ensureImage(engine: DockerEngine, request: EnsureImageRequest, progress: BuildProgress = () => {}): Promise<BuiltImage> {
  const started = performance.now();
  const repoRoot = request.repoRoot ?? packageRoot;
  const { ctx, baseImage } = imageContext(request);
  let loaded: ImageTransfer | null = null;
  if (request.archives) {
    loaded = (await loadImages(engine, request.archives.dir, { contracts: request.archives.contracts, tags: [ctx.tag], progress }))[0] ?? null;
  }
  let inspect = await inspectImageOrNull(engine, ctx.tag);
  let baseImageId: string | null = null;
  const built = inspect === null;
  let assembledDigest: string | null = null;
  if (inspect === null) {
    if (request.vendorDir !== undefined) {
      await requireLocalBase(engine, baseImage, `Load it (docker load) or build it with images/base/build-base.sh where Debian's mirror is reachable.`);
      baseImageId = baseImage ? ((await inspectImageOrNull(engine, baseImage))?.Id ?? null) : null;
    } else if (baseImage) {
      baseImageId = await ensureBaseImage(engine, baseImage, { repoRoot, progress, signal: request.signal });
    }
    progress(`building ${ctx.tag} (${ctx.files.length} context entries, ${(ctx.tar.length / 1024).toFixed(0)} KiB${request.vendorDir ? ', offline' : ''})`);
    const offline = request.vendorDir !== undefined ? { networkMode: 'none' } : {};
    assembledDigest = (await buildReproducibly(engine, ctx, imageLabels(request, ctx), progress, { signal: request.signal, ...offline })).configDigest;
    inspect = await inspectImageOrNull(engine, ctx.tag);
    if (!inspect) throw new Error(`Image ${ctx.tag} was built but cannot be inspected`);
  } else if (baseImage) {
    baseImageId = (await inspectImageOrNull(engine, baseImage))?.Id ?? null;
  }
  const description =
    request.describe === false
      ? null
      : await describeImage(engine, inspect.Id, { cacheDir: request.cacheDir ?? join(repoRoot, '.build', 'images'), onNote: progress });
  return {
    runtime: request.runtime,
    flavour: request.flavour,
    tag: ctx.tag,
    imageId: inspect.Id,
    ...withDigest(assembledDigest ?? configDigestOf(engine, inspect) ?? loaded?.configDigest ?? null),
    diffIds: inspect.RootFS?.Layers ?? [],
    obtained: built ? 'built' : loaded && loaded.action !== 'present' ? 'loaded' : 'present',
    loadedFrom: loaded && loaded.action !== 'present' ? loaded.record : null,
    repoDigests: inspect.RepoDigests ?? [],
    sizeBytes: inspect.Size,
    created: inspect.Created,
    contextHash: ctx.contextHash,
    buildArgs: ctx.buildArgs,
    baseImage,
    baseImageId,
    built,
    durationMs: performance.now() - started,
    description,
  };
}

function withDigest(configDigest: string | null): { configDigest?: string } {
  return configDigest ? { configDigest } : {};
}

/**
 * The classic build of the whole Dockerfile (to an intermediate tag) and of its "install" stage (cached, seconds),
 * then the assembly of the real tag. Resolves to the config digest and the step times, ms.
 */
export async function buildReproducibly(
  engine: DockerEngine,
  ctx: BuildContext,
  labels: Record<string, string>,
  progress: BuildProgress,
  options: { signal?: AbortSignal | undefined; networkMode?: string; noCache?: boolean } = {},
): Promise<{
  configDigest: string;
  timingsMs: { classicBuild: number; installLayer: number; codeLayer: number; load: number; assembly: number };
  installCached: boolean;
}> {
  const started = performance.now();
  const suffix = ctx.tag.slice(ctx.tag.lastIndexOf(':') + 1);
  const common = { signal: options.signal, ...(options.networkMode ? { networkMode: options.networkMode } : {}) };
  // noCache: every step of the full build runs again (a check from nothing on an engine others share); the
  // install target then comes from that build's own steps, the newest match in the classic cache.
  const fullImageId = await buildFromContext(engine, ctx, {
    ...common,
    tag: `${buildRepository(ctx.tag)}:${suffix}`,
    progress,
    noCache: options.noCache === true,
  });
  const installImageId = await buildFromContext(engine, ctx, { ...common, tag: null, target: 'install' });
  const classicBuild = performance.now() - started;
  const epochS = Number(ctx.buildArgs.SOURCE_DATE_EPOCH);
  if (!Number.isInteger(epochS)) throw new Error(`Image ${ctx.tag}: the build args carry no SOURCE_DATE_EPOCH`);
  const assembled = await assembleImage(engine, { installImageId, fullImageId, tag: ctx.tag, epochS, labels, progress });
  return { configDigest: assembled.configDigest, timingsMs: { classicBuild, ...assembled.timingsMs }, installCached: assembled.installCached };
}

/**
 * The context and base image for a request: every flavour builds on the Dockerfile's BASE_IMAGE default
 * (greenrt/debian:<suite>), unless the request overrides it.
 */
export function imageContext(request: Pick<EnsureImageRequest, 'runtime' | 'flavour' | 'baseImage' | 'caBundlePath' | 'repoRoot' | 'vendorDir'>): {
  ctx: BuildContext;
  baseImage: string | null;
} {
  const repoRoot = request.repoRoot ?? packageRoot;
  const dockerfile = readFileSync(join(repoRoot, 'images', request.runtime, 'Dockerfile'), 'utf8');
  const baseImage = request.baseImage ?? readDockerfileBases(dockerfile).base;
  // Only a mirror changes the tensorrt variant's tag; NVIDIA's own index is the Dockerfile's default.
  const mirror = request.flavour === 'tensorrt' && process.env.GREENRT_NVIDIA_INDEX ? { NVIDIA_INDEX: process.env.GREENRT_NVIDIA_INDEX } : undefined;
  const ctx = buildContext(request.runtime, request.flavour, {
    caBundlePath: request.caBundlePath,
    baseImage: request.baseImage,
    repoRoot,
    extraBuildArgs: mirror,
    vendorDir: request.vendorDir,
  });
  return { ctx, baseImage };
}

/** Labels that let `greenrt images list` find our images without parsing tags. */
export function imageLabels(request: { runtime: string; flavour: string }, ctx: BuildContext): Record<string, string> {
  return {
    'dev.greenrt.runtime': request.runtime,
    'dev.greenrt.flavour': request.flavour,
    'dev.greenrt.context-hash': ctx.contextHash,
  };
}
