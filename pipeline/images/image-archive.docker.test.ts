/**
 * `images save` / `images load` on the real Docker engine, with a tiny image (the test base plus one small layer,
 * built from a throw-away checkout): save, remove, load gives the same config digest; damaged or foreign
 * archives are refused with exit 4 and nothing of them stays tagged.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contracts, packageRoot, type ImageArchiveRecord } from '../contracts/index.js';
import { InputError, sha256File, sha256Hex } from '../core/index.js';
import type { DockerEngine } from '../docker/index.js';
import { connectDockerOrSkip, testBaseImage } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';
import { ensureImage } from './ensure-image.js';
import { removeImageBuild } from './assemble-image.js';
import { archiveNames, ImageArchiveError, loadImages, readArchiveImage, saveImages } from './image-archive.js';
import { inspectImageOrNull } from './image-build.js';

const engine = await connectDockerOrSkip('image-archive.docker.test');
const contracts = new Contracts();

describe.skipIf(!engine)('image archives on the real Docker engine (a tiny image)', () => {
  const e = engine as DockerEngine;
  let repo: string;
  let out: string;
  let tag: string;
  let id: string;
  const removeTag = (t: string) =>
    e.docker
      .getImage(t)
      .remove({ noprune: false })
      .catch(() => undefined);

  beforeAll(async () => {
    const base = await testBaseImage(e);
    repo = tempDir('greenrt-archive-');
    out = join(repo, 'saved');
    mkdirSync(join(repo, 'images', 'onnxruntime'), { recursive: true });
    // A nonce makes the tag this file's own: removing and loading it cannot disturb another test's image.
    writeFileSync(
      join(repo, 'images', 'onnxruntime', 'Dockerfile'),
      `ARG BASE_IMAGE=${base}\nFROM \${BASE_IMAGE} AS install\nRUN echo ${randomBytes(8).toString('hex')} > /opt/nonce\nFROM install\nCOPY common /opt/greenrt/common\n`,
    );
    writeFileSync(join(repo, 'images', 'onnxruntime', 'pip-cpu.lock'), 'tiny==1.0\n');
    cpSync(join(packageRoot, 'images', 'common'), join(repo, 'images', 'common'), { recursive: true });
    cpSync(join(packageRoot, 'schemas'), join(repo, 'schemas'), { recursive: true });
    const built = await ensureImage(e, { runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo, describe: false });
    tag = built.tag;
    id = built.imageId;
    expect(built.obtained).toBe('built');
    expect(built.configDigest).toBe(id); // the classic store: the id is the config digest
  }, 300_000);

  afterAll(async () => {
    await removeTag(`${tag}-other`);
    await removeImageBuild(e, tag);
  });

  it('saves the archive and its record (digest, layers, SHA-256 computed while writing, recipe); a second save keeps it', async () => {
    const started = performance.now();
    const { records, transfers } = await saveImages(e, [tag], { contracts, outDir: out, repoRoot: repo });
    const names = archiveNames(tag);
    const record = records[0]!;
    expect(transfers[0]).toMatchObject({ action: 'saved', tag, configDigest: id });
    expect(record.configDigest).toBe(id);
    expect(record.diffIds).toEqual((await e.docker.getImage(tag).inspect()).RootFS.Layers);
    expect(record.archive.file).toBe(names.archive);
    expect(record.archive.sha256).toBe(await sha256File(join(out, names.archive)));
    expect(record.builtFrom.lockFiles).toEqual({ 'runtime/pip-cpu.lock': sha256Hex('tiny==1.0\n') });
    expect(record.savedBy.engineVersion).toBe(e.info.serverVersion);
    expect(contracts.check('https://greenrt.dev/schemas/image-archive.schema.json', JSON.parse(readFileSync(join(out, names.record), 'utf8')))).toEqual([]);
    expect((await readArchiveImage(join(out, names.archive)))[0]).toMatchObject({ configDigest: id, repoTags: [tag] });
    console.info(`[archive] tiny image saved in ${(performance.now() - started).toFixed(0)} ms (${(record.archive.bytes / 2 ** 20).toFixed(0)} MiB)`);
    const again = await saveImages(e, [tag], { contracts, outDir: out, repoRoot: repo });
    expect(again.transfers[0]?.action).toBe('kept');
  });

  it('loads what the engine lacks with the same config digest; present and differently-named images are not loaded again', async () => {
    await removeTag(tag);
    expect(await inspectImageOrNull(e, tag)).toBeNull();
    const [loaded] = await loadImages(e, out, { contracts });
    expect(loaded).toMatchObject({ tag, action: 'loaded', configDigest: id });
    expect((await e.docker.getImage(tag).inspect()).Id).toBe(id);
    expect((await loadImages(e, out, { contracts }))[0]?.action).toBe('present');
    // The same bytes under another name only: tagged, not loaded.
    await e.docker.getImage(tag).tag({ repo: tag.split(':')[0]!, tag: `${tag.split(':')[1]}-other` });
    await removeTag(tag);
    expect((await loadImages(e, out, { contracts }))[0]?.action).toBe('tagged');
    expect((await e.docker.getImage(tag).inspect()).Id).toBe(id);
  });

  it('ensureImage with the saved folder loads a missing image instead of building it, and says so', async () => {
    await removeTag(`${tag}-other`);
    await removeTag(tag);
    const got = await ensureImage(e, { runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo, describe: false, archives: { dir: out, contracts } });
    expect(got).toMatchObject({ built: false, obtained: 'loaded', configDigest: id, imageId: id, loadedFrom: join(out, archiveNames(tag).record) });
    const present = await ensureImage(e, { runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo, describe: false, archives: { dir: out, contracts } });
    expect(present).toMatchObject({ obtained: 'present', loadedFrom: null });
  });

  it("refuses (exit 4) an archive whose config digest is not the record's, before loading anything", async () => {
    const bad = join(repo, 'bad-digest');
    cpSync(out, bad, { recursive: true });
    const file = join(bad, archiveNames(tag).record);
    const record = JSON.parse(readFileSync(file, 'utf8')) as ImageArchiveRecord;
    writeFileSync(file, JSON.stringify({ ...record, configDigest: `sha256:${'ab'.repeat(32)}` }));
    await removeTag(tag);
    const error = await loadImages(e, bad, { contracts }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ImageArchiveError);
    expect((error as ImageArchiveError).exitCode).toBe(4);
    expect((error as Error).message).toContain(`its config digest is ${id}`);
    expect(await inspectImageOrNull(e, tag)).toBeNull();
  });

  it('refuses (exit 4) an archive whose bytes are not the recorded SHA-256, and leaves its tag removed', async () => {
    const bad = join(repo, 'bad-sha');
    cpSync(out, bad, { recursive: true });
    const file = join(bad, archiveNames(tag).record);
    const record = JSON.parse(readFileSync(file, 'utf8')) as ImageArchiveRecord;
    writeFileSync(file, JSON.stringify({ ...record, archive: { ...record.archive, sha256: '0'.repeat(64) } }));
    const error = await loadImages(e, bad, { contracts }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ImageArchiveError);
    expect((error as Error).message).toMatch(/its SHA-256 is [0-9a-f]{64}, the record says 0{64}/);
    expect(await inspectImageOrNull(e, tag)).toBeNull();
  });

  it('refuses (exit 2) a damaged record and a folder without the wanted tag, naming the file', async () => {
    const bad = join(repo, 'bad-record');
    cpSync(out, bad, { recursive: true });
    const file = join(bad, archiveNames(tag).record);
    writeFileSync(file, '{"schemaVersion": 1');
    const damaged = await loadImages(e, bad, { contracts }).catch((x: unknown) => x);
    expect(damaged).toBeInstanceOf(InputError);
    expect((damaged as Error).message).toContain(file);
    const missing = await loadImages(e, out, { contracts, tags: ['greenrt/pytorch:cpu-000000000000'] }).catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as Error).message).toContain('greenrt images save');
  });
});
