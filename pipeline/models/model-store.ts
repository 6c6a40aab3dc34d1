import { rename, rm, mkdir, lstat } from 'node:fs/promises';
import { readUntrustedFile } from '../runners/trial-outcome.js';
import { join, resolve, relative } from 'node:path';
import { type Contracts, SchemaId, type PreparedModel, type PrepareSpec } from '../contracts/index.js';
import { GreenrtError, sha256File, shortHash } from '../core/index.js';
import { checkConversion, type ConversionCheck } from './conversion-check.js';

export type FrameworkName = PrepareSpec['framework'];
export type ModelName = PrepareSpec['model'];

/** A model file (or folder) ready for trials. */
export interface ResolvedModel {
  model: ModelName;
  source: FrameworkName;
  /** Folder handed to runners as modelDir (holds native/ and model.onnx), or the prebuilt file's folder. */
  dir: string;
  /** The ONNX file, when there is one. */
  onnxFile: string | null;
  /** SHA-256 of the ONNX file, else of prepared.json (which lists every native file's hash). */
  sha256: string;
  prebuilt: boolean;
  cacheHit: boolean;
  conversion: ConversionCheck | null;
  /** Why the conversion was not checked (prebuilt file without reference outputs). */
  conversionNote: string | null;
  prepared: PreparedModel | null;
}

/** Runs a framework image's `prepare` command so that it fills `outputDir` (a host path). */
export type Preparer = (spec: PrepareSpec, hostOutputDir: string) => Promise<void>;

export interface PrepareOptions {
  cacheDir: string;
  weights: PrepareSpec['weights'];
  seed: number;
  sequenceLength: number;
  /** Identifies the image that prepares (its tag): a new image means a new cache entry. */
  imageKey: string;
  opset?: number;
}

/**
 * Prepares (or reuses from the cache) one framework's model: native files, ONNX export and the
 * conversion check. Cache entries are keyed by a hash of everything that determines their bytes
 * and are written to a temp folder first, renamed into place only when complete.
 */
export async function prepareModel(
  model: ModelName,
  framework: FrameworkName,
  options: PrepareOptions,
  preparer: Preparer,
  contracts: Contracts,
): Promise<ResolvedModel> {
  const spec: PrepareSpec = {
    schemaVersion: 1,
    framework,
    model,
    weights: options.weights,
    seed: options.seed,
    referenceBatchSize: 2,
    sequenceLength: options.sequenceLength,
    exportOnnx: true,
    opset: options.opset ?? 17,
    outputDir: '/greenrt/out',
  };
  const key = shortHash({ spec, image: options.imageKey });
  const dir = resolve(options.cacheDir, `${framework}-${model}-${options.weights}-${key}`);
  let cacheHit = true;
  let prepared = await readPrepared(dir, contracts).catch(() => null);
  if (!prepared || !(await filesIntact(dir, prepared))) {
    cacheHit = false;
    const tmp = `${dir}.partial`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true, mode: 0o777 });
    await preparer(spec, tmp);
    prepared = await readPrepared(tmp, contracts);
    if (!(await filesIntact(tmp, prepared))) {
      throw new Error(`${tmp}: the prepared files are not regular files matching the SHA-256 in prepared.json`);
    }
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  // Without onnxruntime-node (the portable GPU bundle) the export is kept, its check says why it is missing.
  let ortMissing: string | null = null;
  const conversion = prepared.onnx
    ? await checkConversion(dir, prepared).catch((e: unknown) => {
        if (!(e instanceof GreenrtError && e.code === 'E_ORT_MISSING')) throw e;
        ortMissing = e.message;
        return null;
      })
    : null;
  const onnxFile = prepared.onnx ? join(dir, prepared.onnx.file) : null;
  return {
    model,
    source: framework,
    dir,
    onnxFile,
    sha256: await sha256File(onnxFile ?? join(dir, 'prepared.json')),
    prebuilt: false,
    cacheHit,
    conversion,
    conversionNote: prepared.onnx ? ortMissing : 'no ONNX export',
    prepared,
  };
}

/** A user-supplied ONNX file: its hash must match the experiment's, or the run stops. */
export async function resolvePrebuilt(
  entry: { model: ModelName; source: FrameworkName; path: string; sha256: string },
  baseDir: string,
): Promise<ResolvedModel> {
  const file = resolve(baseDir, entry.path);
  const actual = await sha256File(file);
  if (actual !== entry.sha256) {
    throw new GreenrtError('E_MODEL_HASH', `Model file ${relative(process.cwd(), file)} has SHA-256 ${actual}, the experiment expects ${entry.sha256}.`, {
      hint: 'Restore the original file (git checkout) or, if the new file is intended, update sha256 in the experiment.',
    });
  }
  return {
    model: entry.model,
    source: entry.source,
    dir: resolve(file, '..'),
    onnxFile: file,
    sha256: actual,
    prebuilt: true,
    cacheHit: true,
    conversion: null,
    conversionNote: 'supplied ONNX file: no source-framework reference outputs to compare with',
    prepared: null,
  };
}

/** prepared.json was written by a container: read it without following links (see readUntrustedFile). */
async function readPrepared(dir: string, contracts: Contracts): Promise<PreparedModel> {
  const file = join(dir, 'prepared.json');
  const read = readUntrustedFile(file, 16 * 2 ** 20);
  if (!('text' in read)) throw new Error(`${file}: ${'refused' in read ? read.refused : 'missing'}`);
  const prepared = contracts.assert<PreparedModel>(SchemaId.preparedModel, JSON.parse(read.text), file);
  for (const f of prepared.files) {
    if (f.path.startsWith('/') || f.path.split(/[\\/]/).includes('..')) throw new Error(`${file}: file path ${f.path} leaves the prepared folder`);
  }
  return prepared;
}

async function filesIntact(dir: string, prepared: PreparedModel): Promise<boolean> {
  for (const f of prepared.files) {
    try {
      // Only regular files count: a container must not point the orchestrator at host files.
      if (!(await lstat(join(dir, f.path))).isFile()) return false;
      if ((await sha256File(join(dir, f.path))) !== f.sha256) return false;
    } catch {
      return false;
    }
  }
  return true;
}
