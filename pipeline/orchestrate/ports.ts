import type { ManifestBaseline, ManifestImage, ManifestPowerSource, PowerTrace, TrialResult, TrialSpec } from '../contracts/index.js';
import type { PlannedTrial, NeededImage, NeededModel } from '../plan/index.js';
import type { ResolvedModel } from '../models/index.js';
import type { TrialCaches } from '../runners/index.js';
import type { ExecutionRecord } from './trial-result.js';

/** The host power monitor as the run loop uses it (implemented over pipeline/power). */
export interface MeasurementPort {
  /** Source statuses for the manifest (available or not, why, how to fix). */
  describeSources(): Promise<ManifestPowerSource[]>;
  /** True when at least one source can measure energy. */
  canMeasure(): boolean;
  /** Idle baseline before the first trial; a record for the manifest. */
  measureBaseline(signal?: AbortSignal): Promise<ManifestBaseline | null>;
  /** On resume: reuse the baseline the manifest recorded instead of measuring a new one. */
  restoreBaseline(record: ManifestBaseline | null): void;
  /** The baseline's power trace (trialId 'baseline'), null when none was measured. */
  baselineTrace(runId: string): PowerTrace | null;
  /** Cool-down gate before a trial. */
  waitForCooldown(signal?: AbortSignal): Promise<TrialResult['cooldown']>;
  /** Starts recording around a trial; stop() returns what the window needs. */
  startRecording(trialId: string): Promise<{ stop(): Promise<unknown> }>;
  /** Energy for exactly the measure window, the trace to store, GPU state, mean GPU utilisation (when measured) and rule violations. */
  energyForWindow(
    recorded: unknown,
    window: { startNs: string; endNs: string } | null,
    measuredIterations: number,
    ids: { runId: string; trialId: string },
  ): { energy: TrialResult['energy']; trace: PowerTrace | null; gpuState: TrialResult['gpuState']; gpuUtilization?: TrialResult['gpuUtilization']; invalidReasons: string[]; warnings?: string[] };
  close(): Promise<void>;
}

/** What an image build produced, for the manifest (`images[]`, schemas/run-manifest.schema.json) and for trials. */
export type ImageRecord = ManifestImage;

/** Runs framework trials and prepares models (docker or process runner). */
export interface FrameworkExecutor {
  readonly kind: 'docker' | 'process';
  /** Binds the executor to a run (labels containers with the run id). */
  attach(runId: string): void;
  ensureImages(images: NeededImage[], signal?: AbortSignal): Promise<ImageRecord[]>;
  prepareModel(need: NeededModel, signal?: AbortSignal): Promise<ResolvedModel>;
  runTrial(
    trial: PlannedTrial,
    spec: Omit<TrialSpec, 'modelDir' | 'outputPath'>,
    model: ResolvedModel,
    workDir: string,
    onStart: (monotonicNs: bigint) => void,
    signal?: AbortSignal,
    extra?: { caches?: TrialCaches },
  ): Promise<ExecutionRecord & { image?: string | null; imageId?: string | null }>;
  /** Removes containers a crashed run left behind; returns how many. */
  removeOrphans(runId: string): Promise<number>;
  describeEngine(): Promise<Record<string, unknown> | null>;
}
