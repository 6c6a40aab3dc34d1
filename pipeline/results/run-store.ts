import { readdir, unlink, mkdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { type Contracts, SchemaId, type RunManifest, type RunSummaryFile, type TrialResult, type PowerTrace } from '../contracts/index.js';
import { EnvironmentError, InputError, InputFileProblem, readInputFile, sha256Hex } from '../core/index.js';
import { describeWriteError, ensureFolder, writeFileAtomic } from './atomic-write.js';
import { maxRunFileBytes } from './verify-run.js';

/**
 * One run's folder, artifacts/<runId>/:
 *   manifest.json, trials/<trialId>.json, traces/<trialId>.json, summary.json, run.log, report.md,
 *   report.html, results.csv, plots/ (every file and its schema: run-files.ts).
 * Every file with a schema is validated before it is written; every write is atomic.
 */
export class RunStore {
  /** SHA-256 of every file written (or adopted), by path relative to the run folder: the manifest's `integrity`. */
  private readonly hashes = new Map<string, string>();

  private constructor(
    readonly runDir: string,
    private readonly contracts: Contracts,
    /** False for a run made before greenrt recorded hashes: its manifest stays without `integrity`. */
    private readonly recordsHashes = true,
  ) {}

  /** Creates artifacts/<runId>/ (and the artifacts folder); a folder that cannot be made is a clear EnvironmentError. */
  static async create(artifactsDir: string, runId: string, contracts: Contracts): Promise<RunStore> {
    const runDir = resolve(artifactsDir, runId);
    await ensureFolder(resolve(artifactsDir));
    try {
      await mkdir(runDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new InputError('Run folder already exists', [
          {
            file: runDir,
            path: '',
            message: 'a run with this id already exists',
            hint: 'Resume it with `greenrt run --resume <runDir>`, or wait a second and start again.',
          },
        ]);
      }
      throw describeWriteError(runDir, error);
    }
    return new RunStore(runDir, contracts);
  }

  /** Opens an existing run (resume, report): its manifest must be readable and valid; then cleans temp files left by a crash. */
  static async open(runDir: string, contracts: Contracts): Promise<RunStore> {
    const dir = resolve(runDir);
    const manifest = await new RunStore(dir, contracts).readManifest();
    const store = new RunStore(dir, contracts, manifest.integrity !== undefined);
    for (const [rel, hash] of Object.entries(manifest.integrity?.files ?? {})) store.hashes.set(rel, hash);
    for (const sub of ['.', 'trials', 'traces']) {
      for (const name of await readdir(join(dir, sub)).catch(() => [] as string[])) {
        if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dir, sub, name));
      }
    }
    return store;
  }

  get runId(): string {
    return this.runDir.split(/[\\/]/).pop() ?? '';
  }

  path(...parts: string[]): string {
    return join(this.runDir, ...parts);
  }

  /** The run manifest, validated; a missing, unreadable or damaged one is an InputError (exit 2) naming the folder. */
  async readManifest(): Promise<RunManifest> {
    const file = this.path('manifest.json');
    const refuse = (message: string, hint: string) => new InputError(`Cannot open run ${this.runDir}`, [{ file, path: '', message, hint }]);
    let text: string;
    try {
      text = (await readInputFile(file, maxRunFileBytes)).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof InputFileProblem && error.code !== 'ENOENT')
        throw refuse(`manifest.json ${error.reason}`, 'Restore the folder from a copy, or start a new run.');
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new InputError('Cannot resume', [
          {
            file: this.runDir,
            path: '',
            message: 'no manifest.json in this folder',
            hint: 'Pass the run folder printed when the run started (artifacts/<runId>).',
          },
        ]);
      }
      throw refuse(`manifest.json cannot be read (${code ?? (error as Error).message})`, "Check the folder's permissions.");
    }
    // The manifest is written atomically, so damage means something else changed the folder.
    const damaged = 'greenrt writes the manifest atomically, so something else changed this file: restore it from a copy, or start a new run.';
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw refuse(`manifest.json is not valid JSON (${(error as Error).message})`, damaged);
    }
    const problems = this.contracts.check(SchemaId.runManifest, data);
    if (problems.length > 0) {
      throw refuse(
        `manifest.json does not match the run manifest schema: ${problems
          .slice(0, 3)
          .map((p) => `${p.path || '/'} ${p.message}`)
          .join('; ')}`,
        damaged,
      );
    }
    return data as RunManifest;
  }

  /** Writes the manifest with the SHA-256 of every file written so far (`integrity`), replacing the caller's. */
  async writeManifest(manifest: RunManifest): Promise<void> {
    const { integrity: _ignored, ...rest } = manifest;
    const files = Object.fromEntries([...this.hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const data: RunManifest = this.recordsHashes ? { ...rest, integrity: { algorithm: 'sha256', files } } : rest;
    await this.writeJson(SchemaId.runManifest, 'manifest.json', data, false);
  }

  /** Records the hash of a file greenrt wrote but the manifest does not list yet (a crash came between the two writes). */
  adopt(relPath: string, sha256: string): void {
    this.hashes.set(relPath, sha256);
  }

  /** Forgets the report outputs' hashes before a new report is rendered (plots may change names). */
  forgetReportOutputs(): void {
    for (const rel of [...this.hashes.keys()]) if (!rel.startsWith('trials/') && !rel.startsWith('traces/')) this.hashes.delete(rel);
  }

  async writeTrialResult(result: TrialResult): Promise<void> {
    await this.writeJson(SchemaId.trialResult, join('trials', `${result.trialId}.json`), result);
  }

  /** summary.json: the report's statistics, claim verdicts and warnings (schemas/run-summary.schema.json). */
  async writeSummary(summary: RunSummaryFile): Promise<void> {
    await this.writeJson(SchemaId.runSummary, 'summary.json', summary);
  }

  async writeTrace(trace: PowerTrace): Promise<string> {
    const rel = join('traces', `${trace.trialId}.json`);
    await this.writeJson(SchemaId.powerTrace, rel, trace);
    return rel;
  }

  /** Every stored trial result, validated; a corrupt file is an error that names it. */
  async readTrialResults(): Promise<TrialResult[]> {
    const dir = this.path('trials');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    const results: TrialResult[] = [];
    for (const name of names) {
      const file = join(dir, name);
      let data: unknown;
      try {
        data = JSON.parse((await readInputFile(file, maxRunFileBytes)).toString('utf8'));
      } catch (error) {
        if (error instanceof InputFileProblem) {
          throw new EnvironmentError('E_CORRUPT_RESULT', `Trial result ${file} ${error.reason}.`, {
            hint: 'Move the file away; `greenrt run --resume` will run that trial again.',
          });
        }
        throw new EnvironmentError('E_CORRUPT_RESULT', `Trial result ${file} is not valid JSON: ${(error as Error).message}.`, {
          hint: 'Move the file away; `greenrt run --resume` will run that trial again.',
        });
      }
      results.push(this.contracts.assert<TrialResult>(SchemaId.trialResult, data, file));
    }
    return results;
  }

  async writeText(relPath: string, text: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(relPath), text);
    this.hashes.set(relPath.split(sep).join('/'), sha256Hex(text));
  }

  private async writeJson(schemaId: string, relPath: string, data: unknown, record = true): Promise<void> {
    const file = this.path(relPath);
    this.contracts.assert(
      schemaId,
      data,
      file,
      `greenrt built data for ${relPath} that does not match its schema (schemas/${schemaId.split('/').pop()}): a bug in greenrt; nothing was written. Report it with the run folder.`,
    );
    const text = `${JSON.stringify(data, null, 2)}\n`;
    await writeFileAtomic(file, text);
    // Recorded only once the file is whole on disk.
    if (record) this.hashes.set(relPath.split(sep).join('/'), sha256Hex(text));
  }
}

/** `<experiment>-<yyyymmddThhmmssZ>-<6 hex>`: sortable, unique, safe as a folder name. */
export function makeRunId(experimentName: string, nowMs: number, salt: string): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase();
  return `${experimentName}-${stamp}-${sha256Hex(`${salt}:${nowMs}:${process.pid}`).slice(0, 6)}`;
}
