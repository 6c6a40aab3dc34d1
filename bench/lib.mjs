// Shared helpers for the overhead benchmarks: statistics, child processes, Docker CLI calls, and
// host facts (machine description and how busy the host was while a section ran).
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem, release, hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, '..');

export function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(values, q) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
export const round = (x, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** Runs a command; resolves {code, stdout, stderr, wallMs}. Rejects only when it cannot start. */
export function exec(cmd, args, { cwd = repoRoot, env = process.env, input, timeoutMs = 600_000, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (echo) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Like exec, but throws with the stderr tail when the exit code is not 0. */
export async function execOk(cmd, args, options) {
  const r = await exec(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** The last line of stdout that parses as JSON (scripts print their result last). */
export function lastJson(stdout) {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {
      // not the result line
    }
  }
  throw new Error(`no JSON result line in output: ${stdout.slice(-500)}`);
}

/** Aggregate CPU jiffies from /proc/stat: busy (user+nice+system+irq+softirq), steal, total. */
export function hostCpu() {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = first;
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0, total: first.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Shares of the host's CPU (all cores) that were busy and stolen between two hostCpu() reads. */
export function hostCpuShares(a, b) {
  if (!a || !b || b.total === a.total) return null;
  const total = b.total - a.total;
  return { busyShare: round((b.busy - a.busy) / total, 3), stealShare: round((b.steal - a.steal) / total, 3) };
}

/** Runs `fn` and records how busy the whole host was meanwhile (this benchmark's own work included). */
export async function withHostLoad(fn) {
  const a = hostCpu();
  const load1Before = loadavg()[0];
  const value = await fn();
  const shares = hostCpuShares(a, hostCpu());
  return { value, host: { ...shares, loadavg1Before: round(load1Before, 2), loadavg1After: round(loadavg()[0], 2) } };
}

/** How busy the host is with other work right now: busy share over `ms` while this process sleeps. */
export async function idleCheck(ms = 3000) {
  const a = hostCpu();
  await new Promise((r) => setTimeout(r, ms));
  return hostCpuShares(a, hostCpu());
}

export async function machine() {
  const cpu = cpus();
  const docker = await exec('docker', ['version', '--format', '{{.Server.Version}}']).catch(() => null);
  let gitCommit = null;
  const git = await exec('git', ['rev-parse', '--short', 'HEAD']).catch(() => null);
  if (git?.code === 0) gitCommit = git.stdout.trim();
  const dirty = await exec('git', ['status', '--porcelain']).catch(() => null);
  return {
    hostname: hostname(),
    cpuModel: cpu[0]?.model ?? 'unknown',
    logicalCpus: cpu.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    docker: docker?.code === 0 ? docker.stdout.trim() : null,
    virtualised: hostCpu()?.steal !== undefined ? readFileSync('/proc/cpuinfo', 'utf8').includes('hypervisor') : null,
    gitCommit,
    gitDirty: dirty ? dirty.stdout.trim().length > 0 : null,
  };
}

/** Docker CLI: start a detached container and return its id; `docker rm -f` it with removeContainer. */
export async function startContainer(image, { mounts = [], network = 'none', user } = {}) {
  const args = ['run', '-d', '--rm', '--network', network, '--label', 'greenrt.bench=1'];
  if (user) args.push('--user', user);
  for (const m of mounts) args.push('-v', `${m.host}:${m.container}:${m.readOnly === false ? 'rw' : 'ro'}`);
  args.push(image, 'sleep', 'infinity');
  const r = await execOk('docker', args);
  return r.stdout.trim();
}

export async function removeContainer(id) {
  await exec('docker', ['rm', '-f', id]);
}

/** Runs a command in a running container; returns the parsed last JSON line of stdout. */
export async function dockerExecJson(id, argv, { timeoutMs = 600_000 } = {}) {
  const r = await execOk('docker', ['exec', id, ...argv], { timeoutMs });
  return lastJson(r.stdout);
}

export function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * The headline of a paired comparison: the median of the per-round paired ratios (each round runs both sides
 * back to back, so a slow spell of the shared host hits both) with its 95 % percentile-bootstrap interval
 * (greenrt's bootstrapCi, seed 0). Not a best-of-rounds figure: two bench runs an hour apart on this machine
 * gave best-of ratios 1.0245 then 0.997 (harness) and 0.994 then 0.958 (embedded ORT).
 */
export function pairedRatio(perRound, bootstrapCi) {
  const ci = bootstrapCi(perRound, 'median');
  return { ratio: round(median(perRound)), ci95: { lower: round(ci.lower), upper: round(ci.upper) }, rounds: perRound.length };
}
