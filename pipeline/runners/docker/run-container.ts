import type Docker from 'dockerode';
import { EnvironmentError } from '../../core/index.js';
import { demuxLogs, engineError, tailLines, type DockerEngine } from '../../docker/index.js';
import { writeFileAtomic } from '../../results/index.js';

/** How one container run ended, with its logs. */
export interface ContainerRun {
  containerId: string;
  /** Exit code; null when we killed it (timeout) and it did not report one. */
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  /** Last `tailLineCount` lines of stdout+stderr. */
  logTail: string;
  /** CLOCK_MONOTONIC ns just before `start` and just after the exit was seen. */
  startedNs: bigint;
  endedNs: bigint;
}

export interface RunContainerOptions {
  timeoutMs: number;
  /** The full log is written here. */
  logPath: string;
  tailLineCount?: number;
  onStart?(monotonicNs: bigint): void;
  signal?: AbortSignal;
}

/**
 * Create, start, wait (bounded), inspect, collect logs, remove, also on failure or abort.
 * A timeout kills the container and is reported (timedOut), not thrown; an abort kills, removes and
 * rethrows the abort reason; engine errors become EnvironmentError.
 */
export async function runContainer(engine: DockerEngine, create: Docker.ContainerCreateOptions, options: RunContainerOptions): Promise<ContainerRun> {
  let container: Docker.Container | undefined;
  try {
    container = await createContainer(engine, create);
    const startedNs = process.hrtime.bigint();
    options.onStart?.(startedNs);
    await container.start().catch((error: unknown) => {
      throw gpuRuntimeError(error, create) ?? error;
    });
    const waited = await waitBounded(container, options.timeoutMs, options.signal);
    let exitCode = waited === 'timeout' ? null : waited;
    if (waited === 'timeout') {
      await container.kill().catch(() => undefined);
      const after = await waitBounded(container, 10_000);
      exitCode = after === 'timeout' ? null : after;
    }
    const endedNs = process.hrtime.bigint();
    const state = (await container.inspect()).State;
    const logs = demuxLogs((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    await writeFileAtomic(options.logPath, logs.combined);
    return {
      containerId: container.id,
      exitCode,
      timedOut: waited === 'timeout',
      oomKilled: Boolean(state.OOMKilled),
      logTail: tailLines(logs.combined, options.tailLineCount ?? 50),
      startedNs,
      endedNs,
    };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw engineError(error, `Container ${create.Image ?? ''}`);
  } finally {
    await container?.remove({ force: true, v: true }).catch(() => undefined);
  }
}

async function createContainer(engine: DockerEngine, create: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  try {
    return await engine.docker.createContainer(create);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const message = (error as Error).message;
    if (status === 404 && /image/i.test(message)) {
      throw new EnvironmentError('E_IMAGE_MISSING', `Image ${String(create.Image)} is not on this Docker host: ${message}. Build it: greenrt images build.`, {
        cause: error,
      });
    }
    throw gpuRuntimeError(error, create) ?? error;
  }
}

/**
 * The GPU runtime's known refusals as EnvironmentError (exit 3) with the fix; null for any other error.
 * An old CDI spec (nvidia-ctk before 1.15 wrote index names only) cannot resolve the GPU's UUID that greenrt
 * requests, in the runtime's `cdi` mode: "unresolvable CDI devices nvidia.com/gpu=GPU-...".
 */
export function gpuRuntimeError(error: unknown, create: Pick<Docker.ContainerCreateOptions, 'Image'>): EnvironmentError | null {
  const message = (error as Error).message ?? String(error);
  if (/could not select device driver/i.test(message))
    return new EnvironmentError(
      'E_GPU_RUNTIME',
      `GPU container for ${String(create.Image)}: ${message}. Install the NVIDIA Container Toolkit (nvidia-ctk runtime configure --runtime=docker) and restart dockerd.`,
      { cause: error },
    );
  if (/unresolvable CDI devices/i.test(message))
    return new EnvironmentError(
      'E_GPU_RUNTIME',
      `GPU container for ${String(create.Image)}: ${message.trim().split('\n').pop()}. The host's CDI spec does not name the GPU by UUID (specs written by nvidia-ctk before 1.15 have index names only).`,
      {
        hint: 'Regenerate the CDI spec as root: nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml (check with nvidia-ctk cdi list: it must list nvidia.com/gpu=GPU-<uuid>), then run again.',
        cause: error,
      },
    );
  return null;
}

/** Exit code, or 'timeout'; an abort kills the container and rejects with the reason. */
async function waitBounded(container: Docker.Container, timeoutMs: number, signal?: AbortSignal): Promise<number | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      (container.wait() as Promise<{ StatusCode: number }>).then((r) => r.StatusCode),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        if (!signal) return;
        onAbort = () => {
          void container.kill().catch(() => undefined);
          reject(signal.reason);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
