import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from '../core/index.js';
import { InputError, escapeText, readInputFile } from '../core/index.js';
import { SchemaId, type Contracts, type PowerTrace, type RunManifest, type TrialResult, type ValidatedManifest } from '../contracts/index.js';
import { planRun, trialIdPattern, type RoundDecision } from '../plan/index.js';
import { adaptiveRecord, replayRounds } from '../analysis/index.js';
import { maxRunFileBytes, RunStore, refuseDamagedRun, shownRunDir, verifyRunFolder } from '../results/index.js';
import { checkMergeable, type MergeInput, type MergeProblem } from './merge-check.js';
import { finishRun } from './finish-run.js';

export interface MergeRequest {
  runDirs: string[];
  /** The merged run folder; must not exist (its name is the merged run's id). */
  outDir: string;
  /** Claims file for the report (default: finishRun's); null skips claims. */
  claimsFile?: string | null;
}

export interface MergeOutcome {
  runDir: string;
  manifest: RunManifest;
  /** Host facts that differ between shards (listed in the manifest and the report). */
  differences: string[];
}

/** Thrown when the runs cannot be merged: one problem per mismatch, each with its kind in `path`. */
export class MergeRefusedError extends InputError {
  constructor(readonly mergeProblems: MergeProblem[]) {
    super(
      `Cannot merge these ${mergeProblems.length === 1 ? 'runs' : 'runs'}: ${mergeProblems.length} problem(s), nothing was written`,
      mergeProblems.map((p) => ({ file: 'merge', path: p.kind, message: p.message, hint: hintFor(p.kind) })),
    );
  }
}

function hintFor(kind: MergeProblem['kind']): string {
  switch (kind) {
    case 'unfinished':
      return 'Resume the unfinished shard (or `greenrt slurm resubmit` its study), then merge again.';
    case 'incomplete':
      return 'Give every shard 0..N-1 of the study.';
    case 'host':
      return 'Run every shard on nodes with the same GPU model, driver, images and greenrt commit (see docs/SCALING.md).';
    default:
      return 'Merge only shards of one study (one experiment file, one `greenrt run --shard K/N` set with the same N and partition).';
  }
}

/**
 * Joins shard runs into one run folder that validates like any other: each input is checked as
 * `greenrt verify` does, then `checkMergeable`; trials (and traces) are copied with the merged run's id
 * and their position in the full plan; the manifest records each shard's node; then the report.
 */
export async function mergeRuns(deps: { contracts: Contracts; clock: Clock }, req: MergeRequest): Promise<MergeOutcome> {
  const { contracts } = deps;
  const inputs: (MergeInput & { runDir: string; manifest: ValidatedManifest; results: TrialResult[] })[] = [];
  for (const dir of req.runDirs) {
    const check = await verifyRunFolder(dir, contracts);
    refuseDamagedRun(check, 'greenrt merge');
    inputs.push({
      dir: shownRunDir(check.runDir),
      runDir: check.runDir,
      manifest: check.manifest,
      missingTrialIds: check.missingTrialIds,
      results: check.results,
    });
  }
  const first = inputs[0];
  if (!first) throw new MergeRefusedError([{ kind: 'incomplete', message: 'no run folder given' }]);
  // Adaptive rounds (rotation): the full plan is where the one-node rule leads from the stored trials of every round.
  let fullPlan = planRun(first.manifest.experiment.spec);
  let decisions: RoundDecision[] = [];
  const rotation = first.manifest.shard?.partition === 'rotation' && fullPlan.adaptive !== null;
  if (rotation) ({ plan: fullPlan, decisions } = replayRounds(fullPlan, new Map(inputs.flatMap((i) => i.results).map((r) => [r.trialId, r] as const))));
  const { problems, differences } = checkMergeable(inputs, fullPlan);
  const last = decisions[decisions.length - 1];
  if (rotation && problems.length === 0 && last?.next !== null) {
    const round = fullPlan.rounds[fullPlan.rounds.length - 1]!;
    problems.push({
      kind: 'unfinished',
      message: `the study is not finished: the rounds so far decide round ${round.round} (${round.count} trial(s)), which has not run`,
    });
  }
  if (problems.length > 0) throw new MergeRefusedError(problems);

  const out = resolve(req.outDir);
  const runId = basename(out);
  if (!trialIdPattern.test(runId)) {
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: '--out',
        message: `the folder name "${escapeText(runId, 60)}" is not a valid run id`,
        hint: 'Name it with lowercase letters, digits, ".", "_" or "-", e.g. artifacts/demo-merged.',
      },
    ]);
  }
  if (
    await stat(out).then(
      () => true,
      () => false,
    )
  ) {
    throw new InputError('Bad command line', [
      { file: shownRunDir(out), path: '--out', message: 'already exists', hint: 'Give a new folder for the merged run.' },
    ]);
  }
  const store = await RunStore.create(dirname(out), runId, contracts);
  const position = new Map(fullPlan.trials.map((t) => [t.id, t.orderIndex] as const));
  const sorted = [...inputs].sort(
    (a, b) => (a.manifest.shard?.round ?? 0) - (b.manifest.shard?.round ?? 0) || (a.manifest.shard?.index ?? 0) - (b.manifest.shard?.index ?? 0),
  );
  const results: TrialResult[] = [];
  for (const input of sorted) {
    for (const r of input.results) {
      const merged: TrialResult = { ...r, runId, orderIndex: position.get(r.trialId) ?? r.orderIndex };
      await store.writeTrialResult(merged);
      results.push(merged);
      if (r.tracePath) {
        const trace = contracts.assert<PowerTrace>(
          SchemaId.powerTrace,
          JSON.parse((await readInputFile(join(input.runDir, r.tracePath), maxRunFileBytes, { within: input.runDir })).toString('utf8')),
          r.tracePath,
        );
        await store.writeTrace({ ...trace, runId });
      }
    }
  }
  results.sort((a, b) => a.orderIndex - b.orderIndex);
  const base = first.manifest;
  const progress = { total: fullPlan.trialCount, ok: 0, failed: 0, invalid: 0, unsupported: 0, pending: 0 };
  for (const r of results) progress[r.status]++;
  const now = new Date(deps.clock.nowMs()).toISOString();
  const { shard: _shard, integrity: _integrity, ...rest } = base;
  const manifest: RunManifest = {
    ...rest,
    runId,
    status: 'completed',
    statusReason: null,
    createdAt: sorted.map((i) => i.manifest.createdAt).sort()[0] ?? now,
    updatedAt: now,
    resumes: [],
    plan: { seed: fullPlan.seed, order: fullPlan.order, trialCount: fullPlan.trialCount, trialIds: fullPlan.trials.map((t) => t.id) },
    ...(rotation ? { adaptive: adaptiveRecord(fullPlan, decisions) } : {}),
    merge: {
      partition: base.shard?.partition ?? 'repetition',
      count: base.shard?.count ?? sorted.length,
      shards: sorted.map((i) => ({
        index: i.manifest.shard?.index ?? 0,
        ...(i.manifest.shard?.round !== undefined ? { round: i.manifest.shard.round } : {}),
        runId: i.manifest.runId,
        node: i.manifest.host.hostname,
        trialIds: i.manifest.plan.trialIds,
        images: i.manifest.images.map((m) => ({ tag: m.tag, configDigest: m.configDigest ?? null, obtained: m.obtained ?? null })),
      })),
      hostDifferences: differences,
      ...(sorted.some((i) => i.manifest.shard?.sharedHost) ? { sharedHost: true } : {}),
    },
    progress,
  };
  await store.writeManifest(manifest);
  await finishRun(store, manifest, results, contracts, req.claimsFile === undefined ? {} : { claimsFile: req.claimsFile });
  await store.writeManifest(manifest);
  return { runDir: store.runDir, manifest, differences };
}
