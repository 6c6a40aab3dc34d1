import { dirname, isAbsolute, relative } from 'node:path';
import { packageRoot, type Contracts, type RunManifest, type RunSummaryFile, type TrialResult } from '../contracts/index.js';
import { summarizeTrials, parseClaimsYaml, evaluateClaims, claimsByMode, type RunSummary } from '../analysis/index.js';
import { describeError, InputFileProblem, readInputFile } from '../core/index.js';
import { claimsFileOf, defaultClaimsFile, maxDocumentBytes } from '../config/index.js';
import type { RunStore } from '../results/index.js';
import {
  findPlotFonts,
  nodeByTrial,
  renderPlots,
  renderPng,
  renderReportHtml,
  renderReportMarkdown,
  renderResultsCsv,
  type ClaimsOutcome,
  type ModeClaimsOutcome,
  type ReportPlot,
  type ReportWarning,
} from '../report/index.js';

export interface FinishRunOptions {
  /** Claims to check; default: the experiment's `claims` (else experiments/paper.claims.yaml); null skips claims. */
  claimsFile?: string | null;
  /** Font files for the PNG plots; default: DejaVu Sans found on this host. */
  fontFiles?: string[];
}

export interface FinishedRun {
  /** Files written, relative to the run folder, in write order (report.md last). */
  files: string[];
  summary: RunSummary;
  claims: ClaimsOutcome | null;
  /** Problems met while producing the report (also listed in it). */
  warnings: ReportWarning[];
}

export const DEFAULT_CLAIMS_FILE = defaultClaimsFile;

/**
 * Summary, claims, plots and report of a run, written through the store (each file atomic):
 * plots/*.svg|png, results.csv, summary.json, report.html, then report.md. Rendering problems
 * (no font, unreadable claims file, a plot that fails) become warnings in the report instead of
 * failing a finished run; only a failed write throws.
 * summary.json is checked against schemas/run-summary.schema.json before it is written (by the store).
 * `contracts` is the caller's validator set (the store validates with its own, the same schemas).
 */
export async function finishRun(
  store: RunStore,
  manifest: RunManifest,
  results: readonly TrialResult[],
  _contracts: Contracts,
  options: FinishRunOptions = {},
): Promise<FinishedRun> {
  const warnings: ReportWarning[] = [];
  const summary = summarizeTrials(results, { seed: manifest.plan.seed });
  const claimsFile = options.claimsFile === undefined ? claimsFileOf(manifest.experiment.file, manifest.experiment.spec.claims) : options.claimsFile;
  // Read like the experiment itself: confined (after links) to the experiment's folder, or the package's for the default file.
  const within =
    claimsFile === null
      ? ''
      : options.claimsFile === undefined && typeof manifest.experiment.spec.claims === 'string'
        ? dirname(manifest.experiment.file)
        : dirname(claimsFile);
  const checked = await checkClaims(claimsFile, within, summary, results, manifest.plan.seed);
  const { claims, modeClaims } = checked;
  if (claims && 'error' in claims) warnings.push({ topic: 'report', text: `Claims not evaluated (${claims.file}): ${claims.error.split('\n')[0]}` });

  const files: string[] = [];
  const write = async (rel: string, data: string | Uint8Array) => {
    await store.writeText(rel, data);
    files.push(rel);
  };
  let plotSet: ReturnType<typeof renderPlots> = { plots: [], notes: [] };
  try {
    plotSet = renderPlots(results);
  } catch (error) {
    warnings.push({ topic: 'report', text: `Plots could not be drawn: ${describeError(error).split('\n')[0]}` });
  }
  const fonts = options.fontFiles ?? findPlotFonts();
  if (plotSet.plots.length > 0 && fonts.length === 0) {
    warnings.push({
      topic: 'report',
      text: 'No DejaVu Sans font file was found, so the PNG plots have no text (the SVGs are complete). Install it (Debian/Ubuntu: `apt-get install fonts-dejavu-core`) and run `greenrt report` on this folder again.',
    });
  }
  const plots: ReportPlot[] = [];
  for (const p of plotSet.plots) {
    await write(`plots/${p.name}.svg`, p.svg);
    let pngBytes: Uint8Array | null = null;
    try {
      pngBytes = renderPng(p.svg, { fontFiles: fonts });
    } catch (error) {
      warnings.push({ topic: 'report', text: `PNG of plot ${p.name} could not be rendered: ${describeError(error).split('\n')[0]}` });
    }
    // Outside the try: a failed write (full disk) stops the run; it is not a rendering problem.
    if (pngBytes) await write(`plots/${p.name}.png`, pngBytes);
    const png = pngBytes !== null;
    plots.push({ name: p.name, title: p.title, png });
  }

  await write('results.csv', renderResultsCsv(results, nodeByTrial(manifest)));
  const machine: RunSummaryFile = {
    schemaVersion: 1,
    runId: manifest.runId,
    greenrt: manifest.greenrt,
    claimsFile: claims?.file ?? null,
    summary,
    claims: claims && 'results' in claims ? claims.results : null,
    claimsError: claims && 'error' in claims ? claims.error : null,
    claimsByMode: modeClaims?.claims ?? null,
    warnings,
  };
  await store.writeSummary(machine);
  files.push('summary.json');
  const input = { manifest, summary, results, claims, modeClaims, plots: { files: plots, notes: plotSet.notes }, extraWarnings: warnings };
  await write('report.html', renderReportHtml(input));
  await write('report.md', renderReportMarkdown(input));
  return { files, summary, claims, warnings };
}

async function checkClaims(
  file: string | null,
  within: string,
  summary: RunSummary,
  results: readonly TrialResult[],
  seed: number,
): Promise<{ claims: ClaimsOutcome | null; modeClaims: ModeClaimsOutcome }> {
  if (file === null) return { claims: null, modeClaims: null };
  const shown = displayPath(file);
  let text: string;
  try {
    text = (await readInputFile(file, maxDocumentBytes, { within })).toString('utf8');
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    return { claims: { file: shown, error: `the claims file ${error.reason}` }, modeClaims: null };
  }
  try {
    const parsed = parseClaimsYaml(text, shown);
    // The same bootstrap seed as the run's summary, so each mode combination's numbers are reproducible too.
    return {
      claims: { file: shown, results: evaluateClaims(parsed, summary, results) },
      modeClaims: { file: shown, claims: claimsByMode(parsed, results, { seed }) },
    };
  } catch (error) {
    return { claims: { file: shown, error: describeError(error) }, modeClaims: null };
  }
}

/** Paths inside the package are shown relative to it (stable across checkouts). */
function displayPath(file: string): string {
  const rel = relative(packageRoot, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
