/**
 * An adaptive study round by round on a real Slurm cluster (scripts/slurm-up.sh; CI runs it):
 * `greenrt slurm submit experiments/demo-adaptive.yaml --shards 2 --wait` (round 1's array, a decide job after each
 * round, the next round or the merge), and a study whose decide job is cancelled and resubmitted. The decisions are
 * checked against the one-node rule on the same stored trials (what `greenrt verify` re-computes). Skipped with a
 * message when no controller answers, unless GREENRT_REQUIRE_SLURM=1 (CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayRounds } from '../analysis/index.js';
import { Contracts, type RunManifest, type SlurmRoundDecision, type SlurmStudy, type TrialResult } from '../contracts/index.js';
import { loadExperiment } from '../config/index.js';
import { configurationOf, planConfigurations, planRun, rotationShard } from '../plan/index.js';
import { verifyRunFolder } from '../results/index.js';
import { ensureCliBuilt, readJson, runCli, waitFor } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const experiment = join(process.cwd(), 'experiments', 'demo-adaptive.yaml');
const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 10_000 });
const slurmUp = ping.status === 0 && /UP/.test(ping.stdout ?? '');
if (!slurmUp && process.env.GREENRT_REQUIRE_SLURM === '1')
  throw new Error('GREENRT_REQUIRE_SLURM=1 but no Slurm controller answers. Start one with: bash scripts/slurm-up.sh');
if (!slurmUp) console.warn('[slurm rounds e2e] skipped: no Slurm controller answers; start a one-node cluster with scripts/slurm-up.sh (root)');

const minutes = 60_000;
let artifacts: string;
const study = (dir: string) => readJson<SlurmStudy>(join(dir, 'slurm', 'study.json'));
const queued = (ids: string[]) => execFileSync('squeue', ['-h', '-r', '-j', ids.join(','), '-o', '%i'], { encoding: 'utf8' }).trim();
function studyDirOf(stdout: string): string {
  const m = /Study folder: (.+)/.exec(stdout);
  if (!m) throw new Error(`no study folder in the output:\n${stdout}`);
  return m[1]!.trim().startsWith('/') ? m[1]!.trim() : join(process.cwd(), m[1]!.trim());
}

/**
 * The merged run verifies (its adaptive record is what the rule decides from its trials), every configuration ended
 * at precision or at max, the decisions equal the one-node rule's on the same trials and the decide jobs' records,
 * and every trial ran on the shard rotation gives it.
 */
async function checkStudy(dir: string): Promise<RunManifest> {
  const merged = join(dir, `${study(dir).studyId}-merged`);
  const verify = await runCli(['verify', merged]);
  expect(verify.stdout + verify.stderr).toMatch(/intact\. .* adaptive decision\(s\) are what the rule decides from the stored trials/);
  expect(verify.code).toBe(0);
  const manifest = readJson<RunManifest>(join(merged, 'manifest.json'));
  const spec = (await loadExperiment(experiment, new Contracts())).spec;
  const v = await verifyRunFolder(merged, new Contracts());
  const oneNode = replayRounds(planRun(spec), new Map(v.results.map((r: TrialResult) => [r.trialId, r] as const)));
  expect(manifest.plan.trialIds).toEqual(oneNode.plan.trials.map((t) => t.id));
  expect(manifest.adaptive!.decisions.map((d) => [d.afterRound, d.nextRound])).toEqual(oneNode.decisions.map((d) => [d.afterRound, d.next?.round ?? null]));
  const last = new Map(manifest.adaptive!.decisions.flatMap((d) => d.configurations.map((c) => [c.configuration, c] as const)));
  for (const c of last.values()) expect(['met', 'max'], `${c.configuration}: ${c.outcome}`).toContain(c.outcome);
  for (const d of oneNode.decisions) {
    const file = readJson<SlurmRoundDecision>(join(dir, 'slurm', 'rounds', `after-round-${d.afterRound}.json`));
    expect(file.configurations.map((c) => [c.configuration, c.outcome])).toEqual(d.configurations.map((c) => [c.configuration, c.outcome]));
    expect(file.nextRound?.trialIds ?? null).toEqual(d.next?.trialIds ?? null);
  }
  const configs = planConfigurations(planRun(spec));
  for (const s of manifest.merge!.shards)
    for (const id of s.trialIds) expect(s.index).toBe(rotationShard(configs.indexOf(configurationOf(id)), Number(/\.r(\d+)$/.exec(id)![1]), 2));
  expect(readFileSync(join(merged, 'report.md'), 'utf8')).toContain('### Nodes (merged run: the node is a block)');
  return manifest;
}

describe.skipIf(!slurmUp && process.env.GREENRT_REQUIRE_SLURM !== '1')('an adaptive study round by round on a real Slurm cluster', () => {
  beforeAll(() => {
    ensureCliBuilt();
    artifacts = tempDir('greenrt-slurm-rounds-');
  });

  it(
    'slurm submit experiments/demo-adaptive.yaml --shards 2 --wait: rounds until every configuration is at precision or max, the one-node decisions',
    async () => {
      const started = Date.now();
      const r = await runCli(['slurm', 'submit', experiment, '--shards', '2', '--wait', '--artifacts', artifacts], { timeoutMs: 15 * minutes });
      const dir = studyDirOf(r.stdout);
      console.log(
        `[slurm rounds e2e] adaptive demo on 2 shards: ${((Date.now() - started) / 1000).toFixed(1)} s wall, ${study(dir).submissions.length} submissions`,
      );
      expect(r.stdout).toMatch(/Submitted study .*: array job \d+ \(round 1 on shard\(s\) 0, 1\), decide job \d+ \(afterok\)/);
      expect(r.code, r.stderr).toBe(0);
      const manifest = await checkStudy(dir);
      expect(study(dir).submissions.at(-1)?.mergeJobId).toMatch(/^\d+$/);
      expect(
        study(dir)
          .submissions.filter((s) => s.arrayJobId)
          .map((s) => s.round),
      ).toEqual(manifest.adaptive!.rounds.map((x) => x.round));
      const status = await runCli(['slurm', 'status', dir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/round \d+ \(at most 4\): 0 configuration\(s\) open; estimated rounds left 0/);
      expect(status.stdout).toMatch(/merge .* COMPLETED/);
    },
    20 * minutes,
  );

  it(
    'a cancelled decide job stops the study after its round; resubmit runs the decision and the study finishes',
    async () => {
      const r = await runCli(['slurm', 'submit', experiment, '--shards', '2', '--artifacts', artifacts]);
      expect(r.code, r.stderr).toBe(0);
      const dir = studyDirOf(r.stdout);
      const first = study(dir).submissions[0]!;
      execFileSync('scancel', [first.decideJobId!]);
      await waitFor('every job of the study to leave the queue', () => queued([first.arrayJobId!, first.decideJobId!]) === '', 10 * minutes);
      expect(existsSync(join(dir, 'slurm', 'rounds', 'after-round-1.json'))).toBe(false);
      const before = await runCli(['slurm', 'status', dir]);
      expect(before.stdout).toMatch(/round 1 .*estimated rounds left unknown/);
      expect(before.stdout).toMatch(/decide job \d+ +CANCELLED/);
      expect(before.code).toBe(4);
      const again = await runCli(['slurm', 'resubmit', dir, '--wait'], { timeoutMs: 15 * minutes });
      expect(again.stdout).toMatch(/Resubmitted round 1 of .*: shard\(s\) none, array job -, decide job \d+/);
      expect(again.code, again.stderr).toBe(0);
      await checkStudy(dir);
    },
    25 * minutes,
  );
});
