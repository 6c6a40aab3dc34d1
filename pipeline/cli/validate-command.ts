import { relative } from 'node:path';
import { Contracts } from '../contracts/index.js';
import { escapeText, ExitCode, formatProblem, InputError } from '../core/index.js';

/** Problems printed per file (the rest are counted): the output stays short whatever the input. */
export const maxPrintedProblems = 50;
import { loadExperiment } from '../config/index.js';
import {
  planRun,
  estimateDurationRangeS,
  estimateDurationS,
  estimateShardedRangeS,
  formatDuration,
  shardPlan,
  trialMode,
  type RunPlan,
} from '../plan/index.js';
import { allModes } from '../catalogue/index.js';
import { checkNamedClaims } from '../orchestrate/index.js';

/** Validates each file; prints its plan or every problem. Exit 2 when any file has problems. */
export async function validateCommand(files: string[], opts: { shards?: number } = {}): Promise<number> {
  const contracts = new Contracts();
  let exitCode: number = ExitCode.ok;
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    try {
      const loaded = await loadExperiment(file, contracts);
      const plan = planRun(loaded.spec);
      const claims = await checkNamedClaims(loaded, contracts);
      const label = (t: (typeof plan.trials)[number]) => (t.config.runtime === t.config.source ? t.config.runtime : `${t.config.runtime}(${t.config.source})`);
      const runtimes = [...new Set(plan.trials.map(label))].map((r) => {
        // Execution modes, when the experiment names any besides the default: "tensorflow [keras-predict, keras-call, function]".
        const order = allModes().map((m) => m.mode);
        const modes = [...new Set(plan.trials.filter((t) => label(t) === r).map((t) => trialMode(t.config) ?? ''))].sort(
          (a, b) => order.indexOf(a) - order.indexOf(b),
        );
        return modes.length > 1 || plan.trials.some((t) => label(t) === r && t.config.mode !== undefined) ? `${r} [${modes.join(', ')}]` : r;
      });
      const range = estimateDurationRangeS(plan);
      const rule = plan.adaptive;
      const reps = rule
        ? `adaptive repetitions ${rule.min}..${rule.max} until the median's ${rule.precision.metric} is known to +/-${(rule.precision.relativeHalfWidth * 100).toFixed(1)} %`
        : `${loaded.spec.repetitions} repetitions`;
      const size = rule
        ? `${range.minTrials}..${range.maxTrials} trials (${runtimes.join(', ')}; ${loaded.spec.models.join(', ')}; batch ${loaded.spec.batchSizes.join(', ')}; ${reps})`
        : `${plan.trialCount} trials (${runtimes.join(', ')}; ${loaded.spec.models.join(', ')}; batch ${loaded.spec.batchSizes.join(', ')}; ${reps})`;
      const duration = rule
        ? `estimated ${formatDuration(range.minS)} (all at min) to ${formatDuration(range.maxS)} (all at max)`
        : `estimated ${formatDuration(range.maxS)}`;
      process.stdout.write(`${name}: valid. ${size}, ${plan.images.length} images, ${plan.models.length} model artifacts, ${duration}.\n`);
      if (opts.shards !== undefined) process.stdout.write(`  ${clusterEstimate(plan, opts.shards)}\n`);
      if (claims !== null) process.stdout.write(`  claims: ${claims} in ${escapeText(String(loaded.spec.claims), 300)}, evaluated in the report.\n`);
      const power = loaded.spec.power;
      const hostSources = power.sources.filter((s) => s !== 'none');
      if (power.required && hostSources.length > 0) {
        process.stdout.write(
          `  power.required: whether ${hostSources.join(' or ')} works is checked on the host when the run starts (\`greenrt doctor\` shows it now).\n`,
        );
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      exitCode = ExitCode.badInput;
      const shown = error.problems
        .slice(0, maxPrintedProblems)
        .map((p) => `  ${formatProblem(p)}\n`)
        .join('');
      const rest = error.problems.length - maxPrintedProblems;
      process.stderr.write(
        `${escapeText(name, 300)}: ${error.problems.length} problem(s):\n${shown}${rest > 0 ? `  … and ${rest} more problem${rest === 1 ? '' : 's'} (fix these first, then check again).\n` : ''}`,
      );
    }
  }
  return exitCode;
}

/** greenrt's estimate on N nodes through `greenrt slurm submit --shards N` (docs/SCALING.md). */
function clusterEstimate(plan: RunPlan, shards: number): string {
  if (plan.adaptive) {
    const e = estimateShardedRangeS(plan, shards);
    return `on ${shards} node(s) with greenrt slurm submit --shards ${shards} (round by round, a decide job after each round): estimated ${formatDuration(e.minS)} (all at min, 1 round) to ${formatDuration(e.maxS)} (all at max, ${e.maxRounds} rounds).`;
  }
  let longest = 0;
  for (let k = 0; k < shards; k++) {
    try {
      longest = Math.max(longest, estimateDurationS(shardPlan(plan, { index: k, count: shards, partition: 'repetition' }, '--shards').plan));
    } catch {
      return `on ${shards} node(s): some shards would get no trial (the plan has fewer repetitions than shards).`;
    }
  }
  return `on ${shards} node(s) with greenrt slurm submit --shards ${shards}: estimated ${formatDuration(longest)} (the longest shard).`;
}
