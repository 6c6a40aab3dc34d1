// orchestrationOverheadRatio: wall time of a whole `greenrt run experiments/demo.yaml` (process
// spawn to exit) / (measure windows + warm-up windows + idle baseline + cool-down waits).
// Twice: as the CLI runs here (no power source: no baseline), and with RAPL on a fixture tree.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun, timedRun } from './run-analysis.mjs';
import { benchDir, exec, log, repoRoot } from './lib.mjs';

const demo = join(repoRoot, 'experiments', 'demo.yaml');

/** The demo, or (quick) a copy with one repetition, in a folder holding its model file. */
function experimentFile(quick, work) {
  if (!quick) return demo;
  mkdirSync(join(work, 'models'), { recursive: true });
  copyFileSync(
    join(repoRoot, 'experiments', 'models', 'mobilenet_v2.pytorch.random-seed0.onnx'),
    join(work, 'models', 'mobilenet_v2.pytorch.random-seed0.onnx'),
  );
  // The claims file the demo names, beside the copy (claims paths are relative to the experiment file).
  mkdirSync(join(work, 'ae'), { recursive: true });
  copyFileSync(join(repoRoot, 'experiments', 'ae', 'smoke.claims.yaml'), join(work, 'ae', 'smoke.claims.yaml'));
  const text = readFileSync(demo, 'utf8').replace(/^repetitions: \d+$/m, 'repetitions: 1');
  writeFileSync(join(work, 'demo-quick.yaml'), text);
  return join(work, 'demo-quick.yaml');
}

export async function benchOrchestration({ quick = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'greenrt-bench-orch-'));
  try {
    const file = experimentFile(quick, work);
    const cli = await timedRun(file);
    log(`orchestration (CLI): ${cli.wallS} s wall / ${cli.mandatedS} s mandated = ${cli.orchestrationOverheadRatio}`);
    const artifacts = join(work, 'artifacts');
    const spawnEpochMs = Date.now();
    const r = await exec(process.execPath, [join(benchDir, 'demo-rapl-child.mjs'), file, artifacts], { timeoutMs: 1_800_000 });
    const runDir = readdirSync(artifacts).filter((d) => d !== 'models')[0];
    if (!runDir) throw new Error(`demo with fixture RAPL exited ${r.code} without a run folder: ${r.stderr.slice(-1500)}`);
    const rapl = { exitCode: r.code, ...analyzeRun(join(artifacts, runDir), r.wallMs, spawnEpochMs) };
    log(`orchestration (fixture RAPL): ${rapl.wallS} s wall / ${rapl.mandatedS} s mandated = ${rapl.orchestrationOverheadRatio}`);
    strip(cli);
    strip(rapl);
    return {
      orchestrationOverheadRatio: cli.orchestrationOverheadRatio,
      orchestrationOverheadRatioWithRapl: rapl.orchestrationOverheadRatio,
      experiment: quick ? 'experiments/demo.yaml with repetitions: 1 (quick)' : 'experiments/demo.yaml',
      cli,
      withFixtureRapl: rapl,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The per-trial start list is for the startup section; here it only bloats the results. */
function strip(run) {
  delete run.startToFirstInferenceMs;
}
