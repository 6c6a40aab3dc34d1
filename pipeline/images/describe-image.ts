import { join } from 'node:path';
import { catalogueDebianPackages } from '../catalogue/index.js';
import { sha256Hex } from '../core/index.js';
import { Contracts, SchemaId, type HarnessDescription, type ImageDescriptionCacheEntry, type ImageDescriptionRecord } from '../contracts/index.js';
import { formatProblem } from '../core/index.js';
import { runThrowaway, type DockerEngine } from '../docker/index.js';
import { readJsonFile, writeJsonFile } from '../results/index.js';

/** `python3 -m greenrt_harness describe` inside the image (schemas/harness-description.schema.json). */
export type { HarnessDescription };

/**
 * What an image holds (the manifest's `images[].description`, schemas/run-manifest.schema.json):
 * harness describe output, Debian package summary, the cuda build record.
 */
export type ImageDescription = NonNullable<ImageDescriptionRecord>;
/** Debian packages installed in the image: enough to tell two images apart and to read the key versions. */
export type DpkgSummary = NonNullable<ImageDescription['dpkg']>;
/**
 * /opt/greenrt/packages/cuda.json, written by images/common/docker/cuda_check.py at the end of every
 * cuda/tensorrt build (no GPU needed): what the image's CUDA build is and which GPUs it has kernels for.
 */
export type CudaBuildInfo = NonNullable<ImageDescription['cuda']>;

/** Where cuda images keep their build record (written by the build's last step). */
export const CUDA_RECORD_PATH = '/opt/greenrt/packages/cuda.json';

/** Debian packages every image description lists with their versions, whatever the runtime: Python, libc, BLAS, NumPy. */
const BASE_PACKAGES = /^(python3(\.\d+)?|libpython3\.\d+|libc6|libstdc\+\+6|libgomp1|libopenblas.*|libblas3|python3-numpy)$/;

/** Debian package name patterns (`*`: any text) as one anchored expression. */
export function debianPackagePattern(patterns: readonly string[]): RegExp {
  const escaped = patterns.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  return new RegExp(`^(${escaped.join('|')})$`);
}

/** The packages each runtime and provider of the catalogue names (`debianPackages`): frameworks, CUDA, cuDNN, TensorRT. */
const CATALOGUE_PACKAGES = debianPackagePattern(catalogueDebianPackages());

let shared: Contracts | undefined;
/** One validator set for every call without its own (compiling the schemas takes about 0.4 s; a cache hit should not). */
function sharedContracts(): Contracts {
  shared ??= new Contracts();
  return shared;
}

/**
 * Describes an image by running two throw-away containers (harness describe, dpkg-query).
 * Cached per image id under `cacheDir` (when given), since an image id never changes content.
 */
export async function describeImage(
  engine: DockerEngine,
  imageId: string,
  options: { cacheDir?: string; timeoutMs?: number; contracts?: Contracts; onNote?: (line: string) => void } = {},
): Promise<ImageDescription> {
  const contracts = options.contracts ?? sharedContracts();
  const cacheFile = options.cacheDir && /^sha256:[0-9a-f]{64}$/.test(imageId) ? join(options.cacheDir, `${imageId.slice('sha256:'.length)}.json`) : undefined;
  if (cacheFile) {
    const cached = await readCachedDescription(contracts, cacheFile, imageId);
    if (cached.description) return cached.description;
    if (cached.note) options.onNote?.(cached.note);
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  let harness: HarnessDescription | null = null;
  let harnessError: string | null = null;
  const described = await runThrowaway(engine, imageId, ['python3', '-m', 'greenrt_harness', 'describe'], { timeoutMs });
  if (described.exitCode === 0) {
    try {
      const data: unknown = JSON.parse(described.stdout);
      const problems = contracts.check(SchemaId.harnessDescription, data);
      if (problems.length === 0) harness = data as HarnessDescription;
      else
        harnessError = `describe printed JSON that does not match schemas/harness-description.schema.json: ${problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ')}`;
    } catch (error) {
      harnessError = `describe printed no JSON (${(error as Error).message})`;
    }
  } else {
    harnessError = `describe exited ${described.exitCode}: ${described.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${Package} format fields
  const dpkg = await runThrowaway(engine, imageId, ['dpkg-query', '-W', '-f=${Package}\t${Version}\n'], { timeoutMs });
  const record = await runThrowaway(engine, imageId, ['cat', CUDA_RECORD_PATH], { timeoutMs });
  const description: ImageDescription = {
    harness,
    harnessError,
    dpkg: dpkg.exitCode === 0 ? summarizeDpkg(dpkg.stdout) : null,
    cuda: record.exitCode === 0 ? parseCudaRecord(record.stdout) : null,
  };
  if (cacheFile) {
    const entry: ImageDescriptionCacheEntry = { schemaVersion: 1, imageId, description };
    try {
      await writeJsonFile(contracts, SchemaId.imageDescriptionCache, cacheFile, entry);
    } catch (error) {
      // The description is still returned: a read-only checkout or a full disk only loses the cache.
      options.onNote?.(
        `image description cache ${cacheFile} not written (${(error as Error).message.split('\n')[0]}); the image will be described again next time`,
      );
    }
  }
  return description;
}

/**
 * The cached description of `imageId`, or why there is none to trust: a cache entry that is not JSON, fails
 * schemas/image-description-cache.schema.json, or names another image is never used; the note says so, and the
 * image is described again (the entry is then replaced). An absent entry has no note.
 */
export async function readCachedDescription(
  contracts: Contracts,
  cacheFile: string,
  imageId: string,
): Promise<{ description: ImageDescription | null; note: string | null }> {
  const read = await readJsonFile<ImageDescriptionCacheEntry>(contracts, SchemaId.imageDescriptionCache, cacheFile, {
    shown: cacheFile,
    hint: 'greenrt describes the image again and replaces the entry.',
    noFollow: true,
  });
  if (read.ok && read.data.imageId === imageId && read.data.description) return { description: read.data.description, note: null };
  if (!read.ok && read.absent) return { description: null, note: null };
  const problems = !read.ok
    ? read.problems.map(formatProblem)
    : [
        read.data.imageId === imageId
          ? formatProblem({ file: cacheFile, path: '/description', message: 'is null: the image was not described' })
          : formatProblem({ file: cacheFile, path: '/imageId', message: `names image ${read.data.imageId}, not ${imageId}` }),
      ];
  return { description: null, note: `image description cache entry refused, describing the image again: ${problems.join('; ')}` };
}

/** The cuda build record, or null when it is not one (a hand-edited image is described, not trusted). */
export function parseCudaRecord(text: string): CudaBuildInfo | null {
  try {
    const data = JSON.parse(text) as Partial<CudaBuildInfo>;
    if (!Array.isArray(data.archs) || !data.archs.every((a) => typeof a === 'string' && /^(sm|compute)_\d+[a-z]?$/.test(a))) return null;
    if (typeof data.runtime !== 'string' || typeof data.ok !== 'boolean') return null;
    if (!Array.isArray(data.problems) || !data.problems.every((p) => typeof p === 'string')) return null;
    if (typeof data.knownUnavailable !== 'object' || data.knownUnavailable === null || Array.isArray(data.knownUnavailable)) return null;
    return data as CudaBuildInfo;
  } catch {
    return null;
  }
}

function isSelected(pkg: string): boolean {
  return BASE_PACKAGES.test(pkg) || CATALOGUE_PACKAGES.test(pkg);
}

/** Summary of `dpkg-query -W -f='${Package}\t${Version}\n'` output. */
export function summarizeDpkg(text: string): DpkgSummary {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
  const selected: Record<string, string> = {};
  for (const line of lines) {
    const [name, version] = line.split('\t');
    if (name && version !== undefined && isSelected(name.replace(/:.*$/, ''))) selected[name] = version;
  }
  return { count: lines.length, sha256: sha256Hex(lines.join('\n')), selected };
}
