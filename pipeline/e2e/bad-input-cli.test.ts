/**
 * Bad input through the real CLI: every file of the config corpus (pipeline/config/fixtures) and
 * a few more (pipeline/e2e/fixtures), enormous matrices, bad command lines and damaged run folders.
 * Each gets a precise message and exit 2 (3 where the host, not the input, is at fault), and
 * nothing is written: the artifacts folder is never created.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { ensureCliBuilt, filesUnder, runCli, runDirIn, startCli, trialFiles, waitFor, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const configFixtures = join(packageRoot, 'pipeline', 'config', 'fixtures');
const e2eFixtures = join(packageRoot, 'pipeline', 'e2e', 'fixtures');

/** Per file: problem count, then the first problem as `<file>:<line> <path>: ` and words of its message. */
const corpus: Record<string, [count: number, where: string, ...words: string[]]> = {
  'alias-bomb.yaml': [1, ':1 /', 'too many YAML aliases'],
  'bad-numbers.yaml': [6, ':6 /models/1', '"resnet50" is listed twice'],
  'duplicate-keys.yaml': [2, ':6 /runtimes/0/name', 'duplicate key "name"'],
  'empty.yaml': [1, ':1 /', 'file is empty'],
  'impossible-combinations.yaml': [6, ':5 /runtimes/0/providers/1', 'runtime "pytorch" only supports providers "cpu", "cuda", not "tensorrt"'],
  'many-problems.yaml': [6, ':6 /runtimes/0/providers/1', 'runtime "tensorflow" only supports providers "cpu", "cuda", not "tensorrt"'],
  'missing-fields.yaml': [6, ':1 /models', 'missing required key "models"'],
  'multiple-documents.yaml': [1, ':3 /', 'a second YAML document starts here (a `---` line)'],
  'tab-indented.yaml': [3, ':4 /', 'this line is indented with a tab: YAML indents with spaces only'],
  'merge-key.yaml': [3, ':3 /common', 'unknown key "common"'],
  'not-a-mapping.yaml': [1, ':1 /', 'must be a mapping, got a list'],
  'not-utf8.yaml': [1, ':3 /', 'not valid UTF-8'],
  'only-comments.yaml': [1, ':1 /', 'file is empty'],
  'prebuilt-problems.yaml': [7, ':15 /prebuiltModels/0/path', '"../../../package.json" leads outside the experiment\'s folder'],
  'syntax-error.yaml': [1, ':6 /models', 'YAML syntax error'],
  'unknown-keys.yaml': [4, ':4 /runtimes/0/providers', 'missing required key "providers"'],
  'unknown-names.yaml': [5, ':5 /runtimes/0/providers/1', 'unknown execution provider "tensorrtt"', 'Did you mean "tensorrt"?'],
  'wrong-types.yaml': [10, ':1 /schemaVersion', '"schemaVersion" must be 1, got 2'],
};
const extraCorpus: Record<string, [count: number, where: string, ...words: string[]]> = {
  'name-traversal.yaml': [1, ':3 /name', 'got "../../../tmp/escaped"'],
  'absolute-name.yaml': [1, ':3 /name', 'got "/etc/cron.d/greenrt"'],
  'missing-claims.yaml': [1, ':13 /claims', 'claims file "lab/absent.claims.yaml" does not exist'],
};

describe('bad input through `greenrt run`: exit 2, a precise message, nothing written', () => {
  let root: string;
  let artifacts: string;

  beforeAll(() => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-badinput-');
    artifacts = join(root, 'artifacts');
  }, 180_000);

  it('the config corpus covers every fixture file except the valid one', () => {
    const files = readdirSync(configFixtures).filter((n) => n.endsWith('.yaml') && n !== 'good.yaml');
    expect(files.sort()).toEqual(Object.keys(corpus).sort());
  });

  const cases = [
    ...Object.entries(corpus).map(([name, expected]) => [join(configFixtures, name), expected] as const),
    ...Object.entries(extraCorpus).map(([name, expected]) => [join(e2eFixtures, name), expected] as const),
  ];
  for (const [file, [count, where, ...words]] of cases) {
    it(`${relative(packageRoot, file)}: ${count} problem(s), first at ${where}`, async () => {
      const r = await runCli(['run', file, '--artifacts', artifacts]);
      expect(r.code, r.stderr).toBe(2);
      const shown = relative(packageRoot, file);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`Experiment ${shown} is not valid (${count} problem${count === 1 ? '' : 's'}):`);
      const problems = lines.slice(1, -1);
      expect(problems).toHaveLength(count);
      for (const p of problems) expect(p).toMatch(new RegExp(`^  ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ /`));
      expect(problems[0]!.startsWith(`  ${shown}${where}: `)).toBe(true);
      for (const w of words) expect(problems[0]).toContain(w);
      expect(lines.at(-1)).toBe('Nothing was written.');
      expect(r.stdout).toBe('');
      expect(existsSync(artifacts)).toBe(false);
    });
  }

  it('the claims file an experiment names is read at load: a broken one is exit 2 naming its lines, nothing written; validate counts a good one', async () => {
    const folder = join(root, 'named-claims');
    mkdirSync(folder);
    const experiment = join(folder, 'lab.yaml');
    writeFileSync(experiment, readFileSync(join(e2eFixtures, 'missing-claims.yaml'), 'utf8').replace('lab/absent.claims.yaml', 'lab.claims.yaml'));
    writeFileSync(join(folder, 'lab.claims.yaml'), 'schemaVersion: 1\nclaims: [ {id: X\n');
    const broken = await runCli(['run', experiment, '--artifacts', artifacts]);
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.stderr).toMatch(/^Claims file .*lab\.claims\.yaml is not valid/m);
    expect(broken.stderr).toMatch(/lab\.claims\.yaml:3 \/: YAML syntax error/);
    expect(broken.stderr.trimEnd().split('\n').at(-1)).toBe('Nothing was written.');
    expect(existsSync(artifacts)).toBe(false);
    cpSync(join(packageRoot, 'experiments', 'paper.claims.yaml'), join(folder, 'lab.claims.yaml'));
    const good = await runCli(['validate', experiment]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('claims: 12 in lab.claims.yaml, evaluated in the report.');
  });

  it('a file over 1 MiB is refused before parsing', async () => {
    const file = join(root, 'huge-file.yaml');
    writeFileSync(file, `schemaVersion: 1\nname: big\ndescription: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const r = await runCli(['run', file, '--artifacts', artifacts]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/file is \d+ bytes, more than the 1048576 bytes/);
    expect(existsSync(artifacts)).toBe(false);
  });

  it('bad command lines: missing file, a folder, both file and --resume, an unknown option', async () => {
    const missing = await runCli(['run', join(root, 'absent.yaml'), '--artifacts', artifacts]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('experiment file does not exist');
    const folder = await runCli(['run', root, '--artifacts', artifacts]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('experiment file is a folder, not a regular file');
    const both = await runCli(['run', join(configFixtures, 'good.yaml'), '--resume', root, '--artifacts', artifacts]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give either an experiment file or --resume <runDir>, not both');
    const option = await runCli(['run', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--bogus'");
    expect(existsSync(artifacts)).toBe(false);
  });

  it('images build with an unknown runtime or flavour: exit 2 before Docker is contacted', async () => {
    const runtime = await runCli(['images', 'build', 'caffe']);
    expect(runtime.code).toBe(2);
    expect(runtime.stderr).toContain('unknown runtime "caffe"; must be one of pytorch, tensorflow, mxnet, onnxruntime');
    const flavour = await runCli(['images', 'build', '--flavour', 'rocm']);
    expect(flavour.code).toBe(2);
    expect(flavour.stderr).toContain("'rocm' is invalid");
  });
});

describe('enormous matrices: the trial count and the estimated duration, then --yes', () => {
  let root: string;
  beforeAll(() => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-huge-');
  }, 180_000);

  it('too many trials: exit 2 with the count and the estimate; nothing written', async () => {
    const experiment = writeExperiment(join(root, 'many'), { name: 'many', batchSizes: [1, 2, 3, 4, 5, 6, 7, 8], repetitions: 100 });
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'many', 'artifacts')], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^Experiment "many" is large \(800 trials, estimated [\d.]+ (s|min|h)\): more than 500 trials\. Pass --yes to run it anyway\.$/m);
    expect(r.stderr).toContain(`  ${relative(packageRoot, experiment)} /: the plan has 800 trials`);
    expect(r.stderr).toContain('Pass --yes to confirm, or reduce repetitions, batchSizes, models, providers or runtimes.');
    expect(existsSync(join(root, 'many', 'artifacts'))).toBe(false);
  });

  it('too long: exit 2 naming the estimated duration', async () => {
    // The estimate caps each trial at its timeout, so a long run needs a long timeout too.
    const experiment = writeExperiment(join(root, 'long'), {
      name: 'long',
      batchSizes: [64],
      repetitions: 2,
      measuredIterations: 1_000_000,
      extra: 'trialTimeoutS: 86400',
    });
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'long', 'artifacts')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is large \(2 trials, estimated [\d.]+ h\): longer than 24\.0 h/);
    expect(existsSync(join(root, 'long', 'artifacts'))).toBe(false);
  });

  it('with --yes the same matrix starts (stopped here after its first trial)', async () => {
    const experiment = writeExperiment(join(root, 'yes'), { name: 'yes', batchSizes: [1, 2, 3, 4, 5, 6, 7, 8], repetitions: 100 });
    const artifacts = join(root, 'yes', 'artifacts');
    const run = startCli(['run', experiment, '--artifacts', artifacts, '--yes']);
    await waitFor(
      'the first trial of the confirmed run',
      () => {
        const dir = runDirIn(artifacts);
        return dir !== undefined && trialFiles(dir).length > 0;
      },
      60_000,
    );
    run.child.kill('SIGINT');
    const r = await run.exited;
    expect(r.stderr).toMatch(/^Run yes-\S+: 800 trials -> /m);
    expect(r.code).toBe(130);
  }, 90_000);
});

describe('damaged run folders given to --resume', () => {
  let root: string;
  let good: string;
  let artifacts: string;

  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-badrun-');
    artifacts = join(root, 'artifacts');
    const experiment = writeExperiment(join(root, 'exp'), { name: 'damaged', repetitions: 2 });
    const r = await runCli(['run', experiment, '--artifacts', artifacts]);
    expect(r.code, r.stderr).toBe(0);
    good = runDirIn(artifacts)!;
  }, 180_000);

  /** A copy of the finished run, changed by `damage`; returns its folder and file list. */
  const damagedCopy = (name: string, damage: (dir: string) => void) => {
    const dir = join(root, name);
    cpSync(good, dir, { recursive: true });
    damage(dir);
    return { dir, files: filesUnder(dir) };
  };

  it('a folder without manifest.json: exit 2', async () => {
    const r = await runCli(['run', '--resume', root, '--artifacts', artifacts]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no manifest.json in this folder');
  });

  it('a truncated manifest: exit 2 "not valid JSON", nothing touched (not even temp files)', async () => {
    const { dir, files } = damagedCopy('truncated', (d) => {
      const text = readFileSync(join(d, 'manifest.json'), 'utf8');
      writeFileSync(join(d, 'manifest.json'), text.slice(0, text.length / 2));
      writeFileSync(join(d, 'trials', '.leftover.json.abc.tmp'), '{');
    });
    const r = await runCli(['run', '--resume', dir, '--artifacts', artifacts]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`Cannot open run ${dir}`);
    expect(r.stderr).toContain(`${dir} /manifest.json: is not valid JSON`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(filesUnder(dir)).toEqual(files);
  });

  it('a manifest that does not match its schema: exit 2 naming the fields', async () => {
    const { dir } = damagedCopy('schema', (d) => {
      const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      delete manifest.plan;
      manifest.status = 'exploded';
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
    });
    const r = await runCli(['run', '--resume', dir, '--artifacts', artifacts]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${dir} /manifest.json: does not match the run manifest schema`);
    expect(r.stderr).toMatch(/\/plan|\/status/);
  });

  it('a corrupt trial result: exit 2 naming the file and the fix; nothing touched', async () => {
    let name = '';
    const { dir, files } = damagedCopy('corrupt-trial', (d) => {
      name = readdirSync(join(d, 'trials'))[0]!;
      writeFileSync(join(d, 'trials', name), '{"schemaVersion": 1, "trialId": ');
    });
    const before = readFileSync(join(dir, 'manifest.json'));
    const r = await runCli(['run', '--resume', dir, '--artifacts', artifacts]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${dir} /trials/${name}: not valid JSON`);
    expect(r.stderr).toContain('Restore the folder from a copy, or start a new run');
    expect(readFileSync(join(dir, 'manifest.json')).equals(before)).toBe(true);
    expect(filesUnder(dir)).toEqual(files);
  });
});
