/**
 * Support for the end-to-end tests: the real CLI (bin/greenrt.js over dist/) as a subprocess,
 * small experiments in temp folders, bounded waits, and checks on a run folder's files.
 * Not shipped (tsconfig.build.json excludes pipeline/e2e).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../contracts/index.js';
import { sha256Hex } from '../core/index.js';

export const cliEntry = join(packageRoot, 'bin', 'greenrt.js');

/** Newest modification time (ms) of the sources dist/ is built from. */
function newestSourceMs(dir = join(packageRoot, 'pipeline')): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) {
      if (name !== 'testing' && name !== 'e2e') newest = Math.max(newest, newestSourceMs(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      newest = Math.max(newest, st.mtimeMs);
    }
  }
  return newest;
}

/** Builds dist/ (tsc -p tsconfig.build.json) unless it is newer than every source; `make test` builds it first. */
export function ensureCliBuilt(): void {
  const main = join(packageRoot, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestSourceMs()) return;
  execFileSync(process.execPath, [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: packageRoot,
    stdio: 'pipe',
  });
}

export interface CliResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<CliResult>;
}

/** Starts `node <script> ...args` (default: the real CLI) without waiting for it. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; script?: string[] } = {}): RunningCli {
  const child = spawn(process.execPath, [...(options.script ?? [cliEntry]), ...args], {
    cwd: options.cwd ?? packageRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs the CLI to the end, killing it after `timeoutMs`. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; script?: string[] } = {},
): Promise<CliResult> {
  const running = startCli(args, options);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await running.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every 50 ms until it returns a value other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const tinyConv = { file: join(packageRoot, 'pipeline', 'testing', 'fixtures', 'tiny-conv.onnx') };
export const demoModel = { file: join(packageRoot, 'experiments', 'models', 'mobilenet_v2.pytorch.random-seed0.onnx') };

export interface ExperimentOptions {
  name: string;
  /** Which prebuilt ONNX file stands for the model (copied into the experiment folder). */
  modelFile?: string;
  model?: 'resnet50' | 'mobilenet_v2';
  runtime?: 'embedded' | 'onnxruntime';
  batchSizes?: number[];
  /** A count, or an adaptive rule as a YAML flow mapping (`{ min: 3, max: 5, precision: { ... } }`). */
  repetitions?: number | string;
  warmupIterations?: number;
  measuredIterations?: number;
  /** More entries for the runtimes list, as YAML lines (e.g. `  - name: pytorch`, `    providers: [cpu]`). */
  moreRuntimes?: string[];
  /** Extra top-level YAML lines (e.g. `trialTimeoutS: 5`). */
  extra?: string;
  /** Power sources (default none, no baseline). */
  powerSources?: string[];
}

/**
 * Writes `<dir>/<name>.yaml` with one ONNX runtime, one model (a prebuilt file copied to
 * `<dir>/models/`, hash included), no power source and no baseline, so runs take seconds.
 */
export function writeExperiment(dir: string, o: ExperimentOptions): string {
  const modelFile = o.modelFile ?? tinyConv.file;
  const modelName = modelFile.split('/').pop()!;
  mkdirSync(join(dir, 'models'), { recursive: true });
  copyFileSync(modelFile, join(dir, 'models', modelName));
  const sha = sha256Hex(readFileSync(modelFile));
  const model = o.model ?? 'resnet50';
  const yaml = [
    'schemaVersion: 1',
    `name: ${o.name}`,
    'seed: 11',
    'runtimes:',
    `  - name: ${o.runtime ?? 'embedded'}`,
    '    providers: [cpu]',
    '    sources: [pytorch]',
    ...(o.moreRuntimes ?? []),
    `models: [${model}]`,
    `batchSizes: [${(o.batchSizes ?? [1]).join(', ')}]`,
    `repetitions: ${o.repetitions ?? 3}`,
    `warmupIterations: ${o.warmupIterations ?? 1}`,
    `measuredIterations: ${o.measuredIterations ?? 5}`,
    'threads: 1',
    'prebuiltModels:',
    `  - model: ${model}`,
    '    source: pytorch',
    `    path: models/${modelName}`,
    `    sha256: "${sha}"`,
    'power:',
    `  sources: [${(o.powerSources ?? ['none']).join(', ')}]`,
    '  baselineS: 0',
    '  cooldown: { minS: 0, maxS: 0 }',
    o.extra ?? '',
  ].join('\n');
  const file = join(dir, `${o.name}.yaml`);
  writeFileSync(file, `${yaml}\n`);
  return file;
}

/** The one run folder under `artifactsDir` (undefined while there is none). */
export function runDirIn(artifactsDir: string): string | undefined {
  if (!existsSync(artifactsDir)) return undefined;
  const runs = readdirSync(artifactsDir).filter((n) => n !== 'models' && statSync(join(artifactsDir, n)).isDirectory());
  if (runs.length > 1) throw new Error(`more than one run folder in ${artifactsDir}: ${runs.join(', ')}`);
  return runs[0] ? join(artifactsDir, runs[0]) : undefined;
}

/** Trial result file names (without .json) in a run folder, sorted; temp files excluded. */
export function trialFiles(runDir: string): string[] {
  const dir = join(runDir, 'trials');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -'.json'.length))
    .sort();
}

/** Every file under `dir`, relative paths, sorted. */
export function filesUnder(dir: string, rel = ''): string[] {
  if (!existsSync(join(dir, rel))) return [];
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    if (statSync(join(dir, path)).isDirectory()) out.push(...filesUnder(dir, path));
    else out.push(path);
  }
  return out;
}

/**
 * Damage check for a run folder: every .json parses, every run.log line parses, and no temp file
 * of an atomic write is left. Returns the problems found (empty: the folder is intact).
 */
export function runFolderDamage(runDir: string): string[] {
  const problems: string[] = [];
  for (const rel of filesUnder(runDir)) {
    const name = rel.split('/').pop()!;
    if (name.endsWith('.tmp')) problems.push(`${rel}: temp file left behind`);
    if (rel.startsWith('work/')) continue; // the entrypoint's own files (spec, output, log)
    if (name.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(join(runDir, rel), 'utf8'));
      } catch (error) {
        problems.push(`${rel}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** run.log as parsed JSON lines. */
export function readRunLog(runDir: string): Record<string, unknown>[] {
  return readFileSync(join(runDir, 'run.log'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** `path` relative to the CLI's working directory, as the CLI prints it. */
export function shown(path: string): string {
  return relative(packageRoot, path) || '.';
}
