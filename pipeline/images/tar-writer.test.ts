import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { writeTar, type TarEntry } from './tar-writer.js';
import { tempDir } from '../testing/temp-dir.js';

const entries: TarEntry[] = [
  { path: 'b.txt', type: 'file', data: Buffer.from('bee\n') },
  { path: 'a', type: 'directory' },
  { path: 'a/run.sh', type: 'file', data: Buffer.from('#!/bin/sh\necho hi\n'), executable: true },
  { path: `a/${'d'.repeat(90)}/${'f'.repeat(60)}.py`, type: 'file', data: Buffer.from('x = 1\n') },
];

describe('writeTar', () => {
  it('gives the same bytes whatever the input order', () => {
    expect(writeTar(entries).equals(writeTar([...entries].reverse()))).toBe(true);
  });

  it('writes a ustar archive GNU tar reads: sorted, normalised owner, mode and mtime, long paths intact', () => {
    const dir = tempDir('greenrt-tar-');
    const file = join(dir, 'ctx.tar');
    writeFileSync(file, writeTar(entries));
    const listing = execaSync('tar', ['--numeric-owner', '--full-time', '-tvf', file]).stdout.split('\n');
    expect(listing).toHaveLength(4);
    expect(listing[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2000-01-01 00:00:00 a\/$/);
    expect(listing[1]).toContain(`a/${'d'.repeat(90)}/${'f'.repeat(60)}.py`);
    expect(listing[1]).toMatch(/^-rw-r--r-- 0\/0/);
    expect(listing[2]).toMatch(/^-rwxr-xr-x 0\/0 +18 2000-01-01 00:00:00 a\/run.sh$/);
    expect(listing[3]).toMatch(/ b.txt$/);
    execaSync('tar', ['-xf', file, '-C', dir]);
    expect(execaSync('cat', [join(dir, 'b.txt')]).stdout).toBe('bee');
  });

  it('rejects duplicates', () => {
    expect(() => writeTar([entries[0]!, entries[0]!])).toThrow(/Duplicate/);
  });

  it('writes a path ustar cannot hold (a wheel name over 100 bytes) with a PAX path record, deterministically', () => {
    const wheel = 'vendor/wheels/charset_normalizer-3.5.3-cp311-cp311-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl';
    const long: TarEntry[] = [
      { path: wheel, type: 'file', data: Buffer.from('wheel bytes\n') },
      { path: `${'x'.repeat(200)}`, type: 'file', data: Buffer.from('x\n') },
      { path: 'vendor', type: 'directory' },
      { path: 'vendor/wheels', type: 'directory' },
    ];
    const bytes = writeTar(long);
    expect(bytes.equals(writeTar([...long].reverse()))).toBe(true);
    const dir = tempDir('greenrt-tar-pax-');
    const file = join(dir, 'ctx.tar');
    writeFileSync(file, bytes);
    const listing = execaSync('tar', ['-tf', file]).stdout.split('\n');
    expect(listing).toEqual(['vendor/', 'vendor/wheels/', wheel, 'x'.repeat(200)]);
    execaSync('tar', ['-xf', file, '-C', dir]);
    expect(readFileSync(join(dir, wheel), 'utf8')).toBe('wheel bytes\n');
  });
});
