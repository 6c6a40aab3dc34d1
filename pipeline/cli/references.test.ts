/**
 * Rule 4 of docs/RELIABILITY.md: every value a user passes on the command line (path, image reference, run id,
 * number, Slurm word) is checked where it enters, by a checker of cli/references.ts, before any command runs. This
 * walks every greenrt command and fails for an option or argument that takes a value without such a checker (or
 * commander's fixed choices); then it feeds the hostile values the corpus found through the real parser.
 */
import type { Argument, Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, InputError } from '../core/index.js';
import { buildProgram } from './main.js';
import { isCheckedParser } from './references.js';

/** Free words that only select a subcommand (an unknown one is refused by the command itself). */
const commandWords = new Set(['command']);

function walk(command: Command, path: string[] = []): { where: string; checked: boolean }[] {
  const here = [...path, command.name()].join(' ');
  const options = (command.options as Option[])
    .filter((o) => o.required || o.optional)
    .map((o) => ({ where: `${here} ${o.long}`, checked: o.argChoices !== undefined || isCheckedParser(o.parseArg) }));
  const args = ((command as unknown as { registeredArguments: Argument[] }).registeredArguments ?? [])
    .filter((a) => !commandWords.has(a.name()))
    .map((a) => ({ where: `${here} <${a.name()}>`, checked: a.argChoices !== undefined || isCheckedParser(a.parseArg) }));
  return [...options, ...args, ...command.commands.flatMap((c) => walk(c, [...path, command.name()]))];
}

async function parse(...args: string[]): Promise<unknown> {
  const program = buildProgram(() => {});
  // Parsing only: every action here would fail later; the checkers run while the command line is parsed.
  for (const c of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) c.action(() => {});
  return program.parseAsync(['node', 'greenrt', ...args]).then(
    () => null,
    (e: unknown) => e,
  );
}

describe('every command-line value is checked where it enters', () => {
  const values = walk(buildProgram(() => {}));

  it('finds the options and arguments (the walk works)', () => {
    expect(values.map((v) => v.where)).toEqual(
      expect.arrayContaining(['greenrt run --artifacts', 'greenrt images check <image>', 'greenrt slurm submit --shards']),
    );
    expect(values.length).toBeGreaterThan(20);
  });

  it('each has a checker from cli/references.ts or fixed choices', () => {
    expect(values.filter((v) => !v.checked).map((v) => v.where)).toEqual([]);
  });

  it.each([
    [['images', 'check', 'greenrt/pytorch:cuda 12'], '<image>: "greenrt/pytorch:cuda 12" is not an image reference'],
    [['images', 'check', 'greenrt/pytorch:cuda%2F..'], '<image>'],
    [['images', 'check', 'Greenrt/PyTorch'], '<image>'],
    [['run', 'experiments/demo.yaml', '--artifacts', ''], '--artifacts: "" is empty'],
    [['run', '--resume', ''], '--resume: "" is empty'],
    [['run', 'experiments/demo.yaml', '--run-id', 'a/b'], '--run-id: "a/b" must be 1-128 lowercase letters'],
    [['report', ''], '<runDir>: "" is empty'],
    [['merge', 'a\nb', '--out', 'x'], '<runDirs>: "a\\nb" holds a control character'],
    [['slurm', 'submit', 'experiments/demo.yaml', '--shards', '2', '--artifacts', 'x\ny'], '--artifacts'],
    [['slurm', 'submit', 'experiments/demo.yaml', '--shards', 'two'], '--shards: "two" must be a whole number in [1, 10000]'],
    [['slurm', 'submit', 'experiments/demo.yaml', '--shards', '2', '--partition', 'gpu;id'], '--partition'],
    [['images', 'context', 'caffe', '--out', 'x.tar'], 'unknown runtime "caffe"; must be one of'],
    [['images', 'context', 'pytorch', '--out', ''], '--out: "" is empty'],
    [['compare', 'a', 'b', '--tolerance', 'NaN'], '--tolerance: "NaN" must be a number'],
  ])('%j: exit 2 naming the value and the rule', async (args, words) => {
    const error = await parse(...args);
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(ExitCode.badInput);
    expect((error as Error).message).toContain(words);
  });

  it('accepts the references the commands document', async () => {
    for (const args of [
      ['images', 'check', 'greenrt/pytorch:cuda-0123456789ab'],
      ['images', 'check', `localhost:5000/greenrt/pytorch:cuda-x@sha256:${'a'.repeat(64)}`],
      ['images', 'check', `sha256:${'b'.repeat(64)}`],
      ['images', 'check', '0123456789ab'],
      ['run', 'experiments/demo.yaml', '--run-id', 'demo-1.a_b', '--artifacts', '/tmp/x y'],
      ['images', 'context', 'pytorch', '--out', '-'],
    ]) {
      expect(await parse(...args), args.join(' ')).toBeNull();
    }
  });
});
