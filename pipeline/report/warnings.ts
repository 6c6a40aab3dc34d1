/**
 * Everything a reader must know before trusting the numbers, collected from the manifest, the
 * summary and the trials: run not finished, energy unavailable/estimated/partial and why, failed and
 * invalid trials with reasons, conversion checks out of tolerance, cool-down not met, GPU
 * configurations that produced nothing, too few trials for intervals. Texts are inline Markdown.
 */
import { shardWarnings } from './node-blocks.js';
import { adaptiveWarnings } from './adaptive-blocks.js';
import type { RunManifest, SummaryWarning, TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, type RunSummary } from '../analysis/index.js';
import { code, plain } from './report-document.js';
import { formatNumber } from './format.js';

/** A warning with its report section and inline Markdown text (data strings escaped): summary.json's `warnings[]` record (schemas/run-summary.schema.json). */
export type ReportWarning = SummaryWarning;
export type WarningTopic = SummaryWarning['topic'];

export interface WarningInput {
  manifest: RunManifest;
  summary: RunSummary;
  results: readonly TrialResult[];
  /** Warnings from rendering (no font for PNGs, claims file unreadable, plots skipped). */
  extra?: ReportWarning[];
}

export function collectWarnings({ manifest, summary, results, extra = [] }: WarningInput): ReportWarning[] {
  return [
    ...runWarnings(manifest, results),
    ...energyWarnings(manifest, summary, results),
    ...validityWarnings(results),
    ...conversionWarnings(manifest, results),
    ...cooldownWarnings(results),
    ...gpuWarnings(manifest, summary, results),
    ...statisticsWarnings(summary),
    ...adaptiveWarnings(manifest),
    ...shardWarnings(manifest),
    ...extra,
  ];
}

function runWarnings(m: RunManifest, results: readonly TrialResult[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  const pending = Math.max(0, m.plan.trialCount - results.length);
  if (m.status !== 'completed') {
    out.push({
      topic: 'run',
      text: `The run is **${m.status}**${m.statusReason ? ` (${plain(m.statusReason)})` : ''}: ${pending} of ${m.plan.trialCount} planned trials have no result. Resume it with ${code(`greenrt run --resume artifacts/${m.runId}`)}; the numbers below cover the finished trials only.`,
    });
  } else if (pending > 0) {
    out.push({ topic: 'run', text: `${pending} of ${m.plan.trialCount} planned trials have no result file.` });
  }
  if (m.greenrt.gitDirty)
    out.push({
      topic: 'run',
      text: `The greenrt checkout had uncommitted changes (commit ${code(m.greenrt.gitCommit ?? 'unknown')}): the commit alone does not reproduce this run.`,
    });
  else if (!m.greenrt.gitCommit) out.push({ topic: 'run', text: 'No git commit was recorded (greenrt did not run from a git checkout).' });
  return out;
}

function energyWarnings(m: RunManifest, s: RunSummary, results: readonly TrialResult[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const src of m.power.sources) {
    if (src.available && !src.reason) continue;
    const what = src.available ? 'works only in part' : 'is unavailable';
    out.push({
      topic: 'energy',
      text: `Power source ${code(src.source)} ${what}: ${plain(src.reason ?? 'no reason recorded')}.${src.fix ? ` Fix: ${plain(src.fix)}` : ''}`,
    });
  }
  const baseline = m.power.baseline;
  if (!baseline)
    out.push({
      topic: 'energy',
      text: 'No idle baseline was measured, so net (idle-subtracted) energy is unavailable; energy claims on net energy are inconclusive.',
    });
  else if (baseline.reason) out.push({ topic: 'energy', text: `Idle baseline incomplete: ${plain(baseline.reason)}.` });
  const measured = s.configurations.filter((c) => c.trials.ok > 0);
  // Grouped by the trials' own reason: the summary's reason also counts trials, which splits groups.
  const byReason = new Map<string, Set<string>>();
  for (const t of results) {
    if (t.status !== 'ok' || (t.energy.totalProvenance !== 'unavailable' && t.energy.energyPerInferenceJ !== null)) continue;
    const reason = t.energy.reason ?? 'no reason recorded';
    byReason.set(reason, (byReason.get(reason) ?? new Set()).add(configurationId(configurationKeyOf(t))));
  }
  for (const [reason, set] of byReason) {
    const ids = [...set].sort();
    out.push({
      topic: 'energy',
      text: `Energy unavailable for ${ids.length} of ${measured.length} measured configurations${ids.length < measured.length ? ` (${listIds(ids)})` : ''}: ${plain(reason)}. Latency and throughput are still valid.`,
    });
  }
  const estimated = measured.filter((c) => c.energy.available && c.energy.provenance === 'estimated').map((c) => c.id);
  if (estimated.length)
    out.push({ topic: 'energy', text: `Energy is **estimated**, not measured, for ${estimated.map(code).join(', ')}; claims do not use estimated energy.` });
  const partial = new Map<string, string[]>();
  for (const c of measured) if (c.energy.available) for (const r of c.energy.partialReasons) partial.set(r, [...(partial.get(r) ?? []), c.id]);
  for (const [reason, ids] of partial)
    out.push({
      topic: 'energy',
      text: `Energy is **partial** for ${ids.length} configuration(s): ${plain(reason)}. Totals omit that hardware; claims treat them as inconclusive.`,
    });
  const disagree = results
    .filter((t) => t.status === 'ok')
    .flatMap((t) =>
      t.energy.readings
        .filter((r) => r.crossCheck && Math.abs(r.crossCheck.disagreement) > 0.1)
        .map((r) => ({ t, r, d: Math.abs(r.crossCheck!.disagreement) })),
    );
  if (disagree.length) {
    const worst = disagree.reduce((a, b) => (b.d > a.d ? b : a));
    out.push({
      topic: 'energy',
      text: `${disagree.length} reading(s) in ok trials: the energy counter and the integrated power samples disagree by more than 10% (worst ${formatNumber(worst.d * 100, 3)}% on ${code(worst.r.domain)} in ${code(worst.t.trialId)}).`,
    });
  }
  return out;
}

function validityWarnings(results: readonly TrialResult[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const status of ['failed', 'invalid', 'unsupported'] as const) {
    const groups = new Map<string, TrialResult[]>();
    for (const t of results.filter((r) => r.status === status)) {
      for (const reason of t.reasons.length ? t.reasons : ['(no reason recorded)']) groups.set(reason, [...(groups.get(reason) ?? []), t]);
    }
    for (const [reason, trials] of groups) {
      const configs = [...new Set(trials.map((t) => configurationId(configurationKeyOf(t))))];
      const verb =
        status === 'failed'
          ? 'failed'
          : status === 'unsupported'
            ? 'were **refused before running** (unsupported on this GPU)'
            : 'are **invalid** (kept, excluded from statistics and claims)';
      out.push({ topic: 'validity', text: `${trials.length} trial(s) ${verb}: ${plain(reason)} — ${listIds(configs)}.` });
    }
  }
  const notes = new Map<string, number>();
  for (const t of results.filter((r) => r.status === 'ok')) for (const r of t.reasons) notes.set(r, (notes.get(r) ?? 0) + 1);
  for (const [note, n] of notes) out.push({ topic: 'validity', text: `${n} ok trial(s) noted: ${plain(note)}.` });
  return out;
}

function conversionWarnings(m: RunManifest, results: readonly TrialResult[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  const seen = new Set<string>();
  for (const rec of m.models) {
    const name = `${rec.model} from ${rec.source}`;
    if ('error' in rec) {
      out.push({ topic: 'conversion', text: `Model ${code(name)} could not be prepared: ${plain(rec.error)}.` });
      continue;
    }
    if (rec.conversion && !rec.conversion.withinTolerance) {
      seen.add(name);
      const c = rec.conversion;
      out.push({
        topic: 'conversion',
        text: `ONNX conversion check out of tolerance for ${code(name)}: max |diff| ${formatNumber(c.maxAbsDiff)} (tolerance ${formatNumber(c.tolerance)}), argmax agreement ${formatNumber(c.argmaxAgreement * 100, 3)}%. Its ONNX trials are invalid.`,
      });
    }
  }
  const bad = results.filter((t) => t.model?.conversion && !t.model.conversion.withinTolerance && !seen.has(`${t.config.model} from ${t.config.source}`));
  if (bad.length)
    out.push({
      topic: 'conversion',
      text: `${bad.length} trial(s) ran an ONNX model whose conversion check is out of tolerance: ${listIds([...new Set(bad.map((t) => configurationId(configurationKeyOf(t))))])}.`,
    });
  return out;
}

function cooldownWarnings(results: readonly TrialResult[]): ReportWarning[] {
  const unmet = results.filter((t) => t.cooldown && !t.cooldown.met);
  if (unmet.length === 0) return [];
  const ok = unmet.filter((t) => t.status === 'ok').length;
  const waited = Math.max(...unmet.map((t) => t.cooldown!.waitedMs));
  return [
    {
      topic: 'cool-down',
      text: `The cool-down gate was not met before ${unmet.length} trial(s) (longest wait ${formatNumber(waited / 1000, 3)} s)${ok ? `; ${ok} of them are still counted as ok` : ''}: power or temperature had not returned near the idle baseline.`,
    },
  ];
}

function gpuWarnings(m: RunManifest, s: RunSummary, results: readonly TrialResult[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  const gpuConfigs = s.configurations.filter((c) => c.key.provider !== 'cpu');
  const missing = gpuConfigs.filter((c) => c.trials.ok === 0);
  if (missing.length) {
    const noGpu = (m.host.gpus ?? []).length === 0 ? ' This host reports no GPU.' : '';
    out.push({
      topic: 'gpu',
      text: `${missing.length} of ${gpuConfigs.length} GPU configuration(s) produced no ok trial: ${listIds(missing.map((c) => c.id))}.${noGpu} Claims that need them are inconclusive.`,
    });
  }
  const busy = results.filter((t) => t.status === 'ok' && (t.gpuState ?? []).some((g) => (g.otherProcesses ?? []).length > 0));
  if (busy.length) out.push({ topic: 'gpu', text: `${busy.length} ok trial(s) shared the GPU with other processes: ${listIds(busy.map((t) => t.trialId))}.` });
  const throttled = results.filter(
    (t) => t.status === 'ok' && (t.gpuState ?? []).some((g) => (g.throttleReasons ?? []).some((r) => !/idle|none|application/i.test(r))),
  );
  if (throttled.length)
    out.push({ topic: 'gpu', text: `${throttled.length} ok trial(s) saw GPU clock throttling: ${listIds(throttled.map((t) => t.trialId))}.` });
  return out;
}

function statisticsWarnings(s: RunSummary): ReportWarning[] {
  const few = s.configurations.filter((c) => c.trials.ok > 0 && c.trials.ok < 3);
  if (few.length === 0) return [];
  return [
    {
      topic: 'statistics',
      text: `${few.length} configuration(s) have fewer than 3 ok trials, so their intervals are missing or unreliable and claims treat them as inconclusive: ${listIds(few.map((c) => c.id))}.`,
    },
  ];
}

function listIds(ids: string[], max = 6): string {
  const shown = ids.slice(0, max).map(code).join(', ');
  return ids.length > max ? `${shown} and ${ids.length - max} more` : shown;
}
