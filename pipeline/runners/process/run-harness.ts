import { execa } from 'execa';
import { EnvironmentError } from '../../core/index.js';
import { tailLines } from '../../docker/index.js';
import { writeFileAtomic } from '../../results/index.js';

/** How one harness process ended. */
export interface HarnessRun {
  /** Exit code; null when killed by a signal (our timeout). */
  exitCode: number | null;
  timedOut: boolean;
  logTail: string;
  startedNs: bigint;
  endedNs: bigint;
  pid: number | undefined;
}

export interface RunHarnessOptions {
  python: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  logPath: string;
  tailLineCount?: number;
  onStart?(monotonicNs: bigint): void;
  signal?: AbortSignal;
}

/**
 * Runs `python -m greenrt_harness ...` in its own process group, so a timeout or an abort kills
 * the harness and every process it started (framework worker pools included).
 */
export async function runHarness(options: RunHarnessOptions): Promise<HarnessRun> {
  options.signal?.throwIfAborted();
  const startedNs = process.hrtime.bigint();
  options.onStart?.(startedNs);
  const child = execa(options.python, options.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    detached: true, // own process group: kill(-pid) reaches grandchildren
    stdin: 'ignore',
    all: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
  });
  let timedOut = false;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  const onAbort = () => killGroup();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const result = await child;
  const endedNs = process.hrtime.bigint();
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  const code = (result as { code?: string }).code;
  if (code === 'ENOENT' || (result.failed && result.exitCode === undefined && result.signal === undefined && !timedOut)) {
    throw new EnvironmentError(
      'E_PYTHON_MISSING',
      `Process runner: cannot start ${options.python}: ${result.shortMessage ?? code}. Install Python 3 or set GREENRT_PYTHON to the interpreter.`,
      {
        hint: 'export GREENRT_PYTHON=/path/to/python3',
        cause: result,
      },
    );
  }
  if (options.signal?.aborted) throw options.signal.reason;
  const all = typeof result.all === 'string' ? result.all : '';
  await writeFileAtomic(options.logPath, all);
  return {
    exitCode: result.exitCode ?? null,
    timedOut,
    logTail: tailLines(all, options.tailLineCount ?? 50),
    startedNs,
    endedNs,
    pid: child.pid,
  };
}
