import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts, packageRoot } from '../contracts/index.js';
import { RunStore } from '../results/index.js';
import { fakeStudyResults, writeFakeRun } from '../testing/trial-results.js';
import { finishRun } from './finish-run.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();

async function fakeRun(name: string, energy: 'measured' | 'unavailable' = 'measured') {
  const dir = await writeFakeRun(tempDir('greenrt-finish-'), name, fakeStudyResults({ repetitions: 3, energy }), contracts);
  const store = await RunStore.open(dir, contracts);
  return { store, dir, manifest: await store.readManifest(), results: await store.readTrialResults() };
}

describe('finishRun', () => {
  it('writes plots, results.csv, summary.json, report.html and report.md (last), with the study claims evaluated', async () => {
    const { store, dir, manifest, results } = await fakeRun('finish-a');
    const done = await finishRun(store, manifest, results, contracts);
    expect(done.files.at(-1)).toBe('report.md');
    expect(done.files).toEqual(
      expect.arrayContaining([
        'results.csv',
        'summary.json',
        'report.html',
        'plots/latency-resnet50.svg',
        'plots/latency-resnet50.png',
        'plots/energy-share.png',
      ]),
    );
    for (const f of done.files) expect(existsSync(join(dir, f)), f).toBe(true);
    const machine = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(machine.claimsFile).toBe('experiments/paper.claims.yaml');
    expect(machine.claims).toHaveLength(12);
    expect(machine.claims.filter((c: { scope: string }) => c.scope === 'extension')).toHaveLength(4);
    expect(machine.summary.trials).toEqual({ total: results.length, ok: results.length, failed: 0, invalid: 0, unsupported: 0 });
    expect(machine.summary.method.intervals.seed).toBe(manifest.plan.seed);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('`energy-time-correlation`');
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(results.length + 1);
  });

  it('is deterministic: rendering twice gives the same bytes', async () => {
    const { store, dir, manifest, results } = await fakeRun('finish-b');
    await finishRun(store, manifest, results, contracts);
    const first = ['report.md', 'summary.json', 'results.csv', 'plots/energy-vs-latency.svg'].map((f) => readFileSync(join(dir, f), 'utf8'));
    await finishRun(store, manifest, results, contracts);
    expect(['report.md', 'summary.json', 'results.csv', 'plots/energy-vs-latency.svg'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(first);
  });

  it('turns a bad claims file and a missing font into report warnings instead of failing', async () => {
    const { store, dir, manifest, results } = await fakeRun('finish-c', 'unavailable');
    const claims = join(dir, 'broken.claims.yaml');
    writeFileSync(claims, 'schemaVersion: 1\nclaims: [ {id: X\n');
    const done = await finishRun(store, manifest, results, contracts, { claimsFile: claims, fontFiles: [] });
    expect(done.warnings.map((w) => w.text).join('\n')).toMatch(/Claims not evaluated .*broken\.claims\.yaml/);
    expect(done.warnings.map((w) => w.text).join('\n')).toContain('No DejaVu Sans font file was found');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('No DejaVu Sans font file was found');
    expect(md).toContain('could not be evaluated');
    expect(done.files).not.toContain('plots/energy-vs-latency.svg');
    expect(md).toMatch(/No energy box plot for .*energy vs latency scatter/);
    expect(existsSync(join(dir, 'plots', 'latency-resnet50.png'))).toBe(true);
  });

  it('skips claims when claimsFile is null', async () => {
    const { store, manifest, results } = await fakeRun('finish-d');
    const done = await finishRun(store, manifest, results, contracts, { claimsFile: null });
    expect(done.claims).toBeNull();
  });

  it("checks the claims file the run's experiment names (relative to the experiment file), or none when it says null", async () => {
    const { store, dir, manifest, results } = await fakeRun('finish-e');
    writeFileSync(join(dir, 'lab.claims.yaml'), readFileSync(join(packageRoot, 'experiments', 'paper.claims.yaml')));
    const named = {
      ...manifest,
      experiment: { ...manifest.experiment, file: join(dir, 'study.yaml'), spec: { ...manifest.experiment.spec, claims: 'lab.claims.yaml' } },
    };
    const done = await finishRun(store, named, results, contracts);
    expect(done.claims).toMatchObject({ file: join(dir, 'lab.claims.yaml') });
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).claims).toHaveLength(12);
    const none = { ...named, experiment: { ...named.experiment, spec: { ...named.experiment.spec, claims: null } } };
    expect((await finishRun(store, none, results, contracts)).claims).toBeNull();
  });

  describe('the named claims file is read through the safe reader (issue: a FIFO hung report, a link quoted a system file)', () => {
    async function named(name: string, make: (file: string, dir: string) => void) {
      const { store, dir, manifest, results } = await fakeRun(name);
      make(join(dir, 'lab.claims.yaml'), dir);
      const m = {
        ...manifest,
        experiment: { ...manifest.experiment, file: join(dir, 'study.yaml'), spec: { ...manifest.experiment.spec, claims: 'lab.claims.yaml' } },
      };
      const done = await finishRun(store, m, results, contracts, { fontFiles: [] });
      return {
        done,
        dir,
        md: readFileSync(join(dir, 'report.md'), 'utf8'),
        html: readFileSync(join(dir, 'report.html'), 'utf8'),
        json: readFileSync(join(dir, 'summary.json'), 'utf8'),
      };
    }

    it('a named pipe: a report warning at once, no hang', async () => {
      const { done } = await named('finish-fifo', (file) => execFileSync('mkfifo', [file]));
      expect(done.claims).toMatchObject({ error: 'the claims file is a named pipe (FIFO), not a regular file' });
    }, 10_000);

    it('a symbolic link to a file outside the experiment folder: refused, its contents quoted nowhere', async () => {
      const outside = tempDir('greenrt-finish-outside-');
      const secret = join(outside, 'secret.txt');
      writeFileSync(secret, 'TOP-SECRET-LINE: root:x:0:0\n');
      const { done, md, html, json } = await named('finish-link', (file) => symlinkSync(secret, file));
      expect((done.claims as { error: string }).error).toMatch(/^the claims file leads outside .* \(through a symbolic link to .*secret\.txt\)$/);
      for (const text of [md, html, json]) expect(text).not.toContain('TOP-SECRET');
    });

    it('an oversized file: refused with its size', async () => {
      const { done } = await named('finish-big', (file) => writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 0x20)));
      expect((done.claims as { error: string }).error).toMatch(/is 2097152 bytes, more than the 1048576 bytes allowed/);
    });
  });
});
