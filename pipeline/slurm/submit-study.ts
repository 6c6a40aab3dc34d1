import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SchemaId, packageRoot, type Contracts, type RunManifest, type SlurmStudy } from '../contracts/index.js';
import { EnvironmentError, escapeText, InputError, ScriptValueError, type Clock } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import { estimateDurationS, planRun, shardPlan, type NeededImage, type ShardPartition } from '../plan/index.js';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { ensureImage, imageContext, readArchiveFolder, saveImages } from '../images/index.js';
import { ensureFolder, makeRunId, readJsonFile, shownRunDir, writeFileAtomic, writeJsonFile } from '../results/index.js';
import { renderMergeScript, renderShardScript, mergedRunId, shardRunId, type SlurmOptions, type StudyLayout } from './sbatch-scripts.js';
import type { SlurmClient } from './slurm-client.js';
import { renderDecideScript, renderRoundShardScript, renderRoundsMergeScript } from './round-scripts.js';
import { decideScript, firstRoundIndices, resubmitRounds, roundShardScript, roundsMergeScript, submitFirstRound } from './rounds-study.js';

export interface SubmitRequest {
  experimentFile: string;
  shards: number;
  partition: ShardPartition;
  /** Folder the study folder is made in: must be on a file system every node mounts at the same path. */
  artifactsDir: string;
  options: SlurmOptions;
  dryRun: boolean;
  /**
   * A folder of saved images (`greenrt images save`) holding every image the plan needs; without it, submit builds
   * what the engine lacks and saves the images into <studyDir>/images.
   */
  imagesDir?: string;
  /** CA bundle for builds behind TLS-intercepting proxies (part of the image tags). */
  caBundlePath?: string;
}

export interface Submission {
  studyDir: string;
  study: SlurmStudy;
  shardScript: string;
  mergeScript: string;
  mergedDir: string;
  /** greenrt's duration estimate of each shard and of the whole plan on one node, s. */
  estimate: { shardsS: number[]; wholePlanS: number };
  /** A dry run without --images: the images a real submit would save into <studyDir>/images (nothing was saved). */
  unsavedImages?: UnsavedImage[];
}

/** An image a dry run would have saved: its tag, and its size on this engine (null: not built here, or no engine). */
export interface UnsavedImage {
  runtime: string;
  flavour: string;
  tag: string;
  /** The image's size on this engine, bytes (its `docker save` archive is about as large); null when not built here. */
  sizeBytes: number | null;
  /** Why the size is unknown (not built on this engine, or the engine cannot be reached); null when known. */
  note: string | null;
}

interface Deps {
  contracts: Contracts;
  clock: Clock;
  slurm: SlurmClient;
  /** The Docker engine the study's images are built and saved on (default: connectDocker). */
  docker?: () => Promise<DockerEngine>;
  /** Progress lines (image builds and saves). */
  progress?: (line: string) => void;
}

/**
 * `greenrt slurm submit`: checks the experiment and that every shard gets trials, writes the study folder
 * with the job scripts (kept for the record), submits the array and the merge job (afterok on the array),
 * and records the job ids in slurm/study.json. With dryRun, writes the scripts and submits nothing.
 */
export async function submitStudy(deps: Deps, req: SubmitRequest): Promise<Submission> {
  const loaded = await loadExperiment(req.experimentFile, deps.contracts);
  const plan = planRun(loaded.spec);
  // Adaptive repetitions go round by round (docs/SCALING.md): a job array per round, a decide job after each.
  const rounds = plan.adaptive !== null;
  if (rounds && req.partition === 'configuration') {
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: '--shard-by',
        message: `experiment "${plan.experimentName}" uses adaptive repetitions: its rounds rotate each configuration over the shards, so it cannot be split by configuration`,
        hint: 'Leave out --shard-by (adaptive studies rotate repetitions over the shards).',
      },
    ]);
  }
  const partition: ShardPartition = rounds ? 'rotation' : req.partition;
  // Every shard must get trials (shardPlan throws otherwise): checked before anything is written. Round 1 of an
  // adaptive study may leave shards idle (fewer configurations x min than shards): they get work from round 2.
  const shardsS = (rounds ? firstRoundIndices(plan, req.shards) : [...Array(req.shards).keys()]).map((k) =>
    estimateDurationS(shardPlan(plan, { index: k, count: req.shards, partition, ...(rounds ? { round: 1 } : {}) }, '--shards').plan),
  );
  // Every command a submission needs, before anything is written: a missing one is exit 3 naming it.
  if (!req.dryRun) await deps.slurm.requireCommands();
  if (!req.dryRun && !(await deps.slurm.ping())) {
    throw new EnvironmentError('E_NO_SLURM', 'Cannot submit: no Slurm controller answers `scontrol ping` from this host.', {
      hint: 'Submit from a Slurm login node, or start a one-node test cluster with scripts/slurm-up.sh (as root).',
    });
  }
  const studyId = `${makeRunId(loaded.spec.name, deps.clock.nowMs(), loaded.sha256)}-slurm`;
  const studyDir = resolve(req.artifactsDir, studyId);
  const needed = loaded.spec.runner === 'docker' ? plan.images : [];
  const layoutWith = (imagesDir: string | undefined): StudyLayout => ({
    studyId,
    studyDir,
    experimentFile: loaded.file,
    shards: req.shards,
    partition,
    nodeBin: process.execPath,
    greenrtBin: join(packageRoot, 'bin', 'greenrt.js'),
    workDir: packageRoot,
    ...(imagesDir !== undefined ? { imagesDir } : {}),
  });
  // Rendered before anything is written: a value no script can carry is exit 2 naming where it came from.
  renderScripts(layoutWith(needed.length > 0 ? (req.imagesDir ? resolve(req.imagesDir) : join(studyDir, 'images')) : undefined), req, rounds);
  const created = !(await exists(studyDir));
  let submitted = false;
  try {
    await ensureFolder(join(studyDir, 'slurm', 'logs'));
    await ensureFolder(join(studyDir, 'shards'));
    const images = needed.length > 0 ? await studyImages(deps, req, needed, studyDir) : undefined;
    const layout = layoutWith(needed.length > 0 ? (images?.dir ?? join(studyDir, 'images')) : undefined);
    const study: SlurmStudy = {
      schemaVersion: 1,
      studyId,
      experiment: { file: loaded.file, sha256: loaded.sha256 },
      shards: req.shards,
      partition,
      options: { ...req.options },
      ...(images ? { images } : {}),
      submissions: [],
    };
    const estimate = { shardsS, wholePlanS: estimateDurationS(plan) };
    const unsaved = req.dryRun && !req.imagesDir && needed.length > 0 ? await unsavedImages(deps, req, needed) : undefined;
    const scripts = renderScripts(layout, req, rounds);
    if (rounds) {
      await writeFileAtomic(roundShardScript(studyDir), scripts.roundShard!);
      await writeFileAtomic(decideScript(studyDir), scripts.decide!);
      await writeFileAtomic(roundsMergeScript(studyDir), scripts.roundsMerge!);
      await submitFirstRound(deps, studyDir, study, plan, req.dryRun);
      submitted = true;
      const mergedDir = join(studyDir, mergedRunId(studyId));
      return {
        studyDir,
        study,
        shardScript: roundShardScript(studyDir),
        mergeScript: decideScript(studyDir),
        mergedDir,
        estimate,
        ...(unsaved ? { unsavedImages: unsaved } : {}),
      };
    }
    const shardScript = join(studyDir, 'slurm', 'shard.sbatch');
    const mergeScript = join(studyDir, 'slurm', 'merge.sbatch');
    await writeFileAtomic(shardScript, scripts.shard!);
    await writeFileAtomic(mergeScript, scripts.merge!);
    const indices = [...Array(req.shards).keys()];
    const jobs = req.dryRun ? { arrayJobId: null, mergeJobId: null } : await submitJobs(deps.slurm, shardScript, mergeScript, indices, req.shards);
    submitted = true;
    study.submissions.push({ submittedAt: new Date(deps.clock.nowMs()).toISOString(), indices, ...jobs });
    await writeStudy(deps.contracts, studyDir, study);
    return {
      studyDir,
      study,
      shardScript,
      mergeScript,
      mergedDir: join(studyDir, mergedRunId(studyId)),
      estimate,
      ...(unsaved ? { unsavedImages: unsaved } : {}),
    };
  } catch (error) {
    // Nothing was submitted (submitJobs cancels a lone array job): the new study folder goes, not left half-written.
    if (created && !submitted) await rm(studyDir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/** Resubmits the shards that have not completed (failed, cancelled, timed out), and a new merge job. */
export async function resubmitStudy(deps: Deps, studyDirArg: string): Promise<{ studyDir: string; study: SlurmStudy; indices: number[] }> {
  const { studyDir, study } = await readStudy(deps.contracts, studyDirArg);
  const ids = study.submissions.flatMap((s) => [s.arrayJobId, s.mergeJobId, s.decideJobId ?? null]).filter((x): x is string => x !== null);
  const active = ids.length ? await deps.slurm.active(ids) : [];
  if (active.length > 0) {
    throw new InputError(`Cannot resubmit ${shownRunDir(studyDir)}`, [
      {
        file: shownRunDir(studyDir),
        path: 'jobs',
        message: `jobs of this study are still queued or running (${active.join(', ')})`,
        hint: `Wait for them (greenrt slurm status ${shownRunDir(studyDir)}) or cancel them with scancel, then resubmit.`,
      },
    ]);
  }
  if (study.partition === 'rotation') return resubmitRounds(deps, studyDir, study);
  const indices: number[] = [];
  for (let k = 0; k < study.shards; k++) {
    const m = await readShardManifest(deps.contracts, studyDir, study.studyId, k);
    if (m?.status !== 'completed') indices.push(k);
  }
  const mergedDone = await stat(join(studyDir, mergedRunId(study.studyId), 'manifest.json')).then(
    () => true,
    () => false,
  );
  if (indices.length === 0 && mergedDone) {
    throw new InputError(`Nothing to resubmit in ${shownRunDir(studyDir)}`, [
      {
        file: shownRunDir(studyDir),
        path: 'shards',
        message: 'every shard is completed and the merged run exists',
        hint: `Read the report in ${shownRunDir(join(studyDir, mergedRunId(study.studyId)))}.`,
      },
    ]);
  }
  const shardScript = join(studyDir, 'slurm', 'shard.sbatch');
  const mergeScript = join(studyDir, 'slurm', 'merge.sbatch');
  const submitted =
    indices.length > 0
      ? await submitJobs(deps.slurm, shardScript, mergeScript, indices, study.shards)
      : { arrayJobId: null, mergeJobId: await deps.slurm.sbatch(mergeScript) };
  study.submissions.push({ submittedAt: new Date(deps.clock.nowMs()).toISOString(), indices, ...submitted });
  await writeStudy(deps.contracts, studyDir, study);
  return { studyDir, study, indices };
}

/**
 * The images a study's shards load: named by `--images` (each needed tag must have a record there), or built when
 * missing and saved into <studyDir>/images once, here on the submitting host. A dry run saves nothing.
 */
async function studyImages(deps: Deps, req: SubmitRequest, needed: NeededImage[], studyDir: string): Promise<SlurmStudy['images'] | undefined> {
  const tags = needed.map(
    (i) => imageContext({ runtime: i.runtime, flavour: i.flavour, ...(req.caBundlePath ? { caBundlePath: req.caBundlePath } : {}) }).ctx.tag,
  );
  const entries = (records: { tag: string; configDigest: string; archive: { sha256: string } }[]) =>
    tags.map((tag) => {
      const r = records.find((x) => x.tag === tag)!;
      return { tag, configDigest: r.configDigest, archiveSha256: r.archive.sha256 };
    });
  if (req.imagesDir) {
    const dir = resolve(req.imagesDir);
    const records = (await readArchiveFolder(deps.contracts, dir)).map((r) => r.record);
    const missing = tags.filter((t) => !records.some((r) => r.tag === t));
    if (missing.length > 0) {
      throw new InputError(`--images ${dir} lacks images the study needs`, [
        {
          file: dir,
          path: '',
          message: `has no saved archive of ${missing.join(', ')} (the images this checkout builds for the experiment)`,
          hint: `Save them there: greenrt images save ${needed.map((i) => i.runtime).join(' ')} --flavour ${needed[0]!.flavour} --out ${dir}, or leave out --images.`,
        },
      ]);
    }
    return { dir, savedBySubmit: false, images: entries(records) };
  }
  if (req.dryRun) return undefined;
  const engine = await (deps.docker ?? connectDocker)();
  for (const image of needed) {
    await ensureImage(
      engine,
      { runtime: image.runtime, flavour: image.flavour, describe: false, ...(req.caBundlePath ? { caBundlePath: req.caBundlePath } : {}) },
      (line) => deps.progress?.(`${image.runtime}: ${line}`),
    );
  }
  const dir = join(studyDir, 'images');
  const saved = await saveImages(engine, tags, {
    contracts: deps.contracts,
    outDir: dir,
    ...(req.caBundlePath ? { caBundlePath: req.caBundlePath } : {}),
    ...(deps.progress ? { progress: deps.progress } : {}),
  });
  return { dir, savedBySubmit: true, images: entries(saved.records) };
}

/**
 * What a dry run would have saved: each needed image's tag and, when this engine holds it, its size (the archive is
 * about as large). Builds, saves and writes nothing; an engine that cannot be reached leaves the sizes unknown.
 */
async function unsavedImages(deps: Deps, req: SubmitRequest, needed: NeededImage[]): Promise<UnsavedImage[]> {
  const engine = await (deps.docker ?? connectDocker)().catch((error: unknown) => error as Error);
  const out: UnsavedImage[] = [];
  for (const image of needed) {
    const { tag } = imageContext({ runtime: image.runtime, flavour: image.flavour, ...(req.caBundlePath ? { caBundlePath: req.caBundlePath } : {}) }).ctx;
    const entry = { runtime: image.runtime, flavour: image.flavour, tag };
    if (engine instanceof Error) {
      out.push({ ...entry, sizeBytes: null, note: `size unknown: no Docker engine answers here (${escapeText(engine.message.split('\n')[0] ?? '', 120)})` });
      continue;
    }
    const info = await engine.docker
      .getImage(tag)
      .inspect()
      .catch(() => null);
    out.push(info ? { ...entry, sizeBytes: info.Size, note: null } : { ...entry, sizeBytes: null, note: 'not built on this engine: submit builds it first' });
  }
  return out;
}

async function submitJobs(slurm: SlurmClient, shardScript: string, mergeScript: string, indices: number[], _shards: number) {
  const arrayJobId = await slurm.sbatch(shardScript, [`--array=${indices.join(',')}`]);
  // kill-on-invalid-dep: when a shard fails, the merge job ends (cancelled) instead of waiting forever.
  try {
    const mergeJobId = await slurm.sbatch(mergeScript, [`--dependency=afterok:${arrayJobId}`, '--kill-on-invalid-dep=yes']);
    return { arrayJobId, mergeJobId };
  } catch (error) {
    await slurm.cancel(arrayJobId).catch(() => undefined);
    throw error;
  }
}

/** The study's job scripts; a value no script can carry (ScriptValueError) becomes exit 2 naming the option it came from. */
function renderScripts(
  layout: StudyLayout,
  req: SubmitRequest,
  rounds: boolean,
): { shard?: string; merge?: string; roundShard?: string; decide?: string; roundsMerge?: string } {
  try {
    return rounds
      ? {
          roundShard: renderRoundShardScript(layout, req.options),
          decide: renderDecideScript(layout, req.options),
          roundsMerge: renderRoundsMergeScript(layout, req.options),
        }
      : { shard: renderShardScript(layout, req.options), merge: renderMergeScript(layout, req.options) };
  } catch (error) {
    if (!(error instanceof ScriptValueError)) throw error;
    const origin = error.value.includes(layout.studyDir)
      ? '--artifacts'
      : error.value === layout.experimentFile
        ? '<experiment>'
        : layout.imagesDir !== undefined && error.value === layout.imagesDir
          ? '--images'
          : "greenrt's own location (node and bin/greenrt.js)";
    throw new InputError('Cannot write the Slurm job scripts', [
      {
        file: 'command line',
        path: origin,
        message: `the path ${escapeText(error.value, 200)} ${error.reason}; nothing was written`,
        hint:
          origin === '--artifacts'
            ? 'Pass --artifacts <dir> naming a folder whose path has no space, quote, backslash, % or control character.'
            : 'Move or rename it to a path without those characters.',
      },
    ]);
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Writes slurm/study.json atomically, checked against schemas/slurm-study.schema.json first (nothing written otherwise). */
export async function writeStudy(contracts: Contracts, studyDir: string, study: SlurmStudy): Promise<void> {
  const file = join(studyDir, 'slurm', 'study.json');
  await writeJsonFile(contracts, SchemaId.slurmStudy, file, study, shownRunDir(file));
}

/**
 * The study record of a study folder, checked against schemas/slurm-study.schema.json and for what the schema cannot
 * say (every submitted index below `shards`); InputError (exit 2) naming the file, each JSON path and the fix when
 * the folder is not a study folder or the record is damaged.
 */
export async function readStudy(contracts: Contracts, dir: string): Promise<{ studyDir: string; study: SlurmStudy }> {
  const studyDir = resolve(dir);
  const file = join(studyDir, 'slurm', 'study.json');
  const shown = shownRunDir(file);
  const read = await readJsonFile<SlurmStudy>(contracts, SchemaId.slurmStudy, file, {
    shown,
    hint: 'greenrt slurm submit writes it atomically, so something else changed it: restore it from a copy, or submit the study again.',
  });
  if (!read.ok && read.absent) {
    throw new InputError(`${shownRunDir(studyDir)} is not a Slurm study folder`, [
      { file: shown, path: '', message: 'does not exist', hint: 'Pass the study folder `greenrt slurm submit` printed.' },
    ]);
  }
  if (!read.ok) throw new InputError(`Cannot read the Slurm study in ${shownRunDir(studyDir)}: slurm/study.json is damaged`, read.problems);
  const study = read.data;
  const outside = study.submissions
    .flatMap((s, i) => s.indices.map((k, j) => ({ path: `/submissions/${i}/indices/${j}`, k })))
    .filter((x) => x.k >= study.shards);
  if (outside.length > 0) {
    throw new InputError(
      `Cannot read the Slurm study in ${shownRunDir(studyDir)}: slurm/study.json is damaged`,
      outside.slice(0, 10).map((x) => ({
        file: shown,
        path: x.path,
        message: `shard index ${x.k} is not below shards (${study.shards})`,
        hint: 'greenrt slurm submit writes it atomically, so something else changed it: restore it from a copy, or submit the study again.',
      })),
    );
  }
  return { studyDir, study };
}

/**
 * A shard's manifest, checked against schemas/run-manifest.schema.json, or null when the shard has not started
 * (no manifest yet). A damaged one (the shard run writes it atomically, so something else changed it) is an
 * InputError (exit 2) naming it, rather than progress read from a file greenrt cannot trust.
 */
export async function readShardManifest(
  contracts: Contracts,
  studyDir: string,
  studyId: string,
  k: number,
  runId = shardRunId(studyId, k),
): Promise<RunManifest | null> {
  const runDir = join(studyDir, 'shards', runId);
  const file = join(runDir, 'manifest.json');
  const read = await readJsonFile<RunManifest>(contracts, SchemaId.runManifest, file, {
    shown: shownRunDir(file),
    hint: `\`greenrt verify ${shownRunDir(runDir)}\` lists every problem. Restore the folder from a copy, or move it away: \`greenrt slurm resubmit\` then runs the shard afresh.`,
    maxBytes: 64 * 1024 * 1024,
  });
  if (read.ok) return read.data;
  if (read.absent) return null;
  throw new InputError(`Cannot read shard ${k} of the Slurm study in ${shownRunDir(studyDir)}: its manifest is damaged`, read.problems);
}
