/**
 * Rules 1 and 5 of docs/RELIABILITY.md, enforced over the sources: every file greenrt reads is opened by the one
 * safe reader (pipeline/core/read-input-file.ts: non-blocking, regular file only, size cap, no link or confined
 * after links), and every file greenrt writes goes through the atomic write (pipeline/results/atomic-write.ts:
 * it refuses to replace anything but a regular file). This test lists every source file that imports a
 * node:fs function able to open, read, write or rename a file, and fails for one not listed below with the
 * reason it may: a new command cannot read or write a file another way without changing this list.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { shippedSources } from '../testing/source-files.js';

const reads = new Set(['readFile', 'readFileSync', 'createReadStream', 'open', 'openSync', 'read', 'readSync', 'readv', 'readvSync', 'openAsBlob']);
const writes = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'rename',
  'renameSync',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
  'truncate',
  'truncateSync',
  'write',
  'writeSync',
]);

/** The files allowed to call those functions themselves, each with the reason. */
const readers: Record<string, string> = {
  'core/read-input-file.ts': 'the safe reader itself',
  'results/atomic-write.ts': 'opens its own new temp file (O_EXCL) to write it, and a folder to fsync it',
  'cli/main.ts': "greenrt's own package.json (the version), inside the installed package",
  'orchestrate/host-info.ts': "greenrt's own package.json (the version), inside the installed package",
  'contracts/schema-files.ts': "greenrt's own schemas/*.schema.json, inside the installed package",
  'images/ensure-image.ts': "greenrt's own images/<runtime>/Dockerfile, inside the installed package",
  'images/image-lock.ts': "greenrt's own images/images.lock.json and Dockerfiles, inside the installed package (the lock is schema-checked)",
  'runners/embedded/load-ort.ts': "the kernel's /proc/self/maps and the onnxruntime library this process mapped (hashed)",
  'power/ports.ts': "the kernel's powercap files under /sys (the RAPL sensor itself), behind the FileSystem port the tests replace",
  'images/image-archive.ts': 'opens its own temp archive (made with O_EXCL) to fsync it; archives it reads go through openInputFile',
};
const writers: Record<string, string> = {
  'results/atomic-write.ts': 'the atomic write itself (temp file, fsync, rename after the regular-file check)',
  'models/model-store.ts': "renames its own temp folder (<model>.partial, made by greenrt) over the model's folder: a folder, not a file",
  'runners/embedded/embedded-runner.ts': "appends to the trial's log, a file greenrt created in the run's own trials folder the same trial",
  'images/image-archive.ts': 'streams docker save into its own temp file (O_EXCL), then renames it after refuseNonRegularTarget, as writeFileAtomic does',
  'images/vendor-inputs.ts': 'publishes its staging folder (renames folders, not files), after refusing anything but a folder at the target',
  'ae/pack-files.ts':
    'copies a pack file into a new file (flag wx: never over an existing one) inside its own temp pack or model folder, which is renamed whole',
  'ae/pack-artifact.ts': 'renames its own temp pack folder (made beside --out) into place: a folder, not a file; an existing non-empty --out is refused',
  'ae/load-artifact.ts': 'renames its own temp model folder (<model>.partial-*) over <artifacts>/models/<model>, as the model store does',
};

/** The node:fs functions a file imports by name, and whether it takes the whole module (`* as fs`, default import, require). */
function fsImports(text: string): { names: string[]; whole: boolean } {
  const names: string[] = [];
  let whole = false;
  for (const m of text.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s+['"](?:node:)?fs(?:\/promises)?['"]/g)) {
    if (m[1]) continue;
    const clause = m[2]!;
    if (/\*\s+as|^\s*\w+\s*(,|$)/.test(clause)) whole = true;
    for (const part of clause.match(/\{([^}]*)\}/)?.[1]?.split(',') ?? []) {
      const p = part.trim();
      if (!p || p.startsWith('type ')) continue;
      const name = p.split(/\s+as\s+/)[0]!.trim();
      if (name === 'promises') whole = true;
      names.push(name);
    }
  }
  if (/require\(\s*['"](?:node:)?fs|import\(\s*['"](?:node:)?fs/.test(text)) whole = true;
  return { names, whole };
}

const pipelineDir = join(packageRoot, 'pipeline');
const found = shippedSources(pipelineDir).map((file) => ({ file: relative(pipelineDir, file), ...fsImports(readFileSync(file, 'utf8')) }));

describe('every file is read through the safe reader and written through the atomic write', () => {
  it('finds the fs imports it checks (the scan works)', () => {
    expect(found.find((f) => f.file === 'core/read-input-file.ts')?.names).toContain('open');
    expect(found.find((f) => f.file === 'results/atomic-write.ts')?.names).toContain('rename');
    expect(fsImports("import * as fs from 'node:fs';").whole).toBe(true);
    expect(fsImports("import { readFile as rf, type Stats } from 'node:fs/promises';").names).toEqual(['readFile']);
  });

  it('no source file imports all of node:fs (the names below could not be checked)', () => {
    expect(found.filter((f) => f.whole).map((f) => f.file)).toEqual([]);
  });

  it('only the listed files open or read a file themselves; every other reader uses readInputFile / openInputFile', () => {
    const offenders = found
      .filter((f) => f.names.some((n) => reads.has(n)) && !(f.file in readers))
      .map((f) => `${f.file}: ${f.names.filter((n) => reads.has(n)).join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('only the listed files write or rename a file themselves; every other writer uses writeFileAtomic', () => {
    const offenders = found
      .filter((f) => f.names.some((n) => writes.has(n)) && !(f.file in writers))
      .map((f) => `${f.file}: ${f.names.filter((n) => writes.has(n)).join(', ')}`);
    expect(offenders).toEqual([]);
  });

  it('the lists hold no file that no longer needs its place', () => {
    for (const file of Object.keys(readers))
      expect(
        found.find((f) => f.file === file)?.names.some((n) => reads.has(n)),
        file,
      ).toBe(true);
    for (const file of Object.keys(writers))
      expect(
        found.find((f) => f.file === file)?.names.some((n) => writes.has(n)),
        file,
      ).toBe(true);
  });
});
