import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts, type RunManifest } from '../contracts/index.js';
import { InputError } from '../core/index.js';
import { planRun, shardPlan, type ShardPartition } from '../plan/index.js';
import { verifyRunFolder } from '../results/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { fakeImageRecord, fakeManifest, fakeTrialResult, writeFakeRun } from '../testing/trial-results.js';
import { MergeRefusedError, mergeRuns } from './merge-runs.js';
import { tempDir } from '../testing/temp-dir.js';

// Two runtimes, so that the per-node ranking check has something to rank. FAKE numbers (testing/trial-results.ts).
const spec = withSchemaDefaults({
  schemaVersion: 1,
  name: 'fake',
  seed: 20240220,
  order: 'shuffled',
  runtimes: [
    { name: 'pytorch', providers: ['cuda'] },
    { name: 'tensorflow', providers: ['cuda'] },
  ],
  models: ['resnet50'],
  batchSizes: [1, 64],
  repetitions: 4,
  warmupIterations: 10,
  measuredIterations: 50,
});
const contracts = new Contracts();
const clock = { nowMs: () => Date.parse('2026-01-02T00:00:00Z'), monotonicNs: () => 0n } as never;
let dir: string;
beforeEach(() => {
  dir = tempDir('greenrt-merge-');
});

interface ShardOptions {
  count?: number;
  partition?: ShardPartition;
  name?: string;
  manifest?: (m: RunManifest) => RunManifest;
  /** Median latency of a trial's runtime, ms (default: pytorch 5, tensorflow 8, times sqrt(batch)). */
  runtimeLatencyMs?: { pytorch: number; tensorflow: number };
}

/** A completed shard run folder K/N written as greenrt writes one (validated files, recorded hashes). */
async function shard(k: number, o: ShardOptions = {}): Promise<string> {
  const count = o.count ?? 2;
  const partition = o.partition ?? 'repetition';
  const plan = planRun(spec);
  const part = shardPlan(plan, { index: k, count, partition }, '--shard');
  const runId = o.name ?? `fake-shard-${k}-of-${count}`;
  const results = part.plan.trials.map((t) =>
    fakeTrialResult({
      runId,
      config: t.config,
      orderIndex: t.orderIndex,
      seed: t.orderIndex + 10 * k,
      latencyMs: (o.runtimeLatencyMs ?? { pytorch: 5, tensorflow: 8 })[t.config.runtime as 'pytorch' | 'tensorflow'] * t.config.batchSize ** 0.5,
    }),
  );
  const base = fakeManifest(results, {
    runId,
    experiment: { file: 'experiments/fake.yaml', sha256: 'b'.repeat(64), spec },
    plan: { seed: plan.seed, order: plan.order, trialCount: part.plan.trialCount, trialIds: part.plan.trials.map((t) => t.id) },
    shard: { index: k, count, partition, planHash: part.shard.planHash, planTrialCount: plan.trialCount },
  });
  base.host = { ...base.host, hostname: `node${k}`, gpus: [{ name: 'NVIDIA H100', driverVersion: '550.54' }] };
  const manifest = o.manifest ? o.manifest(base) : base;
  return writeFakeRun(dir, runId, results, contracts, manifest);
}

async function refusal(dirs: string[]): Promise<MergeRefusedError> {
  const out = join(dir, 'merged');
  const error = await mergeRuns({ contracts, clock }, { runDirs: dirs, outDir: out, claimsFile: null }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MergeRefusedError);
  expect(existsSync(out)).toBe(false); // nothing written
  return error as MergeRefusedError;
}
const kinds = (e: MergeRefusedError) => e.mergeProblems.map((p) => p.kind);

describe('mergeRuns', () => {
  it('merges two repetition shards into a run that verifies, with every planned trial once and the node of each', async () => {
    const dirs = [await shard(1), await shard(0)];
    const outcome = await mergeRuns({ contracts, clock }, { runDirs: dirs, outDir: join(dir, 'fake-merged'), claimsFile: null });
    const v = await verifyRunFolder(outcome.runDir, contracts);
    expect(v.discrepancies).toEqual([]);
    expect(v.missingTrialIds).toEqual([]);
    const plan = planRun(spec);
    expect(v.results.map((r) => r.trialId)).toEqual(plan.trials.map((t) => t.id));
    expect(outcome.manifest.merge?.shards.map((s) => [s.index, s.node])).toEqual([
      [0, 'node0'],
      [1, 'node1'],
    ]);
    // Each shard ran every configuration.
    for (const s of outcome.manifest.merge!.shards) expect(new Set(s.trialIds.map((id) => id.replace(/\.r\d+$/, ''))).size).toBe(4);
    const csv = (await readFile(join(outcome.runDir, 'results.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    expect(header.at(-1)).toBe('node');
    const nodeOf = new Map(csv.slice(1).map((l) => [l.split(',')[1]!, l.split(',').at(-1)!] as const));
    for (const s of outcome.manifest.merge!.shards) for (const id of s.trialIds) expect(nodeOf.get(id)).toBe(s.node);
    const report = await readFile(join(outcome.runDir, 'report.md'), 'utf8');
    expect(report).toContain('### Nodes (merged run: the node is a block)');
    expect(report).toContain('node0: median latency ms (n)');
    expect(report).toMatch(/Runtime ranking by median latency: \*\*the same on every node\*\* in all 2 /);
  });

  it('lists host differences that do not decide comparability, and merges', async () => {
    const dirs = [await shard(0), await shard(1, { manifest: (m) => ({ ...m, host: { ...m.host, kernel: '6.9.0' } }) })];
    const outcome = await mergeRuns({ contracts, clock }, { runDirs: dirs, outDir: join(dir, 'fake-merged'), claimsFile: null });
    expect(outcome.differences.join('\n')).toMatch(/the kernel differs: "6.1.0" .* vs "6.9.0"/);
    expect(outcome.manifest.merge?.hostDifferences).toEqual(outcome.differences);
  });

  it('flags a runtime ranking that differs between nodes', async () => {
    // On node1, tensorflow is the faster runtime: the ranking check must say so, group by group.
    const dirs = [await shard(0), await shard(1, { runtimeLatencyMs: { pytorch: 9, tensorflow: 4 } })];
    const outcome = await mergeRuns({ contracts, clock }, { runDirs: dirs, outDir: join(dir, 'fake-merged'), claimsFile: null });
    const report = await readFile(join(outcome.runDir, 'report.md'), 'utf8');
    expect(report).toMatch(/Runtime ranking by median latency: \*\*differs between nodes\*\* in 2 of 2 group\(s\)/);
    expect(report).toContain('node0: pytorch < tensorflow; node1: tensorflow < pytorch');
  });

  it('refuses runs of different experiments (SHA-256)', async () => {
    const e = await refusal([await shard(0), await shard(1, { manifest: (m) => ({ ...m, experiment: { ...m.experiment, sha256: 'c'.repeat(64) } }) })]);
    expect(kinds(e)).toEqual(['experiment']);
    expect(e.message).toMatch(/Cannot merge/);
    expect(e.problems[0]!.message).toMatch(/the experiment file \(SHA-256\) differs/);
  });

  it('refuses runs with a different seed', async () => {
    const e = await refusal([await shard(0), await shard(1, { manifest: (m) => ({ ...m, plan: { ...m.plan, seed: 7 } }) })]);
    expect(kinds(e)).toContain('plan');
    expect(e.problems.map((p) => p.message).join('\n')).toMatch(/the plan seed differs/);
  });

  it('refuses runs of a different plan (planHash)', async () => {
    const e = await refusal([await shard(0), await shard(1, { manifest: (m) => ({ ...m, shard: { ...m.shard!, planHash: 'deadbeef' } }) })]);
    expect(kinds(e)).toContain('plan');
    expect(e.problems.map((p) => p.message).join('\n')).toMatch(/the full plan \(planHash\) differs/);
  });

  it('refuses shards of different shard counts or partitions', async () => {
    const e = await refusal([await shard(0), await shard(1, { count: 3 })]);
    expect(kinds(e)).toContain('partition');
    const f = await refusal([await shard(0, { name: 'p0' }), await shard(1, { partition: 'configuration', name: 'p1' })]);
    expect(f.problems.map((p) => p.message).join('\n')).toMatch(/the partition differs/);
  });

  it('refuses overlapping shards (the same shard twice)', async () => {
    const e = await refusal([await shard(0), await shard(0, { name: 'again' }), await shard(1)]);
    expect(kinds(e)).toEqual(['overlap']);
    expect(e.problems[0]!.message).toMatch(/shard 0 is given 2 times/);
  });

  it('refuses an incomplete set of shards', async () => {
    const e = await refusal([await shard(0)]);
    expect(kinds(e)).toEqual(['incomplete']);
    expect(e.problems[0]!.message).toMatch(/shard\(s\) 1\/2 missing/);
  });

  it('refuses a run that is not a shard', async () => {
    const e = await refusal([
      await shard(0),
      await shard(1, {
        manifest: (m) => {
          const { shard: _s, ...rest } = m;
          return rest;
        },
      }),
    ]);
    expect(kinds(e)).toContain('not-a-shard');
  });

  it('refuses an unfinished shard, naming the resume command', async () => {
    const e = await refusal([await shard(0), await shard(1, { manifest: (m) => ({ ...m, status: 'interrupted' }) })]);
    expect(kinds(e)).toEqual(['unfinished']);
    expect(e.problems[0]!.message).toMatch(/greenrt run --resume/);
  });

  it.each([
    ['GPU model', (m: RunManifest) => ({ ...m, host: { ...m.host, gpus: [{ name: 'NVIDIA A100', driverVersion: '550.54' }] } }), /the GPU model\(s\) differs/],
    ['driver', (m: RunManifest) => ({ ...m, host: { ...m.host, gpus: [{ name: 'NVIDIA H100', driverVersion: '535.1' }] } }), /the NVIDIA driver differs/],
    [
      'image config digests',
      (m: RunManifest) => ({ ...m, images: [fakeImageRecord({ tag: 'greenrt/pytorch:cuda-abc', imageId: 'sha256:other' })] }),
      /the pytorch:cpu image differs: config digests/,
    ],
    ['greenrt commit', (m: RunManifest) => ({ ...m, greenrt: { ...m.greenrt, gitCommit: 'f'.repeat(40) } }), /the greenrt commit differs/],
    [
      "embedded runtime's ONNX Runtime build",
      (m: RunManifest) => ({ ...m, host: { ...m.host, onnxruntimeNodeLibrary: { file: '/opt/other/libonnxruntime.so.1', sha256: 'e'.repeat(64) } } }),
      /the embedded runtime's ONNX Runtime library \(SHA-256\) differs/,
    ],
  ])('refuses hosts that differ in the %s', async (_what, change, message) => {
    const e = await refusal([await shard(0), await shard(1, { manifest: change })]);
    expect(kinds(e)).toEqual(['host']);
    expect(e.problems[0]!.message).toMatch(message);
  });

  const withImage = (k: number, image: Parameters<typeof fakeImageRecord>[0]) => shard(k, { manifest: (m) => ({ ...m, images: [fakeImageRecord(image)] }) });

  it('compares images by config digest: equal digests merge whatever the image ids, and the merged run says how each node got them', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const outcome = await mergeRuns(
      { contracts, clock },
      {
        runDirs: [
          await withImage(0, { configDigest: digest, imageId: digest, obtained: 'built' }),
          // A containerd-store node: its image id is the manifest's digest, the config digest is the same.
          await withImage(1, {
            configDigest: digest,
            imageId: `sha256:${'d'.repeat(64)}`,
            obtained: 'loaded',
            loadedFrom: '/study/images/pytorch-cpu-000000000000.json',
          }),
        ],
        outDir: join(dir, 'merged'),
        claimsFile: null,
      },
    );
    expect(outcome.manifest.merge?.shards.map((s) => [s.node, s.images])).toEqual([
      ['node0', [{ tag: 'greenrt/pytorch:cpu-000000000000', configDigest: digest, obtained: 'built' }]],
      ['node1', [{ tag: 'greenrt/pytorch:cpu-000000000000', configDigest: digest, obtained: 'loaded' }]],
    ]);
    expect((await verifyRunFolder(outcome.runDir, contracts)).discrepancies).toEqual([]);
  });

  it("refuses one recipe with different bytes with its own message: load the study's saved images", async () => {
    const e = await refusal([
      await withImage(0, { configDigest: `sha256:${'1'.repeat(64)}`, imageId: `sha256:${'1'.repeat(64)}` }),
      await withImage(1, { configDigest: `sha256:${'2'.repeat(64)}`, imageId: `sha256:${'2'.repeat(64)}` }),
    ]);
    expect(kinds(e)).toEqual(['host']);
    expect(e.problems[0]!.message).toMatch(/the pytorch:cpu image differs: same recipe, different bytes .*greenrt images load <study>\/images/);
  });

  it('compares manifests written before config digests by image id, with a note', async () => {
    const old = (k: number, id: string) =>
      shard(k, {
        manifest: (m) => {
          const { configDigest: _c, diffIds: _d, obtained: _o, loadedFrom: _l, ...image } = fakeImageRecord({ imageId: id });
          return { ...m, images: [image] };
        },
      });
    const same = await mergeRuns(
      { contracts, clock },
      { runDirs: [await old(0, 'sha256:x'), await old(1, 'sha256:x')], outDir: join(dir, 'old'), claimsFile: null },
    );
    expect(same.differences.join('\n')).toMatch(/predate config digests: their images were compared by image id/);
    expect(same.manifest.merge?.shards[0]?.images).toEqual([{ tag: 'greenrt/pytorch:cpu-000000000000', configDigest: null, obtained: null }]);
    dir = tempDir('greenrt-merge-');
    const e = await refusal([await old(0, 'sha256:x'), await old(1, 'sha256:y')]);
    expect(e.problems[0]!.message).toMatch(/the pytorch:cpu image differs: same recipe, different bytes/);
  });

  it("refuses a damaged shard with verify's findings before any other check", async () => {
    const dirs = [await shard(0), await shard(1)];
    const trials = join(dirs[1]!, 'trials');
    const first = (await import('node:fs/promises')).readdir(trials);
    const name = (await first)[0]!;
    const text = await readFile(join(trials, name), 'utf8');
    await writeFile(join(trials, name), text.replace('"status": "ok"', '"status": "ok" '));
    const error = await mergeRuns({ contracts, clock }, { runDirs: dirs, outDir: join(dir, 'merged'), claimsFile: null }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/damaged .* greenrt merge changed nothing/);
    expect((error as InputError).problems[0]!.message).toMatch(/SHA-256 differs/);
    expect(existsSync(join(dir, 'merged'))).toBe(false);
  });
});
