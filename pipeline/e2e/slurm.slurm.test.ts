/**
 * End to end on a real Slurm cluster (scripts/slurm-up.sh starts a one-node one as root; CI runs it):
 * `greenrt slurm submit experiments/demo.yaml --shards 2 --wait`, then a study whose shard is cancelled
 * mid-run and resubmitted. Skipped with a message when no controller answers, unless
 * GREENRT_REQUIRE_SLURM=1 (CI), where a missing cluster fails the suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, type RunManifest, type SlurmStudy } from '../contracts/index.js';
import { loadExperiment } from '../config/index.js';
import { configurationOf, planRun } from '../plan/index.js';
import { sha256Hex } from '../core/index.js';
import { ensureCliBuilt, readJson, runCli, waitFor } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const demo = join(process.cwd(), 'experiments', 'demo.yaml');
const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 10_000 });
const slurmUp = ping.status === 0 && /UP/.test(ping.stdout ?? '');
if (!slurmUp) {
  const why = ping.error ? `scontrol: ${ping.error.message}` : `scontrol ping: ${(ping.stdout || ping.stderr || '').trim().split('\n')[0]}`;
  if (process.env.GREENRT_REQUIRE_SLURM === '1')
    throw new Error(`GREENRT_REQUIRE_SLURM=1 but no Slurm controller answers (${why}). Start one with: bash scripts/slurm-up.sh`);
  console.warn(`[slurm e2e] skipped: no Slurm controller answers (${why}); start a one-node cluster with scripts/slurm-up.sh (root)`);
}

const minutes = 60_000;
let artifacts: string;
let plannedIds: string[];
let configurations: Set<string>;

function studyDirOf(stdout: string): string {
  const m = /Study folder: (.+)/.exec(stdout);
  if (!m) throw new Error(`no study folder in the output:\n${stdout}`);
  return m[1]!.trim().startsWith('/') ? m[1]!.trim() : join(process.cwd(), m[1]!.trim());
}
const study = (dir: string) => readJson<SlurmStudy>(join(dir, 'slurm', 'study.json'));
const shardDir = (dir: string, k: number) => join(dir, 'shards', `${study(dir).studyId}-shard-${k}`);
const mergedDir = (dir: string) => join(dir, `${study(dir).studyId}-merged`);
const queued = (ids: string[]) => execFileSync('squeue', ['-h', '-r', '-j', ids.join(','), '-o', '%i'], { encoding: 'utf8' }).trim();

/** The merged run: verifies, every planned trial exactly once, each shard ran every configuration. */
async function checkMerged(dir: string): Promise<RunManifest> {
  const merged = mergedDir(dir);
  const verify = await runCli(['verify', merged]);
  expect(verify.stdout + verify.stderr).toMatch(/intact/);
  expect(verify.code).toBe(0);
  const manifest = readJson<RunManifest>(join(merged, 'manifest.json'));
  expect(manifest.status).toBe('completed');
  expect(manifest.plan.trialIds).toEqual(plannedIds);
  const files = readdirSync(join(merged, 'trials'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.replace(/\.json$/, ''))
    .sort();
  expect(files).toEqual([...plannedIds].sort());
  const fromShards = manifest.merge!.shards.flatMap((s) => s.trialIds);
  expect(fromShards.length).toBe(plannedIds.length);
  expect(new Set(fromShards)).toEqual(new Set(plannedIds));
  expect(manifest.merge!.shards.map((s) => s.index)).toEqual([0, 1]);
  for (const s of manifest.merge!.shards) expect(new Set(s.trialIds.map(configurationOf))).toEqual(configurations);
  expect(readFileSync(join(merged, 'results.csv'), 'utf8').split('\n')[0]).toMatch(/,node$/);
  expect(readFileSync(join(merged, 'report.md'), 'utf8')).toContain('### Nodes (merged run: the node is a block)');
  return manifest;
}

describe.skipIf(!slurmUp && process.env.GREENRT_REQUIRE_SLURM !== '1')('greenrt slurm on a real Slurm cluster', () => {
  beforeAll(async () => {
    ensureCliBuilt();
    artifacts = tempDir('greenrt-slurm-');
    const plan = planRun((await loadExperiment(demo, new Contracts())).spec);
    plannedIds = plan.trials.map((t) => t.id);
    configurations = new Set(plannedIds.map(configurationOf));
  });

  it(
    'slurm submit experiments/demo.yaml --shards 2 --wait: the merged run has every planned trial once, each shard every configuration',
    async () => {
      const started = Date.now();
      const r = await runCli(['slurm', 'submit', demo, '--shards', '2', '--wait', '--artifacts', artifacts], { timeoutMs: 15 * minutes });
      console.log(`[slurm e2e] 2-shard demo through Slurm: ${((Date.now() - started) / 1000).toFixed(1)} s wall`);
      expect(r.stdout).toMatch(/Submitted study .*: array job \d+ \(2 shards\), merge job \d+ \(afterok\)/);
      expect(r.code, r.stderr).toBe(0);
      const dir = studyDirOf(r.stdout);
      // The scripts are kept for the record: an exclusive array over 2 shards, a merge job.
      const script = readFileSync(join(dir, 'slurm', 'shard.sbatch'), 'utf8');
      expect(script).toMatch(/#SBATCH --array=0-1/);
      expect(script).toMatch(/#SBATCH --exclusive/);
      expect(readFileSync(join(dir, 'slurm', 'merge.sbatch'), 'utf8')).toMatch(/ merge \\/);
      for (const k of [0, 1])
        expect(readJson<RunManifest>(join(shardDir(dir, k), 'manifest.json')).shard).toMatchObject({ index: k, count: 2, partition: 'repetition' });
      await checkMerged(dir);
      const status = await runCli(['slurm', 'status', dir]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/shard 0\/2 .* COMPLETED .*run completed/);
      expect(status.stdout).toMatch(/merge .* COMPLETED/);
    },
    20 * minutes,
  );

  it(
    'a shard cancelled mid-run is resubmitted alone, resumes without redoing its finished trials, and finishes the study',
    async () => {
      const r = await runCli(['slurm', 'submit', demo, '--shards', '2', '--artifacts', artifacts]);
      expect(r.code, r.stderr).toBe(0);
      const dir = studyDirOf(r.stdout);
      const first = study(dir).submissions[0]!;
      const shard0 = shardDir(dir, 0);
      // Shard 0 runs first (exclusive nodes, one node): cancel it once it has finished a trial.
      await waitFor(
        'shard 0 to finish a trial',
        () => {
          const m = existsSync(join(shard0, 'manifest.json')) ? readJson<RunManifest>(join(shard0, 'manifest.json')) : null;
          return m !== null && m.progress.total - m.progress.pending >= 1;
        },
        10 * minutes,
      );
      execFileSync('scancel', [`${first.arrayJobId}_0`]);
      await waitFor('every job of the study to leave the queue', () => queued([first.arrayJobId!, first.mergeJobId!]) === '', 10 * minutes);
      const cut = readJson<RunManifest>(join(shard0, 'manifest.json'));
      expect(cut.status).not.toBe('completed');
      const kept = new Map(
        readdirSync(join(shard0, 'trials'))
          .filter((n) => n.endsWith('.json'))
          .map((n) => [n, sha256Hex(readFileSync(join(shard0, 'trials', n)))] as const),
      );
      expect(kept.size).toBeGreaterThanOrEqual(1);
      expect(existsSync(mergedDir(dir))).toBe(false); // afterok: the merge job never ran

      const before = await runCli(['slurm', 'status', dir]);
      expect(before.stdout).toMatch(/shard 0\/2 .* CANCELLED/);
      expect(before.stdout).toMatch(/Not finished: resubmit .* greenrt slurm resubmit/);
      expect(before.code).toBe(4);

      const again = await runCli(['slurm', 'resubmit', dir, '--wait'], { timeoutMs: 15 * minutes });
      expect(again.stdout).toMatch(/Resubmitted shard\(s\) 0 of /);
      expect(again.code, again.stderr).toBe(0);
      expect(study(dir).submissions.map((s) => s.indices)).toEqual([[0, 1], [0]]);
      const resumed = readJson<RunManifest>(join(shard0, 'manifest.json'));
      expect(resumed.status).toBe('completed');
      expect(resumed.resumes?.length).toBe(1);
      for (const [name, hash] of kept) expect(sha256Hex(readFileSync(join(shard0, 'trials', name))), name).toBe(hash);
      await checkMerged(dir);
    },
    25 * minutes,
  );
});
