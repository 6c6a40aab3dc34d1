/**
 * Vendored inputs without Docker: the lock formats, and the checks `images build --from` makes on a folder (real files,
 * small fixture .debs and wheels whose hashes a fixture lock names).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, InputError, sha256Hex } from '../core/index.js';
import { Contracts, SchemaId, packageRoot } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { checkVendoredInputs, imageLockFiles, parseAptLock, parsePipLock, VendorMismatchError } from './vendor-inputs.js';
import { buildContext } from './build-context.js';

const hex = (c: string) => c.repeat(64);

describe('apt lock format', () => {
  it('reads requested and automatic pins with apt file names (epoch colon as %3a)', () => {
    const pins = parseAptLock(
      `# comment\npython3-numpy=1:2.2.4+ds-1 arch=amd64 size=5095572 sha256=${hex('a')}\nlibblas3=3.12.1-6 arch=amd64 size=10 sha256=${hex('b')} auto  # dep\n`,
      'apt.lock',
    );
    expect(pins).toEqual([
      {
        package: 'python3-numpy',
        version: '1:2.2.4+ds-1',
        arch: 'amd64',
        sizeBytes: 5095572,
        sha256: hex('a'),
        auto: false,
        file: 'python3-numpy_1%3a2.2.4+ds-1_amd64.deb',
        line: 2,
      },
      { package: 'libblas3', version: '3.12.1-6', arch: 'amd64', sizeBytes: 10, sha256: hex('b'), auto: true, file: 'libblas3_3.12.1-6_amd64.deb', line: 3 },
    ]);
  });

  it('refuses a version-only line (the old format) with exit 2, the file, the line and lock-apt.sh', () => {
    const error = (() => {
      try {
        parseAptLock('# c\npython3=3.13.5-1\n', 'images/x/apt.lock');
      } catch (e) {
        return e;
      }
    })() as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('images/x/apt.lock:2');
    expect(error.message).toContain('lock-apt.sh');
  });

  it("every image's apt locks carry a SHA-256 for every line, and the pip locks a hash for every requirement", () => {
    for (const runtime of readdirSync(join(packageRoot, 'images'))) {
      for (const flavour of ['cpu', 'cuda'] as const) {
        let files: { apt: string[]; pip: string[] };
        try {
          files = imageLockFiles(runtime as 'onnxruntime', flavour);
        } catch {
          continue; // no such image or flavour
        }
        for (const f of files.apt) {
          const pins = parseAptLock(readFileSync(join(packageRoot, 'images', runtime, f), 'utf8'), f);
          expect(pins.length, `${runtime}/${f}`).toBeGreaterThan(0);
          expect(new Set(pins.map((p) => p.package)).size, `${runtime}/${f}: one line per package`).toBe(pins.length);
        }
        for (const f of files.pip) expect(parsePipLock(readFileSync(join(packageRoot, 'images', runtime, f), 'utf8'), f).length).toBeGreaterThan(0);
      }
    }
  });

  it('pip locks: continuation lines and every --hash of a requirement', () => {
    const pins = parsePipLock(
      `# x\nfoo==1.0 \\\n    --hash=sha256:${hex('1')} \\\n    --hash=sha256:${hex('2')}\nbar==2 --hash=sha256:${hex('3')}\n`,
      'r.lock',
    );
    expect(pins).toEqual([
      { requirement: 'foo==1.0', hashes: [hex('1'), hex('2')], line: 2 },
      { requirement: 'bar==2', hashes: [hex('3')], line: 5 },
    ]);
    expect(() => parsePipLock('foo==1.0\n', 'r.lock')).toThrow(InputError);
  });

  it('the tensorrt flavour cannot be vendored (its TensorRT pins have no hash): exit 2', () => {
    expect(() => imageLockFiles('onnxruntime', 'tensorrt')).toThrow(InputError);
  });
});

/** A checkout with images/onnxruntime/{apt.lock,requirements-cpu.lock} naming two fixture .debs and one wheel. */
function fixture(): { repo: string; out: string; folder: string } {
  const repo = tempDir('greenrt-vendor-repo-');
  const out = tempDir('greenrt-vendor-out-');
  const folder = join(out, 'onnxruntime-cpu');
  const files = {
    'debs/a_1.0_amd64.deb': Buffer.from('fixture deb a'),
    'debs/b_1%3a2.0_all.deb': Buffer.from('fixture deb b'),
    'wheels/w-1.0-py3-none-any.whl': Buffer.from('fixture wheel'),
    'debs/Packages': Buffer.from('Package: a\n\nPackage: b\n'),
  };
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), data);
  }
  const sha = (p: keyof typeof files) => sha256Hex(files[p]);
  mkdirSync(join(repo, 'images', 'onnxruntime'), { recursive: true });
  const apt = `a=1.0 arch=amd64 size=13 sha256=${sha('debs/a_1.0_amd64.deb')}\nb=1:2.0 arch=all size=13 sha256=${sha('debs/b_1%3a2.0_all.deb')} auto\n`;
  const pip = `w==1.0 \\\n    --hash=sha256:${hex('0')} \\\n    --hash=sha256:${sha('wheels/w-1.0-py3-none-any.whl')}\n`;
  writeFileSync(join(repo, 'images', 'onnxruntime', 'apt.lock'), apt);
  writeFileSync(join(repo, 'images', 'onnxruntime', 'requirements-cpu.lock'), pip);
  const record = {
    schemaVersion: 1,
    runtime: 'onnxruntime',
    flavour: 'cpu',
    baseImage: 'greenrt/debian:trixie',
    baseImageId: null,
    locks: [
      { path: 'images/onnxruntime/apt.lock', sha256: sha256Hex(apt) },
      { path: 'images/onnxruntime/requirements-cpu.lock', sha256: sha256Hex(pip) },
    ],
    debs: [
      { file: 'a_1.0_amd64.deb', package: 'a', version: '1.0', sha256: sha('debs/a_1.0_amd64.deb'), sizeBytes: 13 },
      { file: 'b_1%3a2.0_all.deb', package: 'b', version: '1:2.0', sha256: sha('debs/b_1%3a2.0_all.deb'), sizeBytes: 13 },
    ],
    wheels: [{ file: 'w-1.0-py3-none-any.whl', requirement: 'w==1.0', sha256: sha('wheels/w-1.0-py3-none-any.whl'), sizeBytes: 13 }],
    index: { file: 'debs/Packages', sha256: sha('debs/Packages') },
    totalBytes: 63,
    createdAt: '2026-12-07T00:00:00.000Z',
    durationMs: 1,
  };
  expect(new Contracts().check(SchemaId.vendoredInputs, record)).toEqual([]);
  writeFileSync(join(folder, 'vendor.json'), JSON.stringify(record));
  return { repo, out, folder };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
}

describe('checkVendoredInputs (images build --from)', () => {
  it('accepts a folder whose every file has its lock hash', async () => {
    const { repo, out, folder } = fixture();
    const checked = await checkVendoredInputs(out, 'onnxruntime', 'cpu', repo);
    expect(checked.folder).toBe(folder);
    expect(checked.record.debs).toHaveLength(2);
  });

  it('a .deb with other bytes: exit 4 naming the file and both hashes', async () => {
    const { repo, out, folder } = fixture();
    writeFileSync(join(folder, 'debs', 'a_1.0_amd64.deb'), 'tampered');
    const error = await failure(checkVendoredInputs(out, 'onnxruntime', 'cpu', repo));
    expect(error).toBeInstanceOf(VendorMismatchError);
    expect((error as VendorMismatchError).exitCode).toBe(4);
    expect(error.message).toContain('debs/a_1.0_amd64.deb: sha256 ');
    expect(error.message).toContain('images/onnxruntime/apt.lock:1');
  });

  it('a wheel no lock hash names, or an extra .deb: exit 4 naming it', async () => {
    const { repo, out, folder } = fixture();
    writeFileSync(join(folder, 'debs', 'extra_1_all.deb'), 'x');
    const error = await failure(checkVendoredInputs(out, 'onnxruntime', 'cpu', repo));
    expect((error as VendorMismatchError).exitCode).toBe(4);
    expect(error.message).toContain('debs/extra_1_all.deb: no apt lock names it');
  });

  it('a missing file: exit 3 with the vendor command that fixes it', async () => {
    const { repo, out, folder } = fixture();
    rmSync(join(folder, 'wheels', 'w-1.0-py3-none-any.whl'));
    const error = await failure(checkVendoredInputs(out, 'onnxruntime', 'cpu', repo));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(3);
    expect(error.message).toContain('a file for w==1.0 in wheels/');
    expect(error.message).toContain('greenrt images vendor');
  });

  it('no folder, or a folder vendored for other locks: exit 3 with the fix', async () => {
    const { repo, out } = fixture();
    const none = await failure(checkVendoredInputs(tempDir('greenrt-vendor-empty-'), 'onnxruntime', 'cpu', repo));
    expect((none as EnvironmentError).exitCode).toBe(3);
    expect(none.message).toContain(`greenrt images vendor onnxruntime --flavour cpu --out`);
    writeFileSync(join(repo, 'images', 'onnxruntime', 'apt.lock'), `${readFileSync(join(repo, 'images', 'onnxruntime', 'apt.lock'), 'utf8')}# edited\n`);
    const stale = await failure(checkVendoredInputs(out, 'onnxruntime', 'cpu', repo));
    expect((stale as EnvironmentError).exitCode).toBe(3);
    expect(stale.message).toContain('images/onnxruntime/apt.lock changed since');
  });

  it('a damaged vendor.json: exit 2 naming the file and the JSON path', async () => {
    const { repo, out, folder } = fixture();
    const record = JSON.parse(readFileSync(join(folder, 'vendor.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(folder, 'vendor.json'), JSON.stringify({ ...record, totalBytes: -1 }));
    const error = await failure(checkVendoredInputs(out, 'onnxruntime', 'cpu', repo));
    expect((error as InputError).exitCode).toBe(2);
    expect(error.message).toContain('vendor.json');
    expect(error.message).toContain('/totalBytes');
  });
});

describe('offline build context', () => {
  it('sends /vendor with the files but keeps the online tag (the locks, which name every file by hash, are in the hash)', () => {
    const { folder } = fixture();
    const online = buildContext('onnxruntime', 'cpu');
    const offline = buildContext('onnxruntime', 'cpu', { vendorDir: folder });
    expect(offline.tag).toBe(online.tag);
    expect(online.files).toContain('vendor');
    expect(online.files.filter((f) => f.startsWith('vendor/'))).toEqual([]);
    expect(offline.files).toContain('vendor/debs/a_1.0_amd64.deb');
    expect(offline.files).toContain('vendor/wheels/w-1.0-py3-none-any.whl');
    expect(offline.tar.length).toBeGreaterThan(online.tar.length);
  });
});
