#!/usr/bin/env node
// Builds each image twice from nothing through greenrt's real build and assembly path and compares the config
// digests (docs/ARCHITECTURE.md, "Reproducible images"); on a difference, prints the paths that differ (exit 4).
// Then a code-only rebuild (one changed line in the runtime folder, in a temp copy of the checkout) to time it.
//   node scripts/images-repro-check.mjs [--flavour cpu|cuda] [runtime...]      (make images-repro-check)
// "From nothing": the tag, its build intermediates (<repository>-build:*, the classic builder's cache) and the
// install-layer cache are removed before each build, which also runs with --no-cache (another build of the same
// context on a shared engine could otherwise refill the cache); the Debian base is kept (build-base.sh is checked apart).
// One image at a time, each removed after its check unless --keep (disk: about three copies of one image).
// Prints a table and the digests; writes nothing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { imageFlavours } from '../dist/catalogue/index.js';
import { connectDocker } from '../dist/docker/index.js';
import { buildReproducibly, diffImages, ensureBaseImage, formatImageDiff, imageContext, imageLabels, removeImageBuild } from '../dist/images/index.js';

const repoRoot = new URL('..', import.meta.url).pathname;
const { values, positionals } = parseArgs({
  options: { flavour: { type: 'string', default: 'cpu' }, keep: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const flavour = values.flavour;
const all = ['mxnet', 'onnxruntime', 'openvino', 'pytorch', 'tensorflow'].filter((r) => imageFlavours(r).includes(flavour));
const runtimes = positionals.length > 0 ? positionals : all;
const engine = await connectDocker();
const log = (line) => process.stderr.write(`${line}\n`);

async function removeAll(tag, extra = []) {
  await removeImageBuild(engine, tag);
  for (const ref of extra)
    await engine.docker
      .getImage(ref)
      .remove({ force: true })
      .catch(() => undefined);
}

async function coldBuild(request, tag) {
  const { ctx, baseImage } = imageContext(request);
  if (baseImage) await ensureBaseImage(engine, baseImage, { repoRoot: request.repoRoot ?? repoRoot });
  const started = performance.now();
  const r = await buildReproducibly(engine, ctx, imageLabels(request, ctx), (l) => log(`  ${request.runtime}: ${l.slice(0, 120)}`), {
    noCache: !request.repoRoot,
  });
  if (ctx.tag !== tag) throw new Error(`tag moved: ${ctx.tag} vs ${tag}`);
  const size = (await engine.docker.getImage(tag).inspect()).Size;
  return { ...r, totalMs: performance.now() - started, sizeBytes: size };
}

const rows = [];
let failed = 0;
for (const runtime of runtimes) {
  const request = { runtime, flavour };
  const { tag } = imageContext(request).ctx;
  const keepTag = `greenrt-repro-check/${runtime}:${flavour}-first`;
  log(`${runtime} ${flavour}: ${tag}`);
  await removeAll(tag, [keepTag]);
  const a = await coldBuild(request, tag);
  await engine.docker.getImage(tag).tag({ repo: keepTag.split(':')[0], tag: keepTag.split(':')[1] });
  await removeAll(tag);
  const b = await coldBuild(request, tag);
  let diff = '';
  if (a.configDigest !== b.configDigest) {
    failed++;
    diff = formatImageDiff(await diffImages(engine, keepTag, tag));
  }
  await engine.docker
    .getImage(keepTag)
    .remove({ force: true })
    .catch(() => undefined);
  // Code-only rebuild: the same checkout with one line added to the runtime's adapter.
  const copy = mkdtempSync(join(tmpdir(), 'greenrt-repro-check-'));
  let code;
  try {
    cpSync(join(repoRoot, 'images'), join(copy, 'images'), { recursive: true });
    cpSync(join(repoRoot, 'schemas'), join(copy, 'schemas'), { recursive: true });
    const adapter = join(copy, 'images', runtime, 'greenrt_adapter.py');
    writeFileSync(adapter, `${readFileSync(adapter, 'utf8')}\n# code-only change (images-repro-check)\n`);
    const codeRequest = { runtime, flavour, repoRoot: copy };
    const codeTag = imageContext(codeRequest).ctx.tag;
    code = await coldBuild(codeRequest, codeTag);
    // The code-only image and its intermediate; the install-layer cache is the cold build's, removed below.
    await engine.docker
      .getImage(codeTag)
      .remove({ force: true })
      .catch(() => undefined);
    await engine.docker
      .getImage(`${codeTag.replace(/:/, '-build:')}`)
      .remove({ force: true })
      .catch(() => undefined);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  const s = (ms) => (ms / 1000).toFixed(1);
  const assembly = (r) => r.timingsMs.assembly; // wall time (the code layer is made beside the install layer)
  rows.push({ runtime, flavour, tag, first: a.configDigest, second: b.configDigest, equal: a.configDigest === b.configDigest, diff });
  log(
    `${runtime} ${flavour}: ${a.configDigest === b.configDigest ? 'EQUAL' : 'DIFFERENT'} ${a.configDigest}\n` +
      `  cold build 1: classic ${s(a.timingsMs.classicBuild)} s + assembly ${s(assembly(a))} s (install layer ${s(a.timingsMs.installLayer)}, code ${s(a.timingsMs.codeLayer)}, load ${s(a.timingsMs.load)}) = ${s(a.totalMs)} s, +${((100 * assembly(a)) / a.timingsMs.classicBuild).toFixed(0)} %\n` +
      `  cold build 2: classic ${s(b.timingsMs.classicBuild)} s + assembly ${s(assembly(b))} s = ${s(b.totalMs)} s, +${((100 * assembly(b)) / b.timingsMs.classicBuild).toFixed(0)} %; ${(b.sizeBytes / 2 ** 20).toFixed(0)} MiB\n` +
      `  code-only rebuild: ${s(code.totalMs)} s (classic ${s(code.timingsMs.classicBuild)}, install layer ${code.installCached ? 'cached' : 'NOT cached'}, code ${s(code.timingsMs.codeLayer)}, load ${s(code.timingsMs.load)})` +
      (diff ? `\n${diff}` : ''),
  );
  if (!values.keep) await removeAll(tag);
}
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
process.exitCode = failed > 0 ? 4 : 0;
