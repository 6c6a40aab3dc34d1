import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { imageConfig } from './assemble-image.js';
import { compareWalkOrder, compareWalkOrderBytes, type LayerEntry, readLayerTar } from './layer-tar.js';
import { LayerOrderError, memoryEntries, normaliseLayer } from './normalise-layer.js';

const EPOCH = 1_796_011_607;

/** A raw tar header block with the given fields (what an exporter might write), PAX records in the given order. */
interface RawFields {
  name: string;
  flag: string;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  mtime?: number;
  link?: string;
  devmajor?: number;
  devminor?: number;
}
function rawEntry(o: RawFields & { data?: Buffer; pax?: [string, string][] }): Buffer {
  const blocks: Buffer[] = [];
  if (o.pax && o.pax.length > 0) {
    const body = Buffer.concat(
      o.pax.map(([k, v]) => {
        const kv = Buffer.concat([Buffer.from(` ${k}=`), Buffer.from(v, 'binary'), Buffer.from('\n')]);
        let len = kv.length + 1;
        while (String(len).length + kv.length !== len) len = String(len).length + kv.length;
        return Buffer.concat([Buffer.from(String(len)), kv]);
      }),
    );
    blocks.push(header({ name: `PaxHeaders.0/${o.name.slice(0, 80)}`, flag: 'x', size: body.length }), body, pad(body.length));
  }
  const data = o.data ?? Buffer.alloc(0);
  blocks.push(header({ ...o, size: o.flag === '0' ? data.length : 0 }));
  if (o.flag === '0' && data.length > 0) blocks.push(data, pad(data.length));
  return Buffer.concat(blocks);
}

function header(o: RawFields & { size: number }): Buffer {
  const h = Buffer.alloc(512);
  const oct = (v: number, off: number, len: number) => h.write(`${v.toString(8).padStart(len - 1, '0')}\0`, off, len, 'ascii');
  h.write(o.name, 0, 100);
  oct(o.mode ?? (o.flag === '5' ? 0o755 : 0o644), 100, 8);
  oct(o.uid ?? 0, 108, 8);
  oct(o.gid ?? 0, 116, 8);
  oct(o.size, 124, 12);
  oct(o.mtime ?? 0, 136, 12);
  h.fill(0x20, 148, 156);
  h.write(o.flag, 156, 1);
  h.write(o.link ?? '', 157, 100);
  h.write('ustar\x0000', 257, 8, 'binary');
  h.write(o.uname ?? '', 265, 32);
  h.write(o.gname ?? '', 297, 32);
  oct(o.devmajor ?? 0, 329, 8);
  oct(o.devminor ?? 0, 337, 8);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}
const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** One synthetic export; `variant` changes everything a second build changes, never the file contents. */
function syntheticExport(variant: 0 | 1): Buffer {
  const t = variant === 0 ? 1_900_000_000 : 1_900_003_333; // after the epoch: clamped
  const names = variant === 0 ? { uname: 'root', gname: 'root' } : { uname: 'builder', gname: 'wheel' };
  const xattrs: [string, string][] = [
    ['SCHILY.xattr.security.capability', '\x01\x00\x00\x02\x00\x20\x00\x00'],
    ['SCHILY.xattr.user.note', 'kept'],
  ];
  const longDir = `opt/${'d'.repeat(120)}`;
  return Buffer.concat([
    rawEntry({ name: './', flag: '5', mode: variant === 0 ? 0o700 : 0o755, mtime: t }),
    rawEntry({ name: '.dockerenv', flag: '0', mtime: t }),
    rawEntry({ name: 'bin/', flag: '5', mode: 0o755, mtime: t + 1, ...names }),
    rawEntry({
      name: 'bin/ping',
      flag: '0',
      mode: 0o4755,
      mtime: 1_000_000_000, // before the epoch: kept
      data: Buffer.from('ELF-ish'),
      pax:
        variant === 0
          ? [...xattrs, ['atime', `${t}.5`], ['ctime', `${t}.25`]]
          : [['ctime', `${t}.75`], ...xattrs.slice().reverse(), ['mtime', '1000000000.123']],
      ...names,
    }),
    rawEntry({ name: 'bin/pong', flag: '1', link: 'bin/ping', mtime: t, ...names }),
    rawEntry({ name: 'bin/sh', flag: '2', link: 'dash', mode: 0o777, mtime: t, ...names }),
    rawEntry({ name: 'dev/', flag: '5', mtime: t }),
    rawEntry({ name: 'dev/null', flag: '3', mode: 0o666, devmajor: 1, devminor: 3, mtime: t }),
    rawEntry({ name: 'etc/', flag: '5', mtime: t }),
    rawEntry({ name: 'etc/hostname', flag: '0', data: Buffer.from(variant === 0 ? 'buildhost-a\n' : 'b\n'), mtime: t }),
    rawEntry({ name: 'etc/resolv.conf', flag: '0', data: Buffer.from(`nameserver 10.0.0.${variant + 1}\n`), mtime: t }),
    rawEntry({ name: 'opt/', flag: '5', mtime: t }),
    rawEntry({ name: longDir.slice(0, 99), flag: '5', mtime: t, pax: [['path', `${longDir}/`]] }),
    rawEntry({ name: 'x', flag: '0', mtime: t, data: Buffer.from('long'), pax: [['path', `${longDir}/file.txt`]], uid: 10001, gid: 10001 }),
    rawEntry({ name: 'var/', flag: '5', mtime: t }),
    rawEntry({ name: 'var/cache/', flag: '5', mtime: t }),
    rawEntry({ name: 'var/cache/ldconfig/', flag: '5', mtime: t }),
    rawEntry({ name: 'var/cache/ldconfig/aux-cache', flag: '0', data: Buffer.from(`inode ${variant}`), mtime: t }),
    rawEntry({ name: 'var/log/', flag: '5', mtime: t }),
    rawEntry({ name: 'var/log/apt/', flag: '5', mtime: t }),
    ...(variant === 1 ? [rawEntry({ name: 'var/log/apt/history.log', flag: '0', data: Buffer.from(`Start-Date: ${t}\n`), mtime: t })] : []),
    rawEntry({ name: 'var/log/dpkg.log', flag: '0', data: Buffer.from(`${t} install\n`), mtime: t }),
    Buffer.alloc(1024),
  ]);
}

async function normalise(bytes: Buffer): Promise<{ out: Buffer; diffId: string; dropped: string[] }> {
  const chunks: Buffer[] = [];
  // Odd chunk sizes: headers and data split across reads.
  const source = (async function* () {
    for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
  })();
  const layer = await normaliseLayer(readLayerTar(source), (c) => void chunks.push(Buffer.from(c)), { epochS: EPOCH });
  return { out: Buffer.concat(chunks), diffId: layer.diffId, dropped: layer.dropped };
}

async function entriesOf(bytes: Buffer): Promise<{ entry: LayerEntry; data: string }[]> {
  const out: { entry: LayerEntry; data: string }[] = [];
  for await (const { entry, data } of readLayerTar([bytes])) {
    const parts: Buffer[] = [];
    await data((c) => void parts.push(Buffer.from(c)));
    out.push({ entry, data: Buffer.concat(parts).toString('binary') });
  }
  return out;
}

describe('normaliseLayer', () => {
  it('gives byte-identical output for two exports that differ in times, PAX records, owner names, xattr order and volatile files', async () => {
    const a = await normalise(syntheticExport(0));
    const b = await normalise(syntheticExport(1));
    expect(syntheticExport(0).equals(syntheticExport(1))).toBe(false);
    expect(a.out.equals(b.out)).toBe(true);
    expect(a.diffId).toBe(`sha256:${sha256Hex(a.out)}`);
    expect(b.dropped).toEqual(['.dockerenv', 'var/cache/ldconfig/aux-cache', 'var/log/apt/history.log', 'var/log/dpkg.log']);
    // Golden: the normal form and the config written on it do not drift between greenrt versions unnoticed.
    expect(a.diffId).toBe('sha256:1769dc5f038eb61b99ac70a1515b2d1af46f2ee7b2f6ff21c899b0f886728534');
    const config = imageConfig(
      { Architecture: 'amd64', Os: 'linux', Config: { Env: ['PATH=/bin'], Cmd: ['sh'], Labels: { b: '2', a: '1' } } as never },
      [a.diffId],
      EPOCH,
      {
        'dev.greenrt.context-hash': 'abc',
      },
    );
    expect(config.toString()).toBe(
      `{"architecture":"amd64","config":{"Cmd":["sh"],"Env":["PATH=/bin"],"Labels":{"a":"1","b":"2","dev.greenrt.context-hash":"abc","dev.greenrt.source-date-epoch":"${EPOCH}"}},` +
        `"created":"2026-11-30T04:06:47Z","history":[{"created":"2026-11-30T04:06:47Z","created_by":"greenrt assemble: install stage (normalised)"}],` +
        `"os":"linux","rootfs":{"diff_ids":["${a.diffId}"],"type":"layers"}}`,
    );
    expect(`sha256:${sha256Hex(config)}`).toBe('sha256:071f9a9c2ceff377d7c1a7de478fdf8b5552121e600ea6dbcb43b9905ac7f7bb');
  });

  it('keeps links, devices, setuid bits and xattrs; clamps times; numeric owners without names; fixes engine files', async () => {
    const { out } = await normalise(syntheticExport(1));
    const entries = await entriesOf(out);
    const byPath = new Map(entries.map((e) => [e.entry.path, e]));
    expect(entries.map((e) => e.entry.path)).toEqual([...entries.map((e) => e.entry.path)].sort(compareWalkOrder));
    expect(byPath.get('')?.entry).toMatchObject({ type: 'directory', mode: 0o755, mtimeS: EPOCH });
    expect(byPath.get('bin/ping')?.entry).toMatchObject({
      mode: 0o4755,
      mtimeS: 1_000_000_000,
      xattrs: { 'security.capability': '\x01\x00\x00\x02\x00\x20\x00\x00', 'user.note': 'kept' },
    });
    expect(byPath.get('bin/ping')?.data).toBe('ELF-ish');
    expect(byPath.get('bin/pong')?.entry).toMatchObject({ type: 'hardlink', linkname: 'bin/ping' });
    expect(byPath.get('bin/sh')?.entry).toMatchObject({ type: 'symlink', linkname: 'dash' });
    expect(byPath.get('dev/null')?.entry).toMatchObject({ type: 'char', devmajor: 1, devminor: 3, mode: 0o666 });
    expect(byPath.get('etc/hostname')).toMatchObject({ entry: { size: 0, mode: 0o644 }, data: '' });
    expect(byPath.get('etc/resolv.conf')?.data).toBe('');
    expect(byPath.get(`opt/${'d'.repeat(120)}/file.txt`)?.entry).toMatchObject({ uid: 10001, gid: 10001, mtimeS: EPOCH });
    expect(byPath.has('var/log/apt')).toBe(true);
    expect(byPath.has('var/log/dpkg.log')).toBe(false);
    for (const e of entries) expect(e.entry.mtimeS).toBeLessThanOrEqual(EPOCH);
    // no owner names, no atime/ctime: the raw headers carry none
    expect(out.includes(Buffer.from('builder'))).toBe(false);
    expect(out.includes(Buffer.from('atime='))).toBe(false);
    expect(out.includes(Buffer.from('ctime='))).toBe(false);
  });

  it('is read back by GNU tar with the same names, links and modes', async () => {
    const { out } = await normalise(syntheticExport(0));
    const dir = tempDir('greenrt-layer-');
    writeFileSync(join(dir, 'layer.tar'), out);
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', join(dir, 'layer.tar')], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwsr-xr-x 0\/0 +7 .* bin\/ping/);
    expect(listing).toMatch(/^h.* 0\/0 .* bin\/pong link to bin\/ping$/m);
    expect(listing).toMatch(/lrwxrwxrwx .* bin\/sh -> dash/);
    expect(listing).toContain(`opt/${'d'.repeat(120)}/file.txt`);
  });

  it('refuses input out of walk order and hard links before their target', async () => {
    const swapped = Buffer.concat([rawEntry({ name: 'b', flag: '0' }), rawEntry({ name: 'a', flag: '0' }), Buffer.alloc(1024)]);
    await expect(normalise(swapped)).rejects.toBeInstanceOf(LayerOrderError);
    const early = Buffer.concat([rawEntry({ name: 'a', flag: '1', link: 'b' }), rawEntry({ name: 'b', flag: '0' }), Buffer.alloc(1024)]);
    await expect(normalise(early)).rejects.toThrow(/hard link a comes before/);
  });

  it('walk order: the character fast path agrees with the componentwise UTF-8 byte order on every pair', () => {
    // Characters around '/', ASCII, Latin-1, the BMP just below and above the surrogates, and astral ones (surrogate pairs).
    const alphabet = ['/', '.', '-', '0', 'a', 'z', '~', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{1f600}', '\u{10000}'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const path = () => {
      let p = '';
      for (let n = 1 + (next() % 6); n > 0; n--) p += alphabet[next() % alphabet.length];
      return p.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
    };
    const paths = Array.from({ length: 150 }, path);
    for (const a of paths) for (const b of paths) expect(Math.sign(compareWalkOrder(a, b)), `${a} vs ${b}`).toBe(Math.sign(compareWalkOrderBytes(a, b)));
  });

  it('walk order puts a folder\'s contents before a sibling whose name extends it ("a/b" < "a-c")', async () => {
    expect(['a-c', 'a/b', 'a', ''].sort(compareWalkOrder)).toEqual(['', 'a', 'a/b', 'a-c']);
    const chunks: Buffer[] = [];
    const dir = (path: string): LayerEntry => ({
      path,
      type: 'directory',
      mode: 0o755,
      uid: 0,
      gid: 0,
      mtimeS: 0,
      size: 0,
      linkname: '',
      devmajor: 0,
      devminor: 0,
      xattrs: {},
    });
    await normaliseLayer(memoryEntries([{ entry: dir('a-c') }, { entry: dir('a/b') }, { entry: dir('a') }]), (c) => void chunks.push(c), { epochS: EPOCH });
    expect((await entriesOf(Buffer.concat(chunks))).map((e) => e.entry.path)).toEqual(['a', 'a/b', 'a-c']);
  });
});
