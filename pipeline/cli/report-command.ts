import { lstat, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Contracts, SchemaId, type RunManifest, type RunSummaryFile, type TrialResult } from '../contracts/index.js';
import { describeKind, escapeLines, escapeText, ExitCode, InputError, readInputFile } from '../core/index.js';
import { finishRun, type FinishRunOptions } from '../orchestrate/index.js';
import { claimsCountLine } from '../report/index.js';
import { maxRunFileBytes, refuseDamagedRun, RunStore, shownRunDir, verifyRunFolder } from '../results/index.js';

/** Where command output goes (tests capture it). */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

export interface OpenedRun {
  store: RunStore;
  manifest: RunManifest;
  results: TrialResult[];
}

/**
 * A run folder's store, manifest and trial results, after the same check as `greenrt verify`:
 * damaged input is an InputError (exit 2) naming each file, thrown before anything is touched.
 * Null (after saying why on stderr) when `dir` is not a run folder.
 */
export async function openRunFolder(dir: string, contracts: Contracts, io: CommandIo, command: string): Promise<OpenedRun | null> {
  const full = resolve(dir);
  const kind = await stat(full).then(
    (s) => (s.isDirectory() ? null : `it is ${describeKind(s)}`),
    () => 'no such folder',
  );
  const isDir = kind === null;
  const hasManifest =
    isDir &&
    (await lstat(join(full, 'manifest.json')).then(
      () => true,
      () => false,
    ));
  if (!hasManifest) {
    io.stderr(
      `greenrt ${command}: ${escapeText(dir, 300)} is not a run folder (${kind ?? 'no readable manifest.json in it'}). ` +
        'Pass the folder `greenrt run` printed, e.g. artifacts/demo-20260101t120000z-abc123.\n',
    );
    return null;
  }
  const check = await verifyRunFolder(full, contracts);
  refuseDamagedRun(check, `greenrt ${command}`);
  const store = await RunStore.open(full, contracts);
  return { store, manifest: check.manifest, results: check.results };
}

/** Trials in the report already in the folder (summary.json), or null when there is none to trust (absent, or not matching its schema). */
async function trialsInCurrentReport(runDir: string, contracts: Contracts): Promise<number | null> {
  try {
    const data: unknown = JSON.parse((await readInputFile(join(runDir, 'summary.json'), maxRunFileBytes, { noFollow: true })).toString('utf8'));
    return contracts.check(SchemaId.runSummary, data).length === 0 ? (data as RunSummaryFile).summary.trials.total : null;
  } catch {
    return null;
  }
}

/** `greenrt report <runDir>`: re-renders report.md/.html, results.csv, summary.json and plots from the stored trials. */
export async function reportCommand(runDir: string, io: CommandIo = processIo, options: FinishRunOptions = {}): Promise<number> {
  const contracts = new Contracts();
  const run = await openRunFolder(runDir, contracts, io, 'report');
  if (!run) return ExitCode.badInput;
  // Never replace a report with one built from fewer trials (e.g. a trials/ folder lost after the report was written).
  const before = await trialsInCurrentReport(run.store.runDir, contracts);
  if (before !== null && run.results.length < before) {
    throw new InputError(`Cannot re-render the report of ${shownRunDir(run.store.runDir)}`, [
      {
        file: shownRunDir(run.store.runDir),
        path: '/summary.json',
        message: `the current report covers ${before} trials, but only ${run.results.length} trial results are in trials/; the report was left as it is`,
        hint: 'Restore the missing trial results from a copy of the run.',
      },
    ]);
  }
  run.store.forgetReportOutputs();
  const done = await finishRun(run.store, run.manifest, run.results, contracts, options);
  // The manifest now records the new report files' SHA-256 (nothing else in it changes).
  await run.store.writeManifest(run.manifest);
  const fromCwd = relative(process.cwd(), run.store.runDir);
  const rel = fromCwd === '' ? '.' : fromCwd.startsWith('..') ? run.store.runDir : fromCwd;
  const s = done.summary.trials;
  const claims = done.claims && 'results' in done.claims ? done.claims.results : null;
  io.stdout(
    `Report of ${run.manifest.runId} (${run.manifest.status}): ${s.ok} ok, ${s.invalid} invalid, ${s.failed} failed of ${s.total} trials with results.\n` +
      (claims ? `Claims: ${claimsCountLine(claims)}.\n` : '') +
      done.warnings.map((w) => `Warning: ${escapeLines(w.text, 1000)}\n`).join('') +
      `Wrote ${done.files.length} files:\n${done.files.map((f) => `  ${join(rel, f)}\n`).join('')}`,
  );
  return ExitCode.ok;
}
