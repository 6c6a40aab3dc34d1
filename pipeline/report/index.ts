/**
 * report: pure rendering of a run (data in, strings/bytes out; `finishRun` in orchestrate writes them).
 * - `renderResultsCsv(results, nodes?)`: results.csv, one row per trial, units in column names (a merged run adds `node`)
 * - `nodeBlocks(manifest, results)`, `nodeMedians`, `checkRanking`, `nodeByTrial`, `shardWarnings`: a merged run's per-node block (medians per node, ranking check)
 *   (`latency_median_ms`, `energy_per_inference_j`, `throughput_samples_per_s`...), empty cell = not measured.
 * - `renderReportMarkdown(input)` / `renderReportHtml(input)`: report.md / report.html (sections in
 *   `REPORT_SECTIONS`; warnings come before any number).
 * - `renderPlots(results)`: SVG box plots of latency (ms) and energy (J) per inference, energy vs latency
 *   scatter, GPU/CPU/DRAM share of energy; `renderPng(svg, {fontFiles})` through resvg; `findPlotFonts()`.
 * - `collectWarnings(...)`: environment and validity warnings; `splitEnergy(trial)`: energy by hardware (J).
 * - `formatNumber`, `formatWithInterval`, `formatP`, labels: shared with `greenrt compare`.
 */
export * from './format.js';
export * from './report-document.js';
export * from './energy-domains.js';
export * from './results-csv.js';
export * from './node-blocks.js';
export * from './warnings.js';
export * from './render-plots.js';
export * from './render-png.js';
export * from './render-report.js';
export type { ClaimsOutcome } from './claims-blocks.js';
export { claimsCountLine } from './claims-blocks.js';
export type { ModeClaimsOutcome } from './mode-blocks.js';
export * from './compare-runs.js';
