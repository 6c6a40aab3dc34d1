import type { Logger } from '../core/index.js';
import { describeError } from '../core/index.js';
import type { LoadedExperiment } from '../config/index.js';
import type { RunPlan } from '../plan/index.js';
import { resolvePrebuilt, type ResolvedModel } from '../models/index.js';
import type { Progress } from '../cli/progress.js';
import type { FrameworkExecutor, ImageRecord } from './ports.js';

export interface Setup {
  images: ImageRecord[];
  imageErrors: Map<string, string>;
  models: Map<string, ResolvedModel>;
  modelErrors: Map<string, string>;
  modelRecords: Record<string, unknown>[];
}

export const modelKey = (m: { model: string; source: string }) => `${m.source}/${m.model}`;
export const imageKey = (i: { runtime: string; flavour: string }) => `${i.runtime}:${i.flavour}`;

/** Builds images and prepares models; a failure is kept per image/model and fails its trials. */
export async function prepareInputs(
  plan: RunPlan,
  loaded: LoadedExperiment,
  framework: FrameworkExecutor | null,
  progress: Progress,
  logger: Logger,
  signal: AbortSignal,
): Promise<Setup> {
  const setup: Setup = { images: [], imageErrors: new Map(), models: new Map(), modelErrors: new Map(), modelRecords: [] };
  if (framework && plan.images.length > 0) {
    for (const image of plan.images) {
      try {
        setup.images.push(...(await framework.ensureImages([image], signal)));
      } catch (error) {
        if (signal.aborted) throw error;
        const reason = `image ${imageKey(image)} could not be built: ${describeError(error)}`;
        setup.imageErrors.set(imageKey(image), reason);
        progress.info(reason);
        logger.error({ event: 'image.failed', image, reason }, 'image build failed');
      }
    }
  }
  const seen = new Set<string>();
  for (const need of plan.models) {
    const key = modelKey(need);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      let resolved: ResolvedModel;
      if (need.prebuilt) {
        resolved = await resolvePrebuilt(need.prebuilt, loaded.baseDir);
      } else {
        if (!framework) throw new Error('no framework executor to prepare models with');
        const prepImage = need.preparedIn ? imageKey(need.preparedIn) : '';
        const imageError = setup.imageErrors.get(prepImage);
        if (imageError) throw new Error(imageError);
        progress.status(`Preparing ${need.model} in ${need.source}`);
        resolved = await framework.prepareModel(need, signal);
      }
      setup.models.set(key, resolved);
      setup.modelRecords.push(modelRecord(resolved));
      if (resolved.conversion && !resolved.conversion.withinTolerance) {
        progress.info(`Conversion check failed for ${key}: max |diff| ${resolved.conversion.maxAbsDiff.toExponential(2)}, argmax agreement ${resolved.conversion.argmaxAgreement}. Its ONNX trials will be marked invalid.`);
      }
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = `model ${key} could not be prepared: ${describeError(error)}`;
      setup.modelErrors.set(key, reason);
      setup.modelRecords.push({ model: need.model, source: need.source, error: reason });
      progress.info(reason);
      logger.error({ event: 'model.failed', model: key, reason }, 'model preparation failed');
    }
  }
  return setup;
}

function modelRecord(m: ResolvedModel): Record<string, unknown> {
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

