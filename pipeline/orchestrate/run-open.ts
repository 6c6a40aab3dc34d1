import { relative } from 'node:path';
import type { Contracts, ExperimentSpec, RunManifest } from '../contracts/index.js';
import { EnvironmentError, escapeText, InputError } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import { checkPlanSize, planRun, shardPlan, type RoundDecision, type RunPlan } from '../plan/index.js';
import { RunStore, refuseDamagedRun, verifyRunFolder } from '../results/index.js';
import { selectGpus } from './gpu-selection.js';
import { checkNamedClaims } from './named-claims.js';
import { loadResumedExperiment } from './resumed-experiment.js';
import { replayRounds } from '../analysis/index.js';
import type { OpenedRun, PlannedRun, ReadyHost, RunDependencies, RunRequest } from './run-request.js';

/**
 * Step 1: loads the experiment and the claims file it names; on resume, first verifies the run folder and opens it
 * (nothing is written).
 */
export async function openRun(req: RunRequest, contracts: Contracts): Promise<OpenedRun> {
  if (!req.resumeDir) {
    if (!req.experimentFile) throw new Error('runExperiment needs experimentFile or resumeDir');
    const loaded = await loadExperiment(req.experimentFile, contracts);
    await checkNamedClaims(loaded, contracts);
    return { loaded, previous: null, store: null, stored: [] };
  }
  // The same check as `greenrt verify`, before anything in the folder is touched (temp files included).
  const check = await verifyRunFolder(req.resumeDir, contracts);
  refuseDamagedRun(check, 'greenrt run --resume');
  const previous = check.manifest;
  const loaded = await loadResumedExperiment(previous, check.runDir, contracts);
  const store = await RunStore.open(check.runDir, contracts);
  // Trials written just before a crash, after the manifest's last update: valid and planned, so kept.
  for (const [rel, hash] of check.unrecorded) store.adopt(rel, hash);
  return { loaded, previous, store, stored: check.results };
}

/**
 * Step 2: the plan (this shard's), and on resume the adaptive rounds replayed from the recorded results;
 * refuses a resumed run whose plan changed, and a new run too large to start unconfirmed.
 */
export function planTheRun(opened: OpenedRun, req: RunRequest): PlannedRun {
  const { loaded, previous, stored } = opened;
  const shardSpec = previous ? previous.shard : req.shard;
  // A resumed round shard runs the trials its manifest records (the round's decision is the study's, not this run's).
  const roundTrialIds = previous?.shard?.round !== undefined ? previous.plan.trialIds : (req.roundTrialIds ?? null);
  const sharded = shardSpec ? shardPlan(planRun(loaded.spec), shardSpec, '--shard', roundTrialIds) : null;
  let plan = sharded ? sharded.plan : planRun(loaded.spec);
  const sharedHost = previous ? previous.shard?.sharedHost === true : req.sharedHost === true;
  // Adaptive repetitions: the rounds after round 1 are decided again from the recorded results (deterministic),
  // so a resumed run continues the same sequence.
  let decisions: RoundDecision[] = [];
  if (previous && plan.adaptive) ({ plan, decisions } = replayRounds(plan, new Map(stored.map((r) => [r.trialId, r] as const))));
  const recordedIds = previous?.plan.trialIds ?? [];
  if (previous) refuseChangedPlan(previous, loaded.spec, plan, recordedIds);
  else checkPlanSize(plan, { confirmed: req.confirmed, file: relative(process.cwd(), loaded.file) || loaded.file });
  return { plan, decisions, sharded, sharedHost, recordedIds };
}

/**
 * The recorded plan must be where the replay leads (or, for adaptive repetitions, short of it by the one round
 * a kill between the last result and the manifest update leaves unrecorded).
 */
function refuseChangedPlan(previous: RunManifest, spec: ExperimentSpec, plan: RunPlan, recordedIds: string[]): void {
  const replayedIds = plan.trials.map((t) => t.id);
  const planMatches = plan.adaptive
    ? recordedIds.length <= replayedIds.length && recordedIds.every((id, i) => replayedIds[i] === id)
    : recordedIds.join('\n') === replayedIds.join('\n');
  if (planMatches) return;
  if (spec.name !== previous.experiment.spec.name) {
    throw new InputError(`Cannot resume ${previous.runId}`, [
      {
        file: 'manifest.json',
        path: '/experiment/file',
        message: `names ${escapeText(previous.experiment.file, 300)}, the experiment "${escapeText(spec.name, 80)}", but the run was of "${escapeText(previous.experiment.spec.name, 80)}" (its recorded spec); the trial order differs`,
        hint: 'The manifest was changed after the run started: restore the run folder from a copy, or start a new run.',
      },
    ]);
  }
  throw new EnvironmentError('E_PLAN_CHANGED', `Cannot resume: the plan of ${previous.experiment.file} no longer matches the run's recorded trial order.`, {
    hint: 'Resume with the greenrt version that started the run, or start a new run.',
  });
}

/** Step 3: everything on the host that can refuse the run (images, GPUs, Docker, power), before anything is written. */
export async function readyHost(deps: RunDependencies, spec: ExperimentSpec, plan: RunPlan): Promise<ReadyHost> {
  const needsFramework = plan.trials.some((t) => t.image !== null);
  const needsGpu = plan.trials.some((t) => t.config.provider !== 'cpu');
  // Images that this host cannot build at all (TensorRT without NVIDIA's index) refuse the run first, GPU or not.
  if (needsFramework) await deps.preflightImages?.(spec, plan);
  const inventory = deps.listGpus ? await deps.listGpus() : null;
  const gpus = inventory ? selectGpus(spec.gpu.devices, inventory, needsGpu, deps.cudaVisibleDevices) : null;
  const framework = needsFramework ? await deps.createFrameworkExecutor(spec, plan, gpus) : null;
  const measurement = await deps.createMeasurement(spec, gpus);
  if (spec.power.required && !measurement.canMeasure()) {
    throw new EnvironmentError('E_NO_POWER_SOURCE', 'No power source works on this host and the experiment requires one (power.required: true).', {
      hint: 'Run `greenrt doctor` to see why each source is unavailable, or set power.required: false.',
    });
  }
  return { needsGpu, inventory, gpus, framework, measurement };
}
