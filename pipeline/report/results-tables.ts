/**
 * The report's result tables: per model a table over runtime(source) x provider x batch with
 * latency, throughput and energy (median [95% CI]), and the Kruskal-Wallis tests per model x batch.
 */
import type { ConfigurationSummary, EnergySummary, RunSummary } from '../analysis/index.js';
import { plain, type Block } from './report-document.js';
import { compareKeys, formatNumber, formatP, formatWithInterval, modelLabel, runtimeLabel } from './format.js';
import { modelNames } from '../catalogue/index.js';

const MODEL_ORDER = modelNames;

export function resultsBlocks(summary: RunSummary): Block[] {
  if (summary.configurations.length === 0) return [{ kind: 'paragraph', text: 'No trial results yet.' }];
  const pct = Math.round(summary.method.intervals.confidence * 100);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        `Each cell is the **median over ok trials** of the trial values, with its ${pct}% percentile-bootstrap interval in brackets. ` +
        "Latency: a trial's median per-inference latency. Energy: gross energy over the measure window / inferences; net subtracts the idle baseline. " +
        'Provenance: counter (hardware energy counter), integrated (power samples), estimated (not measured).',
    },
  ];
  const models = [...new Set(summary.configurations.map((c) => c.key.model))].sort((a, b) => MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b));
  for (const model of models) {
    const rows = summary.configurations.filter((c) => c.key.model === model).sort((a, b) => compareKeys(a.key, b.key));
    blocks.push({ kind: 'heading', level: 3, text: modelLabel(model) });
    blocks.push({
      kind: 'table',
      header: [
        'Runtime (source)',
        'Provider',
        'Batch',
        'Trials ok/total',
        `Latency ms, median [${pct}% CI]`,
        'Latency IQR ms',
        `Throughput samples/s [${pct}% CI]`,
        `Energy/inference J [${pct}% CI]`,
        `Net energy/inference J [${pct}% CI]`,
        'Energy/sample J',
        'Energy provenance',
      ],
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      rows: rows.map(row),
    });
  }
  return blocks;
}

function row(c: ConfigurationSummary): string[] {
  const lat = c.latencyMs.perTrialMedian;
  const tp = c.throughputSamplesPerS;
  const trials = `${c.trials.ok}/${c.trials.total}${c.trials.failed ? ` (${c.trials.failed} failed)` : ''}${c.trials.invalid ? ` (${c.trials.invalid} invalid)` : ''}${c.trials.unsupported ? ` (${c.trials.unsupported} unsupported)` : ''}`;
  return [
    runtimeLabel(c.key),
    c.key.provider,
    String(c.key.batchSize),
    trials,
    lat ? formatWithInterval(lat.median, lat.ciMedian) : '–',
    lat ? formatNumber(lat.iqr) : '–',
    tp ? formatWithInterval(tp.median, tp.ciMedian) : '–',
    energyCell(c.energy, c.trials.ok),
    energyCell(c.netEnergy, c.trials.ok),
    c.energy.available ? formatNumber(c.energy.perSampleJ.median) : '–',
    c.energy.available ? c.energy.provenance + (c.energy.partialReasons.length ? ' (partial)' : '') : 'unavailable',
  ];
}

function energyCell(e: EnergySummary, ok: number): string {
  if (e.available) return formatWithInterval(e.perInferenceJ.median, e.perInferenceJ.ciMedian);
  // The reason is in Warnings (grouped); repeating it in every row would bury the numbers.
  return ok === 0 ? '–' : 'unavailable (see Warnings)';
}

export function testsBlocks(summary: RunSummary): Block[] {
  if (summary.groupTests.length === 0) return [{ kind: 'paragraph', text: 'No tests: no configurations.' }];
  return [
    {
      kind: 'paragraph',
      text: 'Kruskal-Wallis H test (tie-corrected, chi-square p) across the configurations that share a model and a batch size: does at least one configuration differ? One value per ok trial. Pairwise differences are judged in the claims below.',
    },
    {
      kind: 'table',
      header: ['Model', 'Batch', 'Metric', 'Configurations', 'H', 'df', 'p', 'Note'],
      align: ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'left'],
      rows: [...summary.groupTests]
        .sort((a, b) => MODEL_ORDER.indexOf(a.model) - MODEL_ORDER.indexOf(b.model) || a.batchSize - b.batchSize || a.metric.localeCompare(b.metric))
        .map((t) => [
          modelLabel(t.model),
          String(t.batchSize),
          t.metric === 'latencyMs' ? 'latency (ms)' : 'energy per inference (J)',
          String(t.configurations.length),
          formatNumber(t.result?.h),
          t.result ? String(t.result.df) : '–',
          formatP(t.result?.p),
          plain(t.note ?? ''),
        ]),
    },
  ];
}
