import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { packageRoot } from '../contracts/index.js';
import { InputFileProblem, readInputFile } from '../core/index.js';
import { isInside } from './prebuilt-models.js';
import { maxDocumentBytes, type Issue } from './yaml-source.js';

/** The claims file a run checks when its experiment names none: the paper's findings. */
export const defaultClaimsFile = resolve(packageRoot, 'experiments', 'paper.claims.yaml');

/**
 * The claims file an experiment asks for, absolute: its `claims` (relative to the experiment file's folder),
 * `defaultClaimsFile` when it has none, null when it says `claims: null` (no claims checked).
 */
export function claimsFileOf(experimentFile: string, claims: string | null | undefined): string | null {
  if (claims === undefined) return defaultClaimsFile;
  return claims === null ? null : resolve(dirname(experimentFile), claims);
}

/**
 * Checks the experiment's `claims` path: inside the experiment's folder (after resolving symlinks), present and a
 * regular file. Its contents are checked where the claims are read (`parseClaimsYaml`). Called only for a
 * `claims` that passed the schema (relative, no `..`, a .claims.yaml name).
 */
export async function claimsPathIssues(data: unknown, baseDir: string): Promise<Issue[]> {
  const claims = data && typeof data === 'object' ? (data as Record<string, unknown>).claims : undefined;
  if (typeof claims !== 'string') return [];
  const fix = `Paths are relative to the experiment's folder ${baseDir}: put the claims file there (or below it) or fix "claims" (remove it to check the paper's claims, null for none).`;
  let real: string;
  try {
    real = await realpath(resolve(baseDir, claims));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `claims file "${claims}" does not exist` : `claims file "${claims}" cannot be read (${code})`;
    return [{ path: '/claims', message, hint: fix }];
  }
  if (!isInside(await realpath(baseDir), real))
    return [{ path: '/claims', message: `claims file "${claims}" leads outside the experiment's folder (through a symbolic link to ${real})`, hint: fix }];
  if (!(await stat(real)).isFile()) return [{ path: '/claims', message: `claims path "${claims}" is not a file`, hint: fix }];
  // Read here, through the safe reader, so an unreadable or oversized file is reported at the line of `claims:`.
  try {
    await readInputFile(real, maxDocumentBytes);
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    return [{ path: '/claims', message: `claims file "${claims}" ${error.reason}`, hint: 'Fix "claims" or the file it names.' }];
  }
  return [];
}
