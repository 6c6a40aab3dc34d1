import Docker from 'dockerode';
import { EnvironmentError } from '../core/index.js';

/** Daemon facts recorded in the run manifest (host.docker). */
export interface DockerEngineInfo {
  /** Daemon version, e.g. '20.10.24+dfsg1'. */
  serverVersion: string;
  /** API version the daemon speaks, e.g. '1.41'. */
  apiVersion: string;
  storageDriver: string;
  cgroupVersion: string;
  /** Container runtimes the daemon knows (runc, nvidia...). */
  runtimes: string[];
  /** Whether the nvidia runtime is registered (GPU containers via DeviceRequests also need the toolkit hook). */
  nvidiaRuntime: boolean;
  operatingSystem: string;
  kernelVersion: string;
  /** CPUs (count) and memory (MiB) the daemon sees. */
  cpuCount: number;
  memoryMiB: number;
}

/** A connected engine: the dockerode client plus what `info` said when we connected. */
export interface DockerEngine {
  docker: Docker;
  info: DockerEngineInfo;
}

export interface ConnectOptions {
  /** Bound on ping + info together, ms (default 5000). */
  timeoutMs?: number;
  /** dockerode options (socketPath, host...); default: DOCKER_HOST or /var/run/docker.sock. */
  dockerOptions?: Docker.DockerOptions;
}

export const DOCKER_START_HINT = 'Start it: dockerd & (or sudo systemctl start docker), or set DOCKER_HOST.';

/** Pings the daemon with a bounded wait; throws EnvironmentError (exit 3) with the fix when unreachable. */
export async function connectDocker(options: ConnectOptions = {}): Promise<DockerEngine> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const docker = new Docker(options.dockerOptions);
  const where = describeEndpoint(options.dockerOptions);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const raw = (await Promise.race([docker.ping().then(() => docker.info()), timeout])) as Record<string, unknown>;
    const version = (await Promise.race([docker.version(), timeout])) as unknown as Record<string, unknown>;
    return { docker, info: toInfo(raw, version) };
  } catch (error) {
    throw new EnvironmentError('E_DOCKER_UNREACHABLE', `Docker engine unreachable (${where}): ${error instanceof Error ? error.message : String(error)}.`, {
      hint: DOCKER_START_HINT,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** True when an error from dockerode means the daemon itself is gone (not a 4xx/5xx answer). */
export function isEngineGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EPIPE' || code === 'ECONNRESET' || code === 'EACCES';
}

/** Wraps an engine-gone error as EnvironmentError; other errors pass through unchanged. */
export function engineError(error: unknown, what: string): unknown {
  if (!isEngineGone(error)) return error;
  return new EnvironmentError('E_DOCKER_GONE', `${what}: the Docker engine went away (${String((error as Error).message)}).`, {
    hint: DOCKER_START_HINT,
    cause: error,
  });
}

function describeEndpoint(o: Docker.DockerOptions | undefined): string {
  if (o?.socketPath) return String(o.socketPath);
  if (o?.host) return `${o.protocol ?? 'http'}://${o.host}:${o.port ?? ''}`;
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

function toInfo(info: Record<string, unknown>, version: Record<string, unknown>): DockerEngineInfo {
  const runtimes = Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {}).sort();
  return {
    serverVersion: String(info.ServerVersion ?? version.Version ?? 'unknown'),
    apiVersion: String(version.ApiVersion ?? 'unknown'),
    storageDriver: String(info.Driver ?? 'unknown'),
    cgroupVersion: String(info.CgroupVersion ?? 'unknown'),
    runtimes,
    nvidiaRuntime: runtimes.includes('nvidia'),
    operatingSystem: String(info.OperatingSystem ?? 'unknown'),
    kernelVersion: String(info.KernelVersion ?? 'unknown'),
    cpuCount: Number(info.NCPU ?? 0),
    memoryMiB: Math.round(Number(info.MemTotal ?? 0) / 1048576),
  };
}
