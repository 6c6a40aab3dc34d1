/**
 * core: typed errors and exit codes, ports (Clock, Progress), hashing/ids, logger, the seeded PRNG (mulberry32).
 * `escapeText`/`escapeLines`: the one escaping rule (controls made visible, length capped) for text from files.
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
