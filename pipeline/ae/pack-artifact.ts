/**
 * `greenrt ae pack <runDir>… --out DIR`: the reference runs (verified intact first), the images they used (saved by
 * config digest through pipeline/images), their prepared models, their experiment and claims files, the source,
 * ARTIFACT.md, artifact.json, CITATION.cff, .zenodo.json and SHA256SUMS. Written into a temp folder beside DIR and
 * renamed into place at the end: DIR is a whole pack or absent, never half a pack.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { evaluateClaims, parseClaimsYaml, summarizeTrials } from '../analysis/index.js';
import { claimsFileOf, defaultClaimsFile, maxDocumentBytes } from '../config/index.js';
import { type AeArtifactFile, type Contracts, packageRoot, SchemaId, type TrialResult, type ValidatedManifest } from '../contracts/index.js';
import { escapeText, InputError, readInputFile, runCommand, sha256File } from '../core/index.js';
import type { DockerEngine } from '../docker/index.js';
import { archiveNames, saveImages } from '../images/index.js';
import { type TarEntry, writeTar } from '../images/tar-writer.js';
import { estimateDurationRangeS, planRun } from '../plan/index.js';
import { verifyRunFolder, writeFileAtomic, writeJsonFile } from '../results/index.js';
import { renderArtifactMarkdown, zenodoMetadata } from './artifact-markdown.js';
import { gpuText, powerText } from './evaluate-runs.js';
import { ArtifactError, copyHashed, formatSums, hashPackFile, isPackPath, listPackFiles, SUMS_FILE } from './pack-files.js';

export interface PackOptions {
  contracts: Contracts;
  /** The Docker engine that holds the runs' images (asked for only when a run used images). */
  engine: () => Promise<DockerEngine>;
  /** The greenrt package (source, CITATION.cff, .zenodo.json); default: this package. */
  root?: string;
  progress?: (line: string) => void;
  now?: () => Date;
}

export interface PackResult {
  out: string;
  record: AeArtifactFile;
  /** SHA-256 of SHA256SUMS: the one hash that covers the whole pack. */
  sumsSha256: string;
  durationMs: number;
}

interface Reference {
  dir: string;
  manifest: ValidatedManifest;
  results: TrialResult[];
}

/** Folders a package-files source archive leaves out (built, installed or produced things, and git's own). */
const notSource = new Set(['node_modules', 'dist', 'artifacts', '.build', '.git', '.test-results', 'vendor', '__pycache__', '.pytest_cache']);

export async function packArtifact(runDirs: string[], outDir: string, options: PackOptions): Promise<PackResult> {
  const started = performance.now();
  const root = options.root ?? packageRoot;
  const out = resolve(outDir);
  await refuseNonEmpty(out);
  const refs = await verifiedRuns(runDirs, options.contracts);
  const tmp = join(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: false });
  try {
    const sums = new Map<string, string>();
    const sizes = new Map<string, number>();
    const put = async (from: string, within: string, path: string) => {
      const copied = await copyHashed(from, within, join(tmp, path));
      sums.set(path, copied.sha256);
      sizes.set(path, copied.bytes);
      return copied;
    };
    for (const ref of refs) {
      options.progress?.(`packing run ${ref.manifest.runId}`);
      for (const f of await listPackFiles(ref.dir)) await put(join(ref.dir, f), ref.dir, `runs/${ref.manifest.runId}/${f}`);
    }
    const experiments = await packExperiments(refs, root, put);
    const models = await packModels(refs, put);
    const images = await packImages(refs, tmp, options, sums, sizes, root);
    options.progress?.('packing the source');
    const source = await packSource(refs, root, join(tmp, 'source.tar'));
    const st = await hashPackFile(tmp, 'source.tar');
    sums.set('source.tar', st.sha256);
    sizes.set('source.tar', st.bytes);

    const record: AeArtifactFile = {
      schemaVersion: 1,
      packedAt: (options.now?.() ?? new Date()).toISOString(),
      greenrt: { version: await packageVersion(root) },
      source,
      runs: await Promise.all(refs.map((r) => packedRun(r, experiments.byRun.get(r.manifest.runId)!, options.contracts))),
      images,
      models,
      experimentFiles: experiments.files,
      totalBytes: 0,
    };
    const writeTop = async (path: string, text: string) => {
      await writeFileAtomic(join(tmp, path), text);
      const h = await hashPackFile(tmp, path);
      sums.set(path, h.sha256);
      sizes.set(path, h.bytes);
    };
    await writeTop('CITATION.cff', (await readInputFile(join(root, 'CITATION.cff'), maxDocumentBytes)).toString('utf8'));
    const zenodoBase = JSON.parse((await readInputFile(join(root, '.zenodo.json'), maxDocumentBytes)).toString('utf8')) as Record<string, unknown>;
    // totalBytes counts the files written so far plus the four still to come (known once written): fixed up below.
    const recordBytes = () => [...sizes.values()].reduce((s, n) => s + n, 0);
    record.totalBytes = recordBytes();
    await writeTop('.zenodo.json', `${JSON.stringify(zenodoMetadata(zenodoBase, record), null, 2)}\n`);
    await writeTop('ARTIFACT.md', renderArtifactMarkdown(record));
    record.totalBytes = recordBytes();
    await writeJsonFile(options.contracts, SchemaId.aeArtifact, join(tmp, 'artifact.json'), record);
    const a = await hashPackFile(tmp, 'artifact.json');
    sums.set('artifact.json', a.sha256);
    await writeFileAtomic(join(tmp, SUMS_FILE), formatSums(sums));
    const sumsSha256 = await sha256File(join(tmp, SUMS_FILE));
    // An empty --out folder is replaced; a non-empty one was refused above (and is checked again here).
    await rmdir(out).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw packRefusal(out, 'is not empty');
    });
    await rename(tmp, out);
    return { out, record, sumsSha256, durationMs: performance.now() - started };
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

function packRefusal(out: string, why: string): InputError {
  return new InputError('Cannot pack there', [
    {
      file: out,
      path: '',
      message: `${why}: ae pack writes a new folder and never mixes a pack with other files`,
      hint: 'Name a new or empty folder with --out.',
    },
  ]);
}

async function refuseNonEmpty(out: string): Promise<void> {
  const kind = await stat(out).then(
    (s) => (s.isDirectory() ? 'folder' : 'other'),
    () => 'absent',
  );
  if (kind === 'other') throw packRefusal(out, 'exists and is not a folder');
  if (kind === 'folder' && (await readdir(out)).length > 0) throw packRefusal(out, 'is not empty');
}

/** Each run folder verified like `greenrt verify`: a damaged or unfinished run is never packed (exit 4). */
async function verifiedRuns(runDirs: string[], contracts: Contracts): Promise<Reference[]> {
  const refs: Reference[] = [];
  for (const dir of runDirs) {
    const check = await verifyRunFolder(dir, contracts);
    const problems = [
      ...check.discrepancies.map((d) => `${d.file}: ${d.message}`),
      ...(check.missingTrialIds.length ? [`${check.missingTrialIds.length} planned trials have no result (the run is not finished)`] : []),
    ];
    if (!check.manifest || problems.length > 0) {
      throw new ArtifactError(
        `Run folder ${escapeText(dir, 300)} is not intact, so it cannot be a reference:\n${problems
          .slice(0, 20)
          .map((p) => `  ${escapeText(p, 400)}`)
          .join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
        `Finish it (greenrt run --resume ${dir}) or pack another run; greenrt verify ${dir} lists what is wrong.`,
      );
    }
    if (refs.some((r) => r.manifest.runId === check.manifest!.runId)) {
      throw new InputError('Bad command line', [{ file: 'command line', path: '<runDir>', message: `run ${check.manifest.runId} is given twice` }]);
    }
    refs.push({ dir: check.runDir, manifest: check.manifest, results: check.results });
  }
  return refs;
}

type Put = (from: string, within: string, path: string) => Promise<{ sha256: string; bytes: number }>;

/**
 * The experiment file of each run, its claims file and its supplied model files, at the same places relative to the
 * experiment: under the package's layout when the experiment is in the package, else under experiments/. The
 * experiment must still be the file the run hashed.
 */
async function packExperiments(refs: Reference[], root: string, put: Put) {
  const files = new Map<string, string>();
  const byRun = new Map<string, { experiment: string; claimsFile: string | null; claimsPath: string | null }>();
  for (const ref of refs) {
    const m = ref.manifest;
    const file = resolve(m.experiment.file);
    const inPackage = !relative(root, file).startsWith('..') && !isAbsolute(relative(root, file));
    const packPath = (f: string) => {
      // The default claims file (the experiment names none) is the package's: kept at its package path.
      if (!inPackage && f === defaultClaimsFile) return `experiments/${basename(f)}`;
      const rel = inPackage ? relative(root, f) : `experiments/${relative(dirname(file), f)}`;
      const path = rel.split('\\').join('/');
      if (!isPackPath(path) || (!inPackage && relative(dirname(file), f).startsWith('..'))) {
        throw new InputError(`Cannot pack the inputs of run ${m.runId}`, [
          {
            file: f,
            path: '',
            message: `lies outside the experiment's folder ${dirname(file)}`,
            hint: 'Keep the files an experiment names beside it (or below).',
          },
        ]);
      }
      return path;
    };
    const add = async (f: string, expected: string | null, what: string) => {
      const path = packPath(f);
      const known = files.get(path);
      if (known !== undefined) {
        if (expected !== null && known !== expected) throw clash(path, f);
        return path;
      }
      const copied = await put(f, dirname(f), path);
      if (expected !== null && copied.sha256 !== expected) {
        throw new ArtifactError(
          `${escapeText(f, 300)} (${what} of run ${m.runId}) has SHA-256 ${copied.sha256}, the run recorded ${expected}: it changed after the run`,
          'Restore the file the run used (git checkout), or make a new reference run and pack that.',
        );
      }
      files.set(path, copied.sha256);
      return path;
    };
    const experiment = await add(file, m.experiment.sha256, 'the experiment');
    const claimsFile = claimsFileOf(file, m.experiment.spec.claims);
    const claimsPath = claimsFile === null ? null : await add(claimsFile, null, 'the claims file');
    for (const p of m.experiment.spec.prebuiltModels ?? []) await add(resolve(dirname(file), p.path), p.sha256, `supplied model ${p.model}`);
    byRun.set(m.runId, { experiment, claimsFile, claimsPath });
  }
  return { files: [...files.keys()].sort(), byRun };
}

function clash(path: string, f: string): InputError {
  return new InputError('Two runs name different files at one place', [
    {
      file: f,
      path: '',
      message: `would be packed as ${path}, where another run's file of that name, with other bytes, already is`,
      hint: 'Pack those runs separately.',
    },
  ]);
}

/** The prepared models the runs used (their cache folders), each checked against the SHA-256 its manifest recorded. */
async function packModels(refs: Reference[], put: Put): Promise<AeArtifactFile['models']> {
  const out = new Map<string, AeArtifactFile['models'][number]>();
  for (const ref of refs) {
    for (const m of ref.manifest.models) {
      if ('error' in m || m.prebuilt) continue;
      const name = basename(m.dir);
      const folder = `models/${name}`;
      if (out.has(folder)) continue;
      const listed = await listPackFiles(m.dir).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        throw new InputError(`The prepared model ${m.source}/${m.model} of run ${ref.manifest.runId} is gone`, [
          {
            file: m.dir,
            path: '',
            message: 'does not exist (the model cache was cleared)',
            hint: 'Run the experiment again with greenrt run <experiment> --artifacts <the same folder> (it prepares the model again), then pack that run.',
          },
        ]);
      });
      let bytes = 0;
      let recorded: string | null = null;
      const anchor = m.onnxFile ? relative(m.dir, m.onnxFile) : 'prepared.json';
      for (const f of listed) {
        const copied = await put(join(m.dir, f), m.dir, `${folder}/${f}`);
        bytes += copied.bytes;
        if (f === anchor) recorded = copied.sha256;
      }
      if (recorded !== m.sha256) {
        throw new ArtifactError(
          `The prepared model ${escapeText(m.dir, 300)} is not what run ${ref.manifest.runId} used: ${anchor} has SHA-256 ${recorded ?? 'none (missing)'}, the manifest says ${m.sha256}`,
          'Prepare it again (greenrt run the experiment with the same --artifacts), then pack that run.',
        );
      }
      out.set(folder, { folder, model: m.model, source: m.source, sha256: m.sha256, bytes });
    }
  }
  return [...out.values()];
}

/** The images the runs used, saved by `saveImages` into images/; each archive's config digest must be the run's. */
async function packImages(
  refs: Reference[],
  tmp: string,
  options: PackOptions,
  sums: Map<string, string>,
  sizes: Map<string, number>,
  root: string,
): Promise<AeArtifactFile['images']> {
  const wanted = new Map<string, string>();
  for (const ref of refs) {
    for (const image of ref.manifest.images) {
      // Runs before the config digest was recorded: their image id is it (the classic store).
      const digest = image.configDigest ?? image.imageId ?? image.id ?? '';
      const known = wanted.get(image.tag);
      if (known !== undefined && known !== digest) {
        throw new ArtifactError(
          `Runs used two different images under ${image.tag} (${known} and ${digest})`,
          'Pack runs that used the same image, or pack them separately.',
        );
      }
      wanted.set(image.tag, digest);
    }
  }
  if (wanted.size === 0) return [];
  const engine = await options.engine();
  const { records } = await saveImages(engine, [...wanted.keys()], {
    contracts: options.contracts,
    outDir: join(tmp, 'images'),
    repoRoot: root,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const out: AeArtifactFile['images'] = [];
  for (const r of records) {
    if (r.configDigest !== wanted.get(r.tag)) {
      throw new ArtifactError(
        `The image ${r.tag} on this Docker engine has config digest ${r.configDigest}; the runs used ${wanted.get(r.tag)}`,
        'The engine holds a rebuilt image, not the one the runs measured: load the original (greenrt images load), or make a new reference run with this image.',
      );
    }
    const names = archiveNames(r.tag);
    for (const f of [names.archive, names.record]) {
      const h = await hashPackFile(tmp, `images/${f}`);
      sums.set(`images/${f}`, h.sha256);
      sizes.set(`images/${f}`, h.bytes);
    }
    out.push({ tag: r.tag, configDigest: r.configDigest, record: `images/${names.record}`, archive: `images/${names.archive}`, bytes: r.archive.bytes });
  }
  return out;
}

/** source.tar: `git archive` of the runs' commit when the package is that git checkout, else the package's own files. */
async function packSource(refs: Reference[], root: string, target: string): Promise<AeArtifactFile['source']> {
  const commits = [...new Set(refs.map((r) => r.manifest.greenrt.gitCommit))];
  if (commits.length > 1) {
    throw new InputError('The runs were made with different greenrt commits', [
      {
        file: 'command line',
        path: '<runDir>',
        message: `their manifests name ${commits.map((c) => c ?? 'no commit').join(', ')}`,
        hint: 'Pack runs of one commit together.',
      },
    ]);
  }
  const commit = commits[0] ?? null;
  const dirty = refs.some((r) => r.manifest.greenrt.gitDirty === true) ? true : refs.every((r) => r.manifest.greenrt.gitDirty === false) ? false : null;
  const dirtyNote = dirty ? 'A run recorded uncommitted changes: the archive is the commit, not exactly what ran.' : null;
  if (commit !== null) {
    const archived = await runCommand('git', ['-C', root, 'archive', '--format=tar', '-o', target, commit], {
      purpose: 'archive the source at the runs commit',
      hint: 'Run ae pack from the git checkout the runs were made with.',
      timeoutMs: 120_000,
      answers: (o) => o.code !== 0,
    }).catch(() => null);
    if (archived && archived.code === 0) return { file: 'source.tar', method: 'git-archive', commit, dirty, note: dirtyNote };
    await rm(target, { force: true });
  }
  const entries: TarEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      if (notSource.has(name) || name.endsWith('.tsbuildinfo')) continue;
      const path = rel ? `${rel}/${name}` : name;
      const s = await stat(join(root, path)).catch(() => null);
      if (!s) continue;
      if (s.isDirectory()) {
        entries.push({ path, type: 'directory' });
        await walk(path);
      } else if (s.isFile()) {
        entries.push({ path, type: 'file', data: await readInputFile(join(root, path), 512 * 2 ** 20, { within: root }), executable: (s.mode & 0o111) !== 0 });
      }
    }
  };
  await walk('');
  await writeFileAtomic(target, writeTar(entries));
  const why = commit === null ? 'the runs recorded no git commit' : `commit ${commit} is not in a git checkout at ${root}`;
  return {
    file: 'source.tar',
    method: 'package-files',
    commit,
    dirty,
    note: [`${why}: the package's files without node_modules, dist and artifacts.`, dirtyNote].filter(Boolean).join(' '),
  };
}

async function packedRun(
  ref: Reference,
  files: { experiment: string; claimsFile: string | null; claimsPath: string | null },
  contracts: Contracts,
): Promise<AeArtifactFile['runs'][number]> {
  const m = ref.manifest;
  const range = estimateDurationRangeS(planRun(m.experiment.spec));
  let claims: AeArtifactFile['runs'][number]['claims'] = [];
  if (files.claimsFile) {
    const text = (await readInputFile(files.claimsFile, maxDocumentBytes, { within: dirname(files.claimsFile) })).toString('utf8');
    const set = parseClaimsYaml(text, files.claimsFile, contracts);
    claims = evaluateClaims(set, summarizeTrials(ref.results, { seed: m.plan.seed }), ref.results).map((c) => ({
      id: c.id,
      scope: c.scope,
      text: c.text,
      verdict: c.verdict,
    }));
  }
  const gpus = ((m.host.gpus ?? []) as Record<string, unknown>[]).map(
    (g) => `${String(g.name ?? 'GPU')} (driver ${String(g.driverVersion ?? g.driver ?? '?')})`,
  );
  const docker = m.host.docker as { version?: unknown; serverVersion?: unknown } | null;
  return {
    runId: m.runId,
    folder: `runs/${m.runId}`,
    manifestSha256: await sha256File(join(ref.dir, 'manifest.json')),
    experiment: files.experiment,
    experimentSha256: m.experiment.sha256,
    claimsFile: files.claimsPath,
    trials: m.plan.trialCount,
    estimate: { minS: range.minS, maxS: range.maxS },
    host: {
      cpuModel: m.host.cpuModel,
      cpuCount: m.host.cpuCount,
      memoryMiB: m.host.memoryMiB,
      kernel: m.host.kernel,
      gpus: gpuText(m).names === 'none' ? [] : gpus,
      docker: docker ? String(docker.serverVersion ?? docker.version ?? 'yes') : null,
      energy: powerText(m),
    },
    claims,
  };
}

async function packageVersion(root: string): Promise<string> {
  return (JSON.parse((await readInputFile(join(root, 'package.json'), maxDocumentBytes)).toString('utf8')) as { version: string }).version;
}
