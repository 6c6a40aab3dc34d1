/**
 * Turning "how the entrypoint ended" + "what it wrote" into a TrialExecution's output and failure
 * reason. Shared by the docker and process runners so both report failures in the same words.
 */
import type { Contracts, PreparedModel, TrialOutput } from '../contracts/index.js';
import { SchemaId } from '../contracts/index.js';
import { InputFileProblem, readInputFileSync } from '../core/index.js';

/** How the entrypoint process ended. */
export interface ProcessEnd {
  /** Exit code; null when it was killed by us (timeout) before exiting. */
  exitCode: number | null;
  timedOut: boolean;
  timeoutMs: number;
  oomKilled: boolean;
  memoryLimitMiB: number | null;
  /** Combined stdout+stderr tail, for the last line in failure reasons. */
  logTail: string;
}

export interface TrialOutcome {
  output: TrialOutput | null;
  failure: string | null;
}

/** Reads and validates the TrialOutput at `outputPath`, then names the failure (null: ok). */
export function readTrialOutcome(end: ProcessEnd, outputPath: string, trialId: string, contracts: Contracts): TrialOutcome {
  const killed = killedReason(end);
  const read = readJson(outputPath, end);
  if (read.failure !== null) return { output: null, failure: killed ?? read.failure };
  const problems = contracts.check(SchemaId.trialOutput, read.value);
  if (problems.length > 0) {
    return {
      output: null,
      failure:
        killed ??
        `output does not match schema: ${problems
          .slice(0, 3)
          .map((p) => `${p.path || '/'} ${p.message}`)
          .join('; ')}`,
    };
  }
  const output = read.value as TrialOutput;
  if (output.trialId !== trialId) return { output: null, failure: `output is for trial ${output.trialId}, expected ${trialId}` };
  if (killed) return { output, failure: killed };
  if (output.status === 'failed') {
    const e = output.error;
    return { output, failure: `trial failed (exit ${String(end.exitCode)}): ${e ? `${e.type}: ${e.message}` : 'no error given'}` };
  }
  if (end.exitCode !== 0) return { output, failure: `exited ${String(end.exitCode)} after writing an ok output` };
  return { output, failure: null };
}

/** Reads and validates prepared.json in `outputDir`; failures named like trial failures. */
export function readPrepareOutcome(end: ProcessEnd, preparedPath: string, contracts: Contracts): { prepared: PreparedModel | null; failure: string | null } {
  const killed = killedReason(end);
  if (killed) return { prepared: null, failure: killed };
  if (end.exitCode === 3) return { prepared: null, failure: `prepare failed (exit 3): ${harnessErrorLine(end.logTail)}` };
  if (end.exitCode === 4) {
    return { prepared: null, failure: `prepare stopped (exit 4): pretrained weights differ from their catalogue pin: ${harnessErrorLine(end.logTail)}` };
  }
  const read = readJson(preparedPath, end);
  if (read.failure !== null) return { prepared: null, failure: read.failure };
  const problems = contracts.check(SchemaId.preparedModel, read.value);
  if (problems.length > 0)
    return {
      prepared: null,
      failure: `prepared.json does not match schema: ${problems
        .slice(0, 3)
        .map((p) => `${p.path || '/'} ${p.message}`)
        .join('; ')}`,
    };
  if (end.exitCode !== 0) return { prepared: null, failure: `exited ${String(end.exitCode)} after writing prepared.json` };
  return { prepared: read.value as PreparedModel, failure: null };
}

/** The failure of a trial stopped at its timeout (trialTimeoutS), in the same words for every runner. */
export function timedOutFailure(timeoutMs: number): string {
  return `timed out after ${formatSeconds(timeoutMs)} s`;
}

function killedReason(end: ProcessEnd): string | null {
  if (end.timedOut) return timedOutFailure(end.timeoutMs);
  if (end.oomKilled) return `OOM-killed (memory limit ${end.memoryLimitMiB === null ? 'none' : `${end.memoryLimitMiB} MiB`})`;
  return null;
}

/** Largest output file read back (a trial of 10^6 inferences writes about 20 MB). */
export const MAX_OUTPUT_BYTES = 256 * 2 ** 20;

/**
 * Reads a file the container wrote without trusting it: a symbolic link is refused (O_NOFOLLOW, so
 * a container cannot make the orchestrator read a host file), as is anything but a regular file or
 * a file larger than MAX_OUTPUT_BYTES.
 */
export function readUntrustedFile(path: string, maxBytes = MAX_OUTPUT_BYTES): { text: string } | { missing: true } | { refused: string } {
  try {
    return { text: readInputFileSync(path, maxBytes, { noFollow: true }).toString('utf8') };
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    if (error.code === 'ENOENT') return { missing: true };
    if (error.reason.includes('symbolic link')) return { refused: 'the output is a symbolic link (refused, not followed)' };
    if (error.code === 'ENOTFILE') return { refused: `the output ${error.reason}` };
    if (error.code === 'ETOOBIG') return { refused: `the output is ${error.sizeBytes ?? 'more than'} bytes, more than the ${maxBytes} allowed` };
    return { refused: `the output cannot be opened (${error.code})` };
  }
}

function readJson(path: string, end: ProcessEnd): { value: unknown; failure: null } | { value: null; failure: string } {
  const read = readUntrustedFile(path);
  if ('missing' in read) {
    const last = lastLine(end.logTail);
    const why = end.exitCode === 2 ? ' (bad spec)' : '';
    return { value: null, failure: `exited ${String(end.exitCode)}${why} without output${last ? `: ${last}` : ''}` };
  }
  if ('refused' in read) return { value: null, failure: `output refused: ${read.refused}` };
  const text = read.text;
  try {
    return { value: JSON.parse(text) as unknown, failure: null };
  } catch (error) {
    return { value: null, failure: `output does not match schema: not JSON (${(error as Error).message}; starts ${JSON.stringify(text.slice(0, 40))})` };
  }
}

/** The harness prints `{"error": {"type", "message"}}` as the last stderr line on a failed prepare. */
function harnessErrorLine(logTail: string): string {
  const lines = logTail.split('\n').filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const parsed = JSON.parse(lines[i]!) as { error?: { type?: string; message?: string } };
      if (parsed.error) return `${parsed.error.type ?? 'Error'}: ${parsed.error.message ?? ''}`;
    } catch {
      // not the JSON line
    }
  }
  return lastLine(logTail) || 'no error given';
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  return last.length > 300 ? `${last.slice(0, 300)}...` : last;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}
