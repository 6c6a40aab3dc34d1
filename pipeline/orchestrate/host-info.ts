import { cpus, hostname, platform, arch, release, totalmem } from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import type { RunManifest } from '../contracts/index.js';
import { packageRoot } from '../contracts/index.js';

const run = promisify(execFile);

/** Facts about this host for the run manifest. */
export function describeHost(extra: Partial<RunManifest['host']> = {}): RunManifest['host'] {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    platform: `${platform()}-${arch()}`,
    kernel: release(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    ...extra,
  };
}

/** greenrt's version and the commit of its checkout (null outside a git checkout). */
export async function describeGreenrt(): Promise<RunManifest['greenrt']> {
  const pkg = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string };
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd: packageRoot });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: packageRoot });
    return { version: pkg.version, gitCommit: commit.trim(), gitDirty: status.trim().length > 0 };
  } catch {
    return { version: pkg.version, gitCommit: null, gitDirty: null };
  }
}
