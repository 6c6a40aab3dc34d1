/**
 * TrialResult[] -> the report's plots as SVG strings (pure). Every plot uses trial values (one per
 * ok trial: its median latency, its energy per inference), the same values the statistics use.
 * A plot that cannot be drawn (no energy measured) is replaced by a note saying why.
 */
import type { TrialResult } from '../contracts/index.js';
import { median, configurationId, configurationKeyOf, trialMetrics, type ConfigurationKey } from '../analysis/index.js';
import { ENERGY_PARTS, splitEnergy, type EnergyPart } from './energy-domains.js';
import { compareKeys, configurationLabel, modelLabel } from './format.js';
import { boxPlotSvg, type BoxPanel } from './plot-boxes.js';
import { scatterSvg, type ScatterPanel } from './plot-scatter.js';
import { sharesSvg, type ShareGroup } from './plot-shares.js';
import { RUNTIME_COLOURS } from './svg.js';
import { modelNames } from '../catalogue/index.js';

export interface PlotFile {
  /** File name without extension, e.g. `latency-resnet50` (written as plots/<name>.svg and .png). */
  name: string;
  title: string;
  svg: string;
}

export interface PlotSet {
  plots: PlotFile[];
  /** Plots that were not drawn, and why. */
  notes: string[];
}

interface Config {
  key: ConfigurationKey;
  trials: TrialResult[];
  ok: TrialResult[];
}

const MODEL_ORDER = modelNames;

export function renderPlots(results: readonly TrialResult[]): PlotSet {
  const configs = groupConfigurations(results);
  const models = [...new Set(configs.map((c) => c.key.model))].sort((a, b) => MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b));
  const plots: PlotFile[] = [];
  const notes: string[] = [];
  // Energy plots not drawn, grouped by their reason below: one power-source error is stated once, with every plot it stops.
  const undrawn: { plot: string; why: string; reason: string }[] = [];
  const withEnergy = (t: TrialResult) => trialMetrics(t).energyPerInference;

  for (const model of models) {
    const mine = configs.filter((c) => c.key.model === model);
    const panels = (value: (t: TrialResult) => number | null, empty: (c: Config) => string): BoxPanel[] =>
      batches(mine).map((b) => ({
        title: `batch size ${b}`,
        rows: mine
          .filter((c) => c.key.batchSize === b)
          .map((c) => ({
            label: configurationLabel(c.key),
            colour: colour(c.key.runtime),
            values: c.ok.map(value).filter((v): v is number => v !== null),
            emptyNote: empty(c),
          })),
      }));
    const legend = [...new Set(mine.map((c) => c.key.runtime))].map((r) => ({ label: r, colour: colour(r) }));
    const title = `${modelLabel(model)}: latency per inference`;
    const latencyPanels = panels((t) => trialMetrics(t).latencyMs, noOk);
    if (latencyPanels.some((p) => p.rows.some((r) => r.values.length > 0))) {
      plots.push({
        name: `latency-${model}`,
        title,
        svg: boxPlotSvg(
          title,
          'one dot per ok trial = the median of its per-inference latencies; box = quartiles, bar = median, whiskers = 1.5 IQR',
          'latency per inference (ms)',
          latencyPanels,
          legend,
        ),
      });
    } else {
      notes.push(`No plots for ${modelLabel(model)}: none of its ${mine.length} configuration(s) has an ok trial.`);
      continue;
    }
    const energyPanels = panels(
      (t) => {
        const e = withEnergy(t);
        return e.available ? e.valueJ : null;
      },
      (c) => noEnergy(c),
    );
    if (energyPanels.some((p) => p.rows.some((r) => r.values.length > 0))) {
      const et = `${modelLabel(model)}: energy per inference`;
      plots.push({
        name: `energy-${model}`,
        title: et,
        svg: boxPlotSvg(
          et,
          'one dot per ok trial = its measured energy over the measure window / inferences (gross: GPU + CPU + DRAM as measured)',
          'energy per inference (J)',
          energyPanels,
          legend,
        ),
      });
    } else {
      undrawn.push({ plot: `energy box plot for ${modelLabel(model)}`, why: 'no trial has a measured energy', reason: firstReason(mine) });
    }
  }

  const scatter = scatterPanels(configs, models);
  if (scatter.length > 0) {
    const batchList = [...new Set(configs.map((c) => c.key.batchSize))].sort((a, b) => a - b);
    plots.push({
      name: 'energy-vs-latency',
      title: 'Energy vs latency per inference',
      svg: scatterSvg(
        'Energy vs latency per inference',
        'one point per ok trial with measured energy; colour = runtime, marker = batch size',
        { x: 'latency per inference (ms)', y: 'energy per inference (J)' },
        scatter,
        {
          colours: [...new Set(configs.map((c) => c.key.runtime))].map((r) => ({ label: r, colour: colour(r) })),
          markers: batchList.map((b, i) => ({ label: `batch ${b}`, marker: i })),
        },
      ),
    });
  } else {
    undrawn.push({ plot: 'energy vs latency scatter', why: 'no trial has a measured energy', reason: firstReason(configs) });
  }

  const shares = shareGroups(configs, models);
  if (shares.length > 0) {
    plots.push({
      name: 'energy-share',
      title: 'Share of energy per inference: GPU, CPU, DRAM',
      svg: sharesSvg(
        'Share of energy per inference: GPU, CPU, DRAM',
        "median over ok trials of each part's energy per inference; one bar per configuration",
        shares,
      ),
    });
  } else {
    undrawn.push({ plot: 'GPU/CPU energy share plot', why: 'no trial has per-domain energy readings', reason: firstReason(configs) });
  }
  for (const reason of new Set(undrawn.map((u) => u.reason))) {
    const group = undrawn.filter((u) => u.reason === reason);
    const whys = [...new Set(group.map((u) => u.why))].join(', and ');
    notes.push(`No ${listWords(group.map((u) => u.plot))}: ${whys} (${reason}).`);
  }
  return { plots, notes };
}

function groupConfigurations(results: readonly TrialResult[]): Config[] {
  const map = new Map<string, Config>();
  for (const t of results) {
    const key = configurationKeyOf(t);
    const c = map.get(configurationId(key)) ?? { key, trials: [], ok: [] };
    c.trials.push(t);
    if (t.status === 'ok') c.ok.push(t);
    map.set(configurationId(key), c);
  }
  return [...map.values()].sort((a, b) => compareKeys(a.key, b.key));
}

function batches(configs: Config[]): number[] {
  return [...new Set(configs.map((c) => c.key.batchSize))].sort((a, b) => a - b);
}

function scatterPanels(configs: Config[], models: string[]): ScatterPanel[] {
  const batchList = batches(configs);
  return models.flatMap((model) => {
    const points = configs
      .filter((c) => c.key.model === model)
      .flatMap((c) =>
        c.ok.flatMap((t) => {
          const m = trialMetrics(t);
          if (m.latencyMs === null || !m.energyPerInference.available) return [];
          return [
            {
              x: m.latencyMs,
              y: m.energyPerInference.valueJ,
              colour: colour(c.key.runtime),
              marker: batchList.indexOf(c.key.batchSize),
              label: configurationLabel(c.key),
            },
          ];
        }),
      );
    return points.length > 0 ? [{ title: modelLabel(model), points }] : [];
  });
}

function shareGroups(configs: Config[], models: string[]): ShareGroup[] {
  const groups: ShareGroup[] = [];
  for (const model of models) {
    for (const b of batches(configs.filter((c) => c.key.model === model))) {
      const rows = configs
        .filter((c) => c.key.model === model && c.key.batchSize === b)
        .flatMap((c) => {
          const splits = c.ok.map(splitEnergy).filter((s) => s !== null);
          if (splits.length === 0) return [];
          const partsJ = Object.fromEntries(
            ENERGY_PARTS.map((p) => {
              const v = splits.map((s) => s.perInferenceJ[p]).filter((x): x is number => x !== null);
              return [p, v.length > 0 ? median(v) : null];
            }),
          ) as Record<EnergyPart, number | null>;
          return [{ label: configurationLabel(c.key), partsJ }];
        });
      if (rows.length > 0) groups.push({ title: `${modelLabel(model)}, batch size ${b}`, rows });
    }
  }
  return groups;
}

function colour(runtime: string): string {
  return RUNTIME_COLOURS[runtime] ?? '#666666';
}

function noOk(c: Config): string {
  const failed = c.trials.filter((t) => t.status === 'failed').length;
  const invalid = c.trials.filter((t) => t.status === 'invalid').length;
  return `no ok trials (${failed} failed, ${invalid} invalid)`;
}

function noEnergy(c: Config): string {
  if (c.ok.length === 0) return noOk(c);
  const e = trialMetrics(c.ok[0]!).energyPerInference;
  return e.available ? '' : `energy unavailable: ${shorten(e.reason, 70)}`;
}

function firstReason(configs: Config[]): string {
  for (const c of configs) for (const t of c.ok) if (t.energy.reason) return shorten(t.energy.reason, 160);
  return 'no ok trials';
}

/** "a", "a or b", "a, b or c". */
function listWords(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
