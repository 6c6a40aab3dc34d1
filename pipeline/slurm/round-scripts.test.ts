import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir.js';
import { estimateRoundsLeft } from './round-decision.js';
import { renderDecideScript, renderRoundShardScript, renderRoundsMergeScript } from './round-scripts.js';
import type { StudyLayout } from './sbatch-scripts.js';

let dir: string;
let layout: StudyLayout;
beforeEach(() => {
  dir = tempDir('greenrt-round-scripts-');
  // A stand-in for node: prints the greenrt arguments it gets and exits with $FAKE_RC.
  const fakeNode = join(dir, 'fake node');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, ${FAKE_RC:-0} is bash's expansion
  writeFileSync(fakeNode, '#!/bin/bash\nshift\necho "greenrt $*"\nexit "${FAKE_RC:-0}"\n');
  chmodSync(fakeNode, 0o755);
  layout = {
    studyId: 'demo-x-slurm',
    // A study folder Slurm can name in an #SBATCH line (no space or quote: refused, see sbatch-scripts.test); shell characters are fine.
    studyDir: join(dir, 'study;$x&(y)'),
    experimentFile: join(dir, 'demo.yaml'),
    shards: 2,
    partition: 'rotation',
    nodeBin: fakeNode,
    greenrtBin: '/opt/greenrt/bin/greenrt.js',
    workDir: dir,
  };
  mkdirSync(join(layout.studyDir, 'shards'), { recursive: true });
});

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const file = join(dir, 'job.sbatch');
  writeFileSync(file, script);
  return spawnSync('bash', [file, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('round job scripts', () => {
  it('a round shard runs `slurm shard` for its round and task, resumes its folder once it has a manifest, counts exit 4 as done', () => {
    const s = renderRoundShardScript(layout, { gres: 'gpu:1' });
    expect(execFileSync('bash', ['-n', '-c', s]).toString()).toBe('');
    for (const d of ['--exclusive', '--gres=gpu:1', '--nodes=1']) expect(s).toContain(`#SBATCH ${d}\n`);
    expect(s).not.toContain('--array'); // given per round at submission
    const fresh = run(s, ['3'], { SLURM_ARRAY_TASK_ID: '1' });
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain(`greenrt slurm shard ${layout.studyDir} --round 3 --shard 1`);
    const folder = join(layout.studyDir, 'shards', 'demo-x-slurm-round-3-shard-1');
    mkdirSync(folder);
    writeFileSync(join(folder, 'manifest.json'), '{}');
    expect(run(s, ['3'], { SLURM_ARRAY_TASK_ID: '1' }).stdout).toContain(`greenrt run --resume ${folder}`);
    expect(run(s, ['3'], { SLURM_ARRAY_TASK_ID: '1', FAKE_RC: '4' }).status).toBe(0);
    expect(run(s, ['3'], { SLURM_ARRAY_TASK_ID: '1', FAKE_RC: '3' }).status).toBe(3);
    expect(run(s, ['3;rm'], { SLURM_ARRAY_TASK_ID: '1' }).status).toBe(2);
    expect(run(s, [], { SLURM_ARRAY_TASK_ID: '1' }).status).not.toBe(0);
  });

  it('the decide job decides after its round; the merge job merges every round shard folder', () => {
    const decide = run(renderDecideScript(layout, {}), ['2']);
    expect(decide.stdout.trim()).toBe(`greenrt slurm decide ${layout.studyDir} --after-round 2`);
    for (const n of ['demo-x-slurm-round-1-shard-0', 'demo-x-slurm-round-1-shard-1', 'demo-x-slurm-round-2-shard-1', 'other-round-1-shard-0'])
      mkdirSync(join(layout.studyDir, 'shards', n));
    const merge = run(renderRoundsMergeScript(layout, {}), []);
    const shards = join(layout.studyDir, 'shards');
    expect(merge.stdout.trim()).toBe(
      `greenrt merge ${shards}/demo-x-slurm-round-1-shard-0 ${shards}/demo-x-slurm-round-1-shard-1 ${shards}/demo-x-slurm-round-2-shard-1 --out ${layout.studyDir}/demo-x-slurm-merged`,
    );
  });
});

describe('estimateRoundsLeft', () => {
  const c = (trials: number, relativeHalfWidth: number | null, outcome: 'extend' | 'met' | 'max' | 'unmeasurable') => ({
    configuration: `c${trials}${outcome}`,
    trials,
    okTrials: trials,
    metric: 'latency' as const,
    relativeHalfWidth,
    outcome,
  });
  const rule = { max: 10, precision: { relativeHalfWidth: 0.02 } };
  it('is 0 when every configuration stopped, at least 1 and at most max - trials for an open one', () => {
    expect(estimateRoundsLeft(rule, [c(3, 0.01, 'met'), c(10, 0.05, 'max')])).toBe(0);
    // 4 trials at 0.03: about 4 * (0.03 / 0.02)^2 = 9 trials, 5 more.
    expect(estimateRoundsLeft(rule, [c(4, 0.03, 'extend'), c(3, 0.01, 'met')])).toBe(5);
    expect(estimateRoundsLeft(rule, [c(4, 0.021, 'extend')])).toBe(1);
    expect(estimateRoundsLeft(rule, [c(4, 0.5, 'extend')])).toBe(6);
  });
});
