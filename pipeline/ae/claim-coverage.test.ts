import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { configurationId, configurationKeyOf, parseClaimsYaml } from '../analysis/index.js';
import { loadExperiment } from '../config/index.js';
import { Contracts } from '../contracts/index.js';
import { planRun } from '../plan/index.js';
import { claimCoverage } from './claim-coverage.js';

const experiments = new URL('../../experiments/', import.meta.url);

/** The configuration ids an experiment file's plan runs (modes stripped: claims name none). */
async function plannedIds(file: string): Promise<Set<string>> {
  const loaded = await loadExperiment(new URL(file, experiments).pathname, new Contracts());
  return new Set(
    planRun(loaded.spec).trials.map((t) => {
      const { mode: _mode, ...key } = configurationKeyOf({ config: t.config } as Parameters<typeof configurationKeyOf>[0]);
      return configurationId(key);
    }),
  );
}

const claimsOf = (file: string) => parseClaimsYaml(readFileSync(new URL(file, experiments), 'utf8'), file).claims;

suite('claimCoverage: the CPU experiments decide their own claims files', () => {
  // Each CPU experiment names a claims file whose every claim its plan covers, so a run can decide them all.
  for (const [experiment, claims, count] of [
    ['demo.yaml', 'ae/smoke.claims.yaml', 2],
    ['ae/smoke.yaml', 'ae/smoke.claims.yaml', 2],
    ['cpu.yaml', 'cpu.claims.yaml', 9],
    ['modes.yaml', 'modes.claims.yaml', 3],
  ] as const) {
    it(`${experiment} covers every claim of ${claims}, each an extension`, async () => {
      const list = claimsOf(claims);
      expect(list).toHaveLength(count);
      expect(list.every((c) => c.scope === 'extension')).toBe(true);
      const coverage = claimCoverage(list, await plannedIds(experiment));
      expect(coverage.filter((c) => !c.enough).map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    });
  }

  it('says which configurations are missing and why a claim cannot be decided', async () => {
    const coverage = claimCoverage(claimsOf('paper.claims.yaml'), await plannedIds('demo.yaml'));
    expect(coverage.every((c) => !c.enough)).toBe(true);
    expect(coverage[0]).toMatchObject({
      id: 'mxnet-beats-pytorch-tensorflow-cv-b1',
      absent: expect.arrayContaining(['mxnet/mxnet/resnet50/cuda/b1']),
      reason: expect.stringMatching(/^the experiment does not run 6 of the 6 configurations it compares \(/),
    });
    expect(coverage.find((c) => c.id === 'energy-time-correlation')!.reason).toMatch(/^too few configurations: the experiment runs 0 of the 46/);
  });
});
