import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { tempDir } from './temp-dir.js';

const fixtureDir = join(packageRoot, 'pipeline', 'testing', 'fixtures', 'temp-dir');

/** Runs the fixture file in a child vitest; returns its exit code, output and the folders it made by scope. */
async function runFixture(env: Record<string, string>): Promise<{ code: number; output: string; dirs: [scope: string, path: string][] }> {
  const probe = join(tempDir('greenrt-tempdir-probe-'), 'made.txt');
  const vitest = join(packageRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const result = await promisify(execFile)(process.execPath, [vitest, 'run', '--config', join(fixtureDir, 'vitest.config.ts')], {
    cwd: packageRoot,
    env: { ...process.env, GREENRT_KEEP_TEST_DIRS: '', TEMP_DIR_FAIL: '', ...env, TEMP_DIR_PROBE: probe },
  }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
  const dirs = readFileSync(probe, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string]);
  return { ...result, dirs };
}

describe('tempDir (pipeline/testing/temp-dir.ts)', () => {
  it('removes a test folder when its test ends and the file folders after the last test', async () => {
    const run = await runFixture({});
    expect(run.code, run.output).toBe(0);
    expect(run.dirs.map(([scope]) => scope).sort()).toEqual(['beforeAll', 'module', 'test']);
    for (const [scope, dir] of run.dirs) expect(existsSync(dir), `${scope} ${dir}`).toBe(false);
    expect(run.output).not.toContain('[greenrt]');
  }, 60_000);

  it('prints the folders of a failed test; GREENRT_KEEP_TEST_DIRS=1 keeps every folder', async () => {
    const failed = await runFixture({ TEMP_DIR_FAIL: '1' });
    expect(failed.code, failed.output).toBe(1);
    const failedDir = failed.dirs.find(([scope]) => scope === 'failed')?.[1] ?? '';
    expect(failed.output).toContain(
      `[greenrt] test "fails on purpose" failed; its test folders, now removed (GREENRT_KEEP_TEST_DIRS=1 keeps them): ${failedDir}`,
    );
    expect(failed.output).toMatch(/\[greenrt\] failed tests \(fails on purpose\); its test folders, now removed/);
    for (const [, dir] of failed.dirs) expect(existsSync(dir)).toBe(false);

    const kept = await runFixture({ GREENRT_KEEP_TEST_DIRS: '1' });
    expect(kept.code, kept.output).toBe(0);
    for (const [scope, dir] of kept.dirs) {
      expect(existsSync(dir), `${scope} ${dir}`).toBe(true);
      expect(kept.output).toContain(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
