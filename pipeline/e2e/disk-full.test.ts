/**
 * A full disk and an unwritable artifacts folder, on real file systems: small tmpfs mounts (root
 * only; CI runs as root), a read-only mount, a file where a folder belongs, and /dev/full bound
 * over run.log. Each ends with a clear message and exit 3, never a stack trace; nothing is
 * half-written (every JSON file parses, no temp file is left), and the run resumes once there is room.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../contracts/index.js';
import { writeFileAtomic } from '../results/index.js';
import { EnvironmentError } from '../core/index.js';
import { ensureCliBuilt, filesUnder, readJson, runCli, runDirIn, runFolderDamage, trialFiles, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

/** Whether this process may mount file systems (root in a sandbox that allows tmpfs). */
function canMount(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = tempDir('greenrt-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

const cannotMount = canMount();
if (cannotMount) console.warn(`[disk-full.test] skipped: ${cannotMount} (CI runs these as root)`);

describe.skipIf(cannotMount !== null)('full disk and unwritable artifacts (tmpfs mounts, real CLI)', () => {
  let root: string;
  const mounts: string[] = [];

  const mount = (dir: string, options: string, source = 'tmpfs', type: string[] = ['-t', 'tmpfs']) => {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    execFileSync('mount', [...type, '-o', options, source, dir], { stdio: 'pipe' });
    mounts.push(dir);
  };
  const unmount = (dir: string) => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    mounts.splice(mounts.indexOf(dir), 1);
  };

  beforeAll(() => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-disk-');
  }, 180_000);
  afterEach(() => {
    for (const dir of [...mounts].reverse()) unmount(dir);
  });

  /** Exit 3, the reason in one readable message, no stack trace. */
  const expectEnvironmentFailure = (r: { code: number | null; stderr: string }, words: string[]) => {
    expect(r.code, r.stderr).toBe(3);
    for (const w of words) expect(r.stderr).toContain(w);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  };

  it('the disk fills up mid-run: exit 3 "disk is full", no truncated file; resumes once there is room', async () => {
    const experiment = writeExperiment(join(root, 'full', 'exp'), { name: 'full', batchSizes: [1, 2], repetitions: 10 });
    const artifacts = join(root, 'full', 'artifacts');
    mount(artifacts, 'size=40k'); // room for the manifest, the log and a few 2.7 kB results
    const r = await runCli(['run', experiment, '--artifacts', artifacts]);
    expectEnvironmentFailure(r, ['the disk is full (ENOSPC)', 'Nothing was half-written', '--resume']);
    const runDir = runDirIn(artifacts)!;
    const kept = trialFiles(runDir);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
    expect(runFolderDamage(runDir)).toEqual([]);
    const before = new Map(kept.map((id) => [id, readFileSync(join(runDir, 'trials', `${id}.json`))]));

    execFileSync('mount', ['-o', 'remount,size=8m', artifacts], { stdio: 'pipe' });
    const resumed = await runCli(['run', '--resume', runDir, '--artifacts', artifacts]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Run completed: 20 ok, 0 invalid, 0 failed of 20 trials.');
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(trialFiles(runDir)).toEqual([...manifest.plan.trialIds].sort());
    for (const [id, bytes] of before) expect(readFileSync(join(runDir, 'trials', `${id}.json`)).equals(bytes), id).toBe(true);
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 180_000);

  it('the disk fills up while the report is written: exit 3, trials kept, the resume writes the report', async () => {
    const experiment = writeExperiment(join(root, 'report', 'exp'), { name: 'report', repetitions: 4 });
    const artifacts = join(root, 'report', 'artifacts');
    mount(artifacts, 'size=60k'); // trials fit; summary.json (about 90 kB) does not
    const r = await runCli(['run', experiment, '--artifacts', artifacts]);
    expectEnvironmentFailure(r, ['the disk is full (ENOSPC)']);
    const runDir = runDirIn(artifacts)!;
    expect(trialFiles(runDir)).toHaveLength(4);
    expect(existsSync(join(runDir, 'report.md'))).toBe(false);
    expect(runFolderDamage(runDir)).toEqual([]);

    execFileSync('mount', ['-o', 'remount,size=8m', artifacts], { stdio: 'pipe' });
    const resumed = await runCli(['run', '--resume', runDir, '--artifacts', artifacts]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toContain('report');
    expect(readJson<RunManifest>(join(runDir, 'manifest.json')).status).toBe('completed');
  }, 120_000);

  it('a read-only artifacts folder: exit 3 "not writable", nothing written', async () => {
    const experiment = writeExperiment(join(root, 'ro', 'exp'), { name: 'ro', repetitions: 1 });
    const artifacts = join(root, 'ro', 'artifacts');
    mount(artifacts, 'size=1m,ro');
    for (const target of [artifacts, join(artifacts, 'nested', 'deeper')]) {
      const r = await runCli(['run', experiment, '--artifacts', target]);
      expectEnvironmentFailure(r, ['is not writable (EROFS)', '--artifacts <dir>']);
    }
    expect(filesUnder(artifacts)).toEqual([]);
  }, 60_000);

  it('a file where the artifacts folder should be: exit 3 naming it', async () => {
    const experiment = writeExperiment(join(root, 'file', 'exp'), { name: 'file', repetitions: 1 });
    const notAFolder = join(root, 'file', 'artifacts');
    writeFileSync(notAFolder, 'a file, not a folder\n');
    const r = await runCli(['run', experiment, '--artifacts', notAFolder]);
    expectEnvironmentFailure(r, [notAFolder, 'is a file, not a folder']);
    expect(readFileSync(notAFolder, 'utf8')).toBe('a file, not a folder\n');
  }, 60_000);

  it('run.log cannot be written (/dev/full bound over it): exit 3 naming run.log, results intact', async () => {
    const experiment = writeExperiment(join(root, 'log', 'exp'), { name: 'log', repetitions: 3 });
    const artifacts = join(root, 'log', 'artifacts');
    const first = await runCli(['run', experiment, '--artifacts', artifacts]);
    expect(first.code, first.stderr).toBe(0);
    const runDir = runDirIn(artifacts)!;
    // Resume the finished run with a log that refuses every write (ENOSPC).
    mount(join(runDir, 'run.log'), 'bind', '/dev/full', []);
    const r = await runCli(['run', '--resume', runDir, '--artifacts', artifacts]);
    expectEnvironmentFailure(r, ['run.log', 'the disk is full (ENOSPC)']);
    expect(trialFiles(runDir)).toHaveLength(3);
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 60_000);
});

describe.skipIf(cannotMount !== null)('writeFileAtomic on a full tmpfs', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('greenrt-atomic-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'pipe' });
  });
  afterAll(() => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  });

  it('keeps the old file whole when the new one does not fit, and leaves no temp file', async () => {
    const target = join(dir, 'result.json');
    await writeFileAtomic(target, '{"version": 1}\n');
    const fill = openSync(join(dir, 'filler'), 'w');
    try {
      writeFileSync(fill, Buffer.alloc(8 * 1024));
    } finally {
      closeSync(fill);
    }
    const error = await writeFileAtomic(target, `{"version": 2, "pad": "${'x'.repeat(20_000)}"}\n`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).code).toBe('E_DISK_FULL');
    expect(readFileSync(target, 'utf8')).toBe('{"version": 1}\n');
    expect(filesUnder(dir).sort()).toEqual(['filler', 'result.json']);
  });
});
