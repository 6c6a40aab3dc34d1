/**
 * Builds that survive the mirror, on the real engine with the smallest real image (onnxruntime cpu: 41 .deb files and
 * one wheel, about 42 MiB): `images vendor` downloads and checks its pinned inputs, then the image is built from that
 * folder with the build's network mode none, through the same reproducible path as any build (classic build, then
 * assembly), and its config digest must equal the online build's. The proof that the network is really off: the same
 * context without the folder fails under network none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../contracts/index.js';
import { runThrowaway, type DockerEngine } from '../docker/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';
import { removeImageBuild } from './assemble-image.js';
import { ensureBaseImage } from './base-image.js';
import { buildReproducibly, ensureImage, imageContext, imageLabels } from './ensure-image.js';
import { buildFromContext, ImageBuildError } from './image-build.js';
import { diffImages, formatImageDiff } from './image-diff.js';
import { checkVendoredInputs, parseAptLock, vendorImageInputs } from './vendor-inputs.js';

const engine = await connectDockerOrSkip('vendor.docker.test');

describe.skipIf(!engine)('vendored inputs and the offline build (onnxruntime cpu)', () => {
  const e = engine as DockerEngine;
  const builds: string[] = [];
  const tags: string[] = [];
  const out = tempDir('greenrt-vendor-docker-');

  afterAll(async () => {
    for (const tag of builds) await removeImageBuild(e, tag).catch(() => undefined);
    for (const tag of tags)
      await e.docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  }, 120_000);

  it('vendor fetches every pinned .deb and wheel with the lock hash; the offline build (network none) gives the online config digest', async () => {
    await ensureBaseImage(e, 'greenrt/debian:trixie');
    const request = { runtime: 'onnxruntime' as const, flavour: 'cpu' as const, describe: false };
    const started = performance.now();
    const { folder, record } = await vendorImageInputs(e, 'onnxruntime', 'cpu', out);
    const vendorS = (performance.now() - started) / 1000;
    const pins = parseAptLock(readFileSync(join(packageRoot, 'images', 'onnxruntime', 'apt.lock'), 'utf8'), 'apt.lock');
    expect(record.debs.map((d) => `${d.package}=${d.version}`).sort()).toEqual(pins.map((p) => `${p.package}=${p.version}`).sort());
    expect(record.wheels.map((w) => w.requirement)).toEqual(['onnxruntime==1.26.0']);
    await checkVendoredInputs(out, 'onnxruntime', 'cpu');

    // Online: the image other suites use (built here when the engine lacks it).
    const online = await ensureImage(e, request);
    expect(online.configDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Offline: its own tag, the same context plus /vendor (so the classic cache cannot serve the install step).
    const { ctx } = imageContext({ ...request, vendorDir: folder });
    expect(ctx.tag).toBe(online.tag);
    const offlineTag = `greenrt-test/offline-onnxruntime:${ctx.tag.slice(ctx.tag.lastIndexOf(':') + 1)}`;
    builds.push(offlineTag);
    const lines: string[] = [];
    const buildStarted = performance.now();
    const offline = await buildReproducibly(e, { ...ctx, tag: offlineTag }, imageLabels(request, ctx), (l) => lines.push(l), { networkMode: 'none' });
    const buildS = (performance.now() - buildStarted) / 1000;
    expect(lines.join('\n')).toContain('greenrt-install: offline, from /tmp/greenrt/vendor');
    console.info(
      `[vendor.docker.test] vendor ${vendorS.toFixed(0)} s (${(record.totalBytes / 2 ** 20).toFixed(0)} MiB), offline build ${buildS.toFixed(0)} s, ` +
        `config digest online ${online.configDigest} offline ${offline.configDigest}`,
    );
    if (offline.configDigest !== online.configDigest) {
      throw new Error(
        `the offline build gave ${offline.configDigest}, the online one ${online.configDigest}:\n${formatImageDiff(await diffImages(e, online.tag, offlineTag))}`,
      );
    }
    expect(offline.configDigest).toBe(online.configDigest);

    const run = await runThrowaway(
      e,
      offlineTag,
      ['sh', '-c', 'python3 -c "import onnxruntime; print(onnxruntime.__version__)"; cat /opt/greenrt/packages/dpkg.txt'],
      {
        timeoutMs: 60_000,
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const [version, ...installed] = run.stdout.trim().split('\n');
    expect(version).toBe('1.26.0');
    for (const pin of pins) expect(installed, `${pin.package}=${pin.version}`).toContain(`${pin.package}=${pin.version}`);
  }, 1_500_000);

  it('the same context without the vendored folder cannot build under network none (the network really is off)', async () => {
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu' });
    const online = { ...ctx, tag: `greenrt-test/no-network:${ctx.contextHash.slice(0, 12)}` };
    tags.push(online.tag);
    const error = await buildFromContext(e, online, { networkMode: 'none', noCache: true }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as ImageBuildError).lastLines.join('\n')).toMatch(/deb\.debian\.org|Temporary failure|Could not resolve|Unable to locate/);
  }, 300_000);
});
