import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { describeError, escapeLines, exitCodeFor, ExitCode, formatProblem, InputError } from '../core/index.js';
import { packageRoot } from '../contracts/index.js';
import { readFileSync } from 'node:fs';
import { runCommand, resumeCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { reportCommand } from './report-command.js';
import { doctorCommand } from './doctor-command.js';
import { gpuCheckCommand } from './gpu-check/gpu-check-command.js';
import { imagesCommand } from './images-command.js';
import { compareCommand } from './compare-command.js';
import { aeCheckCommand, aeEvaluateCommand } from './ae-command.js';
import { aeLoadCommand, aePackCommand } from './ae-pack-command.js';
import { verifyCommand } from './verify-command.js';
import { mergeCommand } from './merge-command.js';
import { slurmCommand } from './slurm/slurm-command.js';
import { guardOutputStreams } from './output-streams.js';
import { numberValue, pathValue, pathValues, runIdValue, wordValue } from './references.js';
import { parseShard, type ShardPartition } from '../plan/index.js';

const version = (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;

/** Problems printed for one bad input before the rest is counted (the output stays linear and short). */
export const maxPrintedProblems = 50;

/** Parses argv, runs one command, returns the process exit code (errors become codes here only). */
export async function main(argv: string[]): Promise<number> {
  const output = guardOutputStreams();
  const code = await runProgram(argv);
  // Let a failed write's 'error' event arrive before the exit code is decided.
  await new Promise((r) => setImmediate(r));
  return output.failureExitCode() ?? code;
}

async function runProgram(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.badInput;
    }
    process.stderr.write(escapeLines(describeFailure(error), 64 * 1024));
    return exitCodeFor(error);
  }
}

/** What the user reads when a command fails: the problems of bad input (capped), else the error and its hint. */
export function describeFailure(error: unknown): string {
  if (error instanceof InputError) {
    const shown = error.problems.slice(0, maxPrintedProblems).map((p) => `  ${formatProblem(p)}`);
    const rest = error.problems.length - shown.length;
    if (rest > 0) shown.push(`  … and ${rest} more problem${rest === 1 ? '' : 's'} (fix these first, then check again).`);
    return `${error.message.split('\n')[0]}\n${shown.join('\n')}\nNothing was written.\n`;
  }
  return `greenrt: ${describeError(error)}\n`;
}

/** The command tree; `setExit` receives each command's exit code. Exported for the test that checks every option a message names. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
    .name('greenrt')
    .usage('[options] [command]')
    .description('Reproducible energy and time measurements of deep-learning runtimes (PyTorch, TensorFlow, MXNet, ONNX Runtime) in pinned containers.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 internal error, 2 bad input, 3 missing environment (Docker, GPU, sensors),
            4 some trials failed, 130 interrupted (resume with --resume).`,
    );

  const artifacts = new Option('--artifacts <dir>', 'folder for run outputs').default('artifacts').argParser(pathValue('--artifacts'));

  program
    .command('run')
    .description(
      "Run an experiment (or resume an interrupted run): plan, images, models, baseline, trials, report (with the claims file the experiment's `claims` names; default experiments/paper.claims.yaml).",
    )
    .argument('[experiment]', 'experiment YAML file, e.g. experiments/demo.yaml', pathValue('<experiment>'))
    .option('--resume <runDir>', 'finish an interrupted run without redoing its finished trials', pathValue('--resume'))
    .addOption(artifacts)
    .option('-y, --yes', 'confirm a large matrix (many trials or a long estimated duration)', false)
    .option(
      '--shard <K/N>',
      "run only shard K of N (K 0-based, e.g. 0/4): by default repetition r goes to shard r mod N, in the plan's seeded order; merge the shards with `greenrt merge`. Refused for adaptive repetitions (each round depends on the whole plan's results: run them on a cluster with greenrt slurm submit, round by round)",
      wordValue('--shard', /^\d{1,6}\/\d{1,6}$/, 'is not a shard K/N with 0 <= K < N (e.g. 0/4)'),
    )
    .addOption(
      new Option(
        '--shard-by <partition>',
        'how --shard splits the plan: repetition (every shard runs every configuration) or configuration (confounds node and configuration)',
      )
        .choices(['repetition', 'configuration'])
        .default('repetition'),
    )
    .option(
      '--shared-host',
      'with --shard: other shards run at the same time on other GPUs of this host (each measures the GPU its job was allocated: the first of the inherited CUDA_VISIBLE_DEVICES when the experiment has no gpu.devices; a shard whose GPU another running shard measures stops with exit 3); CPU (RAPL) energy is then shared, so left out of per-trial energy, and the report says why',
    )
    .option('--run-id <id>', 'name of the run folder instead of a generated one (lowercase letters, digits, . _ -)', runIdValue('--run-id'))
    .option(
      '--images <dir>',
      "load the images this run needs from a folder written by `greenrt images save` when the Docker engine lacks them, instead of building them (every Slurm shard does this with its study's images); the manifest records each image as loaded or present",
      pathValue('--images'),
    )
    .action(
      async (
        experiment: string | undefined,
        opts: {
          resume?: string;
          artifacts: string;
          yes: boolean;
          shard?: string;
          shardBy: ShardPartition;
          runId?: string;
          sharedHost?: boolean;
          images?: string;
        },
      ) => {
        if (opts.resume && experiment) throw usage('Give either an experiment file or --resume <runDir>, not both');
        if (opts.resume && (opts.shard || opts.runId || opts.sharedHost))
          throw usage(
            '--resume continues the run as it was started (its shard, id and --shared-host are in its manifest): leave out --shard, --run-id and --shared-host',
          );
        if (opts.sharedHost && !opts.shard) throw usage('--shared-host is for shards that share a host: give --shard K/N too');
        const shard = opts.shard ? parseShard(opts.shard, opts.shardBy) : undefined;
        const imagesDir = opts.images === undefined ? undefined : resolve(opts.images);
        if (opts.resume) setExit(await resumeCommand(resolve(opts.resume), { ...opts, imagesDir }));
        else if (experiment)
          setExit(
            await runCommand(resolve(experiment), {
              artifacts: opts.artifacts,
              yes: opts.yes,
              shard,
              runId: opts.runId,
              sharedHost: opts.sharedHost === true,
              imagesDir,
            }),
          );
        else throw usage('Missing the experiment file: greenrt run experiments/demo.yaml');
      },
    );

  program
    .command('validate')
    .description('Check experiment files (schema, names, combinations, model files) and print their plan; writes nothing.')
    .argument('<experiments...>', 'experiment YAML files', pathValues('<experiments>'))
    .option(
      '--shards <N>',
      "also print greenrt's estimate on N nodes through `greenrt slurm submit --shards N` (adaptive: round by round, all at min ... all at max)",
      numberValue('--shards', 1, 10_000, true),
    )
    .action(async (files: string[], opts: { shards?: string }) => {
      const shards = opts.shards === undefined ? undefined : Number(opts.shards);
      if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= 10_000))
        throw usage(`--shards must be a whole number in [1, 10000], got "${String(opts.shards).slice(0, 20)}"`);
      setExit(
        await validateCommand(
          files.map((f) => resolve(f)),
          shards === undefined ? {} : { shards },
        ),
      );
    });

  program
    .command('report')
    .description(
      "Re-render report.md, results.csv and plots of a run from its stored trial results (claims: the file its experiment's `claims` names, else experiments/paper.claims.yaml).",
    )
    .argument('<runDir>', 'a run folder, e.g. artifacts/demo-20260101t120000z-abc123', pathValue('<runDir>'))
    .action(async (runDir: string) => {
      setExit(await reportCommand(resolve(runDir)));
    });

  program
    .command('verify')
    .description(
      "Check a run folder: every file against its schema, the plan and the SHA-256 recorded when it was written, and each trial's image (config digest) against the one the manifest records; lists every discrepancy. Writes nothing. Exit 0 intact, 4 tampered or incomplete, 2 not a run folder.",
    )
    .argument('<runDir>', 'a run folder, e.g. artifacts/demo-20260101t120000z-abc123', pathValue('<runDir>'))
    .action(async (runDir: string) => {
      setExit(await verifyCommand(resolve(runDir)));
    });

  program
    .command('compare')
    .description(
      'Same-host repeatability check: which configurations of two runs differ beyond their confidence intervals or the tolerance on absolute medians. Exit 0 when B repeats A within the tolerance, 4 when not. Across different hardware absolute numbers are expected to differ: use `greenrt ae evaluate` (verdicts, rankings, ratios).',
    )
    .argument('<runA>', 'reference run folder', pathValue('<runA>'))
    .argument('<runB>', 'run folder to check', pathValue('<runB>'))
    .option('--tolerance <ratio>', 'allowed relative difference of medians (0.1 = 10%)', numberValue('--tolerance', 0, 1000), '0.1')
    .addOption(new Option('--metric <name>', 'latency | energy | both').choices(['latency', 'energy', 'both']).default('both'))
    .option('--json', 'print the comparison as JSON instead of a table')
    .action(async (a: string, b: string, opts: { tolerance: string; metric: string; json?: boolean }) => {
      setExit(await compareCommand(resolve(a), resolve(b), opts));
    });

  const ae = program
    .command('ae')
    .description(
      "The artifact evaluator's kit: which claims this host can test (check) before running the tiers in experiments/ae/, reference runs packed with everything a re-run needs (pack) and loaded on another host (load), and a run judged against a reference run claim by claim (evaluate). docs/EVALUATING.md.",
    );
  ae.command('check')
    .description(
      "Before anything runs: per claim of each experiment's claims file, testable here or not and why (no GPU, image missing, no kernels for this GPU, no RAPL so energy on the GPU only, configurations the experiment does not run), and each experiment's estimated time. Default: the evaluation tiers (experiments/ae/smoke.yaml, gpu-smoke.yaml, core.yaml, experiments/paper.yaml). Exit 0 ready, 3 something missing (named, with the fix), 2 a bad experiment or claims file.",
    )
    .argument('[experiment...]', 'experiment YAML files (default: the evaluation tiers)', pathValues('<experiment>'))
    .action(async (files: string[]) => {
      setExit(await aeCheckCommand(files));
    });
  ae.command('evaluate')
    .description(
      "Judge a run against a reference run claim by claim (ACM: numbers may differ as long as the main claims hold): the hosts' differences first, each claim agrees / contradicts / not testable here / undecided with both verdicts, ratio claims against their band, runtime rankings per model, batch and provider (Kendall's tau), absolute medians judged only when GPU model and driver match, and which badge the evidence supports (advice, never a verdict). Writes evaluation.md and evaluation.json. Exit 0 every testable claim agrees, 4 one contradicts, 3 none testable, 2 a damaged or missing run folder.",
    )
    .argument('<run>', "the evaluator's run folder", pathValue('<run>'))
    .requiredOption('--reference <run>', 'the reference run folder (e.g. from the artifact)', pathValue('--reference'))
    .option('--claims <file>', "claims file evaluated on both runs (default: the one the evaluator's run names)", pathValue('--claims'))
    .option('--out <dir>', 'folder for evaluation.md and evaluation.json (default: evaluation-<run>-vs-<reference> beside the run)', pathValue('--out'))
    .action(async (run: string, opts: { reference: string; claims?: string; out?: string }) => {
      setExit(await aeEvaluateCommand(run, opts));
    });

  ae.command('pack')
    .description(
      "Pack reference runs for an archive (Zenodo) into a new folder: the runs (each verified intact first, like greenrt verify), the images they used (docker save archives by config digest), their prepared models, their experiment, claims and supplied model files, the source (git archive of the runs' commit, else the package's own files), ARTIFACT.md (getting started, then claims, commands, time and expected outcome per run, the reference hardware, what is exact), artifact.json (schemas/ae-artifact.schema.json), CITATION.cff, .zenodo.json and SHA256SUMS. Written into a temp folder beside --out and renamed: a whole pack or none. Prints the hashes to quote: SHA256SUMS's own SHA-256, each run's manifest SHA-256 and each image's config digest. Exit 0 packed, 4 a run is damaged or unfinished or an image or file is not what the run used, 2 bad input (--out not empty), 3 no Docker for runs that used images.",
    )
    .argument('<runDirs...>', 'the reference run folders', pathValues('<runDirs>'))
    .requiredOption('--out <dir>', 'the pack folder to create (new or empty)', pathValue('--out'))
    .action(async (dirs: string[], opts: { out: string }) => {
      setExit(await aePackCommand(dirs, resolve(opts.out)));
    });
  ae.command('load')
    .description(
      "Load a pack written by `greenrt ae pack`: every file is checked against SHA256SUMS first (a changed, missing or extra file, a symbolic link, a pipe: exit 4, nothing loaded), then the images this Docker engine lacks are loaded (checked by config digest) and the prepared models are copied to <artifacts>/models/, so that a run of the pack's experiments needs no network. Exit 0 loaded, 4 the pack is not what its sums say, 2 SHA256SUMS or artifact.json malformed, 3 no Docker for a pack with images.",
    )
    .argument('<dir>', 'the pack folder', pathValue('<dir>'))
    .addOption(
      new Option('--artifacts <dir>', 'the artifacts folder your runs will use (models go to <dir>/models)')
        .default('artifacts')
        .argParser(pathValue('--artifacts')),
    )
    .action(async (dir: string, opts: { artifacts: string }) => {
      setExit(await aeLoadCommand(dir, opts));
    });

  program
    .command('doctor')
    .description('Check this host: power sources (NVML, nvidia-smi, RAPL) and why one does not work, Docker, NVIDIA container toolkit, GPUs.')
    .option(
      '--measure',
      'GPU acceptance check (make gpu-check): idle power, then PyTorch ResNet-50 batch 1 and 64 on CUDA under the monitor; prints and writes sample rates, counter update period, counter-vs-integrated disagreement, idle power, energy per inference, clocks and temperature, and every validity rule. Exit 3 naming what is missing on a host without a GPU.',
    )
    .option('--idle-seconds <s>', 'idle measurement before the trials (with --measure)', numberValue('--idle-seconds', 0, 3600), '60')
    .addOption(
      new Option(
        '--runner <runner>',
        "with --measure: process runs the PyTorch entrypoint with the host's Python (GREENRT_PYTHON; needs torch >= 2.5 with CUDA, torchvision, numpy, jsonschema); docker builds the images on first use (needs the NVIDIA Container Toolkit, a greenrt checkout, and the base image or root + debootstrap + a Debian mirror). Default: docker only where all of that is there, else process",
      ).choices(['process', 'docker']),
    )
    .option(
      '--images <dir>',
      'with --measure and the docker runner: load the images from a folder written by `greenrt images save` when the engine lacks them, instead of building them (no root, debootstrap or mirror needed)',
      pathValue('--images'),
    )
    .addOption(artifacts)
    .action(async (opts: { measure?: boolean; idleSeconds: string; artifacts: string; runner?: 'process' | 'docker'; images?: string }) => {
      const idleS = Number(opts.idleSeconds);
      if (!(idleS >= 0 && idleS <= 3600)) throw usage(`--idle-seconds must be a number of seconds in [0, 3600], got "${opts.idleSeconds}"`);
      if ((opts.runner || opts.images) && !opts.measure) throw usage('--runner and --images are for --measure (the GPU acceptance check)');
      setExit(
        opts.measure
          ? await gpuCheckCommand({ artifacts: opts.artifacts, idleS, runner: opts.runner, ...(opts.images ? { imagesDir: resolve(opts.images) } : {}) })
          : await doctorCommand(),
      );
    });

  program
    .command('merge')
    .description(
      'Merge the shard runs of one study (greenrt run --shard K/N) into one run folder with a per-node report. Refuses, listing every mismatch, unless the runs share the experiment (SHA-256), plan and seed, their shards are disjoint and complete, and their hosts match on GPU model, driver, image digests and greenrt commit. Exit 0 merged, 4 some trials failed, 2 refused.',
    )
    .argument('<runDirs...>', 'the shard run folders', pathValues('<runDirs>'))
    .requiredOption('--out <dir>', 'the merged run folder to create (its name becomes the run id)', pathValue('--out'))
    .action(async (dirs: string[], opts: { out: string }) => {
      setExit(
        await mergeCommand(
          dirs.map((d) => resolve(d)),
          { out: resolve(opts.out) },
        ),
      );
    });

  slurmCommand(program, setExit);
  imagesCommand(program, setExit);

  // `greenrt` alone: the usage, on stderr, and exit 2 (nothing was asked for).
  program.argument('[command]').action((word: string | undefined) => {
    if (word !== undefined) {
      const names = program.commands.map((c) => c.name());
      throw usage(`unknown command "${word}"; the commands are ${names.join(', ')}`);
    }
    process.stderr.write(`${program.helpInformation()}\nGive a command, e.g. greenrt validate experiments/demo.yaml\n`);
    setExit(ExitCode.badInput);
  });
  return program;
}

function usage(message: string): InputError {
  return new InputError('Bad command line', [{ file: 'command line', path: '', message }]);
}
