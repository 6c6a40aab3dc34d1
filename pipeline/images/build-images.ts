import { InputError } from '../core/index.js';
import { packageRoot } from '../contracts/index.js';
import { imageFlavours, runtimesWithProvider } from '../catalogue/index.js';
import type { ImageFlavour, ImageRuntime } from './build-context.js';
import type { DockerEngine } from '../docker/index.js';
import { ensureImage, imageContext, type BuiltImage } from './ensure-image.js';
import { imageRuntimes, lockImages, type LockResult } from './image-lock.js';
import { inspectImageOrNull, type BuildProgress } from './image-build.js';
import { requireNvidiaIndex } from './tensorrt-source.js';
import { checkVendoredInputs } from './vendor-inputs.js';

export interface BuildImagesOptions {
  /** Default: every runtime with images/<runtime>/Dockerfile. */
  runtimes?: ImageRuntime[];
  flavour: ImageFlavour;
  baseImage?: string;
  caBundlePath?: string;
  repoRoot?: string;
  /** Run the describe containers (default true). */
  describe?: boolean;
  /** Build offline from `greenrt images vendor`'s folder (checked first: exit 3 missing, 4 different bytes). */
  from?: string;
  /** Progress lines, prefixed by the runtime. */
  progress?: (runtime: ImageRuntime, line: string) => void;
  signal?: AbortSignal;
}

export interface BuildImagesResult {
  images: BuiltImage[];
  /** The lock after the builds (new digests recorded). */
  lock: LockResult;
}

/**
 * `greenrt images build`: checks the lock (a moved upstream tag fails before building), ensures each
 * image one after the other (builds share 2 cores badly), then records newly pulled digests.
 */
export async function buildImages(engine: DockerEngine, options: BuildImagesOptions): Promise<BuildImagesResult> {
  const repoRoot = options.repoRoot ?? packageRoot;
  const hasFlavour = (r: ImageRuntime) => imageFlavours(r).includes(options.flavour);
  const runtimes = options.runtimes ?? imageRuntimes(repoRoot).filter(hasFlavour);
  const without = runtimes.filter((r) => !hasFlavour(r));
  if (without.length > 0) {
    const withIt = runtimesWithProvider(options.flavour).filter((r) => imageFlavours(r).length > 0);
    throw new InputError(
      `No ${options.flavour} flavour`,
      without.map((r) => ({
        file: 'command line',
        path: '',
        message: `runtime "${r}" has no ${options.flavour} flavour (catalogue/catalogue.json): ${options.flavour} images exist for ${withIt.join(', ')} only`,
      })),
    );
  }
  await lockImages(engine, { repoRoot, runtimes, write: false });
  // Offline: every image's folder is checked before the first build starts.
  const vendored = new Map<ImageRuntime, string>();
  if (options.from !== undefined) {
    for (const runtime of runtimes) vendored.set(runtime, (await checkVendoredInputs(options.from, runtime, options.flavour, repoRoot)).folder);
  } else if (options.flavour === 'tensorrt') await requireTensorrtImageOrIndex(engine, { repoRoot, caBundlePath: options.caBundlePath });
  const images: BuiltImage[] = [];
  for (const runtime of runtimes) {
    if (options.signal?.aborted) throw options.signal.reason;
    const progress: BuildProgress = (line) => options.progress?.(runtime, line);
    images.push(
      await ensureImage(
        engine,
        {
          runtime,
          flavour: options.flavour,
          baseImage: options.baseImage,
          caBundlePath: options.caBundlePath,
          repoRoot,
          describe: options.describe,
          signal: options.signal,
          ...(vendored.has(runtime) ? { vendorDir: vendored.get(runtime) } : {}),
        },
        progress,
      ),
    );
  }
  const lock = await lockImages(engine, { repoRoot, runtimes });
  return { images, lock };
}

/**
 * The tensorrt variant can be built only where NVIDIA's index answers; an image already on the engine
 * (built elsewhere and docker-load'ed) needs nothing. Throws E_TENSORRT_UNAVAILABLE with the fix.
 */
export async function requireTensorrtImageOrIndex(engine: DockerEngine, options: { repoRoot?: string; caBundlePath?: string | undefined } = {}): Promise<void> {
  const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'tensorrt', ...options });
  if (await inspectImageOrNull(engine, ctx.tag)) return;
  await requireNvidiaIndex();
}

/** One greenrt image on the daemon, as `greenrt images list` prints it. */
export interface ListedImage {
  runtime: string;
  flavour: string;
  tags: string[];
  imageId: string;
  contextHash: string;
  /** Uncompressed size, bytes. */
  sizeBytes: number;
  /** Creation time, ms since the epoch. */
  createdMs: number;
  /** True when one of its tags is what the current checkout would build (no rebuild needed). */
  current: boolean;
}

/** Images labelled by greenrt builds, newest first; `current` compares with the checkout's contexts. */
export async function listImages(engine: DockerEngine, options: { repoRoot?: string; caBundlePath?: string } = {}): Promise<ListedImage[]> {
  const repoRoot = options.repoRoot ?? packageRoot;
  const currentTags = new Set<string>();
  for (const runtime of imageRuntimes(repoRoot)) {
    for (const flavour of imageFlavours(runtime) as readonly ImageFlavour[]) {
      try {
        currentTags.add(imageContext({ runtime, flavour, repoRoot, caBundlePath: options.caBundlePath }).ctx.tag);
      } catch {
        // a broken context shows up when building; listing still works
      }
    }
  }
  // dev.greenrt.context-hash is written by the assembly only: the build intermediates (<repository>-build) carry the
  // Dockerfile's labels but not this one.
  const images = await engine.docker.listImages({ filters: JSON.stringify({ label: ['dev.greenrt.context-hash'] }) } as Record<string, unknown>);
  return images
    .map((img) => {
      const labels = img.Labels ?? {};
      const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
      return {
        runtime: labels['dev.greenrt.runtime'] ?? 'unknown',
        flavour: labels['dev.greenrt.flavour'] ?? 'unknown',
        tags,
        imageId: img.Id,
        contextHash: labels['dev.greenrt.context-hash'] ?? '',
        sizeBytes: img.Size,
        createdMs: img.Created * 1000,
        current: tags.some((t) => currentTags.has(t)),
      };
    })
    .sort((a, b) => b.createdMs - a.createdMs);
}
