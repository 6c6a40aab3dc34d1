import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Contracts, RunManifest, TrialResult } from '../contracts/index.js';
import { type Clock, createLogger, EnvironmentError, GreenrtError, ExitCode, describeError } from '../core/index.js';
import { loadExperiment, type ExperimentSpec, type LoadedExperiment } from '../config/index.js';
import { planRun, checkPlanSize, shardPlan, type RunPlan, type ShardSpec } from '../plan/index.js';
import { RunStore, makeRunId, ensureFolder, describeWriteError, verifyRunFolder, refuseDamagedRun } from '../results/index.js';
import { EmbeddedRunner, embeddedRuntimeVersion } from '../runners/embedded/index.js';
import { prepareInputs } from './prepare-inputs.js';
import { runOneTrial } from './run-trial.js';
import type { Progress } from '../core/index.js';
import { describeHost, describeGreenrt } from './host-info.js';
import type { FrameworkExecutor, MeasurementPort } from './ports.js';
import { finishRun } from './finish-run.js';
import { readBaselineRecord, type GpuInventory } from '../power/index.js';
import { selectGpus, type GpuSelection } from './gpu-selection.js';
import { archPreflight } from './arch-preflight.js';
import { loadResumedExperiment } from './resumed-experiment.js';
import { claimHostForShard } from './host-shards.js';
import { adaptiveRecord, decideAfterLastRound, replayRounds } from './adaptive-rounds.js';
import type { RoundDecision } from '../plan/index.js';

export interface RunDependencies {
  contracts: Contracts;
  clock: Clock;
  progress: Progress;
  createMeasurement(spec: ExperimentSpec, gpus?: GpuSelection | null): Promise<MeasurementPort>;
  /** Built only when the plan has framework trials (connects to Docker, checks GPUs). */
  createFrameworkExecutor(spec: ExperimentSpec, plan: RunPlan, gpus?: GpuSelection | null): Promise<FrameworkExecutor>;
  /** The host's GPUs (NVML, else nvidia-smi); absent: no selection (tests without GPUs). */
  listGpus?(): Promise<GpuInventory>;
  /** Refuses (throws) a plan whose images this host cannot build, before anything else is asked of it. */
  preflightImages?(spec: ExperimentSpec, plan: RunPlan): Promise<void>;
}

export interface RunRequest {
  experimentFile?: string;
  resumeDir?: string;
  artifactsDir: string;
  /** The user confirmed a large matrix (--yes). */
  confirmed: boolean;
  signal: AbortSignal;
  /** Run only shard K of N of the plan (--shard); a resumed run keeps the shard its manifest records. */
  shard?: ShardSpec;
  /** Run id (the folder name) instead of a generated one: the Slurm job script names each shard's folder. */
  runId?: string;
  /** Other shards run on this host on other GPUs (--shared-host): CPU energy is shared, so left out of per-trial energy. */
  sharedHost?: boolean;
  /** Folder where running shards register (default: <tmpdir>/greenrt-shards). */
  hostShardsDir?: string;
}

export interface RunOutcome {
  runDir: string;
  status: RunManifest['status'];
  progress: RunManifest['progress'];
  exitCode: number;
}

/** Raised when the user interrupts a run (Ctrl-C); the manifest says how to resume. */
export class InterruptedError extends GreenrtError {
  override readonly exitCode = ExitCode.interrupted;
}

/** Runs (or resumes) an experiment: plan, images, models, baseline, trials, summary and report. */
export async function runExperiment(deps: RunDependencies, req: RunRequest): Promise<RunOutcome> {
  const { contracts, progress } = deps;
  const resuming = Boolean(req.resumeDir);
  let store: RunStore;
  let loaded: LoadedExperiment;
  let previous: RunManifest | null = null;
  let stored: TrialResult[] = [];
  if (req.resumeDir) {
    // The same check as `greenrt verify`, before anything in the folder is touched (temp files included).
    const check = await verifyRunFolder(req.resumeDir, contracts);
    refuseDamagedRun(check, 'run --resume');
    previous = check.manifest;
    loaded = await loadResumedExperiment(previous, check.runDir, contracts);
    store = await RunStore.open(check.runDir, contracts);
    // Trials written just before a crash, after the manifest's last update: valid and planned, so kept.
    for (const [rel, hash] of check.unrecorded) store.adopt(rel, hash);
    stored = check.results;
  } else {
    if (!req.experimentFile) throw new Error('runExperiment needs experimentFile or resumeDir');
    loaded = await loadExperiment(req.experimentFile, contracts);
    store = undefined as unknown as RunStore;
  }
  const spec = loaded.spec;
  const shardSpec = previous ? previous.shard : req.shard;
  const sharded = shardSpec ? shardPlan(planRun(spec), shardSpec) : null;
  let plan = sharded ? sharded.plan : planRun(spec);
  const sharedHost = previous ? previous.shard?.sharedHost === true : req.sharedHost === true;
  // Adaptive repetitions: the rounds after round 1 are decided again from the recorded results (deterministic),
  // so a resumed run continues the same sequence; the recorded plan must be where that replay leads (or short
  // of it by the one round a kill between the last result and the manifest update leaves unrecorded).
  let decisions: RoundDecision[] = [];
  if (previous && plan.adaptive) ({ plan, decisions } = replayRounds(plan, new Map(stored.map((r) => [r.trialId, r] as const))));
  const replayedIds = plan.trials.map((t) => t.id);
  const recordedIds = previous?.plan.trialIds ?? [];
  const planMatches = plan.adaptive
    ? recordedIds.length <= replayedIds.length && recordedIds.every((id, i) => replayedIds[i] === id)
    : recordedIds.join('\n') === replayedIds.join('\n');
  if (previous && !planMatches) {
    throw new EnvironmentError('E_PLAN_CHANGED', `Cannot resume: the plan of ${previous.experiment.file} no longer matches the run's recorded trial order.`, {
      hint: 'Resume with the greenrt version that started the run, or start a new run.',
    });
  }
  if (!resuming) checkPlanSize(plan, { confirmed: req.confirmed, file: relative(process.cwd(), loaded.file) || loaded.file });

  // Everything that can refuse the run happens before anything is written.
  const needsFramework = plan.trials.some((t) => t.image !== null);
  const needsGpu = plan.trials.some((t) => t.config.provider !== 'cpu');
  // Images that this host cannot build at all (TensorRT without NVIDIA's index) refuse the run first, GPU or not.
  if (needsFramework) await deps.preflightImages?.(spec, plan);
  const inventory = deps.listGpus ? await deps.listGpus() : null;
  const gpus = inventory ? selectGpus(spec.gpu.devices, inventory, needsGpu) : null;
  const framework = needsFramework ? await deps.createFrameworkExecutor(spec, plan, gpus) : null;
  const measurement = await deps.createMeasurement(spec, gpus);
  if (spec.power.required && !measurement.canMeasure()) {
    throw new EnvironmentError('E_NO_POWER_SOURCE', 'No power source works on this host and the experiment requires one (power.required: true).', {
      hint: 'Run `greenrt doctor` to see why each source is unavailable, or set power.required: false.',
    });
  }

  // A shard measures alone on its host unless every shard there says --shared-host (checked before writing).
  const runId = resuming ? store.runId : (req.runId ?? makeRunId(spec.name, deps.clock.nowMs(), loaded.sha256));
  const releaseHost = sharded ? await claimHostForShard({ pid: process.pid, runId, sharedHost }, req.hostShardsDir) : null;
  const early = async <T>(step: Promise<T>): Promise<T> =>
    step.catch(async (error: unknown) => {
      await releaseHost?.();
      throw error;
    });
  if (!resuming) store = await early(RunStore.create(req.artifactsDir, runId, contracts));
  await early(ensureFolder(store.path('trials')));
  framework?.attach(store.runId);
  // A log write that fails (full disk) is kept here and stops the run at the next check, with a clear error.
  let logFailure: unknown = null;
  const logger = createLogger({ file: store.path('run.log'), onError: (e) => (logFailure ??= e) }).child({ runId: store.runId });
  const checkLog = () => {
    if (logFailure) throw describeWriteError(store.path('run.log'), logFailure, false);
  };
  progress.info(`${resuming ? 'Resuming' : 'Run'} ${store.runId}: ${plan.trialCount} trials -> ${store.runDir}`);
  logger.info({ event: resuming ? 'run.resume' : 'run.start', trials: plan.trialCount, experiment: loaded.file }, 'run started');
  if (resuming && plan.adaptive) {
    logger.info(
      {
        event: 'adaptive.replay',
        rounds: plan.rounds.length,
        decisions: decisions.length,
        recordedTrials: recordedIds.length,
        replayedTrials: plan.trialCount,
      },
      'adaptive decisions recomputed from the recorded results',
    );
  }

  const done = new Map(stored.map((r) => [r.trialId, r] as const));
  // A kill between a trial's result (written first) and its log line leaves a result the log never saw finish:
  // record it now, marked, so run.log tells every trial's end exactly once.
  if (resuming) {
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
  const recordPlan = () => {
    manifest.plan = { ...manifest.plan, trialCount: plan.trialCount, trialIds: plan.trials.map((t) => t.id) };
    if (plan.adaptive) manifest.adaptive = adaptiveRecord(plan, decisions);
  };
  const manifest: RunManifest = previous ?? {
    schemaVersion: 1,
    runId: store.runId,
    status: 'running',
    statusReason: null,
    createdAt: new Date(deps.clock.nowMs()).toISOString(),
    updatedAt: new Date(deps.clock.nowMs()).toISOString(),
    resumes: [],
    experiment: { file: loaded.file, sha256: loaded.sha256, spec },
    host: describeHost(),
    greenrt: await describeGreenrt(),
    schemas: contracts.versions,
    plan: { seed: plan.seed, order: plan.order, trialCount: plan.trialCount, trialIds: plan.trials.map((t) => t.id) },
    ...(sharded
      ? {
          shard: {
            index: sharded.shard.index,
            count: sharded.shard.count,
            partition: sharded.shard.partition,
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
  recordPlan();
  if (previous) {
    manifest.status = 'running';
    manifest.statusReason = null;
    manifest.resumes = [...(manifest.resumes ?? []), new Date(deps.clock.nowMs()).toISOString()];
    manifest.progress = countProgress(plan, done);
  }
  manifest.host = describeHost({
    onnxruntimeNode: plan.trials.some((t) => t.config.runtime === 'embedded') ? embeddedRuntimeVersion : null,
    docker: framework ? await framework.describeEngine() : null,
  });
  manifest.power.sources = await measurement.describeSources();
  if (inventory)
    manifest.host.gpus = inventory.gpus.map((g) => ({ ...g, driverVersion: inventory.driverVersion, measured: gpus?.measured.includes(g) ?? false }));
  const save = async () => {
    manifest.updatedAt = new Date(deps.clock.nowMs()).toISOString();
    await store.writeManifest(manifest);
  };
  await early(save());

  try {
    checkLog();
    if (framework && resuming) {
      const removed = await framework.removeOrphans(store.runId);
      if (removed > 0) progress.info(`Removed ${removed} container(s) left by the interrupted run.`);
    }
    const setup = await prepareInputs(plan, loaded, framework, progress, logger, req.signal);
    if (gpus && needsGpu) {
      const verdicts = archPreflight(setup.images, gpus.measured);
      for (const v of verdicts) {
        setup.arch.set(`${v.runtime}:${v.flavour}`, v);
        if (v.support === 'unsupported') progress.info(`Refusing the trials of ${v.runtime}:${v.flavour}: ${v.reason}. They are recorded as unsupported.`);
        if (v.support === 'ptx-jit')
          progress.info(
            `Warning: ${v.reason}. A run-scoped compute cache (${v.computeCacheDir}) keeps the JIT output, so it compiles once, in the first trial's warm-up, outside every measured window.`,
          );
      }
      manifest.gpu = { measured: gpus.measured, context: gpus.context, images: verdicts };
      logger.info({ event: 'gpu.preflight', gpu: manifest.gpu }, 'GPU architecture pre-flight');
    }
    manifest.images = setup.images;
    manifest.models = setup.modelRecords;
    if (manifest.power.baseline) {
      measurement.restoreBaseline(readBaselineRecord(manifest.power.baseline));
    } else {
      progress.status('Measuring the idle baseline');
      manifest.power.baseline = await measurement.measureBaseline(req.signal);
      const trace = measurement.baselineTrace(store.runId);
      if (trace) await store.writeTrace(trace);
    }
    await save();

    const embedded = new EmbeddedRunner({ contracts });
    let finished = done.size;
    for (;;) {
      for (const trial of plan.trials) {
        if (done.has(trial.id)) continue;
        req.signal.throwIfAborted();
        progress.step(finished, plan.trialCount, trial.id);
        const trialLog = logger.child({ trialId: trial.id });
        trialLog.info({ event: 'trial.start', config: trial.config }, 'trial started');
        const result = await runOneTrial(trial, {
          plan,
          spec,
          store,
          measurement,
          framework,
          embedded,
          setup,
          signal: req.signal,
          clock: deps.clock,
          sharedHost,
        });
        await store.writeTrialResult(result);
        done.set(trial.id, result);
        finished++;
        trialLog.info({ event: 'trial.finish', status: result.status, reasons: result.reasons }, 'trial finished');
        if (result.status !== 'ok') progress.info(`${trial.id}: ${result.status} (${result.reasons.join('; ')})`);
        manifest.progress = countProgress(plan, done);
        await save();
        checkLog();
      }
      // Adaptive repetitions: decide after the round (unless a resumed run's replay already did), then run the next.
      const lastRound = plan.rounds[plan.rounds.length - 1]!.round;
      if (!plan.adaptive || decisions.some((d) => d.afterRound === lastRound && d.next === null)) break;
      const step = decideAfterLastRound(plan, done);
      if (!step) break;
      decisions.push(step.decision);
      plan = step.plan;
      logDecision(step.decision, plan, logger, progress);
      recordPlan();
      manifest.progress = countProgress(plan, done);
      await save();
      checkLog();
      if (!step.decision.next) break;
    }
    progress.done();
    manifest.progress = countProgress(plan, done);
    // The report is part of a completed run: if writing it fails, the run stays resumable.
    await finishRun(store, { ...manifest, status: 'completed' }, [...done.values()], contracts);
    manifest.status = 'completed';
    await save();
    logger.info({ event: 'run.finish', progress: manifest.progress }, 'run finished');
    checkLog();
    const exitCode = manifest.progress.failed > 0 ? ExitCode.trialsFailed : ExitCode.ok;
    return { runDir: store.runDir, status: manifest.status, progress: manifest.progress, exitCode };
  } catch (error) {
    progress.done();
    const interrupted = req.signal.aborted;
    manifest.status = interrupted ? 'interrupted' : 'failed';
    manifest.statusReason = interrupted ? 'stopped by the user (SIGINT/SIGTERM)' : (describeError(error).split('\n')[0] ?? 'error');
    manifest.progress = countProgress(plan, done);
    await save().catch(() => undefined);
    logger.error({ event: 'run.stop', status: manifest.status, reason: manifest.statusReason }, 'run stopped');
    if (interrupted) {
      throw new InterruptedError(
        'E_INTERRUPTED',
        `Run ${store.runId} interrupted after ${done.size} of ${plan.trialCount} trials; the manifest and every finished trial are saved.`,
        {
          hint: `Resume it with: greenrt run --resume ${store.runDir}`,
        },
      );
    }
    if (error instanceof GreenrtError && error.code === 'E_DISK_FULL') {
      throw new EnvironmentError(error.code, error.message, {
        hint: `Free space on that file system, then resume the run: greenrt run --resume ${store.runDir}`,
        cause: error,
      });
    }
    throw error;
  } finally {
    await measurement.close();
    await releaseHost?.();
  }
}

/** One decision in run.log (every configuration, its precision and outcome) and one line on the terminal. */
function logDecision(d: RoundDecision, plan: RunPlan, logger: ReturnType<typeof createLogger>, progress: Progress): void {
  const rule = plan.adaptive!;
  const extended = d.configurations.filter((c) => c.outcome === 'extend');
  logger.info(
    {
      event: 'adaptive.decision',
      afterRound: d.afterRound,
      nextRound: d.next?.round ?? null,
      nextRoundSeed: d.next?.seed ?? null,
      target: rule.precision,
      configurations: d.configurations.map((c) => ({
        configuration: c.configuration,
        trials: c.trials,
        okTrials: c.okTrials,
        metric: c.metric,
        relativeHalfWidth: c.relativeHalfWidth,
        outcome: c.outcome,
        fallbackReason: c.fallbackReason,
      })),
    },
    d.next
      ? `round ${d.afterRound} decided: ${extended.length} configuration(s) extended into round ${d.next.round}`
      : `round ${d.afterRound} decided: every configuration stopped`,
  );
  const target = `+/-${(rule.precision.relativeHalfWidth * 100).toFixed(1)} %`;
  const stopped = d.configurations.length - extended.length;
  progress.info(
    d.next
      ? `Round ${d.afterRound} done: ${extended.length} configuration(s) short of ${target} run again in round ${d.next.round}${stopped ? ` (${stopped} stopped)` : ''}.`
      : `Round ${d.afterRound} done: every configuration stopped (${target} met, or max ${rule.max} trials, or unmeasurable).`,
  );
}

/** Trial ids with a `trial.finish` line in run.log (lines that do not parse, e.g. cut by a crash, are skipped). */
function loggedFinishes(file: string): Set<string> {
  const ids = new Set<string>();
  let text = '';
  try {
    // Only a regular file of a size one run writes (a device bound over run.log would read forever).
    const st = statSync(file);
    if (!st.isFile() || st.size > 256 * 2 ** 20) return ids;
    text = readFileSync(file, 'utf8');
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

function countProgress(plan: RunPlan, done: Map<string, TrialResult>): RunManifest['progress'] {
  const counts = { total: plan.trialCount, ok: 0, failed: 0, invalid: 0, unsupported: 0, pending: 0 };
  for (const t of plan.trials) {
    const r = done.get(t.id);
    if (!r) counts.pending++;
    else counts[r.status]++;
  }
  return counts;
}
