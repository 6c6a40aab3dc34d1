import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/index.js';
import type { DockerEngine } from './docker-engine.js';
import { runThrowaway } from './throwaway-container.js';

/** `python3 -m greenrt_harness describe` inside the image. */
export interface HarnessDescription {
  framework: string;
  frameworkVersion: string;
  python: string;
  packages: Record<string, string>;
  providersAvailable: string[];
}

/** Debian packages installed in the image: enough to tell two images apart and to read the key versions. */
export interface DpkgSummary {
  /** Installed packages (count). */
  count: number;
  /** sha256 (hex) of the sorted `package<TAB>version` lines. */
  sha256: string;
  /** Versions of the packages that matter for a measurement (python, libc, BLAS, CUDA, frameworks). */
  selected: Record<string, string>;
}

export interface ImageDescription {
  harness: HarnessDescription | null;
  /** Why `describe` failed, when it did (the image is still usable; the manifest says so). */
  harnessError: string | null;
  dpkg: DpkgSummary | null;
}

const SELECTED = /^(python3(\.\d+)?|libpython3\.\d+|libc6|libstdc\+\+6|libgomp1|libopenblas.*|libblas3|python3-(torch|torchvision|onnx|onnxruntime|numpy|tensorflow.*|mxnet)|cuda-.*runtime.*|libcudnn\d*|libnvinfer\d*|tensorrt)$/;

/**
 * Describes an image by running two throw-away containers (harness describe, dpkg-query).
 * Cached per image id under `cacheDir` (when given), since an image id never changes content.
 */
export async function describeImage(engine: DockerEngine, imageId: string, options: { cacheDir?: string; timeoutMs?: number } = {}): Promise<ImageDescription> {
  const cacheFile = options.cacheDir ? join(options.cacheDir, `${imageId.replace(/^sha256:/, '')}.json`) : undefined;
  if (cacheFile) {
    try {
      return JSON.parse(readFileSync(cacheFile, 'utf8')) as ImageDescription;
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
      harness = JSON.parse(described.stdout) as HarnessDescription;
    } catch (error) {
      harnessError = `describe printed no JSON (${(error as Error).message})`;
    }
  } else {
    harnessError = `describe exited ${described.exitCode}: ${described.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  }
  const dpkg = await runThrowaway(engine, imageId, ['dpkg-query', '-W', '-f=${Package}\t${Version}\n'], { timeoutMs });
  const description: ImageDescription = { harness, harnessError, dpkg: dpkg.exitCode === 0 ? summarizeDpkg(dpkg.stdout) : null };
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

/** Summary of `dpkg-query -W -f='${Package}\t${Version}\n'` output. */
export function summarizeDpkg(text: string): DpkgSummary {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean).sort();
  const selected: Record<string, string> = {};
  for (const line of lines) {
    const [name, version] = line.split('\t');
    if (name && version !== undefined && SELECTED.test(name.replace(/:.*$/, ''))) selected[name] = version;
  }
  return { count: lines.length, sha256: sha256Hex(lines.join('\n')), selected };
}
