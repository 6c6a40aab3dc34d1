import { access, constants, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Contracts, type RunManifest, type TrialResult } from '../contracts/index.js';
import { ExitCode } from '../core/index.js';
import { finishRun, type FinishRunOptions } from '../orchestrate/index.js';
import { RunStore } from '../results/index.js';

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

/** A run folder's store, manifest and trial results; null (after saying why on stderr) when `dir` is not a run folder. */
export async function openRunFolder(dir: string, contracts: Contracts, io: CommandIo, command: string): Promise<OpenedRun | null> {
  const full = resolve(dir);
  const isDir = await stat(full).then((s) => s.isDirectory(), () => false);
  const hasManifest = isDir && (await access(join(full, 'manifest.json'), constants.R_OK).then(() => true, () => false));
  if (!hasManifest) {
    io.stderr(`greenrt ${command}: ${dir} is not a run folder (${isDir ? 'no readable manifest.json in it' : 'no such folder'}). ` +
      'Pass the folder `greenrt run` printed, e.g. artifacts/demo-20260101t120000z-abc123.\n');
    return null;
  }
  const store = await RunStore.open(full, contracts);
  return { store, manifest: await store.readManifest(), results: await store.readTrialResults() };
}

/** `greenrt report <runDir>`: re-renders report.md/.html, results.csv, summary.json and plots from the stored trials. */
export async function reportCommand(runDir: string, io: CommandIo = processIo, options: FinishRunOptions = {}): Promise<number> {
  const contracts = new Contracts();
  const run = await openRunFolder(runDir, contracts, io, 'report');
  if (!run) return ExitCode.badInput;
  const done = await finishRun(run.store, run.manifest, run.results, contracts, options);
  const fromCwd = relative(process.cwd(), run.store.runDir);
  const rel = fromCwd === '' ? '.' : fromCwd.startsWith('..') ? run.store.runDir : fromCwd;
  const s = done.summary.trials;
  const claims = done.claims && 'results' in done.claims ? done.claims.results : null;
  const count = (v: string) => claims?.filter((c) => c.verdict === v).length ?? 0;
  io.stdout(
    `Report of ${run.manifest.runId} (${run.manifest.status}): ${s.ok} ok, ${s.invalid} invalid, ${s.failed} failed of ${s.total} trials with results.\n` +
      (claims ? `Claims: ${count('reproduced')} reproduced, ${count('not reproduced')} not reproduced, ${count('inconclusive')} inconclusive.\n` : '') +
      done.warnings.map((w) => `Warning: ${w.text}\n`).join('') +
      `Wrote ${done.files.length} files:\n${done.files.map((f) => `  ${join(rel, f)}\n`).join('')}`,
  );
  return ExitCode.ok;
}
