import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../contracts/index.js';
import { EnvironmentError } from '../core/index.js';
import type { DockerEngine } from '../docker/index.js';
import type { BuildProgress } from './image-build.js';
import { inspectImageOrNull } from './image-build.js';

export interface EnsureBaseOptions {
  repoRoot?: string;
  progress?: BuildProgress;
  signal?: AbortSignal;
}

/**
 * Makes sure a cpu base image exists before `docker build` needs it. greenrt/debian:<suite> is built
 * with images/base/build-base.sh (debootstrap, a normalised layer and a config it writes, docker load: no registry
 * needed, the same id from the same packages and epoch); other local
 * references cannot be made here and fail with the fix; registry references are left to the
 * daemon's pull. Resolves to the base image id, or null when it is left to the pull.
 */
export async function ensureBaseImage(engine: DockerEngine, ref: string, options: EnsureBaseOptions = {}): Promise<string | null> {
  const existing = await inspectImageOrNull(engine, ref);
  if (existing) return existing.Id;
  const suite = /^greenrt\/debian:([a-z]+)$/.exec(ref)?.[1];
  if (!suite) {
    if (ref.startsWith('local/') || ref.startsWith('greenrt/')) {
      throw new EnvironmentError(
        'E_BASE_IMAGE_MISSING',
        `Base image ${ref} is missing and greenrt cannot make it. Create it (images/base/build-base.sh SUITE ${ref}: debootstrap --variant=minbase, made reproducibly) or pass a base image that exists.`,
      );
    }
    return null;
  }
  const script = join(options.repoRoot ?? packageRoot, 'images', 'base', 'build-base.sh');
  options.progress?.(`base image ${ref} missing: building it with ${script} ${suite}`);
  const child = execa('bash', [script, suite, ref], { all: true, reject: false, cancelSignal: options.signal });
  const lines: string[] = [];
  child.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      options.progress?.(line);
    }
  });
  const result = await child;
  if (options.signal?.aborted) throw options.signal.reason;
  if (result.exitCode !== 0) {
    const tail = lines.slice(-15).join('\n');
    throw new EnvironmentError(
      'E_BASE_IMAGE_BUILD',
      `Base image ${ref}: images/base/build-base.sh ${suite} exited ${String(result.exitCode)}:\n${tail}\nFix the cause above (debootstrap installed? running as root? mirror reachable?) and run it again.`,
      { hint: `Run: sudo bash ${script} ${suite}` },
    );
  }
  const built = await inspectImageOrNull(engine, ref);
  if (!built)
    throw new EnvironmentError(
      'E_BASE_IMAGE_BUILD',
      `Base image ${ref}: build-base.sh succeeded but the image is not there. Run bash ${script} ${suite} by hand and check its output.`,
    );
  return built.Id;
}
