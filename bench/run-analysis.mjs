// Runs `greenrt run` as a user would (a child process) and splits its wall time into the mandated
// parts (measure and warm-up windows, idle baseline, cool-down waits) and everything else.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, median, repoRoot, round } from './lib.mjs';

const spanMs = (w) => (w ? Number(BigInt(w.endNs) - BigInt(w.startNs)) / 1e6 : 0);

/** `node bin/greenrt.js run <experiment> --artifacts <tmp>`; returns the run folder's analysis. */
export async function timedRun(experimentFile, { keep = false, env = process.env, shareModelCache = false } = {}) {
  const artifacts = mkdtempSync(join(tmpdir(), 'greenrt-bench-run-'));
  if (shareModelCache) {
    // Reuse prepared models from artifacts/models (a Docker run would otherwise prepare them again).
    mkdirSync(join(repoRoot, 'artifacts', 'models'), { recursive: true });
    symlinkSync(join(repoRoot, 'artifacts', 'models'), join(artifacts, 'models'));
  }
  try {
    const spawnEpochMs = Date.now();
    const r = await exec(process.execPath, [join(repoRoot, 'bin', 'greenrt.js'), 'run', experimentFile, '--artifacts', artifacts, '--yes'], {
      env,
      timeoutMs: 1_800_000,
    });
    const runs = readdirSync(artifacts).filter((d) => d !== 'models');
    if (runs.length !== 1) throw new Error(`greenrt run exited ${r.code} without one run folder: ${r.stderr.slice(-1500)}`);
    return { exitCode: r.code, ...analyzeRun(join(artifacts, runs[0]), r.wallMs, spawnEpochMs) };
  } finally {
    if (!keep) rmSync(artifacts, { recursive: true, force: true });
  }
}

/** Mandated time (windows, baseline, cool-downs) vs the wall time of a whole run. */
export function analyzeRun(runDir, wallMs, spawnEpochMs) {
  const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
  const trials = readdirSync(join(runDir, 'trials'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(runDir, 'trials', f), 'utf8')))
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const measureMs = trials.reduce((a, t) => a + spanMs(t.phases.measure), 0);
  const warmupMs = trials.reduce((a, t) => a + spanMs(t.phases.warmup), 0);
  const loadMs = trials.reduce((a, t) => a + spanMs(t.phases.load), 0);
  const cooldownMs = trials.reduce((a, t) => a + (t.cooldown?.waitedMs ?? 0), 0);
  const runnerMs = trials.reduce((a, t) => a + (t.runner.wallMs ?? 0), 0);
  const baselineMs = manifest.power?.baseline?.durationMs ?? 0;
  const mandatedMs = measureMs + warmupMs + baselineMs + cooldownMs;
  const createdMs = Date.parse(manifest.createdAt);
  const firstStart = trials.length ? Date.parse(trials[0].startedAt) : createdMs;
  const lastFinish = trials.length ? Date.parse(trials.at(-1).finishedAt) : createdMs;
  const betweenMs = trials.slice(1).reduce((a, t, i) => a + (Date.parse(t.startedAt) - Date.parse(trials[i].finishedAt)), 0);
  return {
    runStatus: manifest.status,
    trials: trials.length,
    trialsOk: trials.filter((t) => t.status === 'ok').length,
    wallS: round(wallMs / 1000, 2),
    mandatedS: round(mandatedMs / 1000, 2),
    orchestrationOverheadRatio: round(wallMs / mandatedMs, 4),
    breakdownS: {
      measureWindows: round(measureMs / 1000, 2),
      warmupWindows: round(warmupMs / 1000, 2),
      baseline: round(baselineMs / 1000, 2),
      cooldownWaits: round(cooldownMs / 1000, 2),
      modelLoads: round(loadMs / 1000, 2),
      runnerWallTotal: round(runnerMs / 1000, 2),
      // spawn -> manifest created: Node start, config, plan, images/models, power probe
      startup: round((createdMs - spawnEpochMs) / 1000, 2),
      // manifest created -> first trial started: baseline and setup
      beforeFirstTrial: round((firstStart - createdMs) / 1000, 2),
      // between one trial's finish and the next one's start: result writes, manifest, cool-down gate
      betweenTrials: round(betweenMs / 1000, 2),
      // last trial finished -> process exit: summary, report, plots
      finish: round((spawnEpochMs + wallMs - lastFinish) / 1000, 2),
    },
    perTrialS: {
      runnerWallMedian: round(median(trials.map((t) => t.runner.wallMs)) / 1000, 3),
      gapMedian: round(median(trials.slice(1).map((t, i) => Date.parse(t.startedAt) - Date.parse(trials[i].finishedAt))) / 1000, 3),
    },
    nonOkReasons: [...new Set(trials.filter((t) => t.status !== 'ok').flatMap((t) => t.reasons))],
    startToFirstInferenceMs: trials.map((t) => {
      const first = t.timing?.startToFirstInferenceMs ?? null;
      const load = t.phases.load;
      const firstNs = t.phases.warmup?.startNs ?? t.phases.measure?.startNs;
      // Process or container start -> the harness begins loading: interpreter, imports, spec checks.
      const beforeLoadMs = first !== null && load && firstNs ? first - spanMs({ startNs: load.startNs, endNs: firstNs }) : null;
      return { runtime: t.config.runtime, source: t.config.source, ms: first, loadMs: t.timing?.loadMs ?? null, beforeLoadMs };
    }),
  };
}
