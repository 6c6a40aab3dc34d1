import { relative } from 'node:path';
import { parseClaimsYaml } from '../analysis/index.js';
import { claimsFileOf, type LoadedExperiment, maxDocumentBytes } from '../config/index.js';
import type { Contracts } from '../contracts/index.js';
import { InputError, InputFileProblem, readInputFile } from '../core/index.js';

/**
 * The claims file an experiment names (`claims:`), read and checked like the experiment itself before a run
 * starts: a mistake in it is exit 2 now, not a report warning hours later. Returns how many claims it holds;
 * null when the experiment names none (the default file is read in the report only, as it always was).
 */
export async function checkNamedClaims(loaded: LoadedExperiment, contracts: Contracts): Promise<number | null> {
  const claims = loaded.spec.claims;
  if (typeof claims !== 'string') return null;
  const file = claimsFileOf(loaded.file, claims)!;
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, maxDocumentBytes);
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    const experiment = relative(process.cwd(), loaded.file) || loaded.file;
    throw new InputError(`Experiment ${experiment} names a claims file that cannot be read`, [
      { file: experiment, path: '/claims', message: `claims file "${claims}" ${error.reason}`, hint: 'Fix "claims" or restore the file.' },
    ]);
  }
  return parseClaimsYaml(bytes.toString('utf8'), relative(process.cwd(), file) || file, contracts).claims.length;
}
