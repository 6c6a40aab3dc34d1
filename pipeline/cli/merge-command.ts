import { join } from 'node:path';
import { Contracts } from '../contracts/index.js';
import { ExitCode, systemClock } from '../core/index.js';
import { mergeRuns } from '../orchestrate/index.js';
import { shownRunDir } from '../results/index.js';
import { processIo, type CommandIo } from './report-command.js';

/**
 * `greenrt merge <runDir>... --out <dir>`: joins the shards of one study into one run folder
 * (refusing, with every mismatch, shards that cannot be merged), then writes its report.
 * Exit 0 merged, 4 merged but some trials failed, 2 refused.
 */
export async function mergeCommand(runDirs: string[], opts: { out: string }, io: CommandIo = processIo): Promise<number> {
  const outcome = await mergeRuns({ contracts: new Contracts(), clock: systemClock }, { runDirs, outDir: opts.out });
  const dir = shownRunDir(outcome.runDir);
  const m = outcome.manifest;
  const lines = [
    `Merged ${m.merge?.count ?? runDirs.length} shards (${m.merge?.shards.map((s) => `${s.index} on ${s.node}`).join(', ')}) into ${dir}: ${m.progress.ok} ok, ${m.progress.invalid} invalid, ${m.progress.failed} failed of ${m.progress.total} trials.`,
    ...outcome.differences.map((d) => `Note: ${d}.`),
    `Report: ${join(dir, 'report.md')}`,
    `Results: ${join(dir, 'results.csv')}`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return m.progress.failed > 0 ? ExitCode.trialsFailed : ExitCode.ok;
}
