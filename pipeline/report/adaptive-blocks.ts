/**
 * Adaptive repetitions in the report: per configuration the trials it used, the precision its median reached
 * on the rule's metric, and whether it met the target; configurations that reached `max` (or could not be
 * measured) first become warnings. Read from the manifest's decisions (the same numbers the rule used). Pure.
 */
import type { RunManifest } from '../contracts/index.js';
import { code, plain, type Block } from './report-document.js';
import { formatNumber } from './format.js';
import type { ReportWarning } from './warnings.js';

type Adaptive = NonNullable<RunManifest['adaptive']>;
type Decided = Adaptive['decisions'][number]['configurations'][number];

/** Each configuration's latest decision (after the last round it ran in), by configuration. */
export function finalDecisions(a: Adaptive): Decided[] {
  const latest = new Map<string, Decided>();
  for (const d of a.decisions) for (const c of d.configurations) latest.set(c.configuration, c);
  return [...latest.values()].sort((x, y) => (x.configuration < y.configuration ? -1 : 1));
}

const percent = (v: number | null) => (v === null ? '–' : `±${formatNumber(v * 100, 3)} %`);
const metricLabel = (m: Decided['metric']) => (m === 'energyPerInference' ? 'energy per inference (J)' : 'latency (ms)');

export function adaptiveBlocks(m: RunManifest): Block[] {
  const a = m.adaptive;
  if (!a) return [];
  const target = a.rule.precision.relativeHalfWidth;
  const rows = finalDecisions(a).map((c) => [
    code(c.configuration),
    String(c.trials),
    String(c.okTrials),
    plain(metricLabel(c.metric)) + (c.fallbackReason ? ' (fallback)' : ''),
    formatNumber(c.median),
    percent(c.relativeHalfWidth),
    c.outcome === 'met'
      ? 'yes'
      : c.outcome === 'extend'
        ? 'pending (run not finished)'
        : c.outcome === 'max'
          ? `no: reached max ${a.rule.max}`
          : 'no: unmeasurable',
  ]);
  const rounds = a.rounds.length;
  return [
    { kind: 'heading', level: 3, text: 'Repetitions and precision (adaptive)' },
    {
      kind: 'paragraph',
      text:
        `Adaptive repetitions: ${a.rule.min} trials per configuration, then rounds of one more trial for each configuration whose median's 95 % bootstrap interval ` +
        `was wider than ±${formatNumber(target * 100, 3)} % of the median (${plain(metricLabel(a.rule.precision.metric))}), up to ${a.rule.max}; ${rounds} round(s) run. ` +
        "The rule looks at each configuration's own precision only, never at a comparison. Every decision is in " +
        `${code('manifest.json')} (${code('adaptive.decisions')}) and ${code('run.log')}.`,
    },
    {
      kind: 'table',
      header: ['Configuration', 'Trials', 'Ok', 'Metric', 'Median', 'Precision reached', 'Met target'],
      rows,
      align: ['left', 'right', 'right', 'left', 'right', 'right', 'left'],
    },
  ];
}

export function adaptiveWarnings(m: RunManifest): ReportWarning[] {
  const a = m.adaptive;
  if (!a) return [];
  const out: ReportWarning[] = [];
  const finals = finalDecisions(a);
  const atMax = finals.filter((c) => c.outcome === 'max');
  if (atMax.length > 0) {
    out.push({
      topic: 'statistics',
      text: `${atMax.length} configuration(s) reached max ${a.rule.max} trials short of the ±${formatNumber(a.rule.precision.relativeHalfWidth * 100, 3)} % precision target: ${atMax.map((c) => `${code(c.configuration)} (${percent(c.relativeHalfWidth)})`).join(', ')}. Their intervals are wider than the study asked for.`,
    });
  }
  const unmeasurable = finals.filter((c) => c.outcome === 'unmeasurable');
  if (unmeasurable.length > 0) {
    out.push({
      topic: 'statistics',
      text: `${unmeasurable.length} configuration(s) stopped without a precision (fewer than 2 ok trials): ${unmeasurable.map((c) => code(c.configuration)).join(', ')}.`,
    });
  }
  const fallback = finals.filter((c) => c.fallbackReason);
  if (fallback.length > 0) {
    out.push({
      topic: 'statistics',
      text: `Precision of latency stood in for energy per inference in ${fallback.length} configuration(s): ${plain(fallback[0]!.fallbackReason!)}${fallback.length > 1 ? ' (and similar)' : ''}.`,
    });
  }
  return out;
}
