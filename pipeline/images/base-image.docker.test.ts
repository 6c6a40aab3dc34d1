import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import type { DockerEngine } from '../docker/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { readSourceDateEpoch } from './build-context.js';
import { inspectImageOrNull } from './image-build.js';
import { compareWalkOrder, type LayerEntry, readLayerTar } from './layer-tar.js';

const engine = await connectDockerOrSkip('base-image.docker.test');

/** The base's single layer as `docker save` holds it (not a container's view: no engine files mounted in). */
async function baseLayer(e: DockerEngine, ref: string): Promise<Map<string, { entry: LayerEntry; text: string }>> {
  const archive = (await e.docker.getImage(ref).get()) as unknown as AsyncIterable<Buffer>;
  let layer: Buffer | undefined;
  for await (const { entry, data } of readLayerTar(archive)) {
    if (!entry.path.endsWith('layer.tar') || layer) continue;
    const parts: Buffer[] = [];
    await data((c) => void parts.push(Buffer.from(c)));
    layer = Buffer.concat(parts);
  }
  if (!layer) throw new Error(`docker save of ${ref} holds no layer.tar`);
  const files = new Map<string, { entry: LayerEntry; text: string }>();
  const wanted = new Set(['etc/shadow', 'etc/hostname', 'etc/resolv.conf', 'etc/apt/sources.list', 'etc/machine-id']);
  for await (const { entry, data } of readLayerTar([layer])) {
    const parts: Buffer[] = [];
    if (wanted.has(entry.path)) await data((c) => void parts.push(Buffer.from(c)));
    files.set(entry.path, { entry, text: Buffer.concat(parts).toString('utf8') });
  }
  return files;
}

/**
 * The day-granular and host-dependent fields of the Debian base, asserted directly (no second day needed): what
 * two builds on different days or hosts would otherwise write differently. The present greenrt/debian:<suite> is
 * checked when build-base.sh made it with the epoch (CI makes both); otherwise one is made here and removed.
 */
describe.skipIf(!engine)('greenrt/debian base: reproducible fields', () => {
  const e = engine as DockerEngine;
  const made: string[] = [];
  afterAll(async () => {
    for (const ref of made) await e.docker.getImage(ref).remove({ force: true });
  });

  it('has the epoch as its date, fixed host files, the shadow day clamped, no logs, and a sorted layer', async () => {
    const epoch = readSourceDateEpoch();
    let ref = 'greenrt/debian:bookworm';
    const present = await inspectImageOrNull(e, ref);
    if (present?.Config?.Labels?.['dev.greenrt.source-date-epoch'] !== String(epoch)) {
      ref = `greenrt-test/debian-base:${process.pid}`;
      execFileSync('bash', [join(packageRoot, 'images', 'base', 'build-base.sh'), 'bookworm', ref], { stdio: 'inherit' });
      made.push(ref);
    }
    const inspect = await inspectImageOrNull(e, ref);
    expect(inspect?.Created).toBe(new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z'));
    expect(Object.keys(inspect?.Config?.Labels ?? {}).sort()).toEqual([
      'dev.greenrt.debian.suite',
      'dev.greenrt.source-date-epoch',
      'org.opencontainers.image.base.name',
    ]);
    expect(inspect?.RootFS?.Layers).toHaveLength(1);

    const files = await baseLayer(e, ref);
    const day = String(Math.floor(epoch / 86400));
    const shadowDays = files
      .get('etc/shadow')
      ?.text.split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':')[2]);
    expect(shadowDays?.length).toBeGreaterThan(5);
    expect(new Set(shadowDays)).toEqual(new Set([day]));
    expect(files.get('etc/hostname')?.text).toBe('greenrt\n');
    expect(files.get('etc/resolv.conf')?.text).toBe('');
    expect(files.get('etc/apt/sources.list')?.text).toBe('deb http://deb.debian.org/debian bookworm main\n');
    expect(files.get('etc/machine-id')?.text ?? '').toBe('');
    const logs = [...files.values()].filter(({ entry }) => entry.path.startsWith('var/log/') && entry.type !== 'directory').map(({ entry }) => entry.path);
    expect(logs).toEqual([]);
    expect([...files.keys()].filter((p) => p.startsWith('var/lib/apt/lists/') || p.endsWith('aux-cache') || p.endsWith('.bin'))).toEqual([]);
    const root = files.get('');
    expect(root?.entry).toMatchObject({ type: 'directory', mode: 0o755, uid: 0, gid: 0 });
    for (const { entry } of files.values()) expect(entry.mtimeS).toBeLessThanOrEqual(epoch);
    const paths = [...files.keys()];
    expect(paths).toEqual([...paths].sort(compareWalkOrder)); // tar --sort=name: each folder's entries sorted
  }, 600_000);
});
