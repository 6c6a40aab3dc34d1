import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * A run logger writing JSON lines to `file` (synchronously, so nothing is lost on a crash).
 * Without a file it is silent: on a terminal the progress display speaks to the user.
 * `onError` receives failed writes (ENOSPC, EROFS...) instead of the log call throwing them.
 */
export function createLogger(options: { file?: string; level?: string; onError?: (error: Error) => void } = {}): Logger {
  if (!options.file) return pino({ level: 'silent' });
  const dest = pino.destination({ dest: options.file, mkdir: true, sync: true });
  // Without a listener a failed write (full disk) is thrown from whichever log call hit it.
  if (options.onError) dest.on('error', options.onError);
  return pino({ level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

export const silentLogger: Logger = pino({ level: 'silent' });
