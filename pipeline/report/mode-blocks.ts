/**
 * The "Execution modes" section: per framework runtime, latency (and energy, where measured) of each mode it
 * ran in, side by side per model, provider and batch size; then "Does the mode explain it?": each claim that
 * compares frameworks, with its verdict under every combination of the modes the run measured.
 */
import type { ConfigurationSummary, ModeClaim, RunSummary } from '../analysis/index.js';
import { defaultMode, frameworkNames, modeLabel, modelNames } from '../catalogue/index.js';
import { code, plain, type Block } from './report-document.js';
import { compareKeys, formatNumber, formatWithInterval, modelLabel } from './format.js';
import { verdictLabel } from './claims-blocks.js';

/** Claims by mode, or why there are none (no claims file, or it could not be read). */
export type ModeClaimsOutcome = { file: string; claims: ModeClaim[] } | null;

const modeOfKey = (c: ConfigurationSummary): string => c.key.mode ?? defaultMode(c.key.runtime) ?? '';

export function modeBlocks(summary: RunSummary, modeClaims: ModeClaimsOutcome): Block[] {
  const framework = summary.configurations.filter((c) => frameworkNames.includes(c.key.runtime));
  if (framework.length === 0) return [{ kind: 'paragraph', text: 'No framework runtime ran in this run: ONNX runtimes have no execution modes.' }];
  const several = new Set(framework.filter((c) => c.key.mode !== undefined).map((c) => c.key.runtime));
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        'How a framework is invoked (its execution mode: e.g. TensorFlow `keras-predict`, `keras-call` or `function`) is a factor of its own: ' +
        'per-call framework overhead can make a runtime look slow for a reason its kernels have nothing to do with. ' +
        'Each inference is timed the same way in every mode (device synchronised after it). ' +
        (several.size === 0
          ? 'This run measured every framework in its default mode only (`modes` in the experiment adds others).'
          : `Frameworks measured in more than one mode: ${[...several].join(', ')}.`),
    },
  ];
  const pct = Math.round(summary.method.intervals.confidence * 100);
  const models = [...new Set(framework.map((c) => c.key.model))].sort((a, b) => modelNames.indexOf(a) - modelNames.indexOf(b));
  for (const model of models) {
    const rows = framework.filter((c) => c.key.model === model).sort((a, b) => compareKeys(a.key, b.key));
    blocks.push({ kind: 'heading', level: 3, text: `${modelLabel(model)}: latency by mode` });
    blocks.push({
      kind: 'table',
      header: [
        'Runtime',
        'Mode',
        'Provider',
        'Batch',
        'Trials ok/total',
        `Latency ms, median [${pct}% CI]`,
        `vs default mode`,
        `Energy/inference J [${pct}% CI]`,
      ],
      align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
      rows: rows.map((c) => {
        const lat = c.latencyMs.perTrialMedian;
        const base = framework.find(
          (d) =>
            d.key.mode === undefined &&
            d.key.runtime === c.key.runtime &&
            d.key.model === c.key.model &&
            d.key.provider === c.key.provider &&
            d.key.batchSize === c.key.batchSize,
        );
        const baseLat = base?.latencyMs.perTrialMedian?.median;
        const mode = modeOfKey(c);
        return [
          c.key.runtime,
          `${code(mode)}${c.key.mode === undefined ? ' (default)' : ''} ${plain(modeLabel(c.key.runtime, mode))}`,
          c.key.provider,
          String(c.key.batchSize),
          `${c.trials.ok}/${c.trials.total}`,
          lat ? formatWithInterval(lat.median, lat.ciMedian) : '–',
          lat && baseLat ? `×${formatNumber(lat.median / baseLat, 3)}` : '–',
          c.energy.available
            ? `${formatWithInterval(c.energy.perInferenceJ.median, c.energy.perInferenceJ.ciMedian)} (${c.energy.provenance})`
            : c.trials.ok
              ? 'unavailable (see Warnings)'
              : '–',
        ];
      }),
    });
  }
  blocks.push({ kind: 'heading', level: 3, text: 'Does the mode explain it?' });
  blocks.push(...explainBlocks(modeClaims));
  return blocks;
}

function explainBlocks(outcome: ModeClaimsOutcome): Block[] {
  if (outcome === null) return [{ kind: 'paragraph', text: 'No claims were evaluated (see "Claims of the study").' }];
  if (outcome.claims.length === 0) {
    return [
      {
        kind: 'paragraph',
        text: `No claim of ${code(outcome.file)} that compares frameworks involves a framework measured in more than one mode: nothing to explain by mode.`,
      },
    ];
  }
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        `Each claim of ${code(outcome.file)} that compares frameworks, evaluated by the same rules once per combination of the modes the run measured ` +
        'for the frameworks it names: in a combination, each of those frameworks contributes only its trials in that mode. The row marked "default" is the verdict of the claims table. ' +
        'A verdict that changes with the mode says the finding depends on how the framework is invoked, not only on the runtime.',
    },
  ];
  for (const c of outcome.claims) {
    const verdicts = new Set(c.rows.map((r) => r.verdict));
    const changes = verdicts.size > 1 ? 'the verdict **changes with the mode**' : `the same verdict in every combination (${c.rows[0]!.verdict})`;
    const title = `${c.finding === null ? '' : `Finding ${c.finding}, `}${code(c.id)}: ${plain(c.text)} (${c.rows.length} combination(s); ${changes})`;
    // Inconclusive everywhere for the same reason (e.g. a CPU run against GPU claims): one line, not a table of repeats.
    if (verdicts.size === 1 && c.rows[0]!.verdict === 'inconclusive' && new Set(c.rows.map((r) => r.reason)).size === 1) {
      blocks.push({ kind: 'paragraph', text: `${title}. Reason, the same in each: ${plain(shorten(c.rows[0]!.reason))}` });
      continue;
    }
    blocks.push({ kind: 'paragraph', text: title });
    blocks.push({
      kind: 'table',
      header: [...c.frameworks.map((f) => `${f} mode`), 'Verdict', 'Reason'],
      align: [...c.frameworks.map(() => 'left' as const), 'left', 'left'],
      rows: c.rows.map((r) => [
        ...c.frameworks.map((f) => `${code(r.modes[f]!)}${r.modes[f] === defaultMode(f) ? ' (default)' : ''}`),
        verdictLabel(r.verdict),
        plain(shorten(r.reason)),
      ]),
    });
  }
  return blocks;
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
