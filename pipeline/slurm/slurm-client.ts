import { type CommandOutcome, EnvironmentError, findOnPath, runCommand } from '../core/index.js';

const hint =
  'Run greenrt slurm on a Slurm login node (sbatch, squeue and scontrol on PATH, slurmctld answering `scontrol ping`), or start a one-node test cluster with scripts/slurm-up.sh.';
/** squeue/scontrol on jobs the controller has forgotten (finished long ago): an answer ("not in the queue"), not a failure. */
const forgotten = (r: CommandOutcome) => /Invalid job id/i.test(r.stderr);

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
    const r = await runCommand('sbatch', ['--parsable', ...args, script, ...scriptArgs], {
      purpose: 'submit the job',
      hint: 'Check the partition, gres and time limit against `sinfo`, and that slurmctld answers (`scontrol ping`).',
    });
    const id = r.stdout.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) {
      throw new EnvironmentError('E_SBATCH', `sbatch ${args.join(' ')} ${script} printed no job id: ${r.stdout.trim().slice(-300) || '(nothing)'}.`, { hint });
    }
    return id;
  }

  /** Whether a controller answers (`scontrol ping`: a non-zero exit is "down", an answer); exit 3 when scontrol is missing. */
  async ping(): Promise<boolean> {
    const r = await runCommand('scontrol', ['ping'], { purpose: 'reach the Slurm controller', hint, timeoutMs: 10_000, answers: () => true });
    return r.code === 0 && /UP/.test(r.stdout);
  }

  /** EnvironmentError (exit 3) naming each of sbatch, squeue and scontrol that is not on PATH: checked before a study folder is written. */
  async requireCommands(commands: readonly string[] = ['sbatch', 'squeue', 'scontrol']): Promise<void> {
    const missing: string[] = [];
    for (const c of commands) if ((await findOnPath(c)) === null) missing.push(c);
    if (missing.length > 0) {
      throw new EnvironmentError(
        'E_COMMAND_MISSING',
        `Cannot submit: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed on this host (not found on PATH); nothing was written.`,
        { hint },
      );
    }
  }

  /** States of the jobs (array tasks expanded): squeue while queued or running, then scontrol, then sacct. */
  async states(jobIds: string[]): Promise<TaskState[]> {
    const out: TaskState[] = [];
    if (jobIds.length === 0) return out;
    const q = await runCommand('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i|%T|%r'], {
      purpose: "read the study's job states",
      hint,
      answers: forgotten,
    });
    for (const line of q.stdout.split('\n')) {
      const [id, state, reason] = line.trim().split('|');
      if (id && state) out.push({ ...splitId(id), state, reason: reason && reason !== 'None' ? reason : null, from: 'squeue' });
    }
    for (const jobId of jobIds) {
      const s = await runCommand('scontrol', ['-o', 'show', 'job', jobId], { purpose: "read the study's job states", hint, answers: forgotten });
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
    // sacct is optional (accounting may be off or not installed): it only adds states of jobs the others forgot.
    const a = await runCommand('sacct', ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', 'JobID,State'], {
      purpose: 'read finished job states',
      hint,
      answers: () => true,
    }).catch((error: unknown) => {
      if (error instanceof EnvironmentError && error.code === 'E_COMMAND_MISSING') return null;
      throw error;
    });
    if (a?.code === 0) {
      for (const line of a.stdout.split('\n')) {
        const [id, state] = line.trim().split('|');
        if (!id || !state || /\[/.test(id)) continue;
        const t = { ...splitId(id), state: state.split(' ')[0] ?? state, reason: null, from: 'sacct' as const };
        if (!out.some((o) => o.jobId === t.jobId && o.index === t.index)) out.push(t);
      }
    }
    return out;
  }

  /** Cancels a job (scancel). */
  async cancel(jobId: string): Promise<void> {
    await runCommand('scancel', [jobId], { purpose: `cancel job ${jobId}`, hint });
  }

  /** Job ids still queued or running. */
  async active(jobIds: string[]): Promise<string[]> {
    const q = await runCommand('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i'], {
      purpose: 'see which jobs of the study still run',
      hint,
      answers: forgotten,
    });
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
