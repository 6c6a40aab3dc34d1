/**
 * docker: the Docker engine client shared by images, models, runners and orchestrate (dockerode underneath).
 *
 * Engine
 * - `connectDocker({timeoutMs?, dockerOptions?}) -> DockerEngine {docker, info}`: pings (bounded, default 5000 ms);
 *   throws EnvironmentError E_DOCKER_UNREACHABLE (exit 3) with the fix. `info`: serverVersion, apiVersion,
 *   storageDriver, cgroupVersion, runtimes, nvidiaRuntime, cpuCount, memoryMiB (for manifest host.docker).
 * - `isEngineGone(err)`, `engineError(err, what)`: connection errors -> EnvironmentError E_DOCKER_GONE.
 *
 * Container output
 * - `demuxLogs(buffer) -> {stdout, stderr, combined}`: Docker's multiplexed log frames (TTY output passes through).
 * - `tailLines(text, count)`: the last `count` non-empty lines.
 *
 * Binds
 * - `bindMounts(binds: {host, container, readOnly}[]) -> MountSettings[]`: host folders and files as the engine's
 *   `Mounts` (type bind): paths may hold ':', and a missing host path is an error, not a folder the engine creates.
 *
 * Short inspection containers
 * - `runThrowaway(engine, image, cmd, {timeoutMs?, env?, network?, binds?}) -> {exitCode, stdout, stderr}`: no network, bounded
 *   wait (TimeoutError), the container removed also when the wait fails. Not for trials (runners own those).
 */
export * from './bind-mounts.js';
export * from './docker-engine.js';
export * from './docker-logs.js';
export * from './throwaway-container.js';
