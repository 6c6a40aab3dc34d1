/**
 * core: typed errors and exit codes, ports (Clock, Progress), hashing/ids, logger, the seeded PRNG (mulberry32).
 * `escapeText`/`escapeLines`: the one escaping rule (controls made visible, length capped) for text from files.
 * `bashScript`/`shellQuote`/`sbatchDirective`: the one way a value enters a generated script (quoted or refused).
 * `runCommand(cmd, args, use)`: an external command; missing or failing is EnvironmentError (exit 3) naming it.
 * `readInputFile(path, maxBytes)`: reads only regular files (FIFOs and devices refused without blocking), bounded;
 * `nestsDeeperThan(value, maxDepth)`: an iterative nesting check.
 * Times: `*Ms` milliseconds, `*Ns` nanoseconds (bigint or decimal strings on disk).
 */
export * from './errors.js';
export * from './ports.js';
export * from './hashing.js';
export * from './logger.js';
export * from './prng.js';
export * from './escape-text.js';
export * from './read-input-file.js';
export * from './shell-script.js';
export * from './external-command.js';
export * from './find-on-path.js';
