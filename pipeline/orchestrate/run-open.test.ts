import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts, packageRoot } from '../contracts/index.js';
import { ExitCode, exitCodeFor, InputError } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import { fakeManifest, fakeStudyResults } from '../testing/trial-results.js';
import { planTheRun } from './run-open.js';
import type { OpenedRun, RunRequest } from './run-request.js';

const contracts = new Contracts();

describe('planTheRun on resume', () => {
  it('a manifest naming another experiment: exit 2 saying so (it was told to resume with the greenrt version that started the run)', async () => {
    const loaded = await loadExperiment(join(packageRoot, 'experiments', 'demo.yaml'), contracts);
    const previous = fakeManifest(fakeStudyResults({ repetitions: 1 }));
    const opened = { loaded, previous, store: null, stored: [] } as unknown as OpenedRun;
    const req = { artifactsDir: 'artifacts', confirmed: false, signal: new AbortController().signal } as RunRequest;
    const error = (() => {
      try {
        planTheRun(opened, req);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(ExitCode.badInput);
    expect((error as Error).message).toContain(`the experiment "${loaded.spec.name}", but the run was of "${previous.experiment.spec.name}"`);
    expect((error as Error).message).not.toContain('greenrt version');
  });
});
