/**
 * Every command-line option that a message, hint or help text names (`--something` inside a string literal) must
 * exist on the command that can print it, unless it belongs to another tool the message tells the user to run
 * (listed below with that tool), or it follows `greenrt <command>` in the same string (then it must be that
 * command's). "Can print" is a static reach from each command's `.command()` chain through everything it references
 * (pipeline/testing/message-reach.ts), so a message added anywhere a command reaches (plan, results, analysis, slurm,
 * images code as well as cli/) is checked against that command; shared code names an option only when every command
 * reaching it has it, else it takes the option from its caller. Issues 12 and 24 found hints naming options that did
 * not exist, or that another command has (`slurm submit --shards` told about `--shard`; `report` told to pass
 * `--artifacts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { commandReach, optionPattern, optionsInMessage as splitMessage } from '../testing/message-reach.js';
import { shippedSources } from '../testing/source-files.js';
import { buildProgram } from './main.js';

/** Options of other tools that greenrt's messages quote, by tool. */
const foreign: Record<string, string> = {
  '--query-gpu': 'nvidia-smi',
  '--help-query-gpu': 'nvidia-smi',
  '--query-compute-apps': 'nvidia-smi',
  '--format': 'nvidia-smi',
  '--variant': 'debootstrap',
  '--rm': 'docker run',
  '--gpus': 'docker run',
  '--build-arg': 'docker build',
  '--runtime': 'nvidia-ctk',
  '--porcelain': 'git status',
  '--untracked-files': 'git status',
  '--parsable': 'sbatch',
  '--array': 'sbatch',
  '--dependency': 'sbatch',
  '--kill-on-invalid-dep': 'sbatch',
  '--exclusive': 'sbatch',
  '--nodes': 'sbatch',
  '--ntasks': 'sbatch',
  '--job-name': 'sbatch',
  '--output': 'sbatch',
  '--find-links': 'pip install (images build --from)',
  '--require-hashes': 'pip download (images vendor)',
  '--no-deps': 'pip download (images vendor)',
  '--hash': 'pip lock files',
  '--disable-pip-version-check': 'pip download (images vendor)',
  '--no-build-isolation': 'pip download (images vendor)',
  '--no-install-recommends': 'apt-get install (images vendor)',
  '--network': 'docker build (images build --from)',
};

function ownOptions(command: Command): string[] {
  return command.options.map((o) => o.long ?? '').filter(Boolean);
}

function allCommands(command: Command, prefix = ''): [string, Command][] {
  return command.commands.flatMap((c) => {
    const path = `${prefix}${c.name()}`;
    return [[path, c] as [string, Command], ...allCommands(c, `${path} `)];
  });
}

const program = buildProgram(() => {});
const commands = new Map(allCommands(program));
const optionsInMessage = (text: string, script = false) => splitMessage(text, script, (path) => commands.has(path));
/** The options a command accepts: its own, its parents' and the program's. */
const optionsOf = (path: string): Set<string> => {
  const words = path.split(' ');
  const chain = words.map((_, i) => commands.get(words.slice(0, i + 1).join(' '))!);
  return new Set(['--help', '--version', ...ownOptions(program), ...chain.flatMap(ownOptions)]);
};

/**
 * Where the static reach over-approximates: shared code a command reaches but whose message it cannot print, each
 * with the reason. Every entry must still match a finding (an unused one fails), so the list only shrinks.
 */
const notPrinted: { command: string; option: string; file: string; why: string }[] = [
  { command: 'doctor', option: '--yes', file: 'pipeline/plan/estimate.ts', why: 'doctor --measure runs its plan confirmed (confirmed: true)' },
  { command: 'doctor', option: '--shard', file: 'pipeline/orchestrate/run-open.ts', why: 'doctor --measure opens a new run with no shard' },
  { command: 'slurm shard', option: '--yes', file: 'pipeline/plan/estimate.ts', why: 'a Slurm shard runs its plan confirmed (yes: true)' },
];

describe('options named in messages', () => {
  const existing = new Set([...[...commands.keys()].flatMap((p) => [...optionsOf(p)])]);
  const named = new Map<string, string>();
  for (const file of shippedSources(join(packageRoot, 'pipeline'))) {
    const text = readFileSync(file, 'utf8');
    for (const literal of text.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? []) {
      for (const m of literal.matchAll(optionPattern)) named.set(m[0], file.slice(packageRoot.length + 1));
    }
  }
  const reach = commandReach(join(packageRoot, 'pipeline', 'cli', 'main.ts'), packageRoot);

  it('finds the options the CLI itself documents in its hints', () => {
    for (const o of ['--resume', '--artifacts', '--yes', '--tolerance', '--metric']) expect(named.has(o), o).toBe(true);
  });

  it('every greenrt option named in a string exists on a greenrt command', () => {
    const missing = [...named].filter(([o]) => !existing.has(o) && !(o in foreign)).map(([o, file]) => `${o} (${file})`);
    expect(missing).toEqual([]);
  });

  it('finds every command of the CLI in the sources, each reaching the modules that do its work', () => {
    expect(new Set(reach.map((r) => r.path))).toEqual(new Set(commands.keys()));
    const files = (path: string) => new Set(reach.filter((r) => r.path === path).flatMap((r) => r.literals.map((l) => l.file)));
    // Spot checks that the reach crosses modules, barrels, classes and interfaces.
    expect(files('report')).toContain('pipeline/results/atomic-write.ts');
    expect(files('slurm submit')).toContain('pipeline/plan/shard-plan.ts');
    expect(files('run')).toContain('pipeline/plan/estimate.ts');
    expect(files('images build')).toContain('pipeline/images/image-build.ts');
  }, 120_000);

  it('an option a command can print exists on that command (or the message quotes the command that has it)', () => {
    const wrong = new Set<string>();
    const used = new Set<(typeof notPrinted)[number]>();
    for (const { path, literals } of reach) {
      const mine = optionsOf(path);
      for (const l of literals) {
        const { quoted, rest } = optionsInMessage(l.text, l.script);
        for (const [c, o] of quoted) if (!optionsOf(c).has(o)) wrong.add(`greenrt ${c} ${o} quoted in ${l.file}:${l.line}`);
        for (const o of rest) {
          if (mine.has(o) || o in foreign) continue;
          const excused = notPrinted.find((n) => n.command === path && n.option === o && n.file === l.file);
          if (excused) used.add(excused);
          else wrong.add(`${path}: ${o} (${l.file}:${l.line})`);
        }
      }
    }
    expect([...wrong].sort()).toEqual([]);
    expect(notPrinted.filter((n) => !used.has(n))).toEqual([]);
  });

  it('reads quoted commands and the rest of a message apart', () => {
    expect(optionsInMessage('Save them: greenrt images save X --flavour X --out X, or leave out --images.')).toEqual({
      quoted: [
        ['images save', '--flavour'],
        ['images save', '--out'],
      ],
      rest: ['--images'],
    });
    expect(optionsInMessage('Run `greenrt slurm submit --shards N` (docs/SCALING.md) or pass --yes').quoted).toEqual([['slurm submit', '--shards']]);
    expect(optionsInMessage('greenrt reads YAML 1.2 --yes').rest).toEqual(['--yes']);
    expect(optionsInMessage('Request a GPU (Slurm: `sbatch --gres=gpu:1`), or --yes')).toEqual({ quoted: [], rest: ['--yes'] });
    expect(optionsInMessage('(greenrt images save ... --out <folder>)').quoted).toEqual([['images save', '--out']]);
    expect(optionsInMessage('#!/bin/bash\ngreenrt run X --shard "$k/"X --artifacts "$s" --yes\necho --nodes', true)).toEqual({
      quoted: [
        ['run', '--shard'],
        ['run', '--artifacts'],
        ['run', '--yes'],
      ],
      rest: ['--nodes'],
    });
  });

  it('the foreign list holds no greenrt option and nothing unused', () => {
    for (const o of Object.keys(foreign)) {
      expect(existing.has(o), `${o} is a greenrt option`).toBe(false);
      expect(named.has(o), `${o} is no longer named anywhere`).toBe(true);
    }
  });
});
