import { type Command, Option } from 'commander';
import { join, resolve } from 'node:path';
import { Contracts } from '../../contracts/index.js';
import { ExitCode, systemClock } from '../../core/index.js';
import { formatDuration, type ShardPartition } from '../../plan/index.js';
import { shownRunDir } from '../../results/index.js';
import { caBundleFromEnv } from '../images-command.js';
import { createProgress } from '../progress.js';
import {
  SlurmClient,
  decideStudy,
  resubmitStudy,
  roundShardRequest,
  studyStatus,
  submitStudy,
  waitForStudy,
  type StudyStatus,
  type UnsavedImage,
} from '../../slurm/index.js';
import { runCommand } from '../run-command.js';
import { numberValue, pathValue, refuseValue, wordValue } from '../references.js';

interface SubmitOpts {
  shards: string;
  shardBy: ShardPartition;
  partition?: string;
  gres?: string;
  time?: string;
  sharedHost?: boolean;
  artifacts: string;
  wait?: boolean;
  dryRun?: boolean;
  images?: string;
}

/**
 * A dry run's images: what submit would have saved, their size here, and the command that saves them where the
 * scripts look (every shard loads from <study>/images before its first trial, so they must be there before sbatch).
 */
export function formatUnsavedImages(images: UnsavedImage[], imagesDir: string): string {
  const known = images.filter((i) => i.sizeBytes !== null);
  const total = known.reduce((n, i) => n + i.sizeBytes!, 0);
  const flavours = [...new Set(images.map((i) => i.flavour))];
  return (
    `Images: none saved (dry run). Submit would save ${images.length} into ${imagesDir}` +
    (known.length > 0 ? `, about ${(total / 2 ** 20).toFixed(0)} MiB${known.length < images.length ? ' for those built here' : ''}` : '') +
    ' (an archive is about as large as its image); every shard loads them from there before its first trial:\n' +
    images.map((i) => `  ${i.tag}  ${i.sizeBytes !== null ? `${(i.sizeBytes / 2 ** 20).toFixed(0)} MiB` : i.note}\n`).join('') +
    `Before submitting these scripts yourself, save them there:\n` +
    flavours
      .map(
        (f) =>
          `  greenrt images save ${images
            .filter((i) => i.flavour === f)
            .map((i) => i.runtime)
            .join(' ')} --flavour ${f} --out ${imagesDir}\n`,
      )
      .join('')
  );
}

/** `greenrt slurm submit | status | resubmit`. */
export function slurmCommand(program: Command, setExit: (code: number) => void): void {
  const slurm = program
    .command('slurm')
    .description('Run a study as a Slurm job array over shards, merged and reported by a job that waits for the whole array (see docs/SCALING.md).');
  const deps = () => ({ contracts: new Contracts(), clock: systemClock, slurm: new SlurmClient() });

  slurm
    .command('submit')
    .description(
      'Write the job scripts (an array over the shards, exclusive nodes, and a merge-and-report job with --dependency=afterok on it) into a new study folder, submit them with sbatch, and print the job ids and where the results will be. An experiment with adaptive repetitions runs round by round: an array per round (repetition r of configuration i on shard (i + r - 1) mod N) and a decide job after each that submits the next round or the merge.',
    )
    .argument('<experiment>', 'experiment YAML file (on the shared file system)', pathValue('<experiment>'))
    .requiredOption('--shards <N>', 'number of shards (array tasks, one node each)', numberValue('--shards', 1, 10_000, true))
    .addOption(
      new Option('--shard-by <partition>', 'repetition (every shard runs every configuration) or configuration')
        .choices(['repetition', 'configuration'])
        .default('repetition'),
    )
    .option('--partition <P>', 'Slurm partition', slurmWord('--partition'))
    .option('--gres <spec>', 'generic resources per shard, e.g. gpu:1', slurmWord('--gres'))
    .option('--time <T>', 'time limit per shard, e.g. 04:00:00', slurmWord('--time'))
    .option('--shared-host', 'let shards share a node on different GPUs (no --exclusive): CPU (RAPL) energy is then left out of per-trial energy')
    .option(
      '--artifacts <dir>',
      'folder for the study folder; must be on a file system every node mounts at the same path',
      pathValue('--artifacts'),
      'artifacts',
    )
    .option(
      '--images <dir>',
      "a folder written by `greenrt images save` holding the experiment's images; without it, submit builds what this engine lacks and saves them into <study>/images. Either way every shard loads the images its node lacks from that folder before its first trial (nothing is built on the nodes)",
      pathValue('--images'),
    )
    .option('--wait', 'wait until every job has left the queue; exit 0 when the merged run exists')
    .option(
      '--dry-run',
      'write the scripts and print the sbatch commands; submit nothing. Builds and saves no image: prints the images submit would save into <study>/images (with their size on this engine) and the `greenrt images save` command that puts them there',
    )
    .action(async (experiment: string, opts: SubmitOpts) => {
      const n = Number(opts.shards);
      const options = {
        ...(opts.partition ? { partition: opts.partition } : {}),
        ...(opts.gres ? { gres: opts.gres } : {}),
        ...(opts.time ? { time: opts.time } : {}),
        ...(opts.sharedHost ? { sharedHost: true } : {}),
      };
      const progress = createProgress();
      const d = { ...deps(), progress: (line: string) => progress.status(line.trim().slice(0, 110)) };
      const caBundlePath = caBundleFromEnv();
      const s = await submitStudy(d, {
        experimentFile: resolve(experiment),
        shards: n,
        partition: opts.shardBy,
        artifactsDir: opts.artifacts,
        options,
        dryRun: Boolean(opts.dryRun),
        ...(opts.images ? { imagesDir: opts.images } : {}),
        ...(caBundlePath ? { caBundlePath } : {}),
      });
      progress.done();
      const images = s.study.images;
      if (images) {
        process.stdout.write(
          `Images (${images.savedBySubmit ? 'saved' : 'given'}; each node loads what it lacks): ${shownRunDir(images.dir)}\n${images.images.map((i) => `  ${i.tag}  ${i.configDigest}\n`).join('')}`,
        );
      }
      const sub = s.study.submissions[0];
      const dir = shownRunDir(s.studyDir);
      if (s.unsavedImages) process.stdout.write(formatUnsavedImages(s.unsavedImages, join(dir, 'images')));
      process.stdout.write(
        `Estimate (greenrt's, see greenrt validate): longest shard ${formatDuration(Math.max(...s.estimate.shardsS))} with ${n} nodes in parallel; the whole plan on one node ${formatDuration(s.estimate.wholePlanS)}.\n`,
      );
      if (s.study.partition === 'rotation') {
        const jobs = sub?.arrayJobId
          ? `array job ${sub.arrayJobId} (round 1 on shard(s) ${sub.indices.join(', ')}), decide job ${sub.decideJobId} (afterok)`
          : 'nothing submitted (dry run)';
        process.stdout.write(
          `Adaptive study, round by round: round 1 runs every configuration's min repetitions; each decide job applies the rule to every stored trial and submits the next round (one more trial per open configuration) or the merge.\n` +
            `${opts.dryRun ? 'Dry run' : `Submitted study ${s.study.studyId}`}: ${jobs}.\nStudy folder: ${dir}\nMerged run (when done): ${shownRunDir(s.mergedDir)}\nStatus: greenrt slurm status ${dir}\n`,
        );
        setExit(opts.wait && !opts.dryRun ? await waitAndReport(d, s.studyDir) : ExitCode.ok);
        return;
      }
      if (opts.dryRun) {
        process.stdout.write(
          `Dry run: scripts written to ${dir}/slurm/, nothing submitted. To submit:\n  sbatch --parsable ${rel(s.shardScript)}\n  sbatch --dependency=afterok:<array job id> --kill-on-invalid-dep=yes ${rel(s.mergeScript)}\n`,
        );
        setExit(ExitCode.ok);
        return;
      }
      process.stdout.write(
        `Submitted study ${s.study.studyId}: array job ${sub?.arrayJobId} (${n} shards), merge job ${sub?.mergeJobId} (afterok).\n` +
          `Study folder: ${dir}\nMerged run (when done): ${shownRunDir(s.mergedDir)}\nStatus: greenrt slurm status ${dir}\n`,
      );
      setExit(opts.wait ? await waitAndReport(d, s.studyDir) : ExitCode.ok);
    });

  slurm
    .command('status')
    .description(
      "Show each shard's Slurm state (squeue, scontrol; sacct when accounting is on) and progress (from its manifest), and the merge job's. Exit 0 merged, running or not submitted (written by greenrt slurm submit --dry-run), 4 a shard failed or was cancelled, 3 squeue or scontrol missing or failing.",
    )
    .argument('<studyDir>', 'the study folder `greenrt slurm submit` printed', pathValue('<studyDir>'))
    .action(async (dir: string) => {
      const s = await studyStatus(deps(), resolve(dir));
      process.stdout.write(formatStatus(s));
      setExit(s.settled && s.submitted && !s.merged ? ExitCode.trialsFailed : ExitCode.ok);
    });

  slurm
    .command('resubmit')
    .description(
      'Resubmit the shards of a study that did not complete (failed, cancelled, timed out) and a new merge job; each resumes from its manifest without redoing finished trials.',
    )
    .argument('<studyDir>', 'the study folder', pathValue('<studyDir>'))
    .option('--wait', 'wait until every job has left the queue; exit 0 when the merged run exists')
    .action(async (dir: string, opts: { wait?: boolean }) => {
      const d = deps();
      const r = await resubmitStudy(d, resolve(dir));
      const sub = r.study.submissions[r.study.submissions.length - 1];
      process.stdout.write(
        sub?.round !== undefined
          ? `Resubmitted round ${sub.round} of ${r.study.studyId}: shard(s) ${r.indices.join(', ') || 'none'}, array job ${sub.arrayJobId ?? '-'}, ${sub.mergeJobId ? `merge job ${sub.mergeJobId}` : `decide job ${sub.decideJobId ?? '-'}`}.\n`
          : `Resubmitted shard(s) ${r.indices.join(', ') || 'none (merge only)'} of ${r.study.studyId}: array job ${sub?.arrayJobId ?? '-'}, merge job ${sub?.mergeJobId} (afterok).\n`,
      );
      setExit(opts.wait ? await waitAndReport(d, r.studyDir) : ExitCode.ok);
    });
  slurm
    .command('shard')
    .description(
      "Run one shard of one round of an adaptive study (what a round's array task runs): the round's trials that rotation gives shard K (round 1 from the experiment, later rounds from slurm/rounds/after-round-(R-1).json), in <studyDir>/shards/<studyId>-round-R-shard-K. Exit codes as greenrt run.",
    )
    .argument('<studyDir>', 'the study folder', pathValue('<studyDir>'))
    .requiredOption('--round <R>', 'the round (1-based)', numberValue('--round', 1, 999_999, true))
    .requiredOption('--shard <K>', 'the shard (0-based, the array task id)', numberValue('--shard', 0, 999_999, true))
    .action(async (dir: string, opts: { round: string; shard: string }) => {
      const round = whole('--round', opts.round, 1);
      const index = whole('--shard', opts.shard, 0);
      const req = await roundShardRequest(new Contracts(), resolve(dir), round, index);
      setExit(
        await runCommand(req.experimentFile, {
          artifacts: req.artifactsDir,
          yes: true,
          shard: req.shard,
          runId: req.runId,
          sharedHost: req.sharedHost,
          imagesDir: req.imagesDir,
          ...(req.roundTrialIds ? { roundTrialIds: req.roundTrialIds } : {}),
        }),
      );
    });
  slurm
    .command('decide')
    .description(
      "Decide after a round of an adaptive study (what the decide job runs): the adaptive rule, exactly as a one-node run applies it, on every stored trial of rounds 1..R; the decision written to slurm/rounds/after-round-R.json (or compared with the one there), then the next round's array and decide job, or the merge job. Running it again submits nothing twice. Exit 0, 4 a round unfinished or decided differently before, 2 bad input.",
    )
    .argument('<studyDir>', 'the study folder', pathValue('<studyDir>'))
    .requiredOption('--after-round <R>', 'the round just finished (1-based)', numberValue('--after-round', 1, 999_999, true))
    .option('--no-submit', 'write or check the decision only; submit nothing')
    .action(async (dir: string, opts: { afterRound: string; submit: boolean }) => {
      const r = await decideStudy(deps(), resolve(dir), whole('--after-round', opts.afterRound, 1), { submit: opts.submit });
      const c = r.decision.configurations;
      const count = (o: string) => c.filter((x) => x.outcome === o).length;
      process.stdout.write(
        `Round ${r.decision.afterRound}: ${count('met')} at precision, ${count('max')} at max, ${count('unmeasurable')} unmeasurable, ${count('extend')} open.\n` +
          (r.decision.nextRound
            ? `Round ${r.decision.nextRound.round}: ${r.decision.nextRound.trialIds.length} trial(s) on shard(s) ${r.decision.nextRound.shards.flatMap((ids, k) => (ids.length ? [k] : [])).join(', ')}`
            : 'Every configuration stopped: merge and report') +
          (r.submitted
            ? ` (submitted: ${r.submitted.arrayJobId ? `array job ${r.submitted.arrayJobId}, decide job ${r.submitted.decideJobId}` : `merge job ${r.submitted.mergeJobId}`}).\n`
            : ' (already submitted, or --no-submit).\n'),
      );
      setExit(ExitCode.ok);
    });
}

function whole(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d{1,6}$/.test(text) || n < min) throw refuseValue(option, text, `must be a whole number >= ${min}`);
  return n;
}

async function waitAndReport(d: { contracts: Contracts; slurm: SlurmClient }, studyDir: string): Promise<number> {
  const s = await waitForStudy(d, studyDir, {
    onChange: (x) =>
      process.stderr.write(`  ${x.shards.map((sh) => `shard ${sh.index}: ${sh.state} ${sh.done}/${sh.total}`).join(' | ')} | merge: ${x.merge.state}\n`),
  });
  process.stdout.write(formatStatus(s));
  return s.merged || !s.submitted ? ExitCode.ok : ExitCode.trialsFailed;
}

export function formatStatus(s: StudyStatus): string {
  const lines = [`Study ${s.study.studyId} (${s.study.shards} shards by ${s.study.partition}):`];
  for (const sh of s.shards) {
    lines.push(
      `  shard ${sh.index}/${s.study.shards}  job ${sh.job ?? '-'}  ${sh.state}${sh.reason ? ` (${sh.reason})` : ''}  run ${sh.runStatus ?? 'not started'}  ${sh.done}/${sh.total} trials`,
    );
  }
  if (s.rounds) {
    const r = s.rounds;
    lines.splice(
      1,
      0,
      `  round ${r.round} (at most ${r.maxRounds}): ${r.open.length} configuration(s) open${r.open.length ? ` (${r.open.slice(0, 6).join(', ')}${r.open.length > 6 ? ', ...' : ''})` : ''}; estimated rounds left ${r.estimatedRoundsLeft ?? `unknown until round 1 is decided (at most ${r.maxRounds})`}`,
    );
    lines.push(`  decide job ${r.decide.job ?? '-'}  ${r.decide.state}${r.decide.reason ? ` (${r.decide.reason})` : ''}`);
  }
  lines.push(`  merge  job ${s.merge.job ?? '-'}  ${s.merge.state}${s.merge.reason ? ` (${s.merge.reason})` : ''}`);
  if (s.merged) lines.push(`Merged run: ${shownRunDir(s.mergedDir)} (report: ${join(shownRunDir(s.mergedDir), 'report.md')})`);
  else if (!s.submitted)
    lines.push(`Not submitted (written by greenrt slurm submit --dry-run): submit it with  greenrt slurm resubmit ${shownRunDir(s.studyDir)}`);
  else if (s.settled) lines.push(`Not finished: resubmit the failed or cancelled shards with  greenrt slurm resubmit ${shownRunDir(s.studyDir)}`);
  return `${lines.join('\n')}\n`;
}

const rel = shownRunDir;

/** A Slurm partition, gres or time: the characters Slurm uses there (also safe in an #SBATCH line). */
function slurmWord(option: string) {
  return wordValue(option, /^[A-Za-z0-9_:.,=+-]{1,100}$/, 'has characters Slurm does not use there (letters, digits and _ : . , = + - only)');
}
