import type { RunManifest, TrialResult } from '../contracts/index.js';
import { type Logger, readInputFileSync } from '../core/index.js';
import type { LoadedExperiment } from '../config/index.js';
import { ensureFolder, makeRunId, RunStore } from '../results/index.js';
import { embeddedRuntimeVersion, ortLibrary } from '../runners/embedded/index.js';
import { describeGreenrt, describeHost } from './host-info.js';
import { claimHostForShard, shardGpu } from './host-shards.js';
import { ActiveRun, RunLog } from './active-run.js';
import type { OpenedRun, PlannedRun, ReadyHost, RunDependencies, RunRequest } from './run-request.js';

/**
 * Step 4: the first writes. Claims the host for a shard, creates (or reopens) the run folder and run.log,
 * and saves the manifest: a new one, or the resumed run's marked running again, with this host's facts.
 * A failure here releases the host claim; after it, `runExperiment`'s `finally` does.
 */
export async function startRun(deps: RunDependencies, req: RunRequest, opened: OpenedRun, planned: PlannedRun, host: ReadyHost): Promise<ActiveRun> {
  const { loaded, previous } = opened;
  const resuming = previous !== null;
  // A shard measures alone on its host unless every shard there says --shared-host (checked before writing).
  const runId = opened.store ? opened.store.runId : (req.runId ?? makeRunId(loaded.spec.name, deps.clock.nowMs(), loaded.sha256));
  const releaseHost = planned.sharded
    ? await claimHostForShard({ pid: process.pid, runId, sharedHost: planned.sharedHost, gpu: shardGpu(host.gpus) }, deps.contracts, req.hostShardsDir)
    : null;
  const early = async <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      await releaseHost?.();
      throw error;
    });
  const store = opened.store ?? (await early(RunStore.create(req.artifactsDir, runId, deps.contracts)));
  await early(ensureFolder(store.path('trials')));
  host.framework?.attach(store.runId);
  const log = new RunLog(store);
  announceStart(deps, log.logger, store, loaded, planned, resuming);
  if (resuming) logRecoveredFinishes(log.logger, store, opened.stored);
  const run = new ActiveRun({
    loaded,
    store,
    manifest: previous ?? (await newManifest(deps, store, loaded, planned)),
    plan: planned.plan,
    decisions: planned.decisions,
    done: new Map(opened.stored.map((r) => [r.trialId, r] as const)),
    log,
    resuming,
    sharedHost: planned.sharedHost,
    releaseHost,
    clock: deps.clock,
  });
  run.recordPlan();
  if (resuming) markResumed(run);
  await describeRunHost(run.manifest, host, planned);
  await early(run.save());
  return run;
}

/** One line on the terminal, `run.start` (or `run.resume`) in run.log, and a resumed adaptive run's replay. */
function announceStart(deps: RunDependencies, logger: Logger, store: RunStore, loaded: LoadedExperiment, planned: PlannedRun, resuming: boolean): void {
  const { plan } = planned;
  deps.progress.info(`${resuming ? 'Resuming' : 'Run'} ${store.runId}: ${plan.trialCount} trials -> ${store.runDir}`);
  logger.info({ event: resuming ? 'run.resume' : 'run.start', trials: plan.trialCount, experiment: loaded.file }, 'run started');
  if (!resuming || !plan.adaptive) return;
  logger.info(
    {
      event: 'adaptive.replay',
      rounds: plan.rounds.length,
      decisions: planned.decisions.length,
      recordedTrials: planned.recordedIds.length,
      replayedTrials: plan.trialCount,
    },
    'adaptive decisions recomputed from the recorded results',
  );
}

/**
 * A kill between a trial's result (written first) and its log line leaves a result the log never saw finish:
 * record it now, marked, so run.log tells every trial's end exactly once.
 */
function logRecoveredFinishes(logger: Logger, store: RunStore, stored: TrialResult[]): void {
  const logged = loggedFinishes(store.path('run.log'));
  for (const r of stored) {
    if (!logged.has(r.trialId))
      logger
        .child({ trialId: r.trialId })
        .info(
          { event: 'trial.finish', status: r.status, reasons: r.reasons, recoveredOnResume: true },
          'trial finished before the interruption (its result was found on resume)',
        );
  }
}

/** A new run's manifest: status running, every trial pending, host facts filled in by `describeRunHost`. */
async function newManifest(deps: RunDependencies, store: RunStore, loaded: LoadedExperiment, planned: PlannedRun): Promise<RunManifest> {
  const { plan, sharded, sharedHost } = planned;
  return {
    schemaVersion: 1,
    runId: store.runId,
    status: 'running',
    statusReason: null,
    createdAt: new Date(deps.clock.nowMs()).toISOString(),
    updatedAt: new Date(deps.clock.nowMs()).toISOString(),
    resumes: [],
    experiment: { file: loaded.file, sha256: loaded.sha256, spec: loaded.spec },
    host: describeHost(),
    greenrt: await describeGreenrt(),
    schemas: deps.contracts.versions,
    plan: { seed: plan.seed, order: plan.order, trialCount: plan.trialCount, trialIds: plan.trials.map((t) => t.id) },
    ...(sharded
      ? {
          shard: {
            index: sharded.shard.index,
            count: sharded.shard.count,
            partition: sharded.shard.partition,
            ...(sharded.shard.round !== undefined ? { round: sharded.shard.round } : {}),
            planHash: sharded.shard.planHash,
            planTrialCount: sharded.shard.planTrialCount,
            ...(sharedHost ? { sharedHost } : {}),
          },
        }
      : {}),
    images: [],
    models: [],
    power: { sources: [], baseline: null },
    progress: { total: plan.trialCount, ok: 0, failed: 0, invalid: 0, unsupported: 0, pending: plan.trialCount },
  };
}

/** A resumed run's manifest: running again, this resume's time added, progress recounted. */
function markResumed(run: ActiveRun): void {
  const { manifest } = run;
  manifest.status = 'running';
  manifest.statusReason = null;
  manifest.resumes = [...(manifest.resumes ?? []), run.now()];
  run.countProgress();
}

/** This host's facts (runtimes, Docker engine, power sources, GPUs and which are measured) into the manifest. */
async function describeRunHost(manifest: RunManifest, host: ReadyHost, planned: PlannedRun): Promise<void> {
  const { framework, inventory, gpus } = host;
  const embedded = planned.plan.trials.some((t) => t.config.runtime === 'embedded');
  manifest.host = describeHost({
    onnxruntimeNode: embedded ? embeddedRuntimeVersion : null,
    onnxruntimeNodeLibrary: embedded ? ortLibrary() : null,
    docker: framework ? await framework.describeEngine() : null,
  });
  manifest.power.sources = await host.measurement.describeSources();
  if (inventory)
    manifest.host.gpus = inventory.gpus.map((g) => ({ ...g, driverVersion: inventory.driverVersion, measured: gpus?.measured.includes(g) ?? false }));
  // Which GPU is measured and why (gpu.devices, the job's CUDA_VISIBLE_DEVICES, or the first), for cpu-only runs too.
  if (gpus?.selectedBy && !manifest.gpu) manifest.gpu = { measured: gpus.measured, context: gpus.context, images: [], selectedBy: gpus.selectedBy };
}

/** Trial ids with a `trial.finish` line in run.log (lines that do not parse, e.g. cut by a crash, are skipped). */
function loggedFinishes(file: string): Set<string> {
  const ids = new Set<string>();
  let text = '';
  try {
    // Only a regular file of a size one run writes (a device bound over run.log would read forever).
    text = readInputFileSync(file, 256 * 2 ** 20).toString('utf8');
  } catch {
    return ids;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"trial.finish"')) continue;
    try {
      const entry = JSON.parse(line) as { event?: string; trialId?: string };
      if (entry.event === 'trial.finish' && typeof entry.trialId === 'string') ids.add(entry.trialId);
    } catch {
      // a line cut by the crash
    }
  }
  return ids;
}
