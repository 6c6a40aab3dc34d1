import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/index.js';
import { Contracts, SchemaId, type HarnessDescription, type ManifestImage } from '../contracts/index.js';
import { runThrowaway, type DockerEngine } from '../docker/index.js';

/** `python3 -m greenrt_harness describe` inside the image (schemas/harness-description.schema.json). */
export type { HarnessDescription };

/**
 * What an image holds (the manifest's `images[].description`, schemas/run-manifest.schema.json):
 * harness describe output, Debian package summary, the cuda build record.
 */
export type ImageDescription = NonNullable<ManifestImage['description']>;
/** Debian packages installed in the image: enough to tell two images apart and to read the key versions. */
export type DpkgSummary = NonNullable<ImageDescription['dpkg']>;
/**
 * /opt/greenrt/packages/cuda.json, written by images/common/docker/cuda_check.py at the end of every
 * cuda/tensorrt build (no GPU needed): what the image's CUDA build is and which GPUs it has kernels for.
 */
export type CudaBuildInfo = NonNullable<ImageDescription['cuda']>;

/** Where cuda images keep their build record (written by the build's last step). */
export const CUDA_RECORD_PATH = '/opt/greenrt/packages/cuda.json';

const SELECTED =
  /^(python3(\.\d+)?|libpython3\.\d+|libc6|libstdc\+\+6|libgomp1|libopenblas.*|libblas3|python3-(torch|torchvision|onnx|onnxruntime|numpy|tensorflow.*|mxnet)|cuda-.*runtime.*|libcudnn\d*|libnvinfer\d*|tensorrt)$/;

/**
 * Describes an image by running two throw-away containers (harness describe, dpkg-query).
 * Cached per image id under `cacheDir` (when given), since an image id never changes content.
 */
export async function describeImage(engine: DockerEngine, imageId: string, options: { cacheDir?: string; timeoutMs?: number } = {}): Promise<ImageDescription> {
  const cacheFile = options.cacheDir ? join(options.cacheDir, `${imageId.replace(/^sha256:/, '')}.json`) : undefined;
  if (cacheFile) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as ImageDescription;
      if ('cuda' in cached) return cached; // older cache entries lack the cuda record: describe again
    } catch {
      // not cached yet
    }
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  let harness: HarnessDescription | null = null;
  let harnessError: string | null = null;
  const described = await runThrowaway(engine, imageId, ['python3', '-m', 'greenrt_harness', 'describe'], { timeoutMs });
  if (described.exitCode === 0) {
    try {
      const data: unknown = JSON.parse(described.stdout);
      const problems = new Contracts().check(SchemaId.harnessDescription, data);
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
  if (cacheFile && options.cacheDir) {
    try {
      mkdirSync(options.cacheDir, { recursive: true });
      writeFileSync(cacheFile, `${JSON.stringify(description, null, 2)}\n`);
    } catch {
      // a read-only checkout only loses the cache
    }
  }
  return description;
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
    if (name && version !== undefined && SELECTED.test(name.replace(/:.*$/, ''))) selected[name] = version;
  }
  return { count: lines.length, sha256: sha256Hex(lines.join('\n')), selected };
}
