/**
 * An adaptive study on a real one-node Slurm cluster (scripts/slurm-up.sh; CI runs it): a study whose decide job is
 * cancelled after round 1 stops there, and `greenrt slurm resubmit --wait` runs the decision and finishes it; the
 * decisions are checked against the one-node rule on the same stored trials (what `greenrt verify` re-computes). The
 * full round-by-round study (`slurm submit experiments/demo-adaptive.yaml --shards 2 --wait`, one shard per node) runs
 * on the two-node cluster: two-node.slurm.test.ts. Skipped with a message when no controller answers, unless
 * GREENRT_REQUIRE_SLURM=1 (CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir.js';
import { ensureCliBuilt, runCli, waitFor } from './e2e-support.js';
import { checkRoundsStudy, adaptiveDemo as experiment, studyOf as study, studyDirOf } from './rounds-support.js';

const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 10_000 });
const slurmUp = ping.status === 0 && /UP/.test(ping.stdout ?? '');
if (!slurmUp && process.env.GREENRT_REQUIRE_SLURM === '1')
  throw new Error('GREENRT_REQUIRE_SLURM=1 but no Slurm controller answers. Start one with: bash scripts/slurm-up.sh');
if (!slurmUp) console.warn('[slurm rounds e2e] skipped: no Slurm controller answers; start a one-node cluster with scripts/slurm-up.sh (root)');

const minutes = 60_000;
let artifacts: string;
const queued = (ids: string[]) => execFileSync('squeue', ['-h', '-r', '-j', ids.join(','), '-o', '%i'], { encoding: 'utf8' }).trim();

describe.skipIf(!slurmUp && process.env.GREENRT_REQUIRE_SLURM !== '1')('an adaptive study round by round on a real Slurm cluster', () => {
  beforeAll(() => {
    ensureCliBuilt();
    artifacts = tempDir('greenrt-slurm-rounds-');
  });

  it(
    'a cancelled decide job stops the study after its round; resubmit runs the decision and the study finishes',
    async () => {
      const r = await runCli(['slurm', 'submit', experiment, '--shards', '2', '--artifacts', artifacts]);
      expect(r.code, r.stderr).toBe(0);
      const dir = studyDirOf(r.stdout);
      const first = study(dir).submissions[0]!;
      execFileSync('scancel', [first.decideJobId!]);
      await waitFor('every job of the study to leave the queue', () => queued([first.arrayJobId!, first.decideJobId!]) === '', 10 * minutes);
      expect(existsSync(join(dir, 'slurm', 'rounds', 'after-round-1.json'))).toBe(false);
      const before = await runCli(['slurm', 'status', dir]);
      expect(before.stdout).toMatch(/round 1 .*estimated rounds left unknown/);
      expect(before.stdout).toMatch(/decide job \d+ +CANCELLED/);
      expect(before.code).toBe(4);
      const again = await runCli(['slurm', 'resubmit', dir, '--wait'], { timeoutMs: 15 * minutes });
      expect(again.stdout).toMatch(/Resubmitted round 1 of .*: shard\(s\) none, array job -, decide job \d+/);
      expect(again.code, again.stderr).toBe(0);
      await checkRoundsStudy(dir, 2);
    },
    25 * minutes,
  );
});
