import type { SlurmStudy } from '../contracts/index.js';

/** A FAKE study record (schemas/slurm-study.schema.json) of two shards, submitted as array job 17 and merge job 18. */
export function fakeStudy(change: Partial<SlurmStudy> = {}): SlurmStudy {
  return {
    schemaVersion: 1,
    studyId: 'demo-20260101t000000z-abc123-slurm',
    experiment: { file: '/shared/experiments/demo.yaml', sha256: 'a'.repeat(64) },
    shards: 2,
    partition: 'repetition',
    options: {},
    submissions: [{ submittedAt: '2026-01-01T00:00:00.000Z', indices: [0, 1], arrayJobId: '17', mergeJobId: '18' }],
    ...change,
  };
}
