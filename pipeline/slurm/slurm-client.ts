import { execFile } from 'node:child_process';
import { EnvironmentError } from '../core/index.js';

/** One Slurm command's outcome. */
interface Ran {
  stdout: string;
  stderr: string;
  code: number | null;
  missing: boolean;
}

function runTool(cmd: string, args: string[], timeoutMs = 30_000): Promise<Ran> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
      done({ stdout: String(stdout), stderr: String(stderr), code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, missing: e?.code === 'ENOENT' });
    });
  });
}

/** A task's state as Slurm tells it: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ... */
export interface TaskState {
  jobId: string;
  /** Array index, or null for a plain job. */
  index: number | null;
  state: string;
  reason: string | null;
  /** Where the state came from. */
  from: 'squeue' | 'scontrol' | 'sacct';
}

/** The Slurm commands greenrt uses: sbatch, squeue, scontrol, sacct (when accounting is on), scancel. */
export class SlurmClient {
  /** Submits a batch script; returns the job id. */
  async sbatch(script: string, args: string[] = [], scriptArgs: string[] = []): Promise<string> {
    const r = await runTool('sbatch', ['--parsable', ...args, script, ...scriptArgs]);
    if (r.missing) {
      throw new EnvironmentError('E_NO_SLURM', 'Cannot submit: sbatch is not installed on this host.', {
        hint: 'Submit from a Slurm login node, or start a one-node test cluster with scripts/slurm-up.sh.',
      });
    }
    const id = r.stdout.trim().split(';')[0] ?? '';
    if (r.code !== 0 || !/^\d+$/.test(id)) {
      throw new EnvironmentError(
        'E_SBATCH',
        `sbatch ${args.join(' ')} ${script} failed (exit ${r.code}): ${r.stderr.trim().slice(-500) || r.stdout.trim().slice(-500)}.`,
        {
          hint: 'Check the partition, gres and time limit against `sinfo`, and that slurmctld answers (`scontrol ping`).',
        },
      );
    }
    return id;
  }

  /** Whether a controller answers (`scontrol ping`). */
  async ping(): Promise<boolean> {
    const r = await runTool('scontrol', ['ping'], 10_000);
    return r.code === 0 && /UP/.test(r.stdout);
  }

  /** States of the jobs (array tasks expanded): squeue while queued or running, then scontrol, then sacct. */
  async states(jobIds: string[]): Promise<TaskState[]> {
    const out: TaskState[] = [];
    if (jobIds.length === 0) return out;
    const q = await runTool('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i|%T|%r']);
    for (const line of q.stdout.split('\n')) {
      const [id, state, reason] = line.trim().split('|');
      if (id && state) out.push({ ...splitId(id), state, reason: reason && reason !== 'None' ? reason : null, from: 'squeue' });
    }
    for (const jobId of jobIds) {
      const s = await runTool('scontrol', ['-o', 'show', 'job', jobId]);
      for (const line of s.stdout.split('\n')) {
        const state = /\bJobState=(\S+)/.exec(line)?.[1];
        const arrayJob = /\bArrayJobId=(\d+)/.exec(line)?.[1];
        const task = /\bArrayTaskId=(\d+)\b/.exec(line)?.[1];
        const id = /\bJobId=(\d+)/.exec(line)?.[1];
        if (!state || !id) continue;
        const t: TaskState = {
          jobId: arrayJob ?? id,
          index: task !== undefined ? Number(task) : null,
          state,
          reason: /\bReason=(\S+)/.exec(line)?.[1] ?? null,
          from: 'scontrol',
        };
        if (t.reason === 'None') t.reason = null;
        if (!out.some((o) => o.jobId === t.jobId && o.index === t.index)) out.push(t);
      }
    }
    const a = await runTool('sacct', ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', 'JobID,State']);
    if (a.code === 0) {
      for (const line of a.stdout.split('\n')) {
        const [id, state] = line.trim().split('|');
        if (!id || !state || /\[/.test(id)) continue;
        const t = { ...splitId(id), state: state.split(' ')[0] ?? state, reason: null, from: 'sacct' as const };
        if (!out.some((o) => o.jobId === t.jobId && o.index === t.index)) out.push(t);
      }
    }
    return out;
  }

  /** Job ids still queued or running. */
  async active(jobIds: string[]): Promise<string[]> {
    const q = await runTool('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i']);
    return q.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
}

function splitId(id: string): { jobId: string; index: number | null } {
  const m = /^(\d+)_(\d+)$/.exec(id);
  return m ? { jobId: m[1] ?? id, index: Number(m[2]) } : { jobId: id.replace(/_\[.*\]$/, ''), index: null };
}
