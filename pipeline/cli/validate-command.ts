import { relative } from 'node:path';
import { Contracts } from '../contracts/index.js';
import { ExitCode, formatProblem, InputError } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import { planRun, estimateDurationS, formatDuration } from '../plan/index.js';

/** Validates each file; prints its plan or every problem. Exit 2 when any file has problems. */
export async function validateCommand(files: string[]): Promise<number> {
  const contracts = new Contracts();
  let exitCode: number = ExitCode.ok;
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    try {
      const loaded = await loadExperiment(file, contracts);
      const plan = planRun(loaded.spec);
      const runtimes = [...new Set(plan.trials.map((t) => (t.config.runtime === t.config.source ? t.config.runtime : `${t.config.runtime}(${t.config.source})`)))];
      process.stdout.write(
        `${name}: valid. ${plan.trialCount} trials (${runtimes.join(', ')}; ${loaded.spec.models.join(', ')}; batch ${loaded.spec.batchSizes.join(', ')}; ` +
          `${loaded.spec.repetitions} repetitions), ${plan.images.length} images, ${plan.models.length} model artifacts, ` +
          `estimated ${formatDuration(estimateDurationS(plan))}.\n`,
      );
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      exitCode = ExitCode.badInput;
      process.stderr.write(`${name}: ${error.problems.length} problem(s):\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    }
  }
  return exitCode;
}
