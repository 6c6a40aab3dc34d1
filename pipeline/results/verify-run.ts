import { lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SchemaId, type Contracts, type TrialResult, type ValidatedManifest } from '../contracts/index.js';
import { describeKind, escapeText, InputError, InputFileProblem, nestsDeeperThan, readInputFile, sha256Hex } from '../core/index.js';
import { runFileSchema } from './run-files.js';
import { mergedImageProblems } from './verify-images.js';
import { maxJsonDepth, trialFileProblems } from './verify-trial.js';

/** Largest manifest, trial result or trace greenrt reads back, bytes. */
export const maxRunFileBytes = 64 * 1024 * 1024;
/** Most entries read from trials/ or traces/ (a run has at most a few thousand trials). */
export const maxFolderEntries = 100_000;

/** One discrepancy: the file (relative to the run folder) and what is wrong with it. */
export interface RunDiscrepancy {
  file: string;
  message: string;
  /** input: the manifest, a trial result or a trace (what report, compare and resume read); output: a report file. */
  part: 'input' | 'output';
}

export interface RunVerification {
  runDir: string;
  manifest: ValidatedManifest | null;
  /** Trial results that passed every check, in plan order. */
  results: TrialResult[];
  discrepancies: RunDiscrepancy[];
  /** Planned trials without a result (the run is not finished). */
  missingTrialIds: string[];
  /** Valid, planned trial files the manifest does not record yet: written just before a crash (accepted by --resume); path -> SHA-256. */
  unrecorded: Map<string, string>;
  /** Files compared with a recorded SHA-256 (count). */
  hashedFiles: number;
  /** Facts worth saying (e.g. an older run without recorded hashes). */
  notes: string[];
}

const trialName = /^[a-z0-9][a-z0-9_.-]{0,127}\.json$/;

/**
 * Checks a run folder without changing it: the manifest against its schema; every trial result
 * against its schema, the plan (planned, once, of this run, with the configuration its id names) and
 * the SHA-256 the manifest recorded when greenrt wrote it; every other recorded file's hash; and the
 * manifest's progress counts against the trial files. Throws InputError when `dir` is not a run folder.
 */
export async function verifyRunFolder(dir: string, contracts: Contracts): Promise<RunVerification> {
  const runDir = resolve(dir);
  const out: RunVerification = {
    runDir,
    manifest: null,
    results: [],
    discrepancies: [],
    missingTrialIds: [],
    unrecorded: new Map(),
    hashedFiles: 0,
    notes: [],
  };
  const kind = await stat(runDir).then(
    (s) => (s.isDirectory() ? null : describeKind(s)),
    () => 'absent',
  );
  const manifestKind = kind
    ? null
    : await lstat(join(runDir, 'manifest.json')).then(
        () => 'present',
        () => 'absent',
      );
  if (kind || manifestKind === 'absent') {
    const why = kind === 'absent' ? 'no such folder' : kind ? `it is ${kind}` : 'no manifest.json in this folder';
    throw new InputError(`${escapeText(dir, 300)} is not a run folder`, [
      {
        file: escapeText(dir, 300),
        path: '',
        message: `not a run folder (${why})`,
        hint: 'Pass the folder `greenrt run` printed, e.g. artifacts/demo-20260101t120000z-abc123.',
      },
    ]);
  }
  // File names come from readdir: escaped here, so that every consumer prints them safely.
  const damage = (file: string, message: string, part: RunDiscrepancy['part'] = 'input') =>
    out.discrepancies.push({ file: escapeText(file, 200), message, part });

  const manifest = await readManifestFile(runDir, contracts, damage);
  if (!manifest) return out;
  out.manifest = manifest;
  const recorded = new Map(Object.entries(manifest.integrity?.files ?? {}));
  const hashed = manifest.integrity !== undefined;
  if (!hashed)
    out.notes.push(
      'The manifest records no file hashes (a run made before greenrt recorded them): files were checked against their schemas, the plan and the progress counts only.',
    );
  const completed = manifest.status === 'completed';
  if (manifest.plan.trialIds.length !== manifest.plan.trialCount || manifest.progress.total !== manifest.plan.trialCount) {
    damage(
      'manifest.json',
      `the plan lists ${manifest.plan.trialIds.length} trial ids, but trialCount is ${manifest.plan.trialCount} and progress.total ${manifest.progress.total}`,
    );
  }
  if (new Set(manifest.plan.trialIds).size !== manifest.plan.trialIds.length) damage('manifest.json', 'the plan lists a trial id twice');
  for (const message of mergedImageProblems(manifest)) damage('manifest.json', message);

  // Trial results.
  const byId = new Map<string, { file: string; result: TrialResult; recorded: boolean }>();
  const present = new Set<string>();
  const entries = await listFolder(runDir, 'trials', damage);
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries) {
    const rel = `trials/${entry.name}`;
    if (entry.name.startsWith('.') && entry.name.endsWith('.tmp')) continue; // an atomic write cut by a crash; --resume removes it
    present.add(rel);
    if (!trialName.test(entry.name)) {
      damage(rel, `is not a trial result (greenrt names them <trialId>.json)`);
      continue;
    }
    const bytes = await readRunFile(runDir, rel, damage);
    if (!bytes) continue;
    const hash = sha256Hex(bytes);
    const want = recorded.get(rel);
    if (want !== undefined) {
      out.hashedFiles++;
      if (want !== hash) damage(rel, 'changed since greenrt wrote it (its SHA-256 differs from the one recorded in manifest.json)');
    }
    const { result, claimedId, problems } = trialFileProblems(entry.name, bytes, manifest, contracts);
    for (const p of problems) damage(rel, p);
    if (claimedId !== undefined && `${claimedId}.json` !== entry.name && names.has(`${claimedId}.json`)) {
      damage(rel, `is a second copy of trial "${claimedId}" (also in trials/${claimedId}.json)`);
    }
    if (!result) continue;
    const earlier = byId.get(result.trialId);
    if (earlier) {
      damage(rel, `trial "${result.trialId}" appears twice (also in ${earlier.file})`);
      continue;
    }
    if (hashed && want === undefined) {
      // Written after the manifest's last update: only a crash between the two writes leaves that.
      if (completed) damage(rel, 'is not recorded in manifest.json (greenrt did not write it into this completed run)');
      else out.unrecorded.set(rel, hash);
    }
    byId.set(result.trialId, { file: rel, result, recorded: want !== undefined || !hashed });
  }

  // Every other recorded file: present and unchanged.
  for (const [rel, want] of recorded) {
    if (rel.startsWith('trials/')) {
      if (!present.has(rel)) damage(rel, 'is missing: manifest.json records it, so it was deleted or moved');
      continue;
    }
    const part = rel.startsWith('traces/') ? 'input' : 'output';
    const bytes = await readRunFile(runDir, rel, (f, m) => damage(f, m, part));
    if (!bytes) continue;
    out.hashedFiles++;
    if (sha256Hex(bytes) !== want) damage(rel, 'changed since greenrt wrote it (its SHA-256 differs from the one recorded in manifest.json)', part);
    else {
      // Unchanged since written, and checked then; checked again here, so that an older greenrt's file or a schema change is named.
      const problem = schemaProblem(rel, bytes, contracts);
      if (problem) damage(rel, problem, part);
    }
  }

  // Progress: the manifest's counts against the recorded trial files.
  const counts = { ok: 0, failed: 0, invalid: 0, unsupported: 0 };
  for (const t of byId.values()) if (t.recorded) counts[t.result.status]++;
  const said = { ...manifest.progress, unsupported: manifest.progress.unsupported ?? 0 };
  if (counts.ok !== said.ok || counts.failed !== said.failed || counts.invalid !== said.invalid || counts.unsupported !== said.unsupported) {
    const describe = (c: typeof counts) => `${c.ok} ok, ${c.failed} failed, ${c.invalid} invalid and ${c.unsupported} unsupported`;
    damage('trials/', `holds ${describe(counts)} trial results, but manifest.json counts ${describe(said)}`);
  }
  for (const id of manifest.plan.trialIds) {
    const t = byId.get(id);
    if (t) out.results.push(t.result);
    else out.missingTrialIds.push(id);
  }
  if (completed && out.missingTrialIds.length > 0) {
    damage(
      'trials/',
      `the run is completed, but ${out.missingTrialIds.length} planned trial(s) have no result (${out.missingTrialIds.slice(0, 3).join(', ')}${out.missingTrialIds.length > 3 ? ', …' : ''})`,
    );
  }
  return out;
}

/** The manifest, parsed and schema-checked; null (after recording why) when it is damaged. */
async function readManifestFile(runDir: string, contracts: Contracts, damage: (file: string, message: string) => void): Promise<ValidatedManifest | null> {
  const bytes = await readRunFile(runDir, 'manifest.json', damage);
  if (!bytes) return null;
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    damage('manifest.json', `is not valid JSON (${escapeText((error as Error).message, 120)})`);
    return null;
  }
  if (nestsDeeperThan(data, maxJsonDepth)) {
    damage('manifest.json', `nests deeper than ${maxJsonDepth} levels`);
    return null;
  }
  const problems = contracts.check(SchemaId.runManifest, data);
  if (problems.length > 0) {
    const shown = problems
      .slice(0, 3)
      .map((p) => `${escapeText(p.path || '/', 80)} ${p.message}`)
      .join('; ');
    damage('manifest.json', `does not match the run manifest schema: ${shown}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`);
    return null;
  }
  return data as ValidatedManifest;
}

/** Why a run folder JSON file with a schema (run-files.ts) does not match it, or null (also for files without one). */
function schemaProblem(rel: string, bytes: Buffer, contracts: Contracts): string | null {
  const schema = runFileSchema(rel);
  if (!schema || !rel.endsWith('.json')) return null;
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `is not valid JSON (${escapeText((error as Error).message, 120)})`;
  }
  if (nestsDeeperThan(data, maxJsonDepth)) return `nests deeper than ${maxJsonDepth} levels`;
  const problems = contracts.check(schema, data);
  if (problems.length === 0) return null;
  const shown = problems
    .slice(0, 3)
    .map((p) => `${escapeText(p.path || '/', 80)} ${p.message}`)
    .join('; ');
  return `does not match its schema (schemas/${schema.split('/').pop()}): ${shown}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`;
}

/** A run file's bytes, if it is a regular file (not a link, pipe or device) of a sane size. */
async function readRunFile(runDir: string, rel: string, damage: (file: string, message: string) => void): Promise<Buffer | null> {
  try {
    return await readInputFile(join(runDir, rel), maxRunFileBytes, { noFollow: true });
  } catch (error) {
    const reason = error instanceof InputFileProblem ? error.reason : `cannot be read (${(error as Error).message})`;
    damage(rel, error instanceof InputFileProblem && error.code === 'ENOENT' ? 'is missing: manifest.json records it, so it was deleted or moved' : reason);
    return null;
  }
}

/** Entries of a run subfolder (none when it is absent); a non-folder in its place is damage. */
async function listFolder(runDir: string, sub: string, damage: (file: string, message: string) => void): Promise<{ name: string }[]> {
  const path = join(runDir, sub);
  const info = await lstat(path).catch(() => null);
  if (!info) return [];
  if (!info.isDirectory()) {
    damage(`${sub}/`, `is ${describeKind(info)}, not a folder`);
    return [];
  }
  const names = await readdir(path);
  if (names.length > maxFolderEntries) {
    damage(`${sub}/`, `holds ${names.length} entries, more than the ${maxFolderEntries} a run folder may have`);
    return [];
  }
  return names.sort().map((name) => ({ name }));
}
