/**
 * Container faults through the whole run loop on the real Docker engine: every fault of the fake
 * fault runtime (fixtures/fault_runtime: non-zero exit, hang past the timeout, OOM kill, garbage,
 * schema-invalid and missing output, an exception) plus a runtime image whose build fails, in one
 * run that goes on to the end; Ctrl-C with a container running; kill -9 with a container running,
 * then --resume removing the orphan. The least-privilege settings are read from a live trial container.
 *
 * The run goes through fixtures/docker-run-driver.ts (the real run loop and FrameworkExecutor; only
 * the images are the fake fault image instead of images/<runtime>/, which take minutes to build).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { packageRoot } from '../contracts/index.js';
import type { DockerEngine } from '../docker/index.js';
import { removeOrphans } from '../runners/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { readJson, readRunLog, runCli, runDirIn, runFolderDamage, startCli, trialFiles, waitFor, writeExperiment, type RunningCli } from './e2e-support.js';
import { ensureFaultImage } from './fixtures/fault-image.js';
import { tempDir } from '../testing/temp-dir.js';

const engine = await connectDockerOrSkip('run-faults.docker.test');
const driver = [join(packageRoot, 'node_modules', 'vite-node', 'vite-node.mjs'), join(packageRoot, 'pipeline', 'e2e', 'fixtures', 'docker-run-driver.ts')];

describe.skipIf(!engine)('container faults through the run loop (real Docker engine, fake fault image)', () => {
  const e = engine as DockerEngine;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const runIds: string[] = [];

  beforeAll(async () => {
    const image = await ensureFaultImage(e);
    env = { GREENRT_E2E_IMAGE_TAG: image.tag, GREENRT_E2E_IMAGE_ID: image.imageId };
    root = tempDir('greenrt-e2e-docker-');
  }, 900_000);

  afterAll(async () => {
    for (const runId of runIds) await removeOrphans(e, runId);
  });

  const containersOf = async (runId: string, running = false) =>
    e.docker.listContainers({ all: !running, filters: JSON.stringify({ label: [`greenrt.run=${runId}`], ...(running ? { status: ['running'] } : {}) }) });

  /** Starts a run of slow trials (5 s each, batch 9) and waits until its first container runs. */
  async function startSlowRun(name: string): Promise<{ run: RunningCli; runDir: string; runId: string; artifacts: string; containerId: string }> {
    const experiment = writeExperiment(join(root, name, 'exp'), {
      name,
      runtime: 'onnxruntime',
      batchSizes: [9],
      repetitions: 2,
      extra: 'memoryLimitMiB: 256',
    });
    const artifacts = join(root, name, 'artifacts');
    const run = startCli(['run', experiment, '--artifacts', artifacts], { script: driver, env });
    const runDir = await waitFor('the run folder', () => runDirIn(artifacts), 60_000);
    const runId = basename(runDir);
    runIds.push(runId);
    const [container] = await waitFor(
      'a running trial container',
      async () => {
        const list = await containersOf(runId, true);
        return list.length > 0 ? list : undefined;
      },
      60_000,
    );
    return { run, runDir, runId, artifacts, containerId: container!.Id };
  }

  it('one run with every container fault and a broken image: the others finish, exit 4, each reason and log tail recorded', async () => {
    const experiment = writeExperiment(join(root, 'faults', 'exp'), {
      name: 'faults',
      runtime: 'onnxruntime',
      moreRuntimes: ['  - name: pytorch', '    providers: [cpu]'],
      batchSizes: [1, 2, 3, 4, 5, 6, 7, 8],
      repetitions: 1,
      extra: 'trialTimeoutS: 8\nmemoryLimitMiB: 256',
    });
    const artifacts = join(root, 'faults', 'artifacts');
    const r = await runCli(['run', experiment, '--artifacts', artifacts], {
      script: driver,
      env: { ...env, GREENRT_E2E_BROKEN_RUNTIMES: 'pytorch' },
      timeoutMs: 300_000,
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain('Run completed: 1 ok, 0 invalid, 15 failed of 16 trials.');
    const runDir = runDirIn(artifacts)!;
    runIds.push(basename(runDir));
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('completed');
    expect(manifest.progress).toEqual({ total: 16, ok: 1, failed: 15, invalid: 0, unsupported: 0, pending: 0 });

    const byId = new Map(trialFiles(runDir).map((id) => [id, readJson<TrialResult>(join(runDir, 'trials', `${id}.json`))]));
    expect(byId.size).toBe(16);
    const ort = (batch: number) => byId.get(`onnxruntime.pytorch.resnet50.cpu.b${batch}.r1`)!;
    expect(ort(1).status).toBe('ok');
    const expected: Record<number, [reason: string, exitCode: number | null, logLine: string]> = {
      2: ['exited 1 without output: fault runtime: exiting 1 on purpose', 1, 'exiting 1 on purpose'],
      3: ['timed out after 8 s', 137, 'batch 3 -> hang'],
      4: ['OOM-killed (memory limit 256 MiB)', 137, 'batch 4 -> oom'],
      5: ['output does not match schema: not JSON', 0, 'batch 5 -> garbage'],
      6: ['output does not match schema: /schemaVersion is required', 0, 'batch 6 -> schema'],
      7: ['exited 0 without output: fault runtime: leaving without output', 0, 'leaving without output'],
      8: ['trial failed (exit 3): ValueError: fault runtime failed on purpose', 3, 'ValueError: fault runtime failed on purpose'],
    };
    for (const [batch, [reason, exitCode, logLine]] of Object.entries(expected)) {
      const t = ort(Number(batch));
      expect(t.status, `batch ${batch}`).toBe('failed');
      expect(t.reasons, `batch ${batch}`).toHaveLength(1);
      expect(t.reasons[0]!.startsWith(reason), `batch ${batch}: ${t.reasons[0]}`).toBe(true);
      expect(t.runner.exitCode, `batch ${batch}`).toBe(exitCode);
      expect(t.runner.logTail, `batch ${batch}`).toContain(logLine);
      expect(t.energy, `batch ${batch}`).toBeDefined();
    }
    // The hung trial was stopped at its timeout, not after the hour it asked for.
    expect(ort(3).runner.wallMs).toBeLessThan(30_000);
    // The pytorch image failed to build: its trials fail with the build's own error; the onnxruntime trials (supplied ONNX file) ran.
    for (const batch of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const t = byId.get(`pytorch.resnet50.cpu.b${batch}.r1`)!;
      expect(t.status).toBe('failed');
      // One line: the build's cause (here the daemon's words for the failed step) and the run-folder file with its whole output.
      expect(t.reasons[0]).toMatch(
        /^model pytorch\/resnet50 could not be prepared: image pytorch:cpu could not be built: .*returned a non-zero code: 7 \(build log: logs\/image-build-pytorch-cpu\.log\)$/,
      );
      expect(t.reasons[0]).not.toContain('\n');
      expect(t.reasons[0]).not.toMatch(/^\s+at /m);
    }
    expect(readFileSync(join(runDir, 'logs', 'image-build-pytorch-cpu.log'), 'utf8')).toContain('this runtime image fails to build on purpose');
    expect(r.stderr).toContain('image pytorch:cpu could not be built');

    // The report lists every reason; no container of the run is left.
    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    for (const [reason] of Object.values(expected)) expect(report).toContain(reason);
    expect(report).toContain('could not be built');
    expect(report).toMatch(/16 planned: 1 ok, 15 failed, 0 invalid, 0 unsupported, 0 pending/);
    expect(await containersOf(basename(runDir))).toHaveLength(0);
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 400_000);

  // A container could leave its output as a symbolic link to a host file; the orchestrator must not
  // follow it (pipeline/runners/trial-outcome.ts opens outputs with O_NOFOLLOW).
  it('an output that is a symbolic link to a host file is refused without reading it', async () => {
    const secretFile = '/tmp/greenrt-e2e-host-secret.txt';
    const secret = `HOST-SECRET-${randomBytes(6).toString('hex')}`;
    writeFileSync(secretFile, `${secret}\n`);
    try {
      const experiment = writeExperiment(join(root, 'symlink', 'exp'), { name: 'symlink', runtime: 'onnxruntime', batchSizes: [10], repetitions: 1 });
      const artifacts = join(root, 'symlink', 'artifacts');
      const r = await runCli(['run', experiment, '--artifacts', artifacts], { script: driver, env, timeoutMs: 120_000 });
      const runDir = runDirIn(artifacts)!;
      runIds.push(basename(runDir));
      expect(r.code, r.stderr).toBe(4);
      const [id] = trialFiles(runDir);
      const trial = readJson<TrialResult>(join(runDir, 'trials', `${id}.json`));
      expect(trial.status).toBe('failed');
      expect(`${r.stderr}\n${JSON.stringify(trial)}\n${readFileSync(join(runDir, 'report.md'), 'utf8')}`).not.toContain(secret);
    } finally {
      rmSync(secretFile, { force: true });
    }
  }, 120_000);

  it('a live trial container runs with least privilege (engine view)', async () => {
    const { run, runId, containerId } = await startSlowRun('privilege');
    try {
      const info = await e.docker.getContainer(containerId).inspect();
      const host = info.HostConfig;
      expect(info.Config.Labels['greenrt.run']).toBe(runId);
      expect(info.Config.User).toBe('10001:10001');
      expect(host.NetworkMode).toBe('none');
      expect(host.ReadonlyRootfs).toBe(true);
      expect(host.CapDrop).toEqual(['ALL']);
      expect(host.CapAdd ?? []).toEqual([]);
      expect(host.Privileged).toBe(false);
      expect(host.SecurityOpt).toContain('no-new-privileges');
      expect(host.Memory).toBe(256 * 1024 * 1024);
      expect(host.MemorySwap).toBe(256 * 1024 * 1024);
      expect(host.PidsLimit).toBeGreaterThan(0);
      expect(host.Devices ?? []).toEqual([]);
      const mounts = info.Mounts.map((m) => `${m.Source}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`);
      expect(mounts.join('\n')).not.toContain('docker.sock');
      // Only the output folder is writable; the spec and the model are read-only. The model is the supplied ONNX file
      // alone, as model.onnx (not the folder it sits in).
      expect(info.Mounts.filter((m) => m.RW).map((m) => m.Destination)).toEqual(['/greenrt/out']);
      expect(
        info.Mounts.filter((m) => !m.RW)
          .map((m) => m.Destination)
          .sort(),
      ).toEqual(['/greenrt/in/trial.json', '/greenrt/model/model.onnx']);
      expect(info.Mounts.find((m) => m.Destination === '/greenrt/model/model.onnx')!.Source).toMatch(/\.onnx$/);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
      await removeOrphans(e, runId);
    }
  }, 120_000);

  it('Ctrl-C with a container running: exit 130, the container stopped and removed, the manifest interrupted', async () => {
    const { run, runDir, runId } = await startSlowRun('ctrlc');
    run.child.kill('SIGINT');
    const r = await run.exited;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain(`Resume it with: greenrt run --resume ${runDir}`);
    expect(await containersOf(runId)).toHaveLength(0);
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('interrupted');
    expect(manifest.progress.failed).toBe(0);
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 120_000);

  it('kill -9 with a container running leaves an orphan; --resume removes it and finishes the run', async () => {
    const { run, runDir, runId, artifacts, containerId } = await startSlowRun('orphan');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    expect((await containersOf(runId)).map((c) => c.Id)).toEqual([containerId]);

    const r = await runCli(['run', '--resume', runDir, '--artifacts', artifacts], { script: driver, env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Removed 1 container(s) left by the interrupted run.');
    expect(r.stdout).toContain('Run completed: 2 ok, 0 invalid, 0 failed of 2 trials.');
    expect(await containersOf(runId)).toHaveLength(0);
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('completed');
    expect(trialFiles(runDir)).toEqual([...manifest.plan.trialIds].sort());
    expect(readRunLog(runDir).filter((l) => l.event === 'run.resume')).toHaveLength(1);
  }, 180_000);
});
