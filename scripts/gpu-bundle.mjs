#!/usr/bin/env node
// make gpu-bundle: a portable greenrt for GPU hosts without Node, npm or network -> dist/gpu-bundle/
// (at most 64 MiB). Layout:
//   node.xz                          this Node 20 binary (process.execPath), xz-compressed
//   greenrt/lib/cli/greenrt.mjs      the CLI as one esbuild file (onnxruntime-node left out: loaded on first use only)
//   greenrt/package.json, schemas/   what the CLI reads at run time (packageRoot = greenrt/)
//   greenrt/images/common, images/pytorch   the Python harness and the PyTorch adapter (process runner)
//   greenrt/node_modules/koffi, @resvg/...  native modules (NVML binding; PNG plots), Linux x64 (+ koffi arm64)
//   run-gpu-check.sh                 unpacks node and runs `greenrt doctor --measure --runner process` with the host's python3
//   gpu-first-contact.sh             the first GPU host's facts and checks, in one text file to send back
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'dist', 'gpu-bundle');
const LIMIT_BYTES = 64 * 1024 * 1024;
const started = Date.now();
const major = Number(process.versions.node.split('.')[0]);
if (major !== 20) throw new Error(`gpu-bundle packs the running node binary, which must be Node 20 (the supported version), not ${process.version}.`);

rmSync(out, { recursive: true, force: true });
const app = join(out, 'greenrt');
mkdirSync(join(app, 'lib', 'cli'), { recursive: true });

// 1. The CLI as one file. Native modules stay outside (shipped below); onnxruntime-node is not shipped.
await build({
  entryPoints: [join(root, 'pipeline', 'cli', 'bundle-entry.ts')],
  outfile: join(app, 'lib', 'cli', 'greenrt.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  external: ['onnxruntime-node', 'onnxruntime-node/*', 'koffi', '@resvg/resvg-js', 'cpu-features', '*.node'],
  // Bundled CommonJS dependencies call require(): give the ESM bundle one.
  banner: {
    js: [
      "import { createRequire as __greenrtRequire } from 'node:module';",
      "import { fileURLToPath as __greenrtPath } from 'node:url';",
      "import { dirname as __greenrtDirname } from 'node:path';",
      'const require = __greenrtRequire(import.meta.url);',
      'const __filename = __greenrtPath(import.meta.url);',
      'const __dirname = __greenrtDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});

// 2. Run-time files the CLI reads relative to its package root.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true, description: 'greenrt portable GPU bundle' }, null, 2)}\n`,
);
cpSync(join(root, 'schemas'), join(app, 'schemas'), { recursive: true });
const noCache = (src) => !src.includes('__pycache__') && !src.endsWith('.pyc');
cpSync(join(root, 'images', 'common', 'greenrt_harness'), join(app, 'images', 'common', 'greenrt_harness'), { recursive: true, filter: noCache });
mkdirSync(join(app, 'images', 'pytorch'), { recursive: true });
for (const f of readdirSync(join(root, 'images', 'pytorch')).filter((f) => f.endsWith('.py')))
  cpSync(join(root, 'images', 'pytorch', f), join(app, 'images', 'pytorch', f));

// 3. Native modules: koffi (NVML) and resvg (PNG plots), only the files they load.
const nm = (...p) => join(root, 'node_modules', ...p);
const to = (...p) => join(app, 'node_modules', ...p);
for (const f of ['package.json', 'index.js', 'indirect.js', 'LICENSE.txt']) cpSync(nm('koffi', f), to('koffi', f));
for (const arch of ['linux_x64', 'linux_arm64']) cpSync(nm('koffi', 'build', 'koffi', arch), to('koffi', 'build', 'koffi', arch), { recursive: true });
cpSync(nm('@resvg', 'resvg-js'), to('@resvg', 'resvg-js'), { recursive: true });
cpSync(nm('@resvg', 'resvg-js-linux-x64-gnu'), to('@resvg', 'resvg-js-linux-x64-gnu'), { recursive: true });

// 4. This Node 20 binary, xz-compressed (-9; the bundle must fit in 64 MiB).
writeFileSync(join(out, 'node.xz'), execFileSync('xz', ['-9', '-T0', '-c', process.execPath], { maxBuffer: 256 * 1024 * 1024 }));
writeFileSync(join(out, 'NODE_VERSION'), `${process.version} ${process.platform}-${process.arch}\n`);
for (const script of ['run-gpu-check.sh', 'gpu-first-contact.sh']) {
  cpSync(join(root, 'scripts', script), join(out, script));
  chmodSync(join(out, script), 0o755);
}

const sizes = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else sizes.push([relative(out, p), st.size]);
  }
};
walk(out);
const total = sizes.reduce((a, [, s]) => a + s, 0);
const summary = {
  totalBytes: total,
  limitBytes: LIMIT_BYTES,
  files: sizes.length,
  buildMs: Date.now() - started,
  node: process.version,
  largest: sizes.sort((a, b) => b[1] - a[1]).slice(0, 5),
};
writeFileSync(join(out, 'bundle.json'), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(
  `gpu-bundle: ${out}: ${total} bytes (${(total / 1048576).toFixed(1)} MiB of 64 MiB) in ${sizes.length} files, built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
if (total > LIMIT_BYTES) {
  process.stderr.write(
    `gpu-bundle: ${total} bytes is over the 64 MiB limit (largest: ${summary.largest.map(([f, s]) => `${f} ${s}`).join(', ')}). Remove something from the bundle.\n`,
  );
  process.exit(1);
}
