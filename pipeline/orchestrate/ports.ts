import type { ManifestImage, PowerTrace, TrialSpec } from '../contracts/index.js';
import type { DockerEngineInfo } from '../docker/index.js';
import type { BuiltImage } from '../images/index.js';
import type { PlannedTrial, NeededImage, NeededModel } from '../plan/index.js';
import type { ResolvedModel } from '../models/index.js';
import type { BaselineRecord, CooldownResult, MeasuredWindow, Recorded, SourceStatus } from '../power/index.js';
import type { TrialCaches } from '../runners/index.js';
import type { ExecutionRecord, RanImage } from './trial-result.js';

/** The host power monitor as the run loop uses it (implemented by pipeline/power's PowerMeasurement). */
export interface MeasurementPort {
  /** Source statuses for the manifest (available or not, why, how to fix). */
  describeSources(): Promise<SourceStatus[]>;
  /** True when at least one source can measure energy. */
  canMeasure(): boolean;
  /** Idle baseline before the first trial; a record for the manifest (null: none was asked for). */
  measureBaseline(signal?: AbortSignal): Promise<BaselineRecord | null>;
  /** On resume: reuse the baseline the manifest recorded instead of measuring a new one. */
  restoreBaseline(record: BaselineRecord | null): void;
  /** The baseline's power trace (trialId 'baseline'), null when none was measured. */
  baselineTrace(runId: string): PowerTrace | null;
  /** Cool-down gate before a trial (null: no gate). */
  waitForCooldown(signal?: AbortSignal): Promise<CooldownResult | null>;
  /** Starts recording around a trial; stop() returns the samples of that span. */
  startRecording(trialId: string): Promise<{ stop(): Promise<Recorded> }>;
  /** Energy for exactly the measure window, the trace to store, GPU state, mean GPU utilisation (when measured) and rule violations. */
  energyForWindow(
    recorded: Recorded | null,
    window: { startNs: string; endNs: string } | null,
    measuredIterations: number,
    ids: { runId: string; trialId: string },
  ): MeasuredWindow;
  close(): Promise<void>;
}

/** How framework trials are executed on this host, as the manifest records it (host.docker). */
export type EngineDescription = DockerEngineInfo | { runner: 'process'; python: string };

/** What an image build produced, for the manifest (`images[]`, schemas/run-manifest.schema.json) and for trials. */
export type ImageRecord = ManifestImage;

/**
 * Where a run's images come from, separate from running trials: the default builds images/<runtime>/
 * with docker (`dockerImageProvider`); tests supply ready images through it (e2e docker-run-driver.ts).
 */
export interface ImageProvider {
  ensure(image: NeededImage, signal?: AbortSignal): Promise<BuiltImage>;
}

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
  ): Promise<ExecutionRecord & RanImage>;
  /** Removes containers a crashed run left behind; returns how many. */
  removeOrphans(runId: string): Promise<number>;
  /** For the manifest's host.docker: the engine's facts (docker runner), or the interpreter (process runner). */
  describeEngine(): Promise<EngineDescription | null>;
}
