import { readFileSync, readdirSync } from 'node:fs';

/**
 * Synchronous reads of sysfs files (powercap, hwmon). Synchronous on purpose: a sysfs read never
 * waits on a disk, and reading inline lets the sampler timestamp each value to a few µs.
 */
export interface SysfsReader {
  /** File contents (throws an error with `code` EACCES/ENOENT like node:fs). */
  readFile(path: string): string;
  /** Entry names of a folder (throws like node:fs). */
  readDir(path: string): string[];
}

export const nodeSysfsReader: SysfsReader = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readDir: (path) => readdirSync(path),
};

/** Result of one nvidia-smi invocation. */
export interface CommandResult {
  /** Exit code; null when it did not start or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not start (e.g. 'ENOENT'), null when it started. */
  spawnError: string | null;
}

/** A long-lived nvidia-smi child that streams lines. */
export interface LineStream {
  /** Stops the child and resolves once it has exited. */
  stop(): Promise<void>;
  /** Resolves when the child exits on its own or after stop(). */
  readonly exited: Promise<CommandResult>;
}

/** Runs nvidia-smi: one-shot queries, and the streaming `-lms` loop. */
export interface NvidiaSmiPort {
  run(args: string[], timeoutMs: number): Promise<CommandResult>;
  /** Starts a child; `onLines` gets the complete lines of each stdout chunk, as they arrive. */
  stream(args: string[], onLines: (lines: string[]) => void): LineStream;
}

/** The real port over execa; `binary` defaults to 'nvidia-smi' on PATH. */
export function execaNvidiaSmi(binary = 'nvidia-smi'): NvidiaSmiPort {
  return {
    async run(args, timeoutMs) {
      const { execa } = await import('execa');
      const r = await execa(binary, args, { reject: false, timeout: timeoutMs, stripFinalNewline: false });
      const spawnError = typeof r.code === 'string' && r.exitCode === undefined ? r.code : null;
      return { exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), spawnError };
    },
    stream(args, onLines) {
      let stopping = false;
      // Replaced by a real kill once the child exists; before that, stop() only marks the intent.
      let stopHandle = () => {
        stopping = true;
      };
      let resolveExit!: (r: CommandResult) => void;
      const exited = new Promise<CommandResult>((resolve) => (resolveExit = resolve));
      void import('execa')
        .then(({ execa }) => {
          const child = execa(binary, args, { buffer: false, reject: false, stdin: 'ignore' });
          let partial = '';
          let stderrTail = '';
          child.stdout?.setEncoding('utf8');
          child.stdout?.on('data', (chunk: string) => {
            const text = partial + chunk;
            const lines = text.split('\n');
            partial = lines.pop() ?? '';
            const complete = lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
            if (complete.length === 0) return;
            try {
              onLines(complete);
            } catch {
              // A parsing bug must not crash the process from inside a stream event.
            }
          });
          child.stderr?.setEncoding('utf8');
          child.stderr?.on('data', (chunk: string) => (stderrTail = (stderrTail + chunk).slice(-2000)));
          stopHandle = () => {
            stopping = true;
            child.kill('SIGTERM');
          };
          void child.then((r) => {
            const spawnError = typeof r.code === 'string' && r.exitCode === undefined && !stopping ? r.code : null;
            resolveExit({ exitCode: r.exitCode ?? null, stdout: '', stderr: stderrTail, spawnError });
          });
          if (stopping) stopHandle();
        })
        .catch((e: unknown) => resolveExit({ exitCode: null, stdout: '', stderr: String(e), spawnError: 'EIMPORT' }));
      return {
        exited,
        async stop() {
          stopHandle();
          await exited;
        },
      };
    },
  };
}
