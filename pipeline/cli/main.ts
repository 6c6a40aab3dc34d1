import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { describeError, exitCodeFor, ExitCode, formatProblem, InputError } from '../core/index.js';
import { packageRoot } from '../contracts/index.js';
import { readFileSync } from 'node:fs';
import { runCommand, resumeCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { reportCommand } from './report-command.js';
import { doctorCommand } from './doctor-command.js';
import { gpuCheckCommand } from './gpu-check/gpu-check-command.js';
import { imagesCommand } from './images-command.js';
import { compareCommand } from './compare-command.js';

const version = (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;

/** Parses argv, runs one command, returns the process exit code (errors become codes here only). */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command()
    .name('greenrt')
    .description('Reproducible energy and time measurements of deep-learning runtimes (PyTorch, TensorFlow, MXNet, ONNX Runtime) in pinned containers.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', `
Exit codes: 0 ok, 1 internal error, 2 bad input, 3 missing environment (Docker, GPU, sensors),
            4 some trials failed, 130 interrupted (resume with --resume).`);

  const artifacts = new Option('--artifacts <dir>', 'folder for run outputs').default('artifacts');

  program
    .command('run')
    .description('Run an experiment (or resume an interrupted run): plan, images, models, baseline, trials, report.')
    .argument('[experiment]', 'experiment YAML file, e.g. experiments/demo.yaml')
    .option('--resume <runDir>', 'finish an interrupted run without redoing its finished trials')
    .addOption(artifacts)
    .option('-y, --yes', 'confirm a large matrix (many trials or a long estimated duration)', false)
    .action(async (experiment: string | undefined, opts: { resume?: string; artifacts: string; yes: boolean }) => {
      if (opts.resume && experiment) throw usage('Give either an experiment file or --resume <runDir>, not both');
      if (opts.resume) exitCode = await resumeCommand(resolve(opts.resume), opts);
      else if (experiment) exitCode = await runCommand(resolve(experiment), opts);
      else throw usage('Missing the experiment file: greenrt run experiments/demo.yaml');
    });

  program
    .command('validate')
    .description('Check experiment files (schema, names, combinations, model files) and print their plan; writes nothing.')
    .argument('<experiments...>', 'experiment YAML files')
    .action(async (files: string[]) => {
      exitCode = await validateCommand(files.map((f) => resolve(f)));
    });

  program
    .command('report')
    .description('Re-render report.md, results.csv and plots of a run from its stored trial results.')
    .argument('<runDir>', 'a run folder, e.g. artifacts/demo-20260101t120000z-abc123')
    .action(async (runDir: string) => {
      exitCode = await reportCommand(resolve(runDir));
    });

  program
    .command('compare')
    .description('Compare two runs: which configurations differ beyond their confidence intervals. Exit 0 when B reproduces A within the tolerance, 4 when not.')
    .argument('<runA>', 'reference run folder')
    .argument('<runB>', 'run folder to check')
    .option('--tolerance <ratio>', 'allowed relative difference of medians (0.1 = 10%)', '0.1')
    .option('--metric <name>', 'latency | energy | both', 'both')
    .option('--json', 'print the comparison as JSON instead of a table')
    .action(async (a: string, b: string, opts: { tolerance: string; metric: string; json?: boolean }) => {
      exitCode = await compareCommand(resolve(a), resolve(b), opts);
    });

  program
    .command('doctor')
    .description('Check this host: power sources (NVML, nvidia-smi, RAPL) and why one does not work, Docker, NVIDIA container toolkit, GPUs.')
    .option('--measure', 'GPU acceptance check (make gpu-check): idle power, then PyTorch ResNet-50 batch 1 and 64 on CUDA under the monitor; prints and writes sample rates, counter update period, counter-vs-integrated disagreement, idle power, energy per inference, clocks and temperature, and every validity rule. Exit 3 naming what is missing on a host without a GPU.')
    .option('--idle-seconds <s>', 'idle measurement before the trials (with --measure)', '60')
    .addOption(artifacts)
    .action(async (opts: { measure?: boolean; idleSeconds: string; artifacts: string }) => {
      const idleS = Number(opts.idleSeconds);
      if (!(idleS >= 0 && idleS <= 3600)) throw usage(`--idle-seconds must be a number of seconds in [0, 3600], got "${opts.idleSeconds}"`);
      exitCode = opts.measure ? await gpuCheckCommand({ artifacts: opts.artifacts, idleS }) : await doctorCommand();
    });

  imagesCommand(program, (code) => {
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
    if (error instanceof InputError) {
      process.stderr.write(`${error.message.split('\n')[0]}\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
      process.stderr.write('Nothing was written.\n');
    } else {
      process.stderr.write(`greenrt: ${describeError(error)}\n`);
    }
    return exitCodeFor(error);
  }
}

function usage(message: string): InputError {
  return new InputError('Bad command line', [{ file: 'command line', path: '', message }]);
}
