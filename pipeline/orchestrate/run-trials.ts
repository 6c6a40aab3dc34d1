import type { Progress } from '../core/index.js';
import { ExitCode } from '../core/index.js';
import type { RoundDecision, RunPlan } from '../plan/index.js';
import { readBaselineRecord } from '../power/index.js';
import { EmbeddedRunner } from '../runners/embedded/index.js';
import type { ActiveRun } from './active-run.js';
import { decideAfterLastRound } from '../analysis/index.js';
import { archPreflight } from './arch-preflight.js';
import { finishRun } from './finish-run.js';
import { prepareInputs, type Setup } from './prepare-inputs.js';
import type { ReadyHost, RunDependencies, RunOutcome, RunRequest } from './run-request.js';
import { runOneTrial } from './run-trial.js';
import { ensureFolder, writeFileAtomic } from '../results/index.js';
import { dirname } from 'node:path';

/** Steps 5 to 7 of a started run: inputs and baseline, the trials round by round, then the summary and report. */
export async function executeRun(deps: RunDependencies, req: RunRequest, run: ActiveRun, host: ReadyHost): Promise<RunOutcome> {
  run.log.check();
  const setup = await prepareRun(deps.progress, req.signal, run, host);
  await runTrials(deps, req.signal, run, host, setup);
  return completeRun(deps, run);
}

/** Step 5: leftover containers removed (on resume), images and models, the GPU architecture check, the idle baseline. */
async function prepareRun(progress: Progress, signal: AbortSignal, run: ActiveRun, host: ReadyHost): Promise<Setup> {
  const { framework, measurement } = host;
  const { manifest, store } = run;
  if (framework && run.resuming) {
    const removed = await framework.removeOrphans(store.runId);
    if (removed > 0) progress.info(`Removed ${removed} container(s) left by the interrupted run.`);
  }
  const keepFile = async (relativePath: string, text: string) => {
    await ensureFolder(dirname(store.path(relativePath)));
    await writeFileAtomic(store.path(relativePath), text);
    return relativePath;
  };
  const setup = await prepareInputs(run.plan, run.loaded, framework, progress, run.logger, signal, keepFile);
  if (host.gpus && host.needsGpu) checkGpuArchitectures(progress, run, setup, host.gpus, host.inventory?.driverVersion ?? null);
  manifest.images = setup.images;
  manifest.models = setup.modelRecords;
  if (manifest.power.baseline) {
    measurement.restoreBaseline(readBaselineRecord(manifest.power.baseline));
  } else {
    progress.status('Measuring the idle baseline');
    manifest.power.baseline = await measurement.measureBaseline(signal);
    const trace = measurement.baselineTrace(store.runId);
    if (trace) await store.writeTrace(trace);
  }
  await run.save();
  return setup;
}

/** Which images' CUDA kernels run on the measured GPU with this driver: refused ones are recorded, JIT ones warned about. */
function checkGpuArchitectures(progress: Progress, run: ActiveRun, setup: Setup, gpus: NonNullable<ReadyHost['gpus']>, driverVersion: string | null): void {
  const verdicts = archPreflight(setup.images, gpus.measured, driverVersion);
  for (const v of verdicts) {
    setup.arch.set(`${v.runtime}:${v.flavour}`, v);
    if (v.support === 'unsupported') progress.info(`Refusing the trials of ${v.runtime}:${v.flavour}: ${v.reason}. They are recorded as unsupported.`);
    if (v.support === 'ptx-jit')
      progress.info(
        `Warning: ${v.reason}. A run-scoped compute cache (${v.computeCacheDir}) keeps the JIT output, so it compiles once, in the first trial's warm-up, outside every measured window.`,
      );
  }
  run.manifest.gpu = { measured: gpus.measured, context: gpus.context, images: verdicts, ...(gpus.selectedBy ? { selectedBy: gpus.selectedBy } : {}) };
  run.logger.info({ event: 'gpu.preflight', gpu: run.manifest.gpu }, 'GPU architecture pre-flight');
}

/** Step 6: every trial not yet done, in plan order; with adaptive repetitions, round after round until all stop. */
async function runTrials(deps: RunDependencies, signal: AbortSignal, run: ActiveRun, host: ReadyHost, setup: Setup): Promise<void> {
  const embedded = new EmbeddedRunner({ contracts: deps.contracts });
  for (;;) {
    for (const trial of run.plan.trials) {
      if (run.done.has(trial.id)) continue;
      signal.throwIfAborted();
      deps.progress.step(run.done.size, run.plan.trialCount, trial.id);
      const trialLog = run.logger.child({ trialId: trial.id });
      trialLog.info({ event: 'trial.start', config: trial.config }, 'trial started');
      const result = await runOneTrial(trial, {
        plan: run.plan,
        spec: run.loaded.spec,
        store: run.store,
        measurement: host.measurement,
        framework: host.framework,
        embedded,
        setup,
        signal,
        clock: deps.clock,
        sharedHost: run.sharedHost,
      });
      await run.store.writeTrialResult(result);
      run.done.set(trial.id, result);
      trialLog.info({ event: 'trial.finish', status: result.status, reasons: result.reasons }, 'trial finished');
      if (result.status !== 'ok') deps.progress.info(`${trial.id}: ${result.status} (${result.reasons.join('; ')})`);
      run.countProgress();
      await run.save();
      run.log.check();
    }
    if (!(await nextRound(run, deps.progress))) return;
  }
}

/**
 * Adaptive repetitions: decides after the last round (unless a resumed run's replay already did) and appends the
 * next round to the plan. False when there is no next round (a fixed plan, or every configuration stopped).
 */
async function nextRound(run: ActiveRun, progress: Progress): Promise<boolean> {
  const lastRound = run.plan.rounds[run.plan.rounds.length - 1]!.round;
  if (!run.plan.adaptive || run.decisions.some((d) => d.afterRound === lastRound && d.next === null)) return false;
  const step = decideAfterLastRound(run.plan, run.done);
  if (!step) return false;
  run.decisions.push(step.decision);
  run.plan = step.plan;
  logDecision(step.decision, run, progress);
  run.recordPlan();
  run.countProgress();
  await run.save();
  run.log.check();
  return Boolean(step.decision.next);
}

/** Step 7: summary and report (a completed run includes them: if writing them fails, the run stays resumable). */
async function completeRun(deps: RunDependencies, run: ActiveRun): Promise<RunOutcome> {
  const { manifest } = run;
  deps.progress.done();
  run.countProgress();
  await finishRun(run.store, { ...manifest, status: 'completed' }, [...run.done.values()], deps.contracts);
  manifest.status = 'completed';
  await run.save();
  run.logger.info({ event: 'run.finish', progress: manifest.progress }, 'run finished');
  run.log.check();
  const exitCode = manifest.progress.failed > 0 ? ExitCode.trialsFailed : ExitCode.ok;
  return { runDir: run.store.runDir, status: manifest.status, progress: manifest.progress, exitCode };
}

/** One decision in run.log (every configuration, its precision and outcome) and one line on the terminal. */
function logDecision(d: RoundDecision, run: ActiveRun, progress: Progress): void {
  const plan: RunPlan = run.plan;
  const rule = plan.adaptive!;
  const extended = d.configurations.filter((c) => c.outcome === 'extend');
  run.logger.info(
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
