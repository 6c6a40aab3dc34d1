// Cached image build: `greenrt images build` when the image for the current files exists must not
// rebuild, and must answer in under 2 s per image (CLI process start included).
import { join } from 'node:path';
import { ensureImage } from '../dist/images/index.js';
import { caBundle, cpuImage, engine } from './docker-setup.mjs';
import { execOk, log, median, repoRoot, round } from './lib.mjs';

const runtimes = ['pytorch', 'onnxruntime'];

export async function benchImageCache({ quick = false } = {}) {
  const before = {};
  for (const r of runtimes) before[r] = (await cpuImage(r)).imageId; // built first if missing (not timed)
  const repeats = quick ? 1 : 3;
  // First call after a build made elsewhere runs the describe containers once (then cached): not
  // the steady "nothing changed" case, so it is reported apart.
  const first = await execOk(process.execPath, [join(repoRoot, 'bin', 'greenrt.js'), 'images', 'build', '--flavour', 'cpu', ...runtimes]);
  const cliMs = [];
  const rebuilt = new Set();
  for (let i = 0; i < repeats; i++) {
    const r = await execOk(process.execPath, [join(repoRoot, 'bin', 'greenrt.js'), 'images', 'build', '--flavour', 'cpu', ...runtimes]);
    cliMs.push(r.wallMs);
    for (const line of r.stdout.split('\n')) if (/ built in /.test(line)) rebuilt.add(line.split(' ')[0]);
  }
  const eng = await engine();
  const inProcess = {};
  for (const runtime of runtimes) {
    const withDescribe = [];
    const withoutDescribe = [];
    for (let i = 0; i < repeats; i++) {
      const request = { runtime, flavour: 'cpu', ...(caBundle() ? { caBundlePath: caBundle() } : {}) };
      const a = await ensureImage(eng, request);
      const b = await ensureImage(eng, { ...request, describe: false });
      if (a.built || b.built || a.imageId !== before[runtime]) rebuilt.add(a.tag);
      withDescribe.push(a.durationMs);
      withoutDescribe.push(b.durationMs);
    }
    inProcess[runtime] = { ensureImageMs: round(median(withDescribe), 1), ensureImageNoDescribeMs: round(median(withoutDescribe), 1) };
  }
  const perImageS = median(cliMs) / runtimes.length / 1000;
  log(`image cache: CLI ${round(median(cliMs), 0)} ms for ${runtimes.length} images; rebuilt: ${[...rebuilt].join(', ') || 'none'}`);
  return {
    cachedImageBuildSPerImage: round(perImageS, 3),
    cachedImageRebuilt: rebuilt.size > 0,
    cliWallMs: round(median(cliMs), 1),
    cliFirstCallMs: round(first.wallMs, 1),
    cliCommand: `greenrt images build --flavour cpu ${runtimes.join(' ')}`,
    inProcess,
    images: runtimes.length,
    repeats,
  };
}
