/**
 * Builds that survive the mirror, on the real engine with the smallest real image (onnxruntime cpu: 41 .deb files and
 * one wheel, about 42 MiB): `images vendor` downloads and checks its pinned inputs, then the image is built from that
 * folder with the build's network mode none. The proof that the network is really off: the same context without the
 * folder fails at apt-get update.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../contracts/index.js';
import { runThrowaway, type DockerEngine } from '../docker/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';
import { ensureBaseImage } from './base-image.js';
import { imageContext } from './ensure-image.js';
import { buildFromContext, ImageBuildError } from './image-build.js';
import { checkVendoredInputs, parseAptLock, vendorImageInputs } from './vendor-inputs.js';

const engine = await connectDockerOrSkip('vendor.docker.test');

describe.skipIf(!engine)('vendored inputs and the offline build (onnxruntime cpu)', () => {
  const e = engine as DockerEngine;
  const tags: string[] = [];
  const out = tempDir('greenrt-vendor-docker-');

  afterAll(async () => {
    for (const tag of tags)
      await e.docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('vendor fetches every pinned .deb and wheel with the lock hash; the offline build (network none) installs exactly them', async () => {
    await ensureBaseImage(e, 'greenrt/debian:trixie');
    const started = performance.now();
    const { folder, record } = await vendorImageInputs(e, 'onnxruntime', 'cpu', out);
    const vendorS = (performance.now() - started) / 1000;
    const pins = parseAptLock(readFileSync(join(packageRoot, 'images', 'onnxruntime', 'apt.lock'), 'utf8'), 'apt.lock');
    expect(record.debs.map((d) => `${d.package}=${d.version}`).sort()).toEqual(pins.map((p) => `${p.package}=${p.version}`).sort());
    expect(record.wheels.map((w) => w.requirement)).toEqual(['onnxruntime==1.26.0']);
    await checkVendoredInputs(out, 'onnxruntime', 'cpu');

    // Offline: its own tag, so the image other suites use (same context, online) is left alone.
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu', vendorDir: folder });
    const offline = { ...ctx, tag: `greenrt-test/offline:${ctx.contextHash.slice(0, 12)}` };
    tags.push(offline.tag);
    const buildStarted = performance.now();
    const lines: string[] = [];
    await buildFromContext(e, offline, { networkMode: 'none', noCache: true, progress: (l) => lines.push(l) });
    const buildS = (performance.now() - buildStarted) / 1000;
    expect(lines.join('\n')).toContain('greenrt-install: offline, from /tmp/greenrt/vendor');
    console.info(`[vendor.docker.test] vendor ${vendorS.toFixed(0)} s (${(record.totalBytes / 2 ** 20).toFixed(0)} MiB), offline build ${buildS.toFixed(0)} s`);

    const run = await runThrowaway(
      e,
      offline.tag,
      ['sh', '-c', 'python3 -c "import onnxruntime; print(onnxruntime.__version__)"; cat /opt/greenrt/packages/dpkg.txt; ls -A /tmp'],
      {
        timeoutMs: 60_000,
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const [version, ...rest] = run.stdout.trim().split('\n');
    expect(version).toBe('1.26.0');
    const installed = new Set(rest);
    for (const pin of pins) expect(installed.has(`${pin.package}=${pin.version}`), `${pin.package}=${pin.version}`).toBe(true);
    expect(rest.some((l) => l.startsWith('greenrt') || l.includes('vendor'))).toBe(false); // /tmp/greenrt (the vendored files) is gone
  }, 900_000);

  it('the same context without the vendored folder cannot build under network none (the network really is off)', async () => {
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu' });
    const online = { ...ctx, tag: `greenrt-test/no-network:${ctx.contextHash.slice(0, 12)}` };
    tags.push(online.tag);
    const error = await buildFromContext(e, online, { networkMode: 'none', noCache: true }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as ImageBuildError).lastLines.join('\n')).toMatch(/deb\.debian\.org|Temporary failure|Could not resolve|Unable to locate/);
  }, 300_000);
});
