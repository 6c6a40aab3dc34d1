import type { Contracts, RunManifest } from '../contracts/index.js';
import { EnvironmentError, escapeText, InputError, InputFileProblem, readInputFile, sha256Hex } from '../core/index.js';
import { loadExperiment, maxDocumentBytes, type LoadedExperiment } from '../config/index.js';

/**
 * The experiment file a resumed run's manifest names, loaded only when its bytes still have the
 * recorded SHA-256. The manifest may come from someone else: nothing of a file it points at is quoted
 * back (no YAML problem that would echo its lines), only whether it can be read and matches.
 */
export async function loadResumedExperiment(manifest: RunManifest, runDir: string, contracts: Contracts): Promise<LoadedExperiment> {
  const file = manifest.experiment.file;
  const shown = escapeText(file, 300);
  let bytes: Buffer;
  try {
    bytes = await readInputFile(file, maxDocumentBytes);
  } catch (error) {
    const reason = error instanceof InputFileProblem ? error.reason : 'cannot be read';
    throw new EnvironmentError('E_EXPERIMENT_UNREADABLE', `Cannot resume ${runDir}: the experiment file its manifest names, ${shown}, ${reason}.`, {
      hint: 'Put the experiment file back where the run started it (same path, same content), or start a new run.',
    });
  }
  if (sha256Hex(bytes) !== manifest.experiment.sha256) {
    throw new EnvironmentError('E_EXPERIMENT_CHANGED', `Cannot resume ${runDir}: ${shown} changed since the run started (SHA-256 differs).`, {
      hint: 'Restore the experiment file as it was (git checkout), or start a new run.',
    });
  }
  try {
    return await loadExperiment(file, contracts);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`Cannot resume ${runDir}`, [
      {
        file: shown,
        path: '',
        message: `is not a valid experiment (${error.problems.length} problem(s); not shown, because the run's manifest named this file)`,
        hint: `Check it yourself with \`greenrt validate ${shown}\`.`,
      },
    ]);
  }
}
