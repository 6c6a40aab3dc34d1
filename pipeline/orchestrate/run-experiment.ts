import { openRun, planTheRun, readyHost } from './run-open.js';
import type { RunDependencies, RunOutcome, RunRequest } from './run-request.js';
import { startRun } from './run-start.js';
import { stopRun } from './run-stop.js';
import { executeRun } from './run-trials.js';

export type { RunDependencies, RunOutcome, RunRequest } from './run-request.js';
export { InterruptedError } from './run-stop.js';

/**
 * Runs (or resumes) an experiment: plan, images, models, baseline, trials, summary and report.
 * The steps, in order: open (load, or verify the resumed folder), plan, ready the host (every refusal before
 * anything is written), start (run folder, run.log, manifest), then execute (inputs, baseline, trials, report);
 * a run stopped by an error or the signal is recorded as failed or interrupted.
 */
export async function runExperiment(deps: RunDependencies, req: RunRequest): Promise<RunOutcome> {
  const opened = await openRun(req, deps.contracts);
  const planned = planTheRun(opened, req);
  const host = await readyHost(deps, opened.loaded.spec, planned.plan);
  const run = await startRun(deps, req, opened, planned, host);
  try {
    return await executeRun(deps, req, run, host);
  } catch (error) {
    throw await stopRun(run, deps.progress, req.signal, error);
  } finally {
    await host.measurement.close();
    await run.releaseHost?.();
  }
}
