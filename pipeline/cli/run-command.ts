import { join, relative } from 'node:path';
import { ExitCode } from '../core/index.js';
import { runExperiment, type RunOutcome } from '../orchestrate/index.js';
import { createRunDependencies } from './dependencies.js';
import { createProgress } from './progress.js';
import type { ShardSpec } from '../plan/index.js';

export interface RunCommandOptions {
  artifacts: string;
  yes: boolean;
  shard?: ShardSpec;
  runId?: string;
  sharedHost?: boolean;
  /** A folder of saved images (`greenrt images save`) to load missing images from instead of building them. */
  imagesDir?: string | undefined;
  /** A later round of an adaptive study's shard (`greenrt slurm shard`): the round's trial ids. */
  roundTrialIds?: string[];
}

export async function runCommand(experimentFile: string, opts: RunCommandOptions): Promise<number> {
  return execute(
    {
      experimentFile,
      artifactsDir: opts.artifacts,
      confirmed: opts.yes,
      shard: opts.shard,
      runId: opts.runId,
      sharedHost: opts.sharedHost,
      ...(opts.roundTrialIds ? { roundTrialIds: opts.roundTrialIds } : {}),
    },
    opts.imagesDir,
  );
}

export async function resumeCommand(runDir: string, opts: { artifacts: string; yes: boolean; imagesDir?: string | undefined }): Promise<number> {
  return execute({ resumeDir: runDir, artifactsDir: opts.artifacts, confirmed: true }, opts.imagesDir);
}

async function execute(
  req: {
    experimentFile?: string;
    resumeDir?: string;
    artifactsDir: string;
    confirmed: boolean;
    shard?: ShardSpec;
    runId?: string;
    sharedHost?: boolean;
    roundTrialIds?: string[];
  },
  imagesDir: string | undefined,
): Promise<number> {
  const progress = createProgress();
  const controller = new AbortController();
  // First Ctrl-C stops the running trial and saves the manifest; a second one exits at once.
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    progress.info(`\n${signal}: stopping the running trial and saving the run (press Ctrl-C again to quit at once)...`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const deps = createRunDependencies(progress, req.artifactsDir, imagesDir);
    const outcome = await runExperiment(deps, { ...req, signal: controller.signal });
    printOutcome(outcome);
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printOutcome(outcome: RunOutcome): void {
  const p = outcome.progress;
  const rel = relative(process.cwd(), outcome.runDir) || '.';
  process.stdout.write(
    `Run ${outcome.status}: ${p.ok} ok, ${p.invalid} invalid, ${p.failed} failed${p.unsupported ? `, ${p.unsupported} unsupported on this GPU` : ''} of ${p.total} trials.\n` +
      `Report: ${join(rel, 'report.md')}\nResults: ${join(rel, 'results.csv')}\n`,
  );
  if (p.failed > 0) process.stdout.write(`Some trials failed: see their reasons in ${join(rel, 'report.md')} and ${join(rel, 'trials')}/.\n`);
}
