/**
 * Family 1 of the hostile-input corpus (issue 12): run folders damaged or tampered with, through
 * the real CLI. `greenrt verify` names every discrepancy (exit 4); `report`, `compare` and
 * `run --resume` refuse the folder with exit 2 and change nothing in it (not the manifest, not the
 * report, not a temp file). One real run (embedded runtime, 4 trials) is copied and damaged per case.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { sha256Hex } from '../core/index.js';
import { ensureCliBuilt, filesUnder, readJson, runCli, runDirIn, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

type Damage = (dir: string, first: string) => void;
const trial = (dir: string, id: string) => join(dir, 'trials', `${id}.json`);
const editTrial = (dir: string, id: string, edit: (t: TrialResult) => void, as = id) => {
  const t = readJson<TrialResult>(trial(dir, id));
  edit(t);
  writeFileSync(trial(dir, as), JSON.stringify(t, null, 2));
};
const editManifest = (dir: string, edit: (m: RunManifest) => void) => {
  const m = readJson<RunManifest>(join(dir, 'manifest.json'));
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
};

/** Every entry under `dir` with the SHA-256 of regular files (pipes and links are not opened). */
const snapshot = (dir: string) =>
  new Map(
    filesUnder(dir).map((f) => {
      const info = lstatSync(join(dir, f));
      return [f, info.isFile() ? sha256Hex(readFileSync(join(dir, f))) : info.isSymbolicLink() ? 'link' : 'special'] as const;
    }),
  );

/** name -> [damage, words verify must print (exit 4)]. Each is also refused by report and --resume. */
const corpus: Record<string, [Damage, ...string[]]> = {
  'trials folder deleted': [(d) => rmSync(join(d, 'trials'), { recursive: true }), 'is missing: manifest.json records it', 'holds 0 ok'],
  'trials folder emptied': [
    (d) => {
      rmSync(join(d, 'trials'), { recursive: true });
      mkdirSync(join(d, 'trials'));
    },
    'is missing',
    'the run is completed, but 4 planned trial(s) have no result',
  ],
  'trials folder replaced by a file': [
    (d) => {
      rmSync(join(d, 'trials'), { recursive: true });
      writeFileSync(join(d, 'trials'), 'x');
    },
    'trials/: is a regular file, not a folder',
  ],
  'a latency edited': [(d, id) => editTrial(d, id, (t) => (t.timing.latenciesMs[0] = 0.001)), 'changed since greenrt wrote it (its SHA-256 differs'],
  'a trial not in the plan': [
    (d, id) =>
      editTrial(
        d,
        id,
        (t) => {
          t.trialId = id.replace(/r1$/, 'r7');
          t.config.repetition = 7;
        },
        id.replace(/r1$/, 'r7'),
      ),
    "is not in this run's plan",
  ],
  'a trial twice': [(d, id) => cpSync(trial(d, id), join(d, 'trials', 'again.json')), `is a second copy of trial "${'$ID'}"`],
  "another run's id": [
    (d, id) => editTrial(d, id, (t) => (t.runId = 'other-20260101t000000z-abcdef')),
    'belongs to run "other-20260101t000000z-abcdef", not this run',
  ],
  'config contradicts the id': [(d, id) => editTrial(d, id, (t) => (t.config.batchSize = 64)), 'its configuration is that of trial', '.b64.'],
  'iterations contradict the experiment': [
    (d, id) => editTrial(d, id, (t) => (t.config.measuredIterations = 500)),
    'config.measuredIterations is 500, but the experiment sets 5',
  ],
  'ok with no latencies': [(d, id) => editTrial(d, id, (t) => (t.timing.latenciesMs = [])), 'status "ok" with no latencies'],
  'negative counter energy': [
    (d, id) =>
      editTrial(d, id, (t) => {
        t.energy.readings = [{ source: 'rapl', domain: 'package-0', provenance: 'counter', energyJ: -3, netEnergyJ: null, baselinePowerW: null, reason: null }];
        t.energy.totalEnergyJ = -3;
        t.energy.totalProvenance = 'counter';
      }),
    'is a counter reading of -3 J',
    'energy.totalEnergyJ is -3 J with counter provenance',
  ],
  'zero counter energy': [
    (d, id) =>
      editTrial(d, id, (t) => {
        t.energy.readings = [{ source: 'nvml', domain: 'gpu:0', provenance: 'counter', energyJ: 0, netEnergyJ: null, baselinePowerW: null, reason: null }];
      }),
    'is a counter reading of 0 J',
  ],
  'a trial breaking its schema': [
    (d, id) => editTrial(d, id, (t) => Object.assign(t, { injected: true })),
    'does not match the trial result schema: /injected unknown key',
  ],
  'a truncated trial': [(d, id) => writeFileSync(trial(d, id), '{"schemaVersion": 1, "trialId": "'), 'not valid JSON'],
  'a trace path leading out of the folder': [
    (d, id) => editTrial(d, id, (t) => (t.tracePath = '../../../../etc/passwd')),
    'tracePath "../../../../etc/passwd" is not this trial\'s trace file',
  ],
  'a named pipe in trials/': [(d) => execFileSync('mkfifo', [join(d, 'trials', 'pipe.json')]), 'trials/pipe.json: is a named pipe (FIFO), not a regular file'],
  'a symbolic link to a secret': [
    (d, id) => {
      rmSync(trial(d, id));
      symlinkSync('/etc/hostname', trial(d, id));
    },
    'is a symbolic link, not a regular file',
  ],
  'a file name with terminal escapes': [
    (d) => writeFileSync(join(d, 'trials', 'x\u001b[2J\u001b[31m.json'), '{}'),
    'trials/x\\x1b[2J\\x1b[31m.json: is not a trial result',
  ],
  'progress counts edited': [
    (d) =>
      editManifest(d, (m) => {
        m.progress.ok = 3;
        m.progress.failed = 1;
      }),
    'holds 4 ok, 0 failed, 0 invalid and 0 unsupported trial results, but manifest.json counts 3 ok, 1 failed',
  ],
  'a recorded trial hash edited': [
    (d, id) => editManifest(d, (m) => (m.integrity!.files[`trials/${id}.json`] = '0'.repeat(64))),
    'changed since greenrt wrote it',
  ],
  'plan ids duplicated': [
    (d) =>
      editManifest(d, (m) => {
        m.plan.trialIds[1] = m.plan.trialIds[0]!;
      }),
    'the plan lists a trial id twice',
  ],
  'manifest truncated': [
    (d) => writeFileSync(join(d, 'manifest.json'), readFileSync(join(d, 'manifest.json'), 'utf8').slice(0, 200)),
    'manifest.json: is not valid JSON',
  ],
  'manifest nested 100 000 deep': [
    (d) => writeFileSync(join(d, 'manifest.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    'manifest.json: nests deeper than 64 levels',
  ],
  'manifest is a named pipe': [
    (d) => {
      rmSync(join(d, 'manifest.json'));
      execFileSync('mkfifo', [join(d, 'manifest.json')]);
    },
    'manifest.json: is a named pipe (FIFO), not a regular file',
  ],
};

describe('tampered run folders (real CLI)', () => {
  let root: string;
  let good: string;
  let first: string;
  let n = 0;

  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-tamper-');
    const experiment = writeExperiment(join(root, 'exp'), { name: 'tamper', batchSizes: [1, 2], repetitions: 2 });
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'artifacts')]);
    expect(r.code, r.stderr).toBe(0);
    good = runDirIn(join(root, 'artifacts'))!;
    first = readJson<RunManifest>(join(good, 'manifest.json')).plan.trialIds[0]!;
  }, 180_000);

  const copy = (damage?: Damage) => {
    const dir = join(root, `copy-${n++}`);
    cpSync(good, dir, { recursive: true });
    damage?.(dir, first);
    return dir;
  };

  it('an intact run verifies (exit 0), and still does after `greenrt report` re-renders it', async () => {
    const dir = copy();
    const v = await runCli(['verify', dir]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(
      /^Run tamper-\S+ \(completed\): intact\. 4 trial results of 4 planned, each planned once, of this run and with the configuration its id names; 10 files match the SHA-256 recorded in manifest\.json\.$/m,
    );
    expect((await runCli(['report', dir])).code).toBe(0);
    expect((await runCli(['verify', dir])).code).toBe(0);
  });

  for (const [name, [damage, ...words]] of Object.entries(corpus)) {
    it(`${name}: verify exit 4 naming it; report and --resume exit 2 and change nothing`, async () => {
      const dir = copy(damage);
      const before = snapshot(dir);
      const v = await runCli(['verify', dir], { timeoutMs: 20_000 });
      expect(v.code, v.stdout + v.stderr).toBe(4);
      expect(v.stdout).toContain('does NOT verify');
      for (const w of words) expect(v.stdout).toContain(w.replace('$ID', first));
      expect(v.stdout).not.toMatch(/\u001b/);
      for (const args of [
        ['report', dir],
        ['run', '--resume', dir, '--artifacts', join(root, 'artifacts')],
      ]) {
        const r = await runCli(args, { timeoutMs: 20_000 });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`Cannot open run ${dir}: it is damaged`);
        expect(r.stderr).toContain(words[0]!.replace('$ID', first));
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stderr).not.toMatch(/\u001b/);
      }
      // Nothing rewritten: the same entries, the same bytes.
      expect(snapshot(dir)).toEqual(before);
    }, 60_000);
  }

  it('compare refuses a tampered run B (exit 2) and names the file', async () => {
    const dir = copy(corpus['a latency edited']![0]);
    const r = await runCli(['compare', good, dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir} /trials/${first}.json: changed since greenrt wrote it`);
  });

  it('a report file edited by hand: verify exit 4; report replaces it and the run verifies again', async () => {
    const dir = copy((d) => writeFileSync(join(d, 'report.md'), '# greenrt report: every runtime uses 0 J\n'));
    const v = await runCli(['verify', dir]);
    expect(v.code).toBe(4);
    expect(v.stdout).toContain('report.md: changed since greenrt wrote it');
    expect((await runCli(['report', dir])).code).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# greenrt report: tamper');
    expect((await runCli(['verify', dir])).code).toBe(0);
  });

  it('an older run without hashes whose trials shrank: report refuses to replace a report with less data', async () => {
    const dir = copy((d) => {
      const ids = readJson<RunManifest>(join(d, 'manifest.json')).plan.trialIds;
      for (const id of ids.slice(2)) rmSync(trial(d, id));
      editManifest(d, (m) => {
        delete m.integrity;
        m.status = 'interrupted';
        m.progress = { ...m.progress, ok: 2, pending: 2 };
      });
    });
    const csv = readFileSync(join(dir, 'results.csv'));
    const v = await runCli(['verify', dir]);
    expect(v.code).toBe(4);
    expect(v.stdout).toContain('Incomplete: 2 of 4 planned trials have no result (status interrupted)');
    expect(v.stdout).toContain('The manifest records no file hashes');
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the current report covers 4 trials, but only 2 trial results are in trials/; the report was left as it is');
    expect(readFileSync(join(dir, 'results.csv')).equals(csv)).toBe(true);
  });

  it('a manifest pointing --resume at a secret file: refused without quoting the file', async () => {
    const secret = join(root, 'secret.yaml');
    writeFileSync(secret, 'password: hunter2-do-not-print\n');
    const dir = copy((d) =>
      editManifest(d, (m) => {
        m.status = 'interrupted';
        m.experiment.file = secret;
      }),
    );
    const r = await runCli(['run', '--resume', dir, '--artifacts', join(root, 'artifacts')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('changed since the run started (SHA-256 differs)');
    expect(r.stderr + r.stdout).not.toContain('hunter2');
  });

  it('not a run folder: verify exit 2 (no folder, a file, a folder without manifest.json)', async () => {
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'a-file'), 'x');
    for (const [path, why] of [
      [join(root, 'absent'), 'no such folder'],
      [join(root, 'a-file'), 'it is a regular file'],
      [join(root, 'empty'), 'no manifest.json in this folder'],
    ] as const) {
      const r = await runCli(['verify', path]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`not a run folder (${why})`);
    }
  });

  it('the limit of the tamper model: a forger who edits a trial and recomputes its hash in the manifest passes verify', async () => {
    const dir = copy((d, id) => {
      editTrial(d, id, (t) => (t.timing.latenciesMs = t.timing.latenciesMs.map((x) => x / 2)));
      editManifest(d, (m) => (m.integrity!.files[`trials/${id}.json`] = sha256Hex(readFileSync(trial(d, id)))));
    });
    // Documented in docs/RELIABILITY.md ("Tamper model"): hashes in the same folder detect accidents and careless edits, not a forger.
    expect((await runCli(['verify', dir])).code).toBe(0);
    expect(readdirSync(join(dir, 'trials'))).toHaveLength(4);
  });

  it('the corpus has the size the reliability doc states', () => {
    expect(Object.keys(corpus)).toHaveLength(24);
    expect(existsSync(good)).toBe(true);
  });
});
