/**
 * A real two-node study: scripts/slurm-two-node.sh starts a Slurm cluster of two nodes on this machine (node2 in its
 * own network, UTS and mount namespaces with its own, empty Docker engine), `greenrt slurm submit --shards 2` runs a
 * small onnxruntime-cpu experiment with two models (the committed MobileNetV2 and a ResNet-50 prepared with seeded
 * random weights through the pytorch cpu image on node 1 first), one shard per node. Node 2 has no image and cannot build one in the test's time:
 * it must load the study's saved image. The merged run verifies, names both nodes and says node 2 loaded the image;
 * every trial records the image's config digest, and verify refuses (exit 4) a copy whose shard or trial digest was
 * edited. A dry run of the same study saves nothing and names the image with its size.
 * On the same cluster, the adaptive demo round by round (`slurm submit experiments/demo-adaptive.yaml --shards 2
 * --wait`: round 1's array, a decide job after each round, the next round or the merge): every configuration ends at
 * precision or at max, with the one-node rule's decisions on the same trials, and the merged run names both nodes.
 * Needs root (namespaces, slurmd, dockerd); skipped with a message otherwise, unless GREENRT_REQUIRE_SLURM=1 (CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, type RunManifest, type SlurmStudy, type TrialResult } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { demoModel, ensureCliBuilt, readJson, runCli, runDirIn } from './e2e-support.js';
import { adaptiveDemo, checkRoundsStudy, studyDirOf, studyOf } from './rounds-support.js';

const script = join(packageRoot, 'scripts', 'slurm-two-node.sh');
const check = spawnSync('bash', [script, 'check'], { encoding: 'utf8', timeout: 30_000 });
const possible = check.status === 0;
if (!possible) {
  const why = (check.stderr || check.stdout || String(check.error)).trim().split('\n')[0];
  if (process.env.GREENRT_REQUIRE_SLURM === '1') throw new Error(`GREENRT_REQUIRE_SLURM=1 but this host cannot run the two-node cluster: ${why}`);
  console.warn(`[two-node e2e] skipped: ${why}`);
}

const minutes = 60_000;
const model = readFileSync(join(packageRoot, 'experiments', 'models', 'SHA256SUMS'), 'utf8')
  .split('\n')
  .find((l) => l.includes('mobilenet_v2'))!
  .split(/\s+/)[0]!;

/** What both experiments share: the seed, the order, random weights and one image (onnxruntime cpu, PyTorch exports). */
const onnxruntimeCpu = `seed: 11
order: shuffled
weights: random
runner: docker
runtimes:
  - name: onnxruntime
    providers: [cpu]
    sources: [pytorch]
`;

const power = `power:
  sources: [rapl]
  sampleHz: 10
  baselineS: 2
  cooldown:
    minS: 0
    maxS: 2
`;

/**
 * The second model: the catalogue's ResNet-50 with seeded random weights, prepared once on node 1 through greenrt's
 * real preparation (exported in the pytorch cpu image and checked against PyTorch) by a one-trial run, then given to the
 * study as a prebuilt file like the committed MobileNetV2 (so the nodes need only the onnxruntime image).
 */
const prepare = `schemaVersion: 1
name: two-node-prepare
description: Prepares ResNet-50 (seeded random weights) for the two-node study.
${onnxruntimeCpu}models: [resnet50]
batchSizes: [1]
repetitions: 1
warmupIterations: 1
measuredIterations: 2
threads: 1
${power}`;

/** One image (onnxruntime cpu), two models (the supplied MobileNetV2 and ResNet-50), batch 1, two repetitions: four trials. */
const experiment = (resnetSha256: string) => `schemaVersion: 1
name: two-node
description: Two-node Slurm test (two models, two repetitions, one shard per node).
${onnxruntimeCpu}models: [mobilenet_v2, resnet50]
batchSizes: [1]
repetitions: 2
warmupIterations: 2
measuredIterations: 10
threads: 1
prebuiltModels:
  - model: mobilenet_v2
    source: pytorch
    path: mobilenet_v2.onnx
    sha256: "${model}"
  - model: resnet50
    source: pytorch
    path: resnet50.onnx
    sha256: "${resnetSha256}"
${power}`;

let cluster = '';
let env: NodeJS.ProcessEnv = {};

/** The study's job logs and the cluster's own (slurmctld: requeues, node state), which `down` removes with the cluster. */
const jobAndClusterLogs = (studyDir: string) =>
  spawnSync('sh', ['-c', `tail -n 30 ${join(studyDir, 'slurm', 'logs')}/*; grep -v debug ${join(cluster, 'slurmctld.log')} | tail -n 40`], {
    encoding: 'utf8',
  }).stdout;

describe.skipIf(!possible && process.env.GREENRT_REQUIRE_SLURM !== '1')('a study on two Slurm nodes, the second with an empty Docker engine', () => {
  beforeAll(() => {
    ensureCliBuilt();
    // A short path: the second engine's unix sockets live under it.
    cluster = mkdtempSync('/tmp/g2n.');
    const started = Date.now();
    const up = spawnSync('bash', [script, 'up', cluster], { encoding: 'utf8', timeout: 3 * minutes });
    if (up.status !== 0) throw new Error(`slurm-two-node.sh up failed (${up.status}):\n${up.stdout}\n${up.stderr}`);
    console.log(`[two-node e2e] cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    env = { SLURM_CONF: join(cluster, 'slurm.conf') };
  }, 4 * minutes);

  afterAll(() => {
    if (!cluster) return;
    const started = Date.now();
    const down = spawnSync('bash', [script, 'down', cluster], { encoding: 'utf8', timeout: 3 * minutes });
    console.log(`[two-node e2e] cluster down in ${((Date.now() - started) / 1000).toFixed(1)} s: ${down.stdout.trim()} ${down.stderr.trim()}`);
  }, 4 * minutes);

  it(
    'slurm submit --shards 2: one shard per node, node 2 loads the saved image, the merged run verifies and names both nodes',
    async () => {
      const work = tempDir('greenrt-two-node-');
      // The prebuilt model's folder is mounted into the trial containers (user 10001): readable by all, like experiments/models.
      const exp = join(work, 'experiment');
      mkdirSync(exp, { mode: 0o755 });
      chmodSync(work, 0o755);
      copyFileSync(demoModel.file, join(exp, 'mobilenet_v2.onnx'));
      writeFileSync(join(exp, 'prepare.yaml'), prepare);
      const preparing = Date.now();
      const prepared = await runCli(['run', join(exp, 'prepare.yaml'), '--artifacts', join(work, 'prepare')], { timeoutMs: 20 * minutes });
      expect(prepared.code, `${prepared.stdout}\n${prepared.stderr}`).toBe(0);
      const resnet = readJson<RunManifest>(join(runDirIn(join(work, 'prepare'))!, 'manifest.json')).models.find((m) => m.model === 'resnet50');
      expect(resnet && 'onnxFile' in resnet && resnet.onnxFile && !resnet.prebuilt && resnet.conversion?.withinTolerance).toBeTruthy();
      const onnx = resnet as Extract<RunManifest['models'][number], { onnxFile: unknown }>;
      copyFileSync(isAbsolute(onnx.onnxFile!) ? onnx.onnxFile! : join(onnx.dir, onnx.onnxFile!), join(exp, 'resnet50.onnx'));
      chmodSync(join(exp, 'resnet50.onnx'), 0o644);
      console.log(`[two-node e2e] ResNet-50 prepared (pytorch cpu image, one trial) in ${((Date.now() - preparing) / 1000).toFixed(1)} s`);
      writeFileSync(join(exp, 'two-node.yaml'), experiment(onnx.sha256));
      const started = Date.now();
      const r = await runCli(['slurm', 'submit', join(exp, 'two-node.yaml'), '--shards', '2', '--wait', '--artifacts', join(work, 'artifacts')], {
        env,
        timeoutMs: 20 * minutes,
      });
      console.log(`[two-node e2e] submit (image saved) to merged: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const dir = /Study folder: (.+)/.exec(r.stdout)?.[1]?.trim();
      expect(dir, `${r.stdout}\n${r.stderr}`).toBeDefined();
      const studyDir = dir!.startsWith('/') ? dir! : join(packageRoot, dir!);
      if (r.code !== 0) {
        const logs = jobAndClusterLogs(studyDir);
        throw new Error(`slurm submit exited ${r.code}\n${r.stdout}\n${r.stderr}\n${logs}`);
      }
      const study = readJson<SlurmStudy>(join(studyDir, 'slurm', 'study.json'));
      expect(study.images).toMatchObject({ dir: join(studyDir, 'images'), savedBySubmit: true });
      expect(study.images!.images).toHaveLength(1);
      const saved = study.images!.images[0]!;
      expect(saved.tag).toMatch(/^greenrt\/onnxruntime:cpu-[0-9a-f]{12}$/);
      expect(readFileSync(join(studyDir, 'slurm', 'shard.sbatch'), 'utf8')).toContain(`--images '${join(studyDir, 'images')}'`);

      const merged = join(studyDir, `${study.studyId}-merged`);
      const verify = await runCli(['verify', merged]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      const manifest = readJson<RunManifest>(join(merged, 'manifest.json'));
      expect(manifest.status).toBe('completed');
      const shards = manifest.merge!.shards;
      expect(new Set(shards.map((s) => s.node))).toEqual(new Set([hostname(), 'greenrt-node2']));
      const onNode2 = shards.find((s) => s.node === 'greenrt-node2')!;
      const onNode1 = shards.find((s) => s.node === hostname())!;
      expect(onNode2.images).toEqual([{ tag: saved.tag, configDigest: saved.configDigest, obtained: 'loaded' }]);
      expect(onNode1.images).toEqual([{ tag: saved.tag, configDigest: saved.configDigest, obtained: 'present' }]);
      const shard2 = readJson<RunManifest>(join(studyDir, 'shards', onNode2.runId, 'manifest.json'));
      expect(shard2.images[0]).toMatchObject({ obtained: 'loaded', built: false, configDigest: saved.configDigest });
      expect(shard2.images[0]!.loadedFrom).toBe(join(studyDir, 'images', `onnxruntime-cpu-${saved.tag.slice(-12)}.json`));
      // The second engine now holds the study's image, by the same config digest; the first engine was not touched.
      const id = execFileSync('docker', ['-H', `unix://${join(cluster, 'docker', 'docker.sock')}`, 'image', 'inspect', '-f', '{{.Id}}', saved.tag], {
        encoding: 'utf8',
      }).trim();
      expect(id).toBe(saved.configDigest);
      expect(readFileSync(join(merged, 'report.md'), 'utf8')).toContain('greenrt-node2');

      // Identity in every trial: each records the config digest of the image it ran, the study's. Both models ran.
      const models = new Set<string>();
      for (const id of manifest.plan.trialIds) {
        const trial = readJson<TrialResult>(join(merged, 'trials', `${id}.json`));
        expect(trial.runner).toMatchObject({ image: saved.tag, configDigest: saved.configDigest });
        expect(trial.status).toBe('ok');
        models.add(trial.config.model);
      }
      expect(manifest.plan.trialIds).toHaveLength(4);
      expect(models).toEqual(new Set(['mobilenet_v2', 'resnet50']));
      // verify compares them with the manifest's: a shard's digest edited in the merged manifest, and a trial that records
      // another build (its SHA-256 re-recorded, so that only the digest check can see it), are exit 4 naming both digests.
      const other = `sha256:${'e'.repeat(64)}`;
      const tampered = (name: string, edit: (dir: string, m: RunManifest) => void) => {
        const dir = join(work, name);
        cpSync(merged, dir, { recursive: true });
        const m = readJson<RunManifest>(join(dir, 'manifest.json'));
        edit(dir, m);
        writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
        return dir;
      };
      const k2 = shards.indexOf(onNode2);
      const shardEdited = await runCli(['verify', tampered('shard-digest-edited', (_d, m) => (m.merge!.shards[k2]!.images![0]!.configDigest = other))]);
      expect(shardEdited.code, shardEdited.stdout).toBe(4);
      expect(shardEdited.stdout).toContain(
        `manifest.json: merge.shards[${onNode2.index}].images[0] (${saved.tag} on greenrt-node2) has config digest ${other}, but images records ${saved.configDigest}`,
      );
      for (const id of onNode2.trialIds) {
        expect(shardEdited.stdout).toContain(
          `trials/${id}.json: ran image ${saved.tag} with config digest ${saved.configDigest}, but manifest.json (merge.shards[${onNode2.index}] on greenrt-node2, ${saved.tag}) records config digest ${other}`,
        );
      }
      const first = onNode1.trialIds[0]!;
      const trialEdited = await runCli([
        'verify',
        tampered('trial-digest-edited', (d, m) => {
          const file = join(d, 'trials', `${first}.json`);
          const t = readJson<TrialResult>(file);
          t.runner.configDigest = other;
          writeFileSync(file, JSON.stringify(t, null, 2));
          m.integrity!.files[`trials/${first}.json`] = createHash('sha256').update(readFileSync(file)).digest('hex');
        }),
      ]);
      expect(trialEdited.code, trialEdited.stdout).toBe(4);
      expect(trialEdited.stdout).toContain(
        `trials/${first}.json: ran image ${saved.tag} with config digest ${other}, but manifest.json (merge.shards[${onNode1.index}] on ${hostname()}, ${saved.tag}) records config digest ${saved.configDigest}: the trial ran another build of the image than the run records`,
      );
      expect(trialEdited.stdout).not.toContain('changed since greenrt wrote it');

      // A dry run saves nothing, and says which images submit would save, their size here and how to save them.
      const dry = await runCli(['slurm', 'submit', join(exp, 'two-node.yaml'), '--shards', '2', '--dry-run', '--artifacts', join(work, 'dry')], { env });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/Images: none saved \(dry run\)\. Submit would save 1 into \S+\/images, about \d+ MiB/);
      expect(dry.stdout).toContain(`\n  ${saved.tag}  `);
      expect(dry.stdout).toMatch(/\n {2}greenrt\/onnxruntime:cpu-[0-9a-f]{12} {2}\d+ MiB\n/);
      expect(dry.stdout).toMatch(/greenrt images save onnxruntime --flavour cpu --out \S+\/images\n/);
      const [dryStudy] = readdirSync(join(work, 'dry'));
      expect(existsSync(join(work, 'dry', dryStudy!, 'images'))).toBe(false);
      expect(readJson<SlurmStudy>(join(work, 'dry', dryStudy!, 'slurm', 'study.json')).images).toBeUndefined();
    },
    25 * minutes,
  );

  it(
    'slurm submit experiments/demo-adaptive.yaml --shards 2 --wait: rounds over both nodes until every configuration is at precision or max, the one-node decisions',
    async () => {
      const artifacts = tempDir('greenrt-two-node-rounds-');
      chmodSync(artifacts, 0o755);
      const started = Date.now();
      const r = await runCli(['slurm', 'submit', adaptiveDemo, '--shards', '2', '--wait', '--artifacts', artifacts], { env, timeoutMs: 20 * minutes });
      const dir = studyDirOf(r.stdout);
      console.log(
        `[two-node e2e] adaptive demo on 2 nodes: ${((Date.now() - started) / 1000).toFixed(1)} s wall, ${studyOf(dir).submissions.length} submissions`,
      );
      expect(r.stdout).toMatch(/Submitted study .*: array job \d+ \(round 1 on shard\(s\) 0, 1\), decide job \d+ \(afterok\)/);
      if (r.code !== 0) {
        const logs = jobAndClusterLogs(dir);
        throw new Error(`slurm submit exited ${r.code}\n${r.stdout}\n${r.stderr}\n${logs}`);
      }
      const manifest = await checkRoundsStudy(dir, 2);
      const study = studyOf(dir);
      expect(study.submissions.at(-1)?.mergeJobId).toMatch(/^\d+$/);
      expect(study.submissions.filter((s) => s.arrayJobId).map((s) => s.round)).toEqual(manifest.adaptive!.rounds.map((x) => x.round));
      // Round 1's two shards ran at the same time, one on each node (each round shard asks for a whole node).
      const nodes = new Set(manifest.merge!.shards.map((s) => s.node));
      expect(nodes).toEqual(new Set([hostname(), 'greenrt-node2']));
      const round1 = manifest.merge!.shards.filter((s) => s.round === 1);
      expect(new Set(round1.map((s) => s.node)).size).toBe(2);
      expect(readFileSync(join(dir, `${study.studyId}-merged`, 'report.md'), 'utf8')).toContain('greenrt-node2');
      const status = await runCli(['slurm', 'status', dir], { env });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/round \d+ \(at most 4\): 0 configuration\(s\) open; estimated rounds left 0/);
      expect(status.stdout).toMatch(/merge .* COMPLETED/);
    },
    25 * minutes,
  );
});
