/**
 * The shard commands through the real CLI, without a Slurm cluster: bad --shard, merge refusing
 * (exit 2, one line per problem, nothing written), and `slurm submit --dry-run` writing the scripts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, type SlurmStudy } from '../contracts/index.js';
import { planRun, shardPlan } from '../plan/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { fakeManifest, fakeTrialResult, writeFakeRun } from '../testing/trial-results.js';
import { defaultHostShardsDir } from '../orchestrate/host-shards.js';
import { ensureCliBuilt, readJson, runCli, startCli, waitFor } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

let dir: string;
beforeAll(() => {
  ensureCliBuilt();
  dir = tempDir('greenrt-shard-cli-');
});

describe('greenrt run --shard', () => {
  it.each([
    ['2/2', /"2\/2" is not a shard K\/N with 0 <= K < N/],
    ['0/6', /shard 0\/6 gets no trial: the plan has 5 repetition/],
  ])('refuses --shard %s with exit 2 before writing anything', async (shard, message) => {
    const artifacts = join(dir, `bad-${shard.replace('/', '-')}`);
    const r = await runCli(['run', 'experiments/demo.yaml', '--shard', shard, '--artifacts', artifacts]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(artifacts)).toBe(false);
  });

  it('refuses --shared-host without --shard', async () => {
    const r = await runCli(['run', 'experiments/demo.yaml', '--shared-host', '--artifacts', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shared-host is for shards that share a host: give --shard K\/N too/);
  });
});

describe('one shard per host unless --shared-host', () => {
  it('refuses a second shard while one runs on this host (exit 3, nothing written), and names it', async () => {
    const first = startCli(['run', 'experiments/demo.yaml', '--shard', '0/2', '--artifacts', join(dir, 'first')]);
    try {
      await waitFor('the first shard to register on the host', () => existsSync(join(defaultHostShardsDir, `${first.child.pid}.json`)), 60_000);
      const second = await runCli(['run', 'experiments/demo.yaml', '--shard', '1/2', '--artifacts', join(dir, 'second')]);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/Shard run demo-.* cannot start: shard run demo-.* \(pid \d+\) is running on this host/);
      expect(second.stderr).toMatch(/--shared-host/);
      expect(existsSync(join(dir, 'second'))).toBe(false);
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
    }
    expect(existsSync(join(defaultHostShardsDir, `${first.child.pid}.json`))).toBe(false);
  });
});

describe('greenrt merge', () => {
  it('exits 2 listing each problem, and writes nothing', async () => {
    const contracts = new Contracts();
    const spec = {
      schemaVersion: 1 as const,
      name: 'fake',
      seed: 1,
      order: 'shuffled' as const,
      runtimes: [{ name: 'pytorch' as const, providers: ['cuda' as const] }],
      models: ['resnet50' as const],
      batchSizes: [1],
      repetitions: 2,
      warmupIterations: 10,
      measuredIterations: 50,
    };
    const plan = planRun(withSchemaDefaults(spec));
    const part = shardPlan(plan, { index: 0, count: 2, partition: 'repetition' }, '--shard');
    const results = part.plan.trials.map((t) => fakeTrialResult({ runId: 'only-shard', config: t.config, orderIndex: t.orderIndex, latencyMs: 5 }));
    const run = await writeFakeRun(dir, 'only-shard', results, contracts, {
      ...fakeManifest(results),
      experiment: { file: 'experiments/fake.yaml', sha256: 'b'.repeat(64), spec },
      plan: { seed: 1, order: 'shuffled', trialCount: 1, trialIds: part.plan.trials.map((t) => t.id) },
      shard: { index: 0, count: 2, partition: 'repetition', planHash: plan.planHash, planTrialCount: plan.trialCount },
    });
    const out = join(dir, 'merged');
    const r = await runCli(['merge', run, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot merge these runs: 1 problem\(s\), nothing was written/);
    expect(r.stderr).toMatch(/incomplete.*shard\(s\) 1\/2 missing: the study has 2 shards/);
    expect(existsSync(out)).toBe(false);
  });

  it('has --help', async () => {
    const r = await runCli(['merge', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--out <dir>/);
  });
});

describe('greenrt slurm submit --dry-run', () => {
  it('writes the study folder with both scripts and the record, submits nothing', async () => {
    const artifacts = join(dir, 'study');
    const r = await runCli([
      'slurm',
      'submit',
      'experiments/demo.yaml',
      '--shards',
      '2',
      '--gres',
      'gpu:1',
      '--time',
      '00:30:00',
      '--dry-run',
      '--artifacts',
      artifacts,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Estimate \(greenrt's, see greenrt validate\): longest shard .* with 2 nodes in parallel; the whole plan on one node/);
    expect(r.stdout).toMatch(/Dry run: scripts written to .*, nothing submitted/);
    const [name] = readdirSync(artifacts);
    const study = readJson<SlurmStudy>(join(artifacts, name!, 'slurm', 'study.json'));
    expect(study).toMatchObject({ shards: 2, partition: 'repetition', options: { gres: 'gpu:1', time: '00:30:00' } });
    expect(study.submissions).toEqual([expect.objectContaining({ indices: [0, 1], arrayJobId: null, mergeJobId: null })]);
    const shard = readFileSync(join(artifacts, name!, 'slurm', 'shard.sbatch'), 'utf8');
    expect(shard).toMatch(/#SBATCH --gres=gpu:1\n/);
    expect(shard).toMatch(/#SBATCH --array=0-1\n/);
  });

  it.each([
    ['--shards', 'x', /--shards: "x" must be a whole number in \[1, 10000\]/],
    ['--partition', 'gpu;rm', /--partition: "gpu;rm" has characters Slurm does not use there/],
  ])('refuses %s %s with exit 2', async (opt, value, message) => {
    const args = ['slurm', 'submit', 'experiments/demo.yaml', '--shards', opt === '--shards' ? value : '2', '--dry-run', '--artifacts', join(dir, 'never')];
    if (opt !== '--shards') args.push(opt, value);
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('status of a folder that is not a study exits 2 and says what to pass', async () => {
    const r = await runCli(['slurm', 'status', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a Slurm study folder/);
  });
});
