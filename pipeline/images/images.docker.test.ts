import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { EnvironmentError } from '../core/index.js';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { connectDockerOrSkip, ensureTestImage, testBaseImage } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';
import { contextFromEntries } from './build-context.js';
import { buildImages, listImages } from './build-images.js';
import { describeImage } from './describe-image.js';
import { ensureImage } from './ensure-image.js';
import { removeImageBuild } from './assemble-image.js';
import { buildFromContext, ImageBuildError } from './image-build.js';
import { classifyBuildFailure } from './build-failure.js';
import { lockImages, readLock } from './image-lock.js';

const engine = await connectDockerOrSkip('images.docker.test');

describe('connectDocker', () => {
  it('fails fast with EnvironmentError (exit 3) and the fix when the daemon is unreachable', async () => {
    const started = performance.now();
    const error = await connectDocker({ dockerOptions: { socketPath: '/nonexistent/docker.sock' }, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(3);
    // The fix is the error's hint, printed once by the CLI (not repeated in the message).
    expect((error as EnvironmentError).hint).toContain('dockerd &');
    expect((error as EnvironmentError).message).not.toContain('dockerd &');
    expect(performance.now() - started).toBeLessThan(2500);
  });
});

describe.skipIf(!engine)('images on the real Docker engine (tiny test contexts)', () => {
  const e = engine as DockerEngine;
  let repo: string;
  let base: string;
  const createdTags: string[] = [];

  beforeAll(async () => {
    base = await testBaseImage(e);
    // A throw-away checkout: images/onnxruntime holds a tiny Dockerfile (no apt), common/ and schemas/ are real.
    repo = tempDir('greenrt-images-');
    mkdirSync(join(repo, 'images', 'onnxruntime'), { recursive: true });
    writeFileSync(
      join(repo, 'images', 'onnxruntime', 'Dockerfile'),
      `ARG BASE_IMAGE=${base}\nFROM \${BASE_IMAGE} AS install\nRUN echo images.docker.test > /opt/stage\nFROM install\nARG FLAVOUR\nCOPY common /opt/greenrt/common\nCOPY schemas /opt/greenrt/schemas\nRUN echo "flavour=$FLAVOUR" > /opt/greenrt/common/flavour\n`,
    );
    writeFileSync(join(repo, 'images', 'onnxruntime', 'greenrt_adapter.py'), '# tiny\n');
    cpSync(join(packageRoot, 'images', 'common'), join(repo, 'images', 'common'), { recursive: true });
    cpSync(join(packageRoot, 'schemas'), join(repo, 'schemas'), { recursive: true });
  });

  afterAll(async () => {
    for (const tag of createdTags) await removeImageBuild(e, tag); // the intermediate and the install-layer cache too
    for (const tag of createdTags)
      await e.docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('records daemon facts', () => {
    expect(e.info.serverVersion).not.toBe('unknown');
    expect(e.info.storageDriver.length).toBeGreaterThan(0);
    expect(e.info.runtimes).toContain('runc');
    expect(typeof e.info.nvidiaRuntime).toBe('boolean');
  });

  it('builds once, then reuses the tag without building (well under 2 s)', async () => {
    const lines: string[] = [];
    const first = await ensureImage(e, { runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo, describe: false }, (l) => lines.push(l));
    createdTags.push(first.tag);
    expect(first.tag).toMatch(/^greenrt\/onnxruntime:cpu-[0-9a-f]{12}$/);
    expect(first.built).toBe(true);
    expect(first.baseImage).toBe(base);
    expect(first.baseImageId).toMatch(/^sha256:/);
    expect(first.repoDigests).toEqual([]);
    expect(lines.some((l) => l.includes('Step'))).toBe(true);
    const second = await ensureImage(e, { runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo, describe: false }, () => {});
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
    expect(second.durationMs).toBeLessThan(2000);
    console.info(`[images] tiny image: first ensure ${first.durationMs.toFixed(0)} ms (built), second ${second.durationMs.toFixed(1)} ms (tag reused)`);

    const listed = await listImages(e, { repoRoot: repo });
    const mine = listed.find((i) => i.imageId === first.imageId);
    expect(mine).toMatchObject({ runtime: 'onnxruntime', flavour: 'cpu', current: true, contextHash: first.contextHash });
  });

  it('surfaces the build stream errorDetail and the last lines on failure', async () => {
    const ctx = contextFromEntries(
      [{ path: 'Dockerfile', type: 'file', data: Buffer.from(`FROM ${base}\nRUN echo before-the-failure && echo boom-marker >&2 && exit 7\n`) }],
      {},
      'greenrt-test/broken',
      'x',
    );
    const error = await buildFromContext(e, ctx).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImageBuildError);
    const b = error as ImageBuildError;
    expect(b.detail).toMatch(/returned a non-zero code: 7/);
    expect(b.lastLines.join('\n')).toContain('boom-marker');
    expect(b.message).not.toMatch(/^failed to build image$/);
    // The whole output is kept for the run's log file; the one-line cause is the last line that reads as an error.
    expect(b.log.join('\n')).toContain('before-the-failure');
    expect(classifyBuildFailure(b.detail, b.log)).toMatch(/returned a non-zero code: 7/);
  });

  it('buildImages + lockImages: records the local base id with digests not applicable', async () => {
    const result = await buildImages(e, { flavour: 'cpu', runtimes: ['onnxruntime'], repoRoot: repo, describe: false });
    expect(result.images[0]?.built).toBe(false); // built by the test above
    const lock = readLock(join(repo, 'images', 'images.lock.json'));
    expect(lock.localBases[base]).toMatchObject({ digest: 'not applicable', usedBy: ['images/onnxruntime/Dockerfile'] });
    expect(lock.localBases[base]?.imageId).toMatch(/^sha256:/);
    const again = await lockImages(e, { repoRoot: repo });
    expect(again.changes).toEqual([]);
    expect(JSON.parse(readFileSync(again.lockPath, 'utf8')).schemaVersion).toBe(1);
  });

  it('describes an image: harness describe JSON and a dpkg summary, cached per image id', async () => {
    const test = await ensureTestImage(e);
    const cacheDir = join(repo, 'describe-cache');
    const started = performance.now();
    const d = await describeImage(e, test.imageId, { cacheDir });
    const firstMs = performance.now() - started;
    expect(d.harnessError).toBeNull();
    expect(d.harness?.framework).toBe('numpy-fake');
    expect(d.harness?.packages.numpy).toMatch(/^\d+\.\d+/);
    expect(d.dpkg?.count).toBeGreaterThan(50);
    expect(Object.keys(d.dpkg?.selected ?? {})).toContain('python3');
    const t2 = performance.now();
    expect(await describeImage(e, test.imageId, { cacheDir })).toEqual(d);
    console.info(`[images] describe: ${firstMs.toFixed(0)} ms, cached ${(performance.now() - t2).toFixed(1)} ms`);
  });
});
