import { checkAdaptiveRecord } from '../analysis/index.js';
import { Contracts } from '../contracts/index.js';
import { ExitCode } from '../core/index.js';
import { shownRunDir, verifyRunFolder } from '../results/index.js';
import { processIo, type CommandIo } from './report-command.js';

/** Discrepancies printed before the rest is counted. */
export const maxListedProblems = 50;

/**
 * `greenrt verify <runDir>`: every file against its schema, the plan and the SHA-256 the manifest
 * recorded; lists each discrepancy. Exit 0 intact, 4 tampered or incomplete, 2 not a run folder.
 * Writes nothing.
 */
export async function verifyCommand(runDir: string, io: CommandIo = processIo): Promise<number> {
  const v = await verifyRunFolder(runDir, new Contracts());
  const dir = shownRunDir(v.runDir);
  const m = v.manifest;
  // Adaptive rounds: the recorded decisions must be what the rule decides from the stored trials (a one-node run and a
  // Slurm study's merged run alike). Checked on a completed run with every result, the state the record describes.
  const adaptiveChecked = m?.adaptive && m.status === 'completed' && v.missingTrialIds.length === 0 && v.discrepancies.length === 0;
  if (m && adaptiveChecked) {
    for (const message of checkAdaptiveRecord(m.experiment.spec, m, v.results)) v.discrepancies.push({ file: 'manifest.json', message, part: 'input' });
  }
  const lines: string[] = [];
  const n = v.discrepancies.length;
  if (n > 0) {
    lines.push(`Run folder ${dir} does NOT verify: ${n} problem${n === 1 ? '' : 's'}:`);
    for (const d of v.discrepancies.slice(0, maxListedProblems)) lines.push(`  ${d.file}: ${d.message}.`);
    if (n > maxListedProblems) lines.push(`  … and ${n - maxListedProblems} more.`);
  }
  if (m && v.missingTrialIds.length > 0 && m.status !== 'completed') {
    lines.push(
      `Incomplete: ${v.missingTrialIds.length} of ${m.plan.trialCount} planned trials have no result (status ${m.status}). Finish the run with: greenrt run --resume ${dir}`,
    );
  }
  if (v.unrecorded.size > 0) {
    lines.push(
      `Not yet recorded in manifest.json (written just before the run stopped; greenrt run --resume records them): ${[...v.unrecorded.keys()].join(', ')}`,
    );
  }
  lines.push(...v.notes);
  if (m && n === 0) {
    const whole = v.missingTrialIds.length === 0;
    lines.push(
      `Run ${m.runId} (${m.status}): ${whole ? 'intact' : 'intact so far'}. ${v.results.length} trial results of ${m.plan.trialCount} planned, each planned once, ` +
        `of this run and with the configuration its id names; ${v.hashedFiles} files match the SHA-256 recorded in manifest.json.` +
        (adaptiveChecked ? ` The ${m.adaptive!.decisions.length} adaptive decision(s) are what the rule decides from the stored trials.` : ''),
    );
    io.stdout(`${lines.join('\n')}\n`);
    return whole ? ExitCode.ok : ExitCode.trialsFailed;
  }
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.trialsFailed;
}
