import { readFile, readdir, unlink, access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Contracts, SchemaId, type RunManifest, type TrialResult, type PowerTrace } from '../contracts/index.js';
import { EnvironmentError, InputError, sha256Hex } from '../core/index.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * One run's folder, artifacts/<runId>/:
 *   manifest.json, trials/<trialId>.json, traces/<trialId>.json, run.log, report.md, results.csv.
 * Every file with a schema is validated before it is written; every write is atomic.
 */
export class RunStore {
  private constructor(
    readonly runDir: string,
    private readonly contracts: Contracts,
  ) {}

  static async create(artifactsDir: string, runId: string, contracts: Contracts): Promise<RunStore> {
    const runDir = resolve(artifactsDir, runId);
    try {
      await access(runDir, constants.F_OK);
      throw new InputError('Run folder already exists', [
        { file: runDir, path: '', message: 'a run with this id already exists', hint: 'Resume it with --resume, or wait a second and start again.' },
      ]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new RunStore(runDir, contracts);
  }

  /** Opens an existing run for resuming; cleans temp files left by a crash. */
  static async open(runDir: string, contracts: Contracts): Promise<RunStore> {
    const dir = resolve(runDir);
    const store = new RunStore(dir, contracts);
    try {
      await access(join(dir, 'manifest.json'), constants.R_OK);
    } catch {
      throw new InputError('Cannot resume', [
        { file: dir, path: '', message: 'no manifest.json in this folder', hint: 'Pass the run folder printed when the run started (artifacts/<runId>).' },
      ]);
    }
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

  async readManifest(): Promise<RunManifest> {
    const file = this.path('manifest.json');
    return this.contracts.assert<RunManifest>(SchemaId.runManifest, JSON.parse(await readFile(file, 'utf8')), file);
  }

  async writeManifest(manifest: RunManifest): Promise<void> {
    await this.writeJson(SchemaId.runManifest, 'manifest.json', manifest);
  }

  async writeTrialResult(result: TrialResult): Promise<void> {
    await this.writeJson(SchemaId.trialResult, join('trials', `${result.trialId}.json`), result);
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
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
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
  }

  private async writeJson(schemaId: string, relPath: string, data: unknown): Promise<void> {
    const file = this.path(relPath);
    this.contracts.assert(schemaId, data, file);
    await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  }
}

/** `<experiment>-<yyyymmddThhmmssZ>-<6 hex>`: sortable, unique, safe as a folder name. */
export function makeRunId(experimentName: string, nowMs: number, salt: string): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${experimentName}-${stamp}-${sha256Hex(`${salt}:${nowMs}:${process.pid}`).slice(0, 6)}`;
}
