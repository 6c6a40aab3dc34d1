import { execFile } from 'node:child_process';
import { EnvironmentError } from './errors.js';
import { escapeText } from './escape-text.js';

/** One external command's outcome: it ran and exited with `code` (0 = success). */
export interface CommandOutcome {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CommandUse {
  /** What greenrt needed it for, for the message ("read the study's job states"). */
  purpose: string;
  /** What to do when the command is missing or fails (one sentence). */
  hint: string;
  timeoutMs?: number;
  /**
   * A non-zero exit that is an answer, not a failure (e.g. squeue's "Invalid job id" for a job that left the
   * queue). Any other non-zero exit, a timeout or a signal is EnvironmentError (exit 3) naming the command.
   */
  answers?: (outcome: CommandOutcome) => boolean;
}

/**
 * Runs an external command greenrt depends on (sbatch, squeue, scontrol, ...) without a shell. A command that is
 * missing, cannot be started, times out, is killed, or exits non-zero (unless `use.answers` says that exit is an
 * answer) is an EnvironmentError (exit 3) naming the command and its last stderr line: never an empty answer
 * that a caller could take for a state. docs/RELIABILITY.md, rule 3; pipeline/core/external-commands.test.ts
 * fails when code outside the listed probes starts a process another way.
 */
export function runCommand(cmd: string, args: readonly string[], use: CommandUse): Promise<CommandOutcome> {
  return new Promise((done, fail) => {
    execFile(cmd, [...args], { timeout: use.timeoutMs ?? 30_000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const outcome = { stdout: String(stdout), stderr: String(stderr), code: 0 };
      if (!error) return done(outcome);
      const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
      if (e.code === 'ENOENT' || e.code === 'EACCES') {
        return fail(
          new EnvironmentError(
            'E_COMMAND_MISSING',
            `Cannot ${use.purpose}: ${cmd} is not installed on this host (not found on PATH${e.code === 'EACCES' ? ', or not executable' : ''}).`,
            {
              hint: use.hint,
            },
          ),
        );
      }
      if (typeof e.code === 'number' && !e.killed && !e.signal) {
        const ran = { ...outcome, code: e.code };
        if (use.answers?.(ran)) return done(ran);
        const last = escapeText((ran.stderr.trim() || ran.stdout.trim()).split('\n').slice(-1)[0] ?? '', 300);
        return fail(
          new EnvironmentError('E_COMMAND_FAILED', `Cannot ${use.purpose}: \`${cmd} ${args.join(' ')}\` failed (exit ${e.code})${last ? `: ${last}` : ''}.`, {
            hint: use.hint,
          }),
        );
      }
      const why =
        e.killed || e.signal
          ? `was stopped (${e.signal ?? 'timeout'}) after ${use.timeoutMs ?? 30_000} ms at most`
          : `could not be run (${String(e.code ?? e.message)})`;
      fail(new EnvironmentError('E_COMMAND_FAILED', `Cannot ${use.purpose}: \`${cmd}\` ${why}.`, { hint: use.hint }));
    });
  });
}
