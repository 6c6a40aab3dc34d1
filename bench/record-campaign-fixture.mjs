#!/usr/bin/env node
// Extracts a recorded study for the campaign and cluster benchmarks from a completed greenrt run folder:
//   node bench/record-campaign-fixture.mjs <runDir> [out.json]
// (bench/fixtures/campaign-cpu-recorded.json: experiments like the embedded demo with fixed repetitions;
// bench/fixtures/cluster-cpu-recorded.json: experiments/cluster-record.yaml, adaptive.)
// Per trial: its configuration, repetition, status, the per-trial values the adaptive rule uses (median latency,
// ms; energy per inference, J, or null when not measured) and its wall time (s). Nothing is invented.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [runDir, out = join(import.meta.dirname, 'fixtures', 'campaign-cpu-recorded.json')] = process.argv.slice(2);
if (!runDir) {
  process.stderr.write('usage: node bench/record-campaign-fixture.mjs <runDir> [out.json]\n');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
if (manifest.status !== 'completed') throw new Error(`${runDir} is ${manifest.status}, not completed`);
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const trials = readdirSync(join(runDir, 'trials'))
  .filter((n) => n.endsWith('.json'))
  .map((n) => JSON.parse(readFileSync(join(runDir, 'trials', n), 'utf8')))
  .sort((a, b) => a.orderIndex - b.orderIndex)
  .map((t) => ({
    orderIndex: t.orderIndex,
    config: { runtime: t.config.runtime, source: t.config.source, model: t.config.model, provider: t.config.provider, batchSize: t.config.batchSize },
    repetition: t.config.repetition,
    status: t.status,
    latencyMs: t.timing.latenciesMs.length ? Number(median(t.timing.latenciesMs).toFixed(6)) : null,
    energyPerInferenceJ: t.energy.energyPerInferenceJ ?? null,
    wallS: Number(((Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000).toFixed(3)),
  }));
const spec = manifest.experiment.spec;
const runtimes = spec.runtimes.map((r) => `${r.name} (${r.providers.join(', ')})`).join(' and ');
const doc = {
  label: `RECORDED (real measurements, not invented): one greenrt run of ${runtimes}, extracted by bench/record-campaign-fixture.mjs`,
  runId: manifest.runId,
  recordedAt: manifest.createdAt,
  host: {
    cpuModel: manifest.host.cpuModel,
    cpuCount: manifest.host.cpuCount,
    kernel: manifest.host.kernel,
    node: manifest.host.node,
    onnxruntimeNode: manifest.host.onnxruntimeNode ?? null,
  },
  energy: trials.some((t) => t.energyPerInferenceJ !== null) ? 'measured' : 'unavailable on this host (no RAPL, no NVML): the rule falls back to latency',
  experiment: {
    name: spec.name,
    seed: spec.seed,
    models: spec.models,
    batchSizes: spec.batchSizes,
    repetitions: spec.repetitions,
    warmupIterations: spec.warmupIterations,
    measuredIterations: spec.measuredIterations,
    threads: spec.threads,
    runtimes: spec.runtimes,
  },
  // An adaptive run: the rounds it ran and each configuration's outcome as the run decided it (what a replay of the
  // same rule on these values must give again).
  ...(manifest.adaptive
    ? {
        adaptive: {
          rounds: manifest.adaptive.rounds.length,
          outcomes: Object.fromEntries(manifest.adaptive.decisions.flatMap((d) => d.configurations.map((c) => [c.configuration, c.outcome]))),
        },
      }
    : {}),
  trials,
};
writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
process.stdout.write(`wrote ${out}: ${trials.length} trials\n`);
