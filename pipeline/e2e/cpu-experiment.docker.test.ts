/**
 * The whole pipeline on the real Docker engine: builds the cpu image of every runtime experiments/cpu.yaml
 * names (from scratch on a fresh host), prepares its models in each framework, runs it through the CLI,
 * and checks every stored file against its schema. Then, inside each image, runs the harness's pytest and
 * the runtime's own adapter tests, and has every ONNX runtime image run each export on the source
 * framework's reference inputs (`greenrt_harness check`). Counts come from the experiment's plan, so a
 * runtime added to the catalogue and to cpu.yaml is covered without editing this file.
 * Slow (tens of minutes on 2 cores when nothing is cached): it is the check that the study runs.
 * Then experiments/modes.yaml (every framework in every execution mode its cpu image runs), with one repetition
 * and short windows, in the same artifacts folder: it reuses the images and the prepared models (same seed), so it
 * adds only its trials (a few minutes), and its report must show per-mode latency for every framework.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Contracts, SchemaId, packageRoot, type RunManifest, type RunSummaryFile, type TrialResult } from '../contracts/index.js';
import { defaultMode, isOnnxRuntime, modeRefusal, runtimeModes } from '../catalogue/index.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadExperiment } from '../config/index.js';
import { planRun } from '../plan/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';

const run = promisify(execFile);
const contracts = new Contracts();
const engine = await connectDockerOrSkip('cpu experiment');
const { spec } = await loadExperiment(join(packageRoot, 'experiments', 'cpu.yaml'), contracts);
const plan = planRun(spec);
const trialCount = plan.trials.length;
const runtimeNames = spec.runtimes.map((r) => r.name).sort();
/** A claim left undecided because configurations it names were not run (evaluate-claims' gap summary and notes). */
const NOT_IN_RUN = /not in this run|no trials for/;

describe.skipIf(!engine)('experiments/cpu.yaml through Docker', () => {
  let artifacts = '';
  let runDir = '';
  let exitCode = -1;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageRoot, stdio: 'inherit' });
    artifacts = tempDir('greenrt-cpu-');
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
    // One preparation per source/model serves both its native and its ONNX trials: one manifest record each.
    const preparations = new Set(plan.models.map((m) => `${m.source}/${m.model}`));
    expect(manifest.models).toHaveLength(preparations.size);
    expect(new Set(manifest.models.map((m) => `${m.source}/${m.model}`))).toEqual(preparations);
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

  it('decides the claims of experiments/cpu.claims.yaml (not all inconclusive), none for want of a configuration', async () => {
    const summary = contracts.assert<RunSummaryFile>(SchemaId.runSummary, JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')), 'summary.json');
    const claims = summary.claims ?? [];
    console.log(`cpu.yaml claims: ${claims.map((c) => `${c.id}=${c.verdict}`).join(', ')}`);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.filter((c) => c.verdict !== 'inconclusive').length).toBeGreaterThan(0);
    for (const c of claims) expect(c.reason, c.id).not.toMatch(NOT_IN_RUN);
  });

  it(
    'passes the harness tests and the adapter tests inside each runtime image',
    async () => {
      const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
      for (const image of manifest.images) {
        const tests = ['/opt/greenrt/common/tests', '/opt/greenrt/runtime/tests'];
        const { stdout: out } = await run(
          'docker',
          ['run', '--rm', '--network', 'none', image.tag, 'python3', '-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', ...tests],
          {
            timeout: 10 * 60_000,
            maxBuffer: 16 * 2 ** 20,
          },
        );
        expect(out, image.runtime).toMatch(/\d+ passed/);
        expect(out, image.runtime).not.toMatch(/\d+ failed/);
        // The adapter tests importorskip their framework: it must import here, or they were all skipped.
        await run('docker', ['run', '--rm', '--network', 'none', image.tag, 'python3', '-c', 'import greenrt_adapter'], { timeout: 5 * 60_000 });
      }
    },
    20 * 60_000,
  );

  it(
    'runs each ONNX export on every ONNX runtime image within tolerance of its source framework',
    async () => {
      const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
      const modelsDir = join(runDir, '..', 'models');
      const prepared = (await readdir(modelsDir)).filter((d) => existsSync(join(modelsDir, d, 'prepared.json')));
      const checked: string[] = [];
      for (const image of manifest.images) {
        if (!isOnnxRuntime(image.runtime)) continue;
        for (const dir of prepared) {
          const meta = JSON.parse(await readFile(join(modelsDir, dir, 'prepared.json'), 'utf8')) as { onnx: unknown };
          if (!meta.onnx) continue;
          const { stdout: out } = await run(
            'docker',
            [
              'run',
              '--rm',
              '--network',
              'none',
              '-v',
              `${join(modelsDir, dir)}:/greenrt/model:ro`,
              image.tag,
              'python3',
              '-m',
              'greenrt_harness',
              'check',
              '/greenrt/model',
            ],
            {
              timeout: 5 * 60_000,
              maxBuffer: 16 * 2 ** 20,
            },
          ).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr }));
          const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { source: string; model: string; maxAbsDiff: number; withinTolerance: boolean };
          console.log(`conversion ${image.runtime}(${result.source}) ${result.model}: max |diff| ${result.maxAbsDiff}`);
          expect(result.withinTolerance, `${image.runtime} ${dir}: max |diff| ${result.maxAbsDiff}`).toBe(true);
          checked.push(`${image.runtime}/${dir}`);
        }
      }
      expect(checked.length).toBeGreaterThan(0);
    },
    30 * 60_000,
  );

  it(
    'runs experiments/modes.yaml (one repetition) on the same images and prepared models; its report has per-mode latency for every framework',
    async () => {
      // Derived spec: the committed file's matrix, one repetition and short windows (CI time); same name and seed.
      const committed = parseYaml(await readFile(join(packageRoot, 'experiments', 'modes.yaml'), 'utf8')) as Record<string, unknown>;
      const derived = join(tempDir('greenrt-modes-'), 'modes.yaml');
      // The claims file the committed experiment names, beside the derived copy (claims paths are relative to it).
      await copyFile(join(packageRoot, 'experiments', String(committed.claims)), join(dirname(derived), String(committed.claims)));
      await writeFile(
        derived,
        stringifyYaml({
          ...committed,
          repetitions: 1,
          warmupIterations: 1,
          measuredIterations: 3,
          power: { ...(committed.power as object), baselineS: 2, cooldown: { minS: 0, maxS: 2 } },
        }),
      );
      const { spec: modesSpec } = await loadExperiment(derived, contracts);
      const modesPlan = planRun(modesSpec);
      const started = Date.now();
      const result = await run(process.execPath, ['bin/greenrt.js', 'run', derived, '--artifacts', artifacts], {
        cwd: packageRoot,
        maxBuffer: 64 * 2 ** 20,
        timeout: 20 * 60_000,
      }).catch((e: { code?: number; stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: `exit ${e.code}\n${e.stderr ?? ''}` }));
      console.log(`modes.yaml (derived, ${modesPlan.trialCount} trials) took ${Math.round((Date.now() - started) / 1000)} s`);
      const modesDir = (await readdir(artifacts)).filter((n) => n.startsWith('modes-')).map((n) => join(artifacts, n));
      expect(modesDir, result.stderr.slice(-3000)).toHaveLength(1);
      const manifest = contracts.assert<RunManifest>(
        SchemaId.runManifest,
        JSON.parse(await readFile(join(modesDir[0]!, 'manifest.json'), 'utf8')),
        'modes manifest',
      );
      expect(manifest.progress).toMatchObject({ total: modesPlan.trialCount, ok: modesPlan.trialCount, failed: 0 });
      // Same images as the cpu run (no rebuild), and every model came from the cache the cpu run filled.
      const cpuManifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as RunManifest;
      const cpuTags = new Set((cpuManifest.images as { tag: string }[]).map((i) => i.tag));
      for (const image of manifest.images as { tag: string }[]) expect(cpuTags.has(image.tag), image.tag).toBe(true);
      for (const m of manifest.models as { model: string; source: string; cacheHit: boolean }[]) expect(m.cacheHit, `${m.source}/${m.model}`).toBe(true);

      // Every mode the cpu images can run, of every framework in the file, has its row with a latency in the report.
      const report = await readFile(join(modesDir[0]!, 'report.md'), 'utf8');
      const section = report.slice(report.indexOf('\n## Execution modes\n'), report.indexOf('\n## Plots\n'));
      expect(section).toContain('### Does the mode explain it?');
      // One repetition cannot power modes.claims.yaml (minTrials 3: the committed file runs 3), but every claim's
      // configurations must be in the run: an inconclusive verdict here is for the trial count only.
      const modesSummary = contracts.assert<RunSummaryFile>(
        SchemaId.runSummary,
        JSON.parse(await readFile(join(modesDir[0]!, 'summary.json'), 'utf8')),
        'modes summary.json',
      );
      expect(modesSummary.claims?.length ?? 0).toBeGreaterThan(0);
      for (const c of modesSummary.claims ?? []) expect(c.reason, c.id).not.toMatch(NOT_IN_RUN);
      const csv = (await readFile(join(modesDir[0]!, 'results.csv'), 'utf8')).trim().split('\n');
      expect(csv[0]!.split(',')).toContain('mode');
      for (const entry of modesSpec.runtimes) {
        const modes = runtimeModes(entry.name).filter((m) => modeRefusal(entry.name, m, 'cpu') === null);
        expect(entry.modes, entry.name).toEqual(modes); // the committed file measures every mode the image runs
        for (const mode of modes) {
          // provider, mode, batch size are adjacent columns: ",cpu,<mode>,1,"
          expect(
            csv.filter((l) => l.includes(`,cpu,${mode},1,`)),
            `results.csv rows of mode ${mode}`,
          ).toHaveLength(2);
          for (const model of ['ResNet-50', 'BERT-base-uncased']) {
            const table = section.slice(section.indexOf(`### ${model}: latency by mode`));
            const tag = `\`${mode}\`${mode === defaultMode(entry.name) ? ' (default)' : ''}`;
            const line = table.split('\n').find((l) => l.startsWith(`| ${entry.name} | ${tag} `));
            expect(line, `${model} ${entry.name} ${mode}`).toMatch(/\| cpu \| 1 \| 1\/1 \| \d[\d.]* /);
          }
        }
      }
    },
    20 * 60_000,
  );
});
