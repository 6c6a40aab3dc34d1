/**
 * core: typed errors and exit codes, ports (Clock), hashing/ids, logger, the seeded PRNG (mulberry32).
 * Times: `*Ms` milliseconds, `*Ns` nanoseconds (bigint or decimal strings on disk).
 */
export * from './errors.js';
export * from './ports.js';
export * from './hashing.js';
export * from './logger.js';
export * from './prng.js';
