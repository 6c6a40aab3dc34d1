import type { LoadedExperiment } from '../config/index.js';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { type Clock, createLogger, type Logger } from '../core/index.js';
import type { RoundDecision, RunPlan } from '../plan/index.js';
import { describeWriteError, type RunStore } from '../results/index.js';
import { adaptiveRecord } from '../analysis/index.js';

/** run.log of a run folder. A write that fails (full disk) is kept and stops the run at the next `check`, with a clear error. */
export class RunLog {
  readonly logger: Logger;
  private failure: unknown = null;

  constructor(private readonly store: RunStore) {
    this.logger = createLogger({ file: store.path('run.log'), onError: (e) => (this.failure ??= e) }).child({ runId: store.runId });
  }

  check(): void {
    if (this.failure) throw describeWriteError(this.store.path('run.log'), this.failure, false);
  }
}

/** What a started run is made of; `ActiveRun` holds it for the trial loop. */
export interface ActiveRunParts {
  loaded: LoadedExperiment;
  store: RunStore;
  manifest: RunManifest;
  plan: RunPlan;
  decisions: RoundDecision[];
  /** Results so far, by trial id. */
  done: Map<string, TrialResult>;
  log: RunLog;
  resuming: boolean;
  sharedHost: boolean;
  /** Unregisters this shard from the host (null: not a shard). */
  releaseHost: (() => Promise<void>) | null;
  clock: Clock;
}

/**
 * A started run, what the trial loop reads and updates: its folder, manifest, plan (adaptive rounds append
 * to it), the results so far and the run log.
 */
export class ActiveRun {
  readonly loaded: LoadedExperiment;
  readonly store: RunStore;
  readonly manifest: RunManifest;
  plan: RunPlan;
  readonly decisions: RoundDecision[];
  readonly done: Map<string, TrialResult>;
  readonly log: RunLog;
  readonly resuming: boolean;
  readonly sharedHost: boolean;
  readonly releaseHost: (() => Promise<void>) | null;
  private readonly clock: Clock;

  constructor(parts: ActiveRunParts) {
    this.loaded = parts.loaded;
    this.store = parts.store;
    this.manifest = parts.manifest;
    this.plan = parts.plan;
    this.decisions = parts.decisions;
    this.done = parts.done;
    this.log = parts.log;
    this.resuming = parts.resuming;
    this.sharedHost = parts.sharedHost;
    this.releaseHost = parts.releaseHost;
    this.clock = parts.clock;
  }

  get logger(): Logger {
    return this.log.logger;
  }

  /** The plan's trial ids (and an adaptive plan's rounds and decisions) into the manifest. */
  recordPlan(): void {
    this.manifest.plan = { ...this.manifest.plan, trialCount: this.plan.trialCount, trialIds: this.plan.trials.map((t) => t.id) };
    if (this.plan.adaptive) this.manifest.adaptive = adaptiveRecord(this.plan, this.decisions);
  }

  /** The manifest's progress counts from the results so far. */
  countProgress(): void {
    this.manifest.progress = countProgress(this.plan, this.done);
  }

  async save(): Promise<void> {
    this.manifest.updatedAt = this.now();
    await this.store.writeManifest(this.manifest);
  }

  now(): string {
    return new Date(this.clock.nowMs()).toISOString();
  }
}

function countProgress(plan: RunPlan, done: Map<string, TrialResult>): RunManifest['progress'] {
  const counts = { total: plan.trialCount, ok: 0, failed: 0, invalid: 0, unsupported: 0, pending: 0 };
  for (const t of plan.trials) {
    const r = done.get(t.id);
    if (!r) counts.pending++;
    else counts[r.status]++;
  }
  return counts;
}
