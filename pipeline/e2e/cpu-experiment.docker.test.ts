/**
 * The whole pipeline on the real Docker engine: builds the cpu image of every runtime experiments/cpu.yaml
 * names (from scratch on a fresh host), prepares its models in each framework, runs it through the CLI,
 * and checks every stored file against its schema. Then, inside each image, runs the harness's pytest and
 * the runtime's own adapter tests, and has every ONNX runtime image run each export on the source
 * framework's reference inputs (`greenrt_harness check`). Counts come from the experiment's plan, so a
 * runtime added to the catalogue and to cpu.yaml is covered without editing this file.
 * Slow (tens of minutes on 2 cores when nothing is cached): it is the check that the study runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Contracts, SchemaId, packageRoot, type RunManifest, type TrialResult } from '../contracts/index.js';
import { isOnnxRuntime } from '../catalogue/index.js';
import { loadExperiment } from '../config/index.js';
import { planRun } from '../plan/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';

const run = promisify(execFile);
const contracts = new Contracts();
const engine = await connectDockerOrSkip('cpu experiment');
const { spec } = await loadExperiment(join(packageRoot, 'experiments', 'cpu.yaml'), contracts);
const plan = planRun(spec);
const trialCount = plan.trials.length;
const runtimeNames = spec.runtimes.map((r) => r.name).sort();

describe.skipIf(!engine)('experiments/cpu.yaml through Docker', () => {
  let runDir = '';
  let exitCode = -1;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageRoot, stdio: 'inherit' });
    const artifacts = await mkdtemp(join(tmpdir(), 'greenrt-cpu-'));
    try {
      const result = await run(process.execPath, ['bin/greenrt.js', 'run', 'experiments/cpu.yaml', '--artifacts', artifacts], {
        cwd: packageRoot,
        maxBuffer: 64 * 2 ** 20,
        timeout: 75 * 60_000,
      });
      exitCode = 0;
      stdout = result.stdout;
      stderr = result.stderr;
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      exitCode = typeof e.code === 'number' ? e.code : -1;
      stdout = e.stdout ?? '';
      stderr = e.stderr ?? '';
    }
    const runs = (await readdir(artifacts)).filter((n) => n.startsWith('cpu-'));
    runDir = runs.length === 1 ? join(artifacts, runs[0]!) : '';
  }, 80 * 60_000);

  it('completes with every trial ok and exit code 0', async () => {
    if (exitCode !== 0) console.error(`greenrt run exited ${exitCode}\n${stdout}\n${stderr.slice(-4000)}`);
    expect(runDir).not.toBe('');
    const manifest = contracts.assert<RunManifest>(SchemaId.runManifest, JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')), 'manifest');
    expect(manifest.status).toBe('completed');
    expect(manifest.progress).toMatchObject({ total: trialCount, ok: trialCount, failed: 0, invalid: 0, pending: 0 });
    expect(exitCode).toBe(0);
  });

  it(`stores ${trialCount} schema-valid trial results with real latencies from all ${runtimeNames.length} runtimes`, async () => {
    const files = (await readdir(join(runDir, 'trials'))).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(trialCount);
    const runtimes = new Set<string>();
    for (const f of files) {
      const r = contracts.assert<TrialResult>(SchemaId.trialResult, JSON.parse(await readFile(join(runDir, 'trials', f), 'utf8')), f);
      runtimes.add(r.config.runtime);
      expect(r.runner.kind).toBe('docker');
      expect(r.timing.latenciesMs).toHaveLength(6);
      expect(r.timing.latenciesMs.every((l) => l > 0)).toBe(true);
      // No sensor on CI machines: energy must say unavailable with a reason, never 0.
      if (r.energy.totalEnergyJ === null) expect(r.energy.reason).toBeTruthy();
      else expect(r.energy.totalEnergyJ).toBeGreaterThan(0);
    }
    expect([...runtimes].sort()).toEqual(runtimeNames);
  });

  it('checked every ONNX conversion against its source framework', async () => {
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.models).toHaveLength(plan.models.length);
    for (const m of manifest.models) {
      expect('error' in m ? m.error : null, `${m.source}/${m.model}`).toBeNull();
      if ('error' in m) continue;
      expect(m.conversion, `${m.source}/${m.model}`).not.toBeNull();
      expect(m.conversion!.withinTolerance, `${m.source}/${m.model}: max |diff| ${m.conversion!.maxAbsDiff}`).toBe(true);
    }
    expect(manifest.images).toHaveLength(plan.images.length);
  });

  it('writes the report, the tidy CSV and the summary', async () => {
    const report = await readFile(join(runDir, 'report.md'), 'utf8');
    expect(report).toMatch(/ResNet-50/);
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(trialCount + 1);
  });

  it('passes the harness tests and the adapter tests inside each runtime image', async () => {
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
    for (const image of manifest.images) {
      const tests = ['/opt/greenrt/common/tests', '/opt/greenrt/runtime/tests'];
      const { stdout: out } = await run('docker', ['run', '--rm', '--network', 'none', image.tag, 'python3', '-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', ...tests], {
        timeout: 10 * 60_000,
        maxBuffer: 16 * 2 ** 20,
      });
      expect(out, image.runtime).toMatch(/\d+ passed/);
      expect(out, image.runtime).not.toMatch(/\d+ failed/);
      // The adapter tests importorskip their framework: it must import here, or they were all skipped.
      await run('docker', ['run', '--rm', '--network', 'none', image.tag, 'python3', '-c', 'import greenrt_adapter'], { timeout: 5 * 60_000 });
    }
  }, 20 * 60_000);

  it('runs each ONNX export on every ONNX runtime image within tolerance of its source framework', async () => {
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
    const modelsDir = join(runDir, '..', 'models');
    const prepared = (await readdir(modelsDir)).filter((d) => existsSync(join(modelsDir, d, 'prepared.json')));
    const checked: string[] = [];
    for (const image of manifest.images) {
      if (!isOnnxRuntime(image.runtime)) continue;
      for (const dir of prepared) {
        const meta = JSON.parse(await readFile(join(modelsDir, dir, 'prepared.json'), 'utf8')) as { onnx: unknown };
        if (!meta.onnx) continue;
        const { stdout: out } = await run('docker', ['run', '--rm', '--network', 'none', '-v', `${join(modelsDir, dir)}:/greenrt/model:ro`, image.tag, 'python3', '-m', 'greenrt_harness', 'check', '/greenrt/model'], {
          timeout: 5 * 60_000,
          maxBuffer: 16 * 2 ** 20,
        }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr }));
        const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { source: string; model: string; maxAbsDiff: number; withinTolerance: boolean };
        console.log(`conversion ${image.runtime}(${result.source}) ${result.model}: max |diff| ${result.maxAbsDiff}`);
        expect(result.withinTolerance, `${image.runtime} ${dir}: max |diff| ${result.maxAbsDiff}`).toBe(true);
        checked.push(`${image.runtime}/${dir}`);
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  }, 30 * 60_000);
});
