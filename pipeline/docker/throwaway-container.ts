import type Docker from 'dockerode';
import { TimeoutError } from '../core/index.js';
import { bindMounts, type BindMount } from './bind-mounts.js';
import { demuxLogs } from './docker-logs.js';
import { engineError, type DockerEngine } from './docker-engine.js';

export interface ThrowawayResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd` in a new container of `image` without network (unless `network` names one), waits (bounded),
 * collects its output and removes it, also when the wait fails. For short inspection commands and downloads
 * (`images vendor`: the default network and a bind-mounted folder), not for trials.
 */
export async function runThrowaway(
  engine: DockerEngine,
  image: string,
  cmd: string[],
  options: { timeoutMs?: number; env?: string[]; network?: string; binds?: BindMount[] } = {},
): Promise<ThrowawayResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let container: Docker.Container | undefined;
  try {
    container = await engine.docker.createContainer({
      Image: image,
      Cmd: cmd,
      Env: options.env,
      Labels: { 'greenrt.throwaway': 'true' },
      HostConfig: { NetworkMode: options.network ?? 'none', AutoRemove: false, ...(options.binds ? { Mounts: bindMounts(options.binds) } : {}) },
    });
    await container.start();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const waited = await Promise.race([container.wait() as Promise<{ StatusCode: number }>, timedOut]);
    clearTimeout(timer);
    if (waited === 'timeout') {
      throw new TimeoutError(
        'E_TIMEOUT',
        `Command ${cmd.join(' ')} in ${image} did not finish within ${timeoutMs} ms. Check the image starts (docker run --rm ${image} ${cmd.join(' ')}).`,
      );
    }
    const logs = demuxLogs((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    return { exitCode: waited.StatusCode, stdout: logs.stdout, stderr: logs.stderr };
  } catch (error) {
    throw engineError(error, `Running ${cmd.join(' ')} in ${image}`);
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}
