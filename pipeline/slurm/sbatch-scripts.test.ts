import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ScriptValueError } from '../core/index.js';
import { renderMergeScript, renderShardScript, type StudyLayout } from './sbatch-scripts.js';
import { tempDir } from '../testing/temp-dir.js';

let dir: string;
let layout: StudyLayout;
beforeEach(() => {
  dir = tempDir('greenrt-sbatch-');
  // A stand-in for node: prints the greenrt arguments it gets and exits with $FAKE_RC.
  const fakeNode = join(dir, 'fake node');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, ${FAKE_RC:-0} is bash's expansion
  writeFileSync(fakeNode, '#!/bin/bash\nshift\necho "greenrt $*"\nexit "${FAKE_RC:-0}"\n');
  chmodSync(fakeNode, 0o755);
  layout = {
    studyId: 'demo-x-slurm',
    studyDir: join(dir, 'study'),
    experimentFile: join(dir, "it's demo.yaml"),
    shards: 3,
    partition: 'repetition',
    nodeBin: fakeNode,
    greenrtBin: '/opt/greenrt/bin/greenrt.js',
    workDir: dir,
  };
  mkdirSync(join(layout.studyDir, 'shards'), { recursive: true });
});

function runShard(script: string, k: number, env: Record<string, string> = {}) {
  const file = join(dir, 'shard.sbatch');
  writeFileSync(file, script);
  return spawnSync('bash', [file], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: String(k), ...env } });
}

describe('renderShardScript', () => {
  it("loads the study's saved images on the node (--images, quoted) for a new shard and a resumed one", () => {
    const images = join(dir, "the study's images");
    const s = renderShardScript({ ...layout, imagesDir: images }, {});
    const fresh = runShard(s, 1);
    expect(fresh.stdout).toContain(`--images ${images}`);
    mkdirSync(join(layout.studyDir, 'shards', 'demo-x-slurm-shard-2'), { recursive: true });
    writeFileSync(join(layout.studyDir, 'shards', 'demo-x-slurm-shard-2', 'manifest.json'), '{}');
    const resumed = runShard(s, 2);
    expect(resumed.stdout).toMatch(new RegExp(`run --resume .*shard-2 --images ${images.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(renderShardScript(layout, {})).not.toContain('--images');
  });
  it('is a job array over the shards on exclusive nodes, with the resources asked for', () => {
    const s = renderShardScript(layout, { partition: 'gpu', gres: 'gpu:1', time: '04:00:00' });
    for (const d of ['--array=0-2', '--exclusive', '--nodes=1', '--partition=gpu', '--gres=gpu:1', '--time=04:00:00']) expect(s).toContain(`#SBATCH ${d}\n`);
    expect(execFileSync('bash', ['-n', '-c', s]).toString()).toBe('');
    const shared = renderShardScript(layout, { sharedHost: true });
    expect(shared).not.toContain('--exclusive');
    expect(shared).toContain('--shared-host');
  });

  it('starts shard K of N in its own named run folder, and resumes it once it has a manifest', () => {
    const s = renderShardScript(layout, {});
    const fresh = runShard(s, 2);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain(
      `greenrt run ${layout.experimentFile} --shard 2/3 --shard-by repetition --artifacts ${layout.studyDir}/shards --run-id demo-x-slurm-shard-2 --yes`,
    );
    const run = join(layout.studyDir, 'shards', 'demo-x-slurm-shard-2');
    mkdirSync(run);
    writeFileSync(join(run, 'manifest.json'), '{}');
    const again = runShard(s, 2);
    expect(again.stdout).toContain(`greenrt run --resume ${run}`);
  });

  it('counts "some trials failed" (4) as a finished shard, passes any other failure on', () => {
    const s = renderShardScript(layout, {});
    expect(runShard(s, 0, { FAKE_RC: '4' }).status).toBe(0);
    expect(runShard(s, 0, { FAKE_RC: '3' }).status).toBe(3);
    expect(runShard(s, 0, { FAKE_RC: '130' }).status).toBe(130);
  });

  it('refuses to run outside a Slurm array task', () => {
    const file = join(dir, 'x.sbatch');
    writeFileSync(file, renderShardScript(layout, {}));
    const env = { ...process.env };
    delete env.SLURM_ARRAY_TASK_ID;
    const r = spawnSync('bash', [file], { encoding: 'utf8', env });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not run as a Slurm array task/);
  });
});

describe('renderMergeScript', () => {
  it('merges every shard folder into <studyId>-merged', () => {
    const file = join(dir, 'merge.sbatch');
    writeFileSync(file, renderMergeScript(layout, {}));
    const r = spawnSync('bash', [file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const shards = [0, 1, 2].map((k) => `${layout.studyDir}/shards/demo-x-slurm-shard-${k}`).join(' ');
    expect(r.stdout.trim()).toBe(`greenrt merge ${shards} --out ${layout.studyDir}/demo-x-slurm-merged`);
  });
});

describe('hostile paths (docs/RELIABILITY.md, rule 2: every value quoted or refused)', () => {
  const hostile = `a'b"c $(touch PWNED) \`touch PWNED2\` ; rm -rf x & *?[ ] \\ $HOME ~`;

  it('quotes any printable path in the script body: bash -n passes and the script passes it through intact, running nothing else', () => {
    const odd = join(dir, hostile);
    mkdirSync(odd, { recursive: true });
    const l = { ...layout, experimentFile: join(odd, 'e.yaml'), workDir: odd, greenrtBin: join(odd, 'greenrt.js') };
    for (const script of [renderShardScript(l, {}), renderMergeScript(l, {})]) expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
    const r = spawnSync('bash', ['-c', renderShardScript(l, {})], { encoding: 'utf8', cwd: dir, env: { ...process.env, SLURM_ARRAY_TASK_ID: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`greenrt run ${l.experimentFile} --shard 1/3`);
    const m = spawnSync('bash', ['-c', renderMergeScript(l, {})], { encoding: 'utf8', cwd: dir });
    expect(m.status, m.stderr).toBe(0);
    for (const f of ['PWNED', 'PWNED2']) {
      expect(existsSync(join(dir, f))).toBe(false);
      expect(existsSync(join(odd, f))).toBe(false);
    }
  });

  it('a study folder with shell characters (no space, quote, backslash or %) works in the #SBATCH lines and the body', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's ${IFS}, meant literally
    const studyDir = join(dir, 'st;$(touch${IFS}PWNED)&`x`');
    mkdirSync(join(studyDir, 'shards'), { recursive: true });
    const l = { ...layout, studyDir };
    const s = renderShardScript(l, {});
    expect(s).toContain(`#SBATCH --output=${studyDir}/slurm/logs/shard-%a-job-%A.out\n`);
    const r = spawnSync('bash', ['-c', s], { encoding: 'utf8', cwd: dir, env: { ...process.env, SLURM_ARRAY_TASK_ID: '0' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`--artifacts ${studyDir}/shards --run-id demo-x-slurm-shard-0`);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it.each([
    ['a newline', 'study\necho INJECTED', /a newline ends the line/],
    ['a carriage return', 'study\rx', /#SBATCH line/],
    ['a space (ends an #SBATCH value)', 'my study', /#SBATCH line: a space/],
    ['a % (a Slurm filename pattern)', 'study%j', /#SBATCH line/],
    ['a double quote', 'st"udy', /#SBATCH line/],
  ])('refuses a study folder with %s: ScriptValueError naming the rule', (_what, name, rule) => {
    const l = { ...layout, studyDir: join(dir, name) };
    for (const render of [renderShardScript, renderMergeScript]) {
      const error = (() => {
        try {
          render(l, {});
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ScriptValueError);
      expect((error as ScriptValueError).reason).toMatch(rule);
    }
  });

  it('refuses a newline anywhere else too (experiment file, greenrt location)', () => {
    expect(() => renderShardScript({ ...layout, experimentFile: '/x/e.yaml\ntouch /tmp/x' }, {})).toThrow(ScriptValueError);
    expect(() => renderMergeScript({ ...layout, nodeBin: '/usr/bin/node\nid' }, {})).toThrow(ScriptValueError);
  });
});
