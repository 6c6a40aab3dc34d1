import { ExitCode } from '../core/index.js';

/**
 * Write errors on stdout/stderr (a closed pipe, a full disk behind a redirect) become a clear line
 * and an exit code instead of an unhandled 'error' event with a stack trace.
 * EPIPE: whoever read the output went away (`greenrt ... | head -1`): the rest is dropped quietly and
 * the command keeps its own exit code. Anything else (ENOSPC, EIO): one line on stderr (if it still
 * works) and exit 3 (the environment, not the input, failed).
 */
export function guardOutputStreams(): { failureExitCode(): number | null } {
  let failure: number | null = null;
  const guard = (stream: NodeJS.WriteStream, name: string) => {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      if (failure !== null) return;
      failure = ExitCode.missingEnvironment;
      const why = error.code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : `${error.code ?? error.message}`;
      if (stream !== process.stderr) {
        try {
          process.stderr.write(`greenrt: cannot write ${name}: ${why}. The output is incomplete; redirect it to a file system with free space.\n`);
        } catch {
          // stderr is gone too: the exit code still says it.
        }
      }
    });
  };
  if (process.stdout.listenerCount('error') === 0) guard(process.stdout, 'standard output');
  if (process.stderr.listenerCount('error') === 0) guard(process.stderr, 'standard error');
  return { failureExitCode: () => failure };
}
