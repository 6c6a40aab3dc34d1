/**
 * Every command-line option that a message, hint or help text names (`--something` inside a string
 * literal of the shipped sources) must exist on some greenrt command, unless it belongs to another
 * tool the message tells the user to run (listed below with that tool). Issue 12 found hints naming
 * options that did not exist.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
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

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'e2e' || name === 'testing' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function greenrtOptions(command: Command): string[] {
  return [...command.options.map((o) => o.long ?? ''), ...command.commands.flatMap(greenrtOptions)].filter(Boolean);
}

describe('options named in messages', () => {
  const existing = new Set([...greenrtOptions(buildProgram(() => {})), '--help', '--version']);
  const named = new Map<string, string>();
  /** `greenrt <command> ... --option` written in one string: the option must be that command's. */
  const perCommand: [string, string, string][] = [];
  const program = buildProgram(() => {});
  const commandOptions = (name: string) => {
    const c = program.commands.find((x) => x.name() === name);
    return c ? new Set([...greenrtOptions(c), '--help']) : null;
  };
  for (const file of sources(join(packageRoot, 'pipeline'))) {
    const text = readFileSync(file, 'utf8');
    for (const literal of text.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? []) {
      for (const m of literal.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) named.set(m[0], file.slice(packageRoot.length + 1));
      for (const m of literal.matchAll(/greenrt ([a-z]+)((?: (?!greenrt )[^\s`'"]+)*)/g)) {
        for (const o of m[2]!.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? []) perCommand.push([m[1]!, o, file.slice(packageRoot.length + 1)]);
      }
    }
  }

  it('finds the options the CLI itself documents in its hints', () => {
    for (const o of ['--resume', '--artifacts', '--yes', '--tolerance', '--metric']) expect(named.has(o), o).toBe(true);
  });

  it('every greenrt option named in a string exists on a greenrt command', () => {
    const missing = [...named].filter(([o]) => !existing.has(o) && !(o in foreign)).map(([o, file]) => `${o} (${file})`);
    expect(missing).toEqual([]);
  });

  it('an option written after `greenrt <command>` belongs to that command', () => {
    expect(perCommand.length).toBeGreaterThan(3);
    const wrong = perCommand.filter(([c, o]) => commandOptions(c) !== null && !commandOptions(c)!.has(o)).map(([c, o, f]) => `greenrt ${c} ${o} (${f})`);
    expect(wrong).toEqual([]);
  });

  it('the foreign list holds no greenrt option and nothing unused', () => {
    for (const o of Object.keys(foreign)) {
      expect(existing.has(o), `${o} is a greenrt option`).toBe(false);
      expect(named.has(o), `${o} is no longer named anywhere`).toBe(true);
    }
  });
});
