/**
 * Rule 5 of docs/RELIABILITY.md: the atomic write replaces a regular file or writes where nothing is, and refuses
 * anything else (exit 2 naming it), leaving it as it was. Special files are made in a temp folder (a FIFO, a UNIX
 * socket, a symbolic link): no test touches a real device node.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, InputError } from '../core/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { writeFileAtomic } from './atomic-write.js';

const refusal = async (target: string) => {
  const error = await writeFileAtomic(target, 'new').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(exitCodeFor(error)).toBe(ExitCode.badInput);
  return (error as Error).message;
};

describe('writeFileAtomic replaces only a regular file', () => {
  it('writes a new file and replaces a regular one', async () => {
    const dir = tempDir('greenrt-atomic-');
    await writeFileAtomic(join(dir, 'a'), 'one');
    await writeFileAtomic(join(dir, 'a'), 'two');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('two');
  });

  it('refuses a named pipe, leaving it a pipe and no temp file behind', async () => {
    const dir = tempDir('greenrt-atomic-');
    const fifo = join(dir, 'out.tar');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(fifo)).toContain('is a named pipe (FIFO): greenrt only replaces a regular file');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.tar']);
  });

  it('refuses a UNIX socket', async () => {
    const dir = tempDir('greenrt-atomic-');
    const path = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(await refusal(path)).toContain('is a socket');
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a symbolic link (as /dev/stdout is one), leaving the link and its target alone', async () => {
    const dir = tempDir('greenrt-atomic-');
    writeFileSync(join(dir, 'target'), 'keep');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(await refusal(join(dir, 'link'))).toContain('is a symbolic link');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('keep');
  });

  it('a folder in the way stays the existing E_NOT_A_FILE (exit 3)', async () => {
    const dir = tempDir('greenrt-atomic-');
    mkdirSync(join(dir, 'f'));
    const error = await writeFileAtomic(join(dir, 'f'), 'x').catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('E_NOT_A_FILE');
  });
});
