import { relative, isAbsolute } from 'node:path';
import type { RunManifest } from '../contracts/index.js';
import { InputError } from '../core/index.js';
import type { RunVerification } from './verify-run.js';

/** A run folder as the user would type it: relative to the working directory when inside it. */
export function shownRunDir(runDir: string): string {
  const rel = relative(process.cwd(), runDir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : runDir;
}

/**
 * Throws InputError (exit 2) naming each damaged input file and what is wrong, unless the run's
 * inputs (manifest, trial results, traces) passed `verifyRunFolder`. Report files are outputs:
 * `report` replaces them, so only `verify` counts their discrepancies. `command` is the whole command as the user
 * typed it (`greenrt run --resume`), so the options it names are checked against that command.
 */
export function refuseDamagedRun(v: RunVerification, command: string): asserts v is RunVerification & { manifest: RunManifest } {
  const damaged = v.discrepancies.filter((d) => d.part === 'input');
  if (v.manifest && damaged.length === 0) return;
  const dir = shownRunDir(v.runDir);
  throw new InputError(
    `Cannot open run ${dir}: it is damaged (${damaged.length} problem${damaged.length === 1 ? '' : 's'}), so ${command} changed nothing. ` +
      `Restore the folder from a copy, or start a new run; \`greenrt verify ${dir}\` lists every problem:`,
    damaged.map((d) => ({ file: dir, path: `/${d.file}`, message: d.message })),
  );
}
