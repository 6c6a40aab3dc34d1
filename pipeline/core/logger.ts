import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * A run logger writing JSON lines to `file` (synchronously, so nothing is lost on a crash).
 * Without a file it is silent: on a terminal the progress display speaks to the user.
 */
export function createLogger(options: { file?: string; level?: string } = {}): Logger {
  if (!options.file) return pino({ level: 'silent' });
  const dest = pino.destination({ dest: options.file, mkdir: true, sync: true });
  return pino({ level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

export const silentLogger: Logger = pino({ level: 'silent' });
