/**
 * `greenrt ae load DIR`: every file of the pack against SHA256SUMS first (nothing is loaded from a pack that is not
 * what its sums say), then the images the Docker engine lacks (by config digest, through pipeline/images) and the
 * prepared models into <artifacts>/models/, where a run looks before it prepares one: afterwards a run of the
 * pack's experiments needs no network.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type AeArtifactFile, type Contracts, SchemaId } from '../contracts/index.js';
import { escapeText, InputError, InputFileProblem, readInputFile } from '../core/index.js';
import type { DockerEngine } from '../docker/index.js';
import { type ImageTransfer, loadImages } from '../images/index.js';
import { ensureFolder, readJsonFile } from '../results/index.js';
import { ArtifactError, copyHashed, hashPackFile, listPackFiles, parseSums, SUMS_FILE } from './pack-files.js';

export interface LoadOptions {
  contracts: Contracts;
  /** The artifacts folder runs will use (models go to <artifacts>/models/). */
  artifactsDir: string;
  /** The Docker engine to load into (asked for only when the pack holds images). */
  engine: () => Promise<DockerEngine>;
  progress?: (line: string) => void;
}

export interface ModelPlacement {
  folder: string;
  target: string;
  action: 'copied' | 'present';
}

export interface LoadResult {
  record: AeArtifactFile;
  files: number;
  bytes: number;
  images: ImageTransfer[];
  models: ModelPlacement[];
  durationMs: number;
}

const maxSumsBytes = 64 * 2 ** 20;

/** Checks every file of the pack against SHA256SUMS: ArtifactError (exit 4) listing each changed, missing or extra file. */
export async function checkPack(dir: string, contracts: Contracts): Promise<{ record: AeArtifactFile; files: number; bytes: number }> {
  const root = resolve(dir);
  const sumsFile = join(root, SUMS_FILE);
  let text: string;
  try {
    text = (await readInputFile(sumsFile, maxSumsBytes, { within: root, noFollow: true })).toString('utf8');
  } catch (error) {
    if (error instanceof InputFileProblem && error.code === 'ENOENT') {
      throw new InputError(`${escapeText(dir, 300)} is not an artifact pack`, [
        {
          file: sumsFile,
          path: '',
          message: 'does not exist',
          hint: 'Pass the folder greenrt ae pack wrote (it holds SHA256SUMS, artifact.json and ARTIFACT.md).',
        },
      ]);
    }
    throw new ArtifactError(
      `${escapeText(sumsFile, 300)} ${error instanceof InputFileProblem ? error.reason : (error as Error).message}`,
      'Get the pack again.',
    );
  }
  const sums = parseSums(text, sumsFile);
  const present = (await listPackFiles(root)).filter((f) => f !== SUMS_FILE);
  const problems: string[] = [];
  const onDisk = new Set(present);
  for (const f of sums.keys()) if (!onDisk.has(f)) problems.push(`${f}: missing`);
  for (const f of present) if (!sums.has(f)) problems.push(`${f}: not listed in SHA256SUMS (an extra file)`);
  let bytes = 0;
  for (const f of present) {
    if (!sums.has(f)) continue;
    const h = await hashPackFile(root, f).catch((e: unknown) => {
      throw new ArtifactError(`${escapeText(join(root, f), 300)} ${e instanceof InputFileProblem ? e.reason : (e as Error).message}`, 'Get the pack again.');
    });
    bytes += h.bytes;
    if (h.sha256 !== sums.get(f)) problems.push(`${f}: SHA-256 ${h.sha256}, SHA256SUMS says ${sums.get(f)}`);
  }
  if (problems.length) {
    throw new ArtifactError(
      `The pack ${escapeText(root, 300)} is not what its SHA256SUMS says (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .slice(0, 30)
        .map((p) => `  ${escapeText(p, 400)}`)
        .join('\n')}${problems.length > 30 ? `\n  … and ${problems.length - 30} more` : ''}`,
      'Nothing was loaded. Get the pack again; if it came from an archive (Zenodo), compare the SHA-256 of SHA256SUMS with the one the paper quotes.',
    );
  }
  const read = await readJsonFile<AeArtifactFile>(contracts, SchemaId.aeArtifact, join(root, 'artifact.json'), {
    shown: join(root, 'artifact.json'),
    hint: 'greenrt ae pack writes it; this pack was made by something else or a different greenrt version.',
    noFollow: true,
  });
  if (!read.ok) throw new InputError(`${escapeText(join(root, 'artifact.json'), 300)} is damaged`, read.problems);
  for (const m of read.data.models) {
    if (!present.some((f) => f.startsWith(`${m.folder}/`))) {
      throw new InputError(`${escapeText(join(root, 'artifact.json'), 300)} names a model folder the pack lacks`, [
        { file: join(root, 'artifact.json'), path: '/models', message: `${m.folder} holds no file`, hint: 'Get the pack again.' },
      ]);
    }
  }
  return { record: read.data, files: present.length + 1, bytes };
}

export async function loadArtifact(dir: string, options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const root = resolve(dir);
  options.progress?.(`checking every file of ${root} against ${SUMS_FILE}`);
  const { record, files, bytes } = await checkPack(root, options.contracts);
  const images = record.images.length
    ? await loadImages(await options.engine(), join(root, 'images'), { contracts: options.contracts, ...progressOf(options) })
    : [];
  const models: ModelPlacement[] = [];
  const modelsDir = join(resolve(options.artifactsDir), 'models');
  if (record.models.length) await ensureFolder(modelsDir);
  const packFiles = await listPackFiles(root);
  for (const m of record.models) {
    const name = m.folder.slice('models/'.length);
    const target = join(modelsDir, name);
    const inFolder = packFiles.filter((f) => f.startsWith(`${m.folder}/`)).map((f) => f.slice(m.folder.length + 1));
    if (await sameFiles(root, m.folder, target, inFolder)) {
      models.push({ folder: m.folder, target, action: 'present' });
      continue;
    }
    // Copied beside the target and renamed: a run never finds half a model (the model store does the same).
    const tmp = `${target}.partial-${randomBytes(4).toString('hex')}`;
    try {
      for (const f of inFolder) await copyHashed(join(root, m.folder, f), root, join(tmp, f));
      await rm(target, { recursive: true, force: true });
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
    options.progress?.(`model ${m.source}/${m.model} copied to ${target}`);
    models.push({ folder: m.folder, target, action: 'copied' });
  }
  return { record, files, bytes, images, models, durationMs: performance.now() - started };
}

function progressOf(options: LoadOptions): { progress?: (line: string) => void } {
  return options.progress ? { progress: options.progress } : {};
}

/** True when `target` already holds every file of the pack's model folder with the same bytes. */
async function sameFiles(root: string, folder: string, target: string, files: string[]): Promise<boolean> {
  for (const f of files) {
    const [a, b] = await Promise.all([hashPackFile(root, `${folder}/${f}`), hashPackFile(target, f).catch(() => null)]);
    if (!b || a.sha256 !== b.sha256) return false;
  }
  return files.length > 0;
}
