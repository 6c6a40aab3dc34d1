/**
 * Families 2, 3 and 5 of the hostile-input corpus (issue 12), through the real CLI:
 * special files and sizes (pipes, devices, huge problem counts, deep nesting), untrusted text that
 * tries to reach the terminal raw, and raw errors (write failures, no command). Each case checks the
 * exit code, the words of the message, that no escape sequence or stack trace reaches the output,
 * and that nothing was written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { sha256Hex } from '../core/index.js';
import { cliEntry, ensureCliBuilt, readJson, runCli, runDirIn, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const head =
  'schemaVersion: 1\nname: hostile\nruntimes: [{name: embedded, providers: [cpu], sources: [pytorch]}]\nmodels: [resnet50]\nbatchSizes: [1]\nrepetitions: 1\nwarmupIterations: 1\nmeasuredIterations: 1\n';
const raw = /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/;

let root: string;
let artifacts: string;
beforeAll(() => {
  ensureCliBuilt();
  root = tempDir('greenrt-e2e-hostile-');
  artifacts = join(root, 'artifacts');
}, 180_000);

/** Runs `validate` and `run` on `file`: both exit 2 within 20 s, print `words`, no raw control character, nothing written. */
async function refused(file: string, ...words: string[]): Promise<string> {
  let stderr = '';
  for (const args of [
    ['validate', file],
    ['run', file, '--artifacts', artifacts],
  ]) {
    const r = await runCli(args, { timeoutMs: 20_000 });
    expect(r.signal, `${args[0]} hung`).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    for (const w of words) expect(r.stderr).toContain(w);
    expect(r.stderr).not.toMatch(raw);
    expect(r.stderr).not.toMatch(/^\s+at |RangeError|Maximum call stack/m);
    stderr = r.stderr;
  }
  expect(existsSync(artifacts)).toBe(false);
  return stderr;
}
const write = (name: string, text: string | Buffer) => {
  const file = join(root, name);
  writeFileSync(file, text);
  return file;
};

describe('family 2: special files and sizes', () => {
  it('a named pipe as the experiment file: refused at once (it used to hang, deaf to Ctrl-C)', async () => {
    const fifo = join(root, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, 'experiment file is a named pipe (FIFO), not a regular file', 'not a pipe or a device');
  });

  it('a symbolic link to a named pipe: refused the same way', async () => {
    execFileSync('mkfifo', [join(root, 'pipe2')]);
    symlinkSync(join(root, 'pipe2'), join(root, 'link.yaml'));
    await refused(join(root, 'link.yaml'), 'is a named pipe (FIFO)');
  });

  it('a character device (/dev/zero): refused without reading it', async () => {
    await refused('/dev/zero', 'experiment file is a character device, not a regular file');
  });

  it('--resume given a named pipe or a device: not a run folder (exit 2)', async () => {
    const r = await runCli(['run', '--resume', join(root, 'pipe.yaml'), '--artifacts', artifacts], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a run folder (it is a named pipe (FIFO))');
  });

  it('1 MiB of unknown keys: every problem counted, the first 50 printed, output under 64 KiB', async () => {
    let text = head;
    for (let i = 0; text.length < 1024 * 1024 - 40; i++) text += `unknownkey${i}: 1\n`;
    const stderr = await refused(write('unknown-keys-1mib.yaml', text), 'unknown key "unknownkey0"', '(fix these first, then check again)');
    expect(stderr).toMatch(/… and \d{5} more problems/);
    expect(stderr.length).toBeLessThan(64 * 1024);
  });

  it('1 MiB of one key repeated: duplicate keys found in one pass, capped the same way', async () => {
    const stderr = await refused(write('duplicates-1mib.yaml', `schemaVersion: 1\n${'name: x\n'.repeat(131_000)}`), 'duplicate key "name"');
    expect(stderr).toMatch(/… and \d{6} more problems/);
  });

  it('thousands of YAML syntax errors: the first 50 reported, the rest counted', async () => {
    await refused(write('syntax-flood.yaml', `${head}${'key: "unterminated\n  : ] ]\n'.repeat(5000)}`), 'YAML syntax error');
  });

  for (const [name, text] of [
    ['flow lists 100 000 deep', `${head}extra: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
    ['flow mappings 20 000 deep', `${head}extra: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`],
    ['block mappings 40 deep', `${head}extra:\n${Array.from({ length: 40 }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`).join('\n')} 1\n`],
  ] as const) {
    it(`${name}: "nest more than 32 levels", no stack overflow`, async () => {
      await refused(write(`${name.replace(/\W+/g, '-')}.yaml`, text), 'lists and mappings nest more than 32 levels deep');
    });
  }
});

describe('family 3: untrusted text is escaped and capped wherever it is printed', () => {
  for (const [name, key, shown] of [
    ['ESC sequences in a key', '"\\e[2J\\e[31mred"', 'unknown key "\\x1b[2J\\x1b[31mred"'],
    ['a carriage return in a key', '"safe\\rEVIL"', 'unknown key "safe\\rEVIL"'],
    ['a NUL in a key', '"a\\0b"', 'unknown key "a\\x00b"'],
    ['a bidi override in a key', '"abc\\u202Edef"', 'unknown key "abc\\u202edef"'],
    ['a backspace and a bell', '"x\\b\\ay"', 'unknown key "x\\x08\\x07y"'],
  ] as const) {
    it(`${name}: shown escaped`, async () => {
      await refused(write(`${name.replace(/\W+/g, '-')}.yaml`, `${head}${key}: 1\n`), shown);
    });
  }

  it('a 200 000-character key: the line is capped, the rest counted', async () => {
    const stderr = await refused(write('long-key.yaml', `${head}${'k'.repeat(200_000)}: 1\n`), 'more characters)');
    for (const line of stderr.split('\n')) expect(line.length).toBeLessThan(2000);
  });

  it('an escape sequence in a value checked by a pattern (name): escaped', async () => {
    await refused(write('esc-name.yaml', head.replace('name: hostile', 'name: "\\e]0;pwned\\a"')), ']0;pwned');
  });

  it('an escape sequence in the experiment file name: escaped', async () => {
    await refused(write('bad\u001b[31m.yaml', `${head}bogus: 1\n`), 'bad\\x1b[31m.yaml');
  });

  it('an unknown command with escape sequences: exit 2, escaped', async () => {
    const r = await runCli(['\u001b[31mred']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "\\x1b[31mred"');
    expect(r.stderr).not.toMatch(raw);
  });

  it('a trial reason with escape sequences (forged, hashes recomputed): report.md, report.html and the terminal get it escaped', async () => {
    const dir = join(root, 'reasons');
    const experiment = writeExperiment(join(dir, 'exp'), { name: 'reasons', repetitions: 1 });
    expect((await runCli(['run', experiment, '--artifacts', join(dir, 'artifacts')])).code).toBe(0);
    const run = runDirIn(join(dir, 'artifacts'))!;
    const m = readJson<RunManifest>(join(run, 'manifest.json'));
    const id = m.plan.trialIds[0]!;
    const t = readJson<TrialResult>(join(run, 'trials', `${id}.json`));
    t.status = 'invalid';
    t.reasons = ['\u001b[2J\u001b[1;1Hall good\r\u202e'];
    const text = JSON.stringify(t);
    writeFileSync(join(run, 'trials', `${id}.json`), text);
    m.integrity!.files[`trials/${id}.json`] = sha256Hex(text);
    m.progress = { ...m.progress, ok: 0, invalid: 1 };
    writeFileSync(join(run, 'manifest.json'), JSON.stringify(m));
    const r = await runCli(['report', run]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(raw);
    for (const f of ['report.md', 'report.html']) {
      const report = readFileSync(join(run, f), 'utf8');
      expect(report, f).not.toMatch(raw);
      expect(report, f).toContain('x1b');
      expect(report, f).toContain('all good');
    }
  });
});

describe('family 5: raw errors', () => {
  it('greenrt with no command: exit 2 and the usage on stderr', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: greenrt [options] [command]');
    expect(r.stderr).toContain('Give a command, e.g. greenrt validate experiments/demo.yaml');
  });

  it('greenrt images with no or an unknown subcommand: exit 2, the usage or the commands named', async () => {
    const bare = await runCli(['images']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: greenrt images [options] [command]');
    const typo = await runCli(['images', 'bild']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown images command "bild"; the commands are build, save, load, vendor, context, list, lock, check/);
  });

  it('stdout on a full device (/dev/full): exit 3 with one clear line', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cliEntry}" validate experiments/demo.yaml > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('greenrt: cannot write standard output: the disk is full (ENOSPC).');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("stdout closed early (EPIPE): no stack trace, the command's own exit code", () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${cliEntry}" verify /nonexistent-run 2>/dev/null | true; "${process.execPath}" "${cliEntry}" --help | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('exit=0');
    expect(r.stderr).not.toMatch(/EPIPE|^\s+at /m);
  });

  it('an artifacts path with a name too long: exit 2 naming ENAMETOOLONG, nothing written', async () => {
    const experiment = writeExperiment(join(root, 'long'), { name: 'long', repetitions: 1 });
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'x'.repeat(300))]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('a name in this path is longer than the file system allows (ENAMETOOLONG)');
    expect(r.stderr).toContain('Use a shorter path (a run: a shorter `greenrt run --artifacts <dir>`).');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a folder where report.md belongs: exit 3 naming it, the trials kept', async () => {
    const dir = join(root, 'eisdir');
    const experiment = writeExperiment(join(dir, 'exp'), { name: 'eisdir', repetitions: 1 });
    expect((await runCli(['run', experiment, '--artifacts', join(dir, 'artifacts')])).code).toBe(0);
    const run = runDirIn(join(dir, 'artifacts'))!;
    const copy = join(dir, 'copy');
    cpSync(run, copy, { recursive: true });
    rmSync(join(copy, 'report.md'));
    mkdirSync(join(copy, 'report.md'));
    const r = await runCli(['report', copy]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`Cannot write ${join(copy, 'report.md')}: a folder stands where this file belongs (EISDIR).`);
    expect(readFileSync(join(copy, 'manifest.json')).equals(readFileSync(join(run, 'manifest.json')))).toBe(true);
  });
});
