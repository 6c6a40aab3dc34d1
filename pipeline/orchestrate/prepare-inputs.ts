import type { ManifestModel, ManifestModelError } from '../contracts/index.js';
import type { Logger } from '../core/index.js';
import { describeError, GreenrtError } from '../core/index.js';
import type { LoadedExperiment } from '../config/index.js';
import type { NeededModel, RunPlan } from '../plan/index.js';
import { resolvePrebuilt, type ResolvedModel } from '../models/index.js';
import type { Progress } from '../core/index.js';
import type { FrameworkExecutor, ImageRecord } from './ports.js';
import type { ImageArchVerdict } from './arch-preflight.js';
import { classifyBuildFailure, ImageBuildError } from '../images/index.js';

/** Keeps a text file in the run folder (atomically) and returns its path as the report names it. */
export type KeepRunFile = (relativePath: string, text: string) => Promise<string>;

export interface Setup {
  images: ImageRecord[];
  imageErrors: Map<string, string>;
  models: Map<string, ResolvedModel>;
  modelErrors: Map<string, string>;
  modelRecords: (ManifestModel | ManifestModelError)[];
  /** Architecture pre-flight per cuda image (imageKey), filled before the first trial. */
  arch: Map<string, ImageArchVerdict>;
}

/** Models are kept per source, model and format ('native' or 'onnx'): a supplied ONNX file is not the native model. */
export const modelKey = (m: { model: string; source: string; format: string }) => `${m.source}/${m.model}/${m.format}`;
export const imageKey = (i: { runtime: string; flavour: string }) => `${i.runtime}:${i.flavour}`;

/** Builds images and prepares models; a failure is kept per image/model and fails its trials. */
export async function prepareInputs(
  plan: RunPlan,
  loaded: LoadedExperiment,
  framework: FrameworkExecutor | null,
  progress: Progress,
  logger: Logger,
  signal: AbortSignal,
  keepFile?: KeepRunFile,
): Promise<Setup> {
  const setup: Setup = { images: [], imageErrors: new Map(), models: new Map(), modelErrors: new Map(), modelRecords: [], arch: new Map() };
  if (framework && plan.images.length > 0) {
    for (const image of plan.images) {
      try {
        setup.images.push(...(await framework.ensureImages([image], signal)));
      } catch (error) {
        if (signal.aborted) throw error;
        const reason = `image ${imageKey(image)} could not be built: ${await imageFailure(error, image, keepFile)}`;
        setup.imageErrors.set(imageKey(image), reason);
        progress.info(reason);
        logger.error({ event: 'image.failed', image, reason }, 'image build failed');
      }
    }
  }
  // One preparation per source/model serves its native and ONNX trials; a supplied ONNX file is its own
  // entry, so it is used (and stays usable) whatever happens to the native preparation.
  const preparations = new Map<string, Promise<ResolvedModel>>();
  const recorded = new Set<unknown>();
  for (const need of plan.models) {
    const key = modelKey(need);
    const name = `${need.source}/${need.model}`;
    let prepared: Promise<ResolvedModel> | undefined;
    if (!need.prebuilt) {
      prepared = preparations.get(name);
      if (!prepared) {
        prepared = prepareInImage(need, framework, setup, progress, signal);
        preparations.set(name, prepared);
      }
    }
    try {
      const resolved = need.prebuilt ? await resolvePrebuilt(need.prebuilt, loaded.baseDir) : await prepared!;
      setup.models.set(key, resolved);
      if (recorded.has(resolved)) continue;
      recorded.add(resolved);
      setup.modelRecords.push(modelRecord(resolved));
      if (resolved.conversion && !resolved.conversion.withinTolerance) {
        progress.info(
          `Conversion check failed for ${name}: max |diff| ${resolved.conversion.maxAbsDiff.toExponential(2)}, argmax agreement ${resolved.conversion.argmaxAgreement}. Its ONNX trials will be marked invalid.`,
        );
      }
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = `model ${name} could not be prepared: ${reasonOf(error)}`;
      setup.modelErrors.set(key, reason);
      const failed = need.prebuilt ? key : prepared;
      if (recorded.has(failed)) continue;
      recorded.add(failed);
      setup.modelRecords.push({ model: need.model, source: need.source, error: reason });
      progress.info(reason);
      logger.error({ event: 'model.failed', model: name, reason }, 'model preparation failed');
    }
  }
  return setup;
}

async function prepareInImage(
  need: NeededModel,
  framework: FrameworkExecutor | null,
  setup: Setup,
  progress: Progress,
  signal: AbortSignal,
): Promise<ResolvedModel> {
  if (!framework) throw new Error('no framework executor to prepare models with');
  const imageError = setup.imageErrors.get(need.preparedIn ? imageKey(need.preparedIn) : '');
  if (imageError) throw new Error(imageError);
  progress.status(`Preparing ${need.model} in ${need.source}`);
  return framework.prepareModel(need, signal);
}

/**
 * One line for a failed image: a build failure's classified cause and the run-folder file that keeps its whole log
 * (`logs/image-build-<runtime>-<flavour>.log`), not the Dockerfile step and its output repeated in every reason.
 */
async function imageFailure(error: unknown, image: { runtime: string; flavour: string }, keepFile?: KeepRunFile): Promise<string> {
  let build: unknown = error;
  while (build && !(build instanceof ImageBuildError)) build = (build as { cause?: unknown }).cause;
  if (!(build instanceof ImageBuildError)) return reasonOf(error);
  const cause = classifyBuildFailure(build.detail, build.log);
  if (!keepFile) return cause;
  const text = [`# docker build of ${build.tag} (${image.runtime}, ${image.flavour}): ${build.detail}`, ...build.log, ''].join('\n');
  try {
    const file = await keepFile(`logs/image-build-${image.runtime}-${image.flavour}.log`, text);
    return `${cause} (build log: ${file})`;
  } catch (e) {
    return `${cause} (the build log could not be kept: ${reasonOf(e)})`;
  }
}

/** A reason kept in results: greenrt's own message and hint, or an error's message (no stack trace). */
function reasonOf(error: unknown): string {
  return error instanceof GreenrtError ? describeError(error) : error instanceof Error ? error.message : String(error);
}

function modelRecord(m: ResolvedModel): ManifestModel {
  return {
    model: m.model,
    source: m.source,
    dir: m.dir,
    onnxFile: m.onnxFile,
    sha256: m.sha256,
    prebuilt: m.prebuilt,
    cacheHit: m.cacheHit,
    conversion: m.conversion,
    conversionNote: m.conversionNote,
    exporter: m.prepared?.onnx?.exporter ?? null,
    environment: m.prepared?.environment ?? null,
    files: m.prepared?.files ?? null,
  };
}
