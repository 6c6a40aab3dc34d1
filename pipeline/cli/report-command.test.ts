import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import { fakeStudyResults, writeFakeRun } from '../testing/trial-results.js';
import { reportCommand } from './report-command.js';
import { tempDir } from '../testing/temp-dir.js';

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => {
      out.stdout += t;
    },
    stderr: (t: string) => {
      out.stderr += t;
    },
  };
  return { out, io };
}

describe('greenrt report', () => {
  it('re-renders every output of a stored run and prints the paths (exit 0)', async () => {
    const artifacts = tempDir('greenrt-report-');
    const dir = await writeFakeRun(artifacts, 'rep-a', fakeStudyResults({ repetitions: 3 }), new Contracts());
    rmSync(join(dir, 'report.md'), { force: true });
    const { out, io } = capture();
    expect(await reportCommand(dir, io)).toBe(0);
    expect(out.stdout).toContain('Report of rep-a (completed): 84 ok, 0 invalid, 0 failed of 84 trials with results.');
    expect(out.stdout).toMatch(
      /Claims: reproduction \d+ reproduced, \d+ not reproduced, \d+ inconclusive of \d+; extension \d+ reproduced, \d+ not reproduced, \d+ inconclusive of \d+\./,
    );
    for (const f of ['report.md', 'report.html', 'results.csv', 'summary.json', 'plots/latency-resnet50.png']) {
      expect(out.stdout).toContain(join('rep-a', f));
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# greenrt report: fake');
  });

  it('exit 2 with a clear message when the folder is not a run', async () => {
    const empty = tempDir('greenrt-report-empty-');
    const { out, io } = capture();
    expect(await reportCommand(empty, io)).toBe(2);
    expect(out.stderr).toContain(`greenrt report: ${empty} is not a run folder (no readable manifest.json in it). Pass the folder \`greenrt run\` printed`);
    expect(existsSync(join(empty, 'report.md'))).toBe(false);
  });
});

describe('greenrt report of something that is not a folder', () => {
  it('a regular file: exit 2 saying it is a regular file (it said "no such folder")', async () => {
    const dir = tempDir('greenrt-report-file-');
    const file = join(dir, 'report.md');
    writeFileSync(file, '# not a run\n');
    const { out, io } = capture();
    expect(await reportCommand(file, io)).toBe(2);
    expect(out.stderr).toContain(`${file} is not a run folder (it is a regular file).`);
  });
});
