import { chmodSync, cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { GreenrtError } from '../core/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { buildContext, hostCaBundle, runtimeContextEntries } from './build-context.js';
import { readLayerTar } from './layer-tar.js';

describe('buildContext', () => {
  let repo: string;
  beforeEach(() => {
    repo = tempDir('greenrt-ctx-');
    mkdirSync(join(repo, 'images', 'pytorch', 'tests'), { recursive: true });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile's own ${BASE_IMAGE}, not a template
    writeFileSync(join(repo, 'images', 'pytorch', 'Dockerfile'), 'ARG BASE_IMAGE=greenrt/debian:trixie\nFROM ${BASE_IMAGE}\n');
    writeFileSync(join(repo, 'images', 'pytorch', 'greenrt_adapter.py'), 'print(1)\n');
    writeFileSync(join(repo, 'images', 'pytorch', 'tests', 'test_adapter.py'), 'def test(): pass\n');
    mkdirSync(join(repo, 'images', 'pytorch', '__pycache__'));
    writeFileSync(join(repo, 'images', 'pytorch', '__pycache__', 'x.pyc'), 'junk');
    cpSync(join(packageRoot, 'images', 'common'), join(repo, 'images', 'common'), { recursive: true });
    cpSync(join(packageRoot, 'schemas'), join(repo, 'schemas'), { recursive: true });
  });

  it('lays the context out as context-layout.md says, without caches', () => {
    const ctx = buildContext('pytorch', 'cpu', { repoRoot: repo });
    expect(ctx.files).toContain('Dockerfile');
    expect(ctx.files).toContain('runtime/greenrt_adapter.py');
    expect(ctx.files).toContain('runtime/tests/test_adapter.py');
    expect(ctx.files).toContain('common/greenrt_harness/__main__.py');
    expect(ctx.files).toContain('schemas/trial-spec.schema.json');
    expect(ctx.files).toContain('ca-bundle.crt');
    expect(ctx.files.some((f) => f.includes('__pycache__'))).toBe(false);
    expect(ctx.buildArgs).toEqual({
      FLAVOUR: 'cpu',
      SOURCE_DATE_EPOCH: readFileSync(join(packageRoot, 'images', 'common', 'source-date-epoch'), 'utf8').trim(),
    });
    expect(ctx.tag).toBe(`greenrt/pytorch:cpu-${ctx.contextHash.slice(0, 12)}`);
  });

  it('hashes content, not mtimes or permissions beyond the execute bit', () => {
    const a = buildContext('pytorch', 'cpu', { repoRoot: repo });
    utimesSync(join(repo, 'images', 'pytorch', 'greenrt_adapter.py'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    chmodSync(join(repo, 'images', 'pytorch', 'greenrt_adapter.py'), 0o600);
    const b = buildContext('pytorch', 'cpu', { repoRoot: repo });
    expect(b.contextHash).toBe(a.contextHash);
    expect(b.tar.equals(a.tar)).toBe(true);
    writeFileSync(join(repo, 'images', 'pytorch', 'greenrt_adapter.py'), 'print(2)\n');
    expect(buildContext('pytorch', 'cpu', { repoRoot: repo }).contextHash).not.toBe(a.contextHash);
  });

  it('build args, flavour and the epoch change the hash; the CA bundle does not', async () => {
    const a = buildContext('pytorch', 'cpu', { repoRoot: repo });
    expect(buildContext('pytorch', 'cuda', { repoRoot: repo }).contextHash).not.toBe(a.contextHash);
    expect(buildContext('pytorch', 'cpu', { repoRoot: repo, baseImage: 'local/debian:trixie' }).buildArgs.BASE_IMAGE).toBe('local/debian:trixie');
    expect(buildContext('pytorch', 'cpu', { repoRoot: repo, baseImage: 'local/debian:trixie' }).contextHash).not.toBe(a.contextHash);
    writeFileSync(join(repo, 'images', 'common', 'source-date-epoch'), '1800000000\n');
    expect(buildContext('pytorch', 'cpu', { repoRoot: repo }).contextHash).not.toBe(a.contextHash);
    expect(buildContext('pytorch', 'cpu', { repoRoot: repo }).buildArgs.SOURCE_DATE_EPOCH).toBe('1800000000');
    const b = buildContext('pytorch', 'cpu', { repoRoot: repo, caBundlePath: null });
    writeFileSync(join(repo, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
    const withCa = buildContext('pytorch', 'cpu', { repoRoot: repo, caBundlePath: join(repo, 'ca.crt') });
    expect(withCa.contextHash).toBe(b.contextHash);
    expect(withCa.tag).toBe(b.tag);
    const sent: string[] = [];
    for await (const { entry, data } of readLayerTar([withCa.tar])) {
      if (entry.path === 'ca-bundle.crt') await data((c) => void sent.push(c.toString()));
    }
    expect(sent.join('')).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  it('a missing or broken epoch file is a clear error naming the file and the fix', () => {
    writeFileSync(join(repo, 'images', 'common', 'source-date-epoch'), 'yesterday\n');
    expect(() => buildContext('pytorch', 'cpu', { repoRoot: repo })).toThrow(
      /source-date-epoch holds "yesterday".*git checkout images\/common\/source-date-epoch/,
    );
  });

  it('trusts GREENRT_CA_BUNDLE, else the first host trust store found; "none" turns it off', () => {
    const store = join(repo, 'store.pem');
    writeFileSync(store, 'x');
    expect(hostCaBundle({}, [join(repo, 'absent.pem'), store])).toBe(store);
    expect(hostCaBundle({}, [join(repo, 'absent.pem')])).toBeNull();
    expect(hostCaBundle({ GREENRT_CA_BUNDLE: '/x.pem' }, [store])).toBe('/x.pem');
    expect(hostCaBundle({ GREENRT_CA_BUNDLE: 'none' }, [store])).toBeNull();
  });

  it('a runtime without a Dockerfile is a clear error', () => {
    expect(() => buildContext('mxnet', 'cpu', { repoRoot: repo })).toThrow(GreenrtError);
    expect(() => buildContext('mxnet', 'cpu', { repoRoot: repo })).toThrow(/images\/mxnet\/Dockerfile is missing/);
  });

  it('a runtime folder without a Dockerfile (the FAKE test runtimes) gets the same layout with the Dockerfile text given', () => {
    const fake = join(repo, 'fake_runtime');
    mkdirSync(fake);
    writeFileSync(join(fake, 'greenrt_adapter.py'), 'print(1)\n');
    const entries = runtimeContextEntries({ runtimeDir: fake, dockerfile: 'FROM scratch\n', repoRoot: repo });
    const real = buildContext('pytorch', 'cpu', { repoRoot: repo });
    const paths = entries.map((e) => e.path).sort();
    // The same files as the pytorch context but for the runtime folder's own (tests/ in the pytorch folder here) and
    // /vendor (a runtime image's offline inputs, added by buildContext: an empty folder online).
    expect(paths).toEqual(real.files.filter((f) => !f.startsWith('runtime/tests') && f !== 'vendor'));
    expect(real.files).toContain('vendor');
    expect(Buffer.from(entries.find((e) => e.path === 'Dockerfile')!.data!).toString()).toBe('FROM scratch\n');
    expect(() => runtimeContextEntries({ runtimeDir: join(repo, 'images', 'pytorch'), dockerfile: 'FROM scratch\n', repoRoot: repo })).toThrow(
      /has its own Dockerfile and another was given/,
    );
  });
});
