/**
 * report.md / report.html of one run: run facts, then every warning (before any number), results per
 * model, statistical tests, the study's claims, plots, and how the numbers were obtained. Pure.
 */
import type { RunManifest, TrialResult } from '../contracts/index.js';
import type { RunSummary } from '../analysis/index.js';
import { gpuUtilizationBlocks } from './gpu-utilization-blocks.js';
import { claimsBlocks, type ClaimsOutcome } from './claims-blocks.js';
import { code, plain, toHtml, toMarkdown, type Block } from './report-document.js';
import { methodBlocks } from './method-blocks.js';
import { resultsBlocks, testsBlocks } from './results-tables.js';
import { nodeBlocks } from './node-blocks.js';
import { adaptiveBlocks } from './adaptive-blocks.js';
import { modeBlocks, type ModeClaimsOutcome } from './mode-blocks.js';
import { collectWarnings, type ReportWarning, type WarningTopic } from './warnings.js';

export interface ReportPlot {
  /** File name without extension: the report links plots/<name>.svg and plots/<name>.png. */
  name: string;
  title: string;
  /** False when the PNG could not be rendered (the SVG is still there). */
  png: boolean;
}

export interface ReportInput {
  manifest: RunManifest;
  summary: RunSummary;
  results: readonly TrialResult[];
  claims: ClaimsOutcome | null;
  /** The claims that compare frameworks, per combination of execution modes (null: no claims evaluated). */
  modeClaims?: ModeClaimsOutcome;
  plots: { files: ReportPlot[]; notes: string[] };
  /** Warnings from producing the report (no font, claims file unreadable...). */
  extraWarnings?: ReportWarning[];
}

/** The section headings, in order (tests check them; the CLI help cites them). */
export const REPORT_SECTIONS = [
  'Run',
  'Warnings',
  'Results by model',
  'Statistical tests',
  'Claims of the study',
  'Execution modes',
  'Plots',
  'How these numbers were obtained',
  'Files',
] as const;

export function buildReport(input: ReportInput): Block[] {
  const { manifest: m, summary } = input;
  const spec = m.experiment.spec;
  const warnings = collectWarnings({ manifest: m, summary, results: input.results, extra: input.extraWarnings ?? [] });
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: `greenrt report: ${plain(spec.name)}` }];
  if (spec.description) blocks.push({ kind: 'paragraph', text: plain(spec.description.trim()) });
  blocks.push({ kind: 'heading', level: 2, text: 'Run', id: 'run' }, { kind: 'table', header: ['Fact', 'Value'], rows: runFacts(m) });
  blocks.push({ kind: 'heading', level: 2, text: 'Warnings', id: 'warnings' });
  blocks.push(
    warnings.length === 0
      ? { kind: 'paragraph', text: 'None: every planned trial ran and is valid, energy was measured for every configuration, and every check passed.' }
      : { kind: 'list', items: warnings.map((w) => `**${topicLabel(w.topic)}**: ${w.text}`) },
  );
  blocks.push(
    { kind: 'heading', level: 2, text: 'Results by model', id: 'results' },
    ...resultsBlocks(summary),
    ...adaptiveBlocks(m),
    ...gpuUtilizationBlocks(input.results),
    ...nodeBlocks(m, input.results),
  );
  blocks.push({ kind: 'heading', level: 2, text: 'Statistical tests', id: 'tests' }, ...testsBlocks(summary));
  blocks.push({ kind: 'heading', level: 2, text: 'Claims of the study', id: 'claims' }, ...claimsBlocks(input.claims));
  blocks.push({ kind: 'heading', level: 2, text: 'Execution modes', id: 'modes' }, ...modeBlocks(summary, input.modeClaims ?? null));
  blocks.push({ kind: 'heading', level: 2, text: 'Plots', id: 'plots' }, ...plotBlocks(input.plots));
  blocks.push({ kind: 'heading', level: 2, text: 'How these numbers were obtained', id: 'method' }, ...methodBlocks(m, summary));
  blocks.push(
    { kind: 'heading', level: 2, text: 'Files', id: 'files' },
    {
      kind: 'list',
      items: [
        `${code('results.csv')}: one row per trial (tidy; units in column names; empty cell = not measured, see ${code('energy_provenance')} and ${code('energy_reason')}, ${code('gpu_utilization_provenance')} and ${code('gpu_utilization_reason')}).`,
        `${code('summary.json')}: this report's statistics and claim verdicts, for machines.`,
        `${code('manifest.json')}: what ran, where, with which versions and in which order; ${code('trials/')}: one validated result per trial; ${code('traces/')}: power samples.`,
        `${code('plots/')}: every plot as SVG and PNG. Compare with another run: ${code(`greenrt compare artifacts/${m.runId} <other run>`)}.`,
      ],
    },
  );
  return sayPowerReasonsOnce(blocks, m);
}

/** Shorter than this, a power source's reason is left where it is quoted. */
const LONG_REASON_CHARS = 40;

/**
 * A power source's reason (often a loader's long message) is said once: in its own Warnings item, the first place it
 * appears. Every later text that quotes it whole, or cut short with "…" (claims tables, plot notes), as part of the
 * trials' energy or GPU utilisation reasons, names that warning instead. Texts are compared escaped, as rendered.
 */
export function sayPowerReasonsOnce(blocks: Block[], manifest: RunManifest): Block[] {
  const reasons = manifest.power.sources.flatMap((s) => (s.reason && s.reason.length >= LONG_REASON_CHARS ? [plain(s.reason)] : []));
  if (reasons.length === 0) return blocks;
  const said = new Set<string>();
  const reference = 'unavailable (reason under Warnings)';
  const shorten = (text: string): string => {
    for (const reason of reasons) {
      let from = 0;
      for (;;) {
        const at = text.indexOf(reason.slice(0, LONG_REASON_CHARS), from);
        if (at === -1) break;
        const whole = text.startsWith(reason, at);
        const cut = whole ? -1 : text.indexOf('…', at);
        const length = whole ? reason.length : cut !== -1 && reason.startsWith(text.slice(at, cut)) ? cut + 1 - at : -1;
        if (length === -1 || (whole && !said.has(reason))) {
          if (whole) said.add(reason);
          from = at + 1;
          continue;
        }
        text = text.slice(0, at) + reference + text.slice(at + length);
        from = at + reference.length;
      }
    }
    return text;
  };
  return blocks.map((b) => {
    switch (b.kind) {
      case 'paragraph':
        return { ...b, text: shorten(b.text) };
      case 'list':
        return { ...b, items: b.items.map(shorten) };
      case 'table':
        return { ...b, rows: b.rows.map((row) => row.map(shorten)) };
      default:
        return b;
    }
  });
}

export function renderReportMarkdown(input: ReportInput): string {
  return toMarkdown(buildReport(input));
}

export function renderReportHtml(input: ReportInput): string {
  return toHtml(buildReport(input), `greenrt report: ${input.manifest.experiment.spec.name} (${input.manifest.runId})`);
}

/** `10 repetitions`, or `adaptive repetitions 6..20 to +/-2 % (energyPerInference)`. */
export function repetitionsText(r: RunManifest['experiment']['spec']['repetitions']): string {
  return typeof r === 'number'
    ? `${r} repetitions`
    : `adaptive repetitions ${r.min}..${r.max} to ±${Number((r.precision.relativeHalfWidth * 100).toPrecision(3))} % (${r.precision.metric})`;
}

function runFacts(m: RunManifest): string[][] {
  const spec = m.experiment.spec;
  const h = m.host;
  const gpus = (h.gpus ?? []).map((g) => String((g as { name?: unknown }).name ?? JSON.stringify(g)));
  const docker = h.docker ? String((h.docker as Record<string, unknown>).version ?? (h.docker as Record<string, unknown>).serverVersion ?? 'yes') : null;
  const images = m.images.map((i) => code(i.tag));
  const p = m.progress;
  const commit = m.greenrt.gitCommit ? `${code(m.greenrt.gitCommit.slice(0, 12))}${m.greenrt.gitDirty ? ' (uncommitted changes)' : ''}` : 'not a git checkout';
  return [
    ['Run id', code(m.runId)],
    [
      'Status',
      `${m.status}${m.statusReason ? ` (${plain(m.statusReason)})` : ''}; started ${m.createdAt}, last update ${m.updatedAt}${m.resumes?.length ? `, resumed ${m.resumes.length}x` : ''}`,
    ],
    ['Trials', `${p.total} planned: ${p.ok} ok, ${p.failed} failed, ${p.invalid} invalid, ${p.unsupported ?? 0} unsupported, ${p.pending} pending`],
    [
      'Experiment',
      `${code(m.experiment.file)} (SHA-256 ${code(m.experiment.sha256.slice(0, 16))}), ${repetitionsText(spec.repetitions)}, ${spec.warmupIterations} warm-up + ${spec.measuredIterations} measured inferences per trial`,
    ],
    ['Order and seed', `${spec.order ?? m.plan.order}, seed ${m.plan.seed} (the trial order is in ${code('manifest.json')})`],
    [
      'Host',
      `${plain(h.hostname)}: ${plain(h.platform)}, kernel ${plain(h.kernel)}, ${plain(h.cpuModel)} (${h.cpuCount} logical CPUs), ${Math.round(h.memoryMiB / 1024)} GiB`,
    ],
    ['GPUs', gpus.length ? plain(gpus.join(', ')) : 'none seen'],
    [
      'Software',
      `Node ${plain(h.node)}${h.onnxruntimeNode ? `, onnxruntime-node ${plain(h.onnxruntimeNode)}${ortLibraryText(h.onnxruntimeNodeLibrary)}` : ''}${docker ? `, Docker ${plain(docker)}` : ''}`,
    ],
    ['Images', images.length ? images.join(', ') : 'none (embedded or process runner)'],
    ['greenrt', `${plain(m.greenrt.version)}, commit ${commit}`],
    ['Power sources', m.power.sources.map((s) => `${s.source}: ${s.available ? 'available' : 'unavailable'}`).join(', ') || 'none configured'],
  ];
}

/** Which libonnxruntime build the embedded runtime ran on (a release ships as several builds). */
function ortLibraryText(library: RunManifest['host']['onnxruntimeNodeLibrary']): string {
  return library ? ` (libonnxruntime SHA-256 ${code(library.sha256.slice(0, 16))})` : '';
}

const TOPIC_LABELS: Record<WarningTopic, string> = {
  run: 'Run',
  energy: 'Energy',
  validity: 'Validity',
  conversion: 'Conversion',
  'cool-down': 'Cool-down',
  gpu: 'GPU',
  statistics: 'Statistics',
  report: 'Report',
};

function topicLabel(t: WarningTopic): string {
  return TOPIC_LABELS[t];
}

function plotBlocks(plots: ReportInput['plots']): Block[] {
  const blocks: Block[] = [];
  for (const p of plots.files) {
    blocks.push({ kind: 'heading', level: 3, text: plain(p.title) });
    blocks.push({
      kind: 'image',
      alt: p.title,
      src: `plots/${p.name}.svg`,
      links: [{ label: 'SVG', href: `plots/${p.name}.svg` }, ...(p.png ? [{ label: 'PNG', href: `plots/${p.name}.png` }] : [])],
    });
  }
  if (plots.notes.length) blocks.push({ kind: 'list', items: plots.notes.map(plain) });
  if (blocks.length === 0) blocks.push({ kind: 'paragraph', text: 'No plots: no ok trials.' });
  return blocks;
}
