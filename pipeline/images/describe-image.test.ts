import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts, SchemaId } from '../contracts/index.js';
import type { DockerEngine } from '../docker/index.js';
import { fakeEngineInfo } from '../testing/docker-fake-engine.js';
import { tempDir } from '../testing/temp-dir.js';
import { describeImage, parseCudaRecord, readCachedDescription, summarizeDpkg, type ImageDescription } from './describe-image.js';

describe('summarizeDpkg', () => {
  it('counts, hashes order-independently and keeps the packages that matter', () => {
    const a = summarizeDpkg('zlib1g\t1:1.2.13\npython3\t3.11.2-1+b1\nlibc6\t2.36-9\npython3-numpy\t1:1.24.2-1\n');
    const b = summarizeDpkg('libc6\t2.36-9\npython3-numpy\t1:1.24.2-1\nzlib1g\t1:1.2.13\npython3\t3.11.2-1+b1\n');
    expect(a.count).toBe(4);
    expect(a.sha256).toBe(b.sha256);
    expect(a.selected).toEqual({ libc6: '2.36-9', python3: '3.11.2-1+b1', 'python3-numpy': '1:1.24.2-1' });
  });

  it("selects the packages the catalogue's runtimes and providers name (debianPackages), and no others", () => {
    const d = summarizeDpkg(
      [
        'python3-torch\t2.1',
        'python3-tensorflow-cpu\t2.15',
        'cuda-cudart-runtime-12-4\t12.4',
        'libcudnn9\t9.1',
        'libnvinfer10\t10.0',
        'python3-torchaudio\t2.1',
        'vim\t9',
      ].join('\n'),
    );
    expect(Object.keys(d.selected).sort()).toEqual(['cuda-cudart-runtime-12-4', 'libcudnn9', 'libnvinfer10', 'python3-tensorflow-cpu', 'python3-torch']);
  });
});

/**
 * FAKE Docker engine (no daemon in unit tests): every container prints what `outputs` has for its command's first
 * word and exits 0; `created` counts containers, so a cache hit shows as none.
 */
function fakeDescribeEngine(outputs: Record<string, string>): DockerEngine & { created: string[][] } {
  const created: string[][] = [];
  const docker = {
    createContainer: async ({ Cmd }: { Cmd: string[] }) => {
      created.push(Cmd);
      return {
        start: async () => undefined,
        wait: async () => ({ StatusCode: 0 }),
        logs: async () => Buffer.from(outputs[Cmd[0] ?? ''] ?? ''),
        remove: async () => undefined,
      };
    },
  };
  return { docker, info: fakeEngineInfo, created } as unknown as DockerEngine & { created: string[][] };
}

describe('the image-description cache (schemas/image-description-cache.schema.json)', () => {
  const imageId = `sha256:${'a'.repeat(64)}`;
  const harness = { framework: 'numpy-fake', frameworkVersion: '0', python: '3.11', packages: { numpy: '1.26' }, providersAvailable: ['cpu'] };
  const outputs = { python3: JSON.stringify(harness), 'dpkg-query': 'python3\t3.11\nlibc6\t2.36\n', cat: 'cat: no such file' };
  const contracts = new Contracts();
  let dir: string;
  beforeEach(() => {
    dir = tempDir('greenrt-describe-cache-');
  });
  const file = () => join(dir, `${'a'.repeat(64)}.json`);

  it('writes a valid entry atomically and answers from it the next time (no container)', async () => {
    const engine = fakeDescribeEngine(outputs);
    const first = await describeImage(engine, imageId, { cacheDir: dir, contracts });
    expect(engine.created).toHaveLength(3);
    expect(first.harness).toEqual(harness);
    expect(readdirSync(dir)).toEqual([`${'a'.repeat(64)}.json`]);
    const entry = JSON.parse(readFileSync(file(), 'utf8'));
    expect(contracts.check(SchemaId.imageDescriptionCache, entry)).toEqual([]);
    expect(entry).toEqual({ schemaVersion: 1, imageId, description: first });
    expect(await describeImage(engine, imageId, { cacheDir: dir, contracts })).toEqual(first);
    expect(engine.created).toHaveLength(3);
  });

  it('never trusts a damaged, hostile or foreign entry: says why (file and JSON path), describes again and replaces it', async () => {
    const valid: ImageDescription = { harness: null, harnessError: 'x', dpkg: null, cuda: null };
    const cases: [string, string][] = [
      ['{"schemaVersion": 1, "imageId"', 'is not valid JSON'],
      [JSON.stringify(valid), '/schemaVersion: is required'], // the entry format before the schema
      [JSON.stringify({ schemaVersion: 1, imageId, description: { ...valid, cuda: { archs: ['sm_80; rm -rf /'] } } }), '/description/cuda'],
      [
        JSON.stringify({ schemaVersion: 1, imageId, description: { ...valid, dpkg: { count: 1, sha256: 'x', selected: {} }, injected: 1 } }),
        '/description/injected: unknown key',
      ],
      [
        JSON.stringify({ schemaVersion: 1, imageId: `sha256:${'b'.repeat(64)}`, description: valid }),
        `/imageId: names image sha256:${'b'.repeat(64)}, not ${imageId}`,
      ],
      [JSON.stringify({ schemaVersion: 1, imageId, description: null }), '/description: is null'],
    ];
    for (const [text, why] of cases) {
      writeFileSync(file(), text);
      const notes: string[] = [];
      const engine = fakeDescribeEngine(outputs);
      const d = await describeImage(engine, imageId, { cacheDir: dir, contracts, onNote: (l) => notes.push(l) });
      expect(engine.created, why).toHaveLength(3);
      expect(d.harness, why).toEqual(harness);
      expect(notes, why).toHaveLength(1);
      expect(notes[0], why).toContain(`image description cache entry refused, describing the image again: ${file()}`);
      expect(notes[0], why).toContain(why);
      expect(JSON.parse(readFileSync(file(), 'utf8')), why).toEqual({ schemaVersion: 1, imageId, description: d });
    }
  });

  it('an absent entry is no note; an image id that is not sha256:<64 hex> is never used as a file name', async () => {
    expect(await readCachedDescription(contracts, file(), imageId)).toEqual({ description: null, note: null });
    const engine = fakeDescribeEngine(outputs);
    await describeImage(engine, 'sha256:../../etc/passwd', { cacheDir: dir, contracts });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('parseCudaRecord', () => {
  const record = {
    runtime: 'tensorflow',
    flavour: 'cuda',
    cuda: '12.2',
    cudnn: '8',
    archs: ['sm_75', 'compute_80'],
    archSource: 'api',
    minDriver: '525.60.13',
    knownUnavailable: {},
    librariesChecked: 29,
    problems: [],
    ok: true,
  };
  it('reads the record an image build wrote', () => {
    expect(parseCudaRecord(JSON.stringify(record))).toEqual(record);
  });
  it('returns null for what is not such a record, rather than trusting it', () => {
    expect(parseCudaRecord('cat: /opt/greenrt/packages/cuda.json: No such file or directory')).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, archs: ['sm_80; rm -rf /'] }))).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, ok: 'yes' }))).toBeNull();
    expect(parseCudaRecord('[]')).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, problems: 'none' }))).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, knownUnavailable: null }))).toBeNull();
  });
});
