/**
 * A second, empty Docker engine for tests (a fresh evaluator's host, a new cluster node): its own data root, exec
 * root, pid file and socket under `dir`, started in a network namespace of its own with no interface but a
 * loopback that is down, no bridge and no iptables rules. So it has no network, and it cannot disturb the host's
 * engine: dockerd with `--bridge none` removes the interface docker0 of the namespace it runs in, which in the
 * host's namespace would be the first engine's bridge. Needs root, dockerd and unshare. The same recipe as
 * bench/image-transport.mjs (plain JavaScript over dist/, which pipeline/testing is not built into).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { findOnPath } from '../core/index.js';

export interface SecondEngine {
  engine: DockerEngine;
  /** DOCKER_HOST for a process that should use this engine. */
  dockerHost: string;
  /** The dockerd process (its network namespace is the engine's). */
  pid: number;
  stop(): Promise<void>;
}

/** Why a second engine cannot be started here (not root, dockerd or unshare missing), or null when it can. */
export async function secondEngineMissing(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'needs root (dockerd)';
  for (const c of ['dockerd', 'unshare', 'nsenter']) if (!(await findOnPath(c))) return `needs ${c} on PATH`;
  return null;
}

/** Starts the engine under `dir` (keep the path short: containerd's sockets live below it) and waits until it answers. */
export async function startSecondEngine(dir: string): Promise<SecondEngine> {
  const socket = join(dir, 'docker.sock');
  writeFileSync(join(dir, 'daemon.json'), '{}');
  // biome-ignore format: one flag per line is easier to read
  const child: ChildProcess = spawn('unshare', [
    '--net', '--', 'dockerd',
    '--config-file', join(dir, 'daemon.json'),
    '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'),
    '--pidfile', join(dir, 'dockerd.pid'),
    '--host', `unix://${socket}`,
    '--bridge', 'none',
    '--iptables=false', '--ip-masq=false', '--ip-forward=false', '--ip6tables=false',
  ], { stdio: 'ignore' });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 120; i++) {
    try {
      const engine = await connectDocker({ dockerOptions: { socketPath: socket }, timeoutMs: 1000 });
      return { engine, dockerHost: `unix://${socket}`, pid: child.pid!, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await stop();
  throw new Error(`the second dockerd under ${dir} did not answer within 60 s`);
}
