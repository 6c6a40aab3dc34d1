import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts, SchemaId } from '../contracts/index.js';
import { ContractError } from '../core/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

const contracts = new Contracts();
const use = (file: string) => ({ shown: file, hint: 'Remove it.', noFollow: true });
let dir: string;
beforeEach(() => {
  dir = tempDir('greenrt-json-file-');
});

describe('writeJsonFile / readJsonFile (files outside run folders)', () => {
  it('writes valid data atomically (no temp file left) and reads it back', async () => {
    const file = join(dir, '42.json');
    await writeJsonFile(contracts, SchemaId.hostShard, file, { pid: 42, runId: 'a-shard-0', sharedHost: false });
    expect(readdirSync(dir)).toEqual(['42.json']);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "pid": 42,\n  "runId": "a-shard-0",\n  "sharedHost": false\n}\n');
    expect(await readJsonFile(contracts, SchemaId.hostShard, file, use(file))).toEqual({ ok: true, data: { pid: 42, runId: 'a-shard-0', sharedHost: false } });
  });

  it('refuses to write data that fails its schema: ContractError naming file and path, nothing written', async () => {
    const file = join(dir, '42.json');
    const error = await writeJsonFile(contracts, SchemaId.hostShard, file, { pid: -1, runId: 'a', sharedHost: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toContain(`${file} does not match schema ${SchemaId.hostShard}`);
    expect((error as ContractError).errors).toContain('/pid: must be >= 1');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the file, each JSON path, the schema and the fix for damaged files; says which are absent', async () => {
    const file = join(dir, 'x.json');
    writeFileSync(file, JSON.stringify({ pid: 'x', runId: 'a', sharedHost: false, extra: true }));
    const read = await readJsonFile(contracts, SchemaId.hostShard, file, use(file));
    expect(read).toMatchObject({ ok: false, absent: false });
    const problems = read.ok ? [] : read.problems;
    expect(problems).toContainEqual({ file, path: '/pid', message: 'must be integer (schemas/host-shard.schema.json)', hint: 'Remove it.' });
    expect(problems).toContainEqual({ file, path: '/extra', message: 'unknown key (schemas/host-shard.schema.json)', hint: 'Remove it.' });

    writeFileSync(file, '{"pid": 1,');
    const cut = await readJsonFile(contracts, SchemaId.hostShard, file, use(file));
    expect(cut.ok ? '' : cut.problems[0]?.message).toMatch(/^is not valid JSON/);

    writeFileSync(file, `${'['.repeat(100)}${']'.repeat(100)}`);
    const deep = await readJsonFile(contracts, SchemaId.hostShard, file, use(file));
    expect(deep.ok ? '' : deep.problems[0]?.message).toBe('nests deeper than 64 levels');

    const absent = await readJsonFile(contracts, SchemaId.hostShard, join(dir, 'none.json'), use('none.json'));
    expect(absent).toMatchObject({ ok: false, absent: true, problems: [{ message: 'does not exist' }] });
  });

  it('refuses a symbolic link (noFollow) and a file over the size limit without reading it', async () => {
    const target = join(dir, 'target.json');
    writeFileSync(target, JSON.stringify({ pid: 1, runId: 'a', sharedHost: false }));
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    const linked = await readJsonFile(contracts, SchemaId.hostShard, link, use(link));
    expect(linked.ok ? '' : linked.problems[0]?.message).toBe('is a symbolic link, not a regular file');
    const big = await readJsonFile(contracts, SchemaId.hostShard, target, { ...use(target), maxBytes: 10 });
    expect(big.ok ? '' : big.problems[0]?.message).toMatch(/more than the 10 bytes allowed/);
  });
});
