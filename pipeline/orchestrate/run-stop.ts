import { describeError, EnvironmentError, ExitCode, GreenrtError, type Progress } from '../core/index.js';
import type { ActiveRun } from './active-run.js';

/** Raised when the user interrupts a run (Ctrl-C); the manifest says how to resume. */
export class InterruptedError extends GreenrtError {
  override readonly exitCode = ExitCode.interrupted;
}

/**
 * A started run that stopped on `error`: the manifest records it as interrupted (the signal) or failed, with
 * the progress so far. Returns the error to throw: an interruption or a full disk as an error that says how to
 * resume, anything else as it came.
 */
export async function stopRun(run: ActiveRun, progress: Progress, signal: AbortSignal, error: unknown): Promise<unknown> {
  const { manifest, store } = run;
  progress.done();
  const interrupted = signal.aborted;
  manifest.status = interrupted ? 'interrupted' : 'failed';
  manifest.statusReason = interrupted ? 'stopped by the user (SIGINT/SIGTERM)' : (describeError(error).split('\n')[0] ?? 'error');
  run.countProgress();
  await run.save().catch(() => undefined);
  run.logger.error({ event: 'run.stop', status: manifest.status, reason: manifest.statusReason }, 'run stopped');
  if (interrupted) {
    return new InterruptedError(
      'E_INTERRUPTED',
      `Run ${store.runId} interrupted after ${run.done.size} of ${run.plan.trialCount} trials; the manifest and every finished trial are saved.`,
      { hint: `Resume it with: greenrt run --resume ${store.runDir}` },
    );
  }
  if (error instanceof GreenrtError && error.code === 'E_DISK_FULL') {
    return new EnvironmentError(error.code, error.message, {
      hint: `Free space on that file system, then resume the run: greenrt run --resume ${store.runDir}`,
      cause: error,
    });
  }
  return error;
}
