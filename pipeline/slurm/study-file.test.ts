import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts, SchemaId, type SlurmStudy } from '../contracts/index.js';
import { ContractError, ExitCode, InputError, exitCodeFor } from '../core/index.js';
import { fakeStudy } from '../testing/slurm-study.js';
import { tempDir } from '../testing/temp-dir.js';
import { fakeManifest } from '../testing/trial-results.js';
import { shardRunId } from './sbatch-scripts.js';
import type { SlurmClient } from './slurm-client.js';
import { studyStatus } from './study-status.js';
import { readStudy, writeStudy } from './submit-study.js';

const contracts = new Contracts();
const study: SlurmStudy = fakeStudy({ options: { time: '01:00:00' } });
/** FAKE Slurm (no controller in unit tests): every job has left the queue and Slurm remembers none. */
const slurm = { states: async () => [], active: async () => [] } as unknown as SlurmClient;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

let dir: string;
beforeEach(() => {
  dir = tempDir('greenrt-study-');
});
const file = () => join(dir, 'slurm', 'study.json');

describe('slurm/study.json (schemas/slurm-study.schema.json)', () => {
  it('is written atomically after a schema check and read back the same', async () => {
    await writeStudy(contracts, dir, study);
    expect(readdirSync(join(dir, 'slurm'))).toEqual(['study.json']);
    expect(contracts.check(SchemaId.slurmStudy, JSON.parse(readFileSync(file(), 'utf8')))).toEqual([]);
    expect((await readStudy(contracts, dir)).study).toEqual(study);
  });

  it('greenrt writes no study record that fails its schema (ContractError, nothing written)', async () => {
    const error = await failure(writeStudy(contracts, dir, { ...study, shards: 0 }));
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).errors).toContain('/shards: must be >= 1');
    expect(() => readdirSync(join(dir, 'slurm'))).toThrow();
  });

  it('refuses a damaged or hostile record with exit 2, naming the file, each JSON path and the fix', async () => {
    mkdirSync(join(dir, 'slurm'));
    const cases: [unknown, string][] = [
      [{ ...study, shards: 1e9 }, '/shards: must be <= 10000'],
      [{ ...study, studyId: '../../etc' }, '/studyId: must match pattern'],
      [{ ...study, submissions: [{ ...study.submissions[0], arrayJobId: '17; rm -rf /' }] }, '/submissions/0/arrayJobId: must match pattern'],
      [{ ...study, submissions: [{ ...study.submissions[0], indices: [0, 5] }] }, '/submissions/0/indices/1: shard index 5 is not below shards (2)'],
      [{ ...study, extra: 1 }, '/extra: unknown key'],
    ];
    for (const [data, why] of cases) {
      writeFileSync(file(), JSON.stringify(data));
      const error = await failure(readStudy(contracts, dir));
      expect(error, why).toBeInstanceOf(InputError);
      expect(exitCodeFor(error), why).toBe(ExitCode.badInput);
      const message = (error as InputError).message;
      expect(message, why).toContain('slurm/study.json is damaged');
      expect(message, why).toContain(`study.json ${why}`);
      expect(message, why).toContain('restore it from a copy, or submit the study again');
    }
    writeFileSync(file(), '{"schemaVersion": 1');
    expect(((await failure(readStudy(contracts, dir))) as Error).message).toMatch(/study\.json \/: is not valid JSON/);
  });

  it('a folder without a record is not a study folder (exit 2, says what to pass)', async () => {
    const error = await failure(readStudy(contracts, dir));
    expect(exitCodeFor(error)).toBe(ExitCode.badInput);
    expect((error as Error).message).toMatch(
      /is not a Slurm study folder\n {2}- .*study\.json \/: does not exist\. Pass the study folder `greenrt slurm submit` printed\./,
    );
  });

  it("status reads each shard's manifest through its schema: progress from a valid one, a damaged one refused by name", async () => {
    await writeStudy(contracts, dir, study);
    const shard0 = join(dir, 'shards', shardRunId(study.studyId, 0));
    mkdirSync(shard0, { recursive: true });
    writeFileSync(join(shard0, 'manifest.json'), JSON.stringify(fakeManifest([])));
    const status = await studyStatus({ contracts, slurm }, dir);
    expect(status.shards.map((s) => [s.index, s.runStatus])).toEqual([
      [0, 'completed'],
      [1, null],
    ]);
    writeFileSync(join(shard0, 'manifest.json'), JSON.stringify({ ...fakeManifest([]), progress: { total: 'many' } }));
    const error = await failure(studyStatus({ contracts, slurm }, dir));
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toContain('Cannot read shard 0 of the Slurm study');
    expect(message).toContain('manifest.json /progress/total: must be integer (schemas/run-manifest.schema.json)');
    expect(message).toContain('greenrt verify');
  });
});
