/**
 * Inputs that outlive the mirrors (docs/RELIABILITY.md, "Builds without the network"): `greenrt images vendor`
 * downloads every .deb an image's apt locks pin and every wheel its pip locks pin, checks each against the SHA-256
 * in the lock, and writes a flat apt index and vendor.json; `greenrt images build --from DIR` checks the folder
 * again and builds from it with network mode none.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  describeKind,
  EnvironmentError,
  GreenrtError,
  ExitCode,
  InputError,
  readInputFileSync,
  sha256File,
  shellQuote,
  TimeoutError,
  sha256Hex,
  type InputProblem,
} from '../core/index.js';
import { Contracts, SchemaId, packageRoot, type VendoredInputs } from '../contracts/index.js';
import { readJsonFile, writeFileAtomic, writeJsonFile } from '../results/index.js';
import { runThrowaway, type DockerEngine, type ThrowawayResult } from '../docker/index.js';
import { ensureBaseImage } from './base-image.js';
import type { ImageFlavour, ImageRuntime } from './build-context.js';
import { readDockerfileBases } from './dockerfile-bases.js';
import { inspectImageOrNull, type BuildProgress } from './image-build.js';

/** A lock line of an apt lock: `package=version arch=A size=N sha256=H [auto]` (images/common/docker/lock-apt.sh). */
export interface AptPin {
  package: string;
  version: string;
  arch: string;
  sizeBytes: number;
  sha256: string;
  /** A dependency apt chose (marked automatic after the install). */
  auto: boolean;
  /** apt's file name: package_version_arch.deb with the epoch colon as %3a. */
  file: string;
  /** 1-based line in the lock. */
  line: number;
}

/** A requirement of a hashed pip lock: name==version and every --hash it allows. */
export interface PipPin {
  requirement: string;
  hashes: string[];
  line: number;
}

/** A vendored folder's checks failed: a file's bytes differ from its lock (exit 4). */
export class VendorMismatchError extends GreenrtError {
  override readonly exitCode = ExitCode.trialsFailed;
}

const aptLine = /^([a-z0-9][a-z0-9+.-]*)=(\S+)\s+arch=([a-z0-9-]+)\s+size=(\d+)\s+sha256=([0-9a-f]{64})(\s+auto)?$/;

/** Parses an apt lock; a line without the lock-apt.sh fields is exit 2 naming the file, the line and the fix. */
export function parseAptLock(text: string, shown: string): AptPin[] {
  const pins: AptPin[] = [];
  const problems: InputProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const code = raw.replace(/#.*/, '').trim();
    if (code === '') return;
    const m = aptLine.exec(code);
    if (!m) {
      problems.push({
        file: shown,
        line: i + 1,
        path: '',
        message: `"${code.slice(0, 80)}" is not "package=version arch=A size=N sha256=H [auto]"`,
        hint: `Refresh the lock: bash images/common/docker/lock-apt.sh <base image> ${shown}.`,
      });
      return;
    }
    const [, pkg, version, arch, size, sha256, auto] = m as unknown as [string, string, string, string, string, string, string | undefined];
    pins.push({
      package: pkg,
      version,
      arch,
      sizeBytes: Number(size),
      sha256,
      auto: auto !== undefined,
      file: `${pkg}_${version.replace(/:/g, '%3a')}_${arch}.deb`,
      line: i + 1,
    });
  });
  if (problems.length > 0) throw new InputError('Apt lock without hashes', problems);
  if (pins.length === 0) throw new InputError('Empty apt lock', [{ file: shown, path: '', message: 'pins no package' }]);
  return pins;
}

/** Parses a hashed pip lock (backslash continuations, --hash=sha256:H options). */
export function parsePipLock(text: string, shown: string): PipPin[] {
  const pins: PipPin[] = [];
  const problems: InputProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let code = (lines[i] ?? '').replace(/(^|\s)#.*/, '').trim();
    const start = i + 1;
    while (code.endsWith('\\') && i + 1 < lines.length) code = `${code.slice(0, -1)} ${(lines[++i] ?? '').replace(/(^|\s)#.*/, '').trim()}`;
    if (code === '') continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*==\S+)\s+(.*)$/.exec(code);
    const hashes = [...(m?.[2] ?? '').matchAll(/--hash=sha256:([0-9a-f]{64})/g)].map((h) => h[1] as string);
    if (!m || hashes.length === 0) {
      problems.push({
        file: shown,
        line: start,
        path: '',
        message: `"${code.slice(0, 80)}" is not "name==version --hash=sha256:H ..."`,
        hint: 'Regenerate it with images/common/docker/lock-pip.sh.',
      });
      continue;
    }
    pins.push({ requirement: m[1] as string, hashes, line: start });
  }
  if (problems.length > 0) throw new InputError('Pip lock without hashes', problems);
  return pins;
}

/** The lock files one image's install step reads (as its Dockerfile COPYs them), relative to images/<runtime>. */
export function imageLockFiles(runtime: ImageRuntime, flavour: ImageFlavour, repoRoot = packageRoot): { apt: string[]; pip: string[] } {
  if (flavour === 'tensorrt') {
    throw new InputError('Cannot vendor the tensorrt flavour', [
      {
        file: 'command line',
        path: '',
        message: "its TensorRT pins come from NVIDIA's index without a hash (requirements-tensorrt.in)",
        hint: 'Vendor cpu or cuda; build tensorrt online.',
      },
    ]);
  }
  const dir = join(repoRoot, 'images', runtime);
  const present = (f: string) => existsSync(join(dir, f));
  const apt = [present(`apt-${flavour}.lock`) ? `apt-${flavour}.lock` : 'apt.lock'];
  if (present('apt-build.lock')) apt.push('apt-build.lock');
  const pip = [`requirements-${flavour}.lock`];
  if (present('gluonnlp.lock')) pip.push('gluonnlp.lock');
  for (const f of [...apt, ...pip]) {
    if (!present(f)) throw new EnvironmentError('E_VENDOR_LOCK', `images/${runtime}/${f} is missing. Restore it from the greenrt checkout.`);
  }
  return { apt, pip };
}

interface ImageLocks {
  apt: { path: string; pins: AptPin[]; sha256: string }[];
  pip: { path: string; pins: PipPin[]; sha256: string }[];
}

function readLocks(runtime: ImageRuntime, flavour: ImageFlavour, repoRoot: string): ImageLocks {
  const files = imageLockFiles(runtime, flavour, repoRoot);
  const read = (f: string) => {
    const bytes = readInputFileSync(join(repoRoot, 'images', runtime, f), maxLockBytes);
    return { path: `images/${runtime}/${f}`, text: bytes.toString('utf8'), sha256: sha256Hex(bytes) };
  };
  return {
    apt: files.apt.map(read).map((l) => ({ path: l.path, sha256: l.sha256, pins: parseAptLock(l.text, l.path) })),
    pip: files.pip.map(read).map((l) => ({ path: l.path, sha256: l.sha256, pins: parsePipLock(l.text, l.path) })),
  };
}

/** `<out>/<runtime>-<flavour>`: one image's vendored folder. */
export function vendoredFolder(outDir: string, runtime: ImageRuntime, flavour: ImageFlavour): string {
  return join(outDir, `${runtime}-${flavour}`);
}

/** A downloaded file's SHA-256, read through the safe reader. */
const fileSha256 = sha256File;

/** Largest lock, index or record file read (they are KiB to a few MiB). */
const maxLockBytes = 64 * 2 ** 20;

export interface VendorOptions {
  repoRoot?: string;
  progress?: BuildProgress;
  /** CA bundle pip trusts (default: the host's /etc/ssl/certs/ca-certificates.crt). */
  caBundlePath?: string;
  /** Bound for the download container, ms (default 30 min: the cuda wheels are GBs). */
  timeoutMs?: number;
}

export interface VendorResult {
  folder: string;
  record: VendoredInputs;
}

/**
 * Downloads one image's pinned inputs into `<outDir>/<runtime>-<flavour>` (replacing an older folder only once the
 * new one passed every check): the .deb files with `apt-get download` inside the image's base (same suite and
 * architecture), the wheels with `pip download --require-hashes --no-deps` on the suite's own Python, the flat index
 * from the .deb files' control fields. Every file is then checked against its lock on the host (exit 4 naming it).
 */
export async function vendorImageInputs(
  engine: DockerEngine,
  runtime: ImageRuntime,
  flavour: ImageFlavour,
  outDir: string,
  options: VendorOptions = {},
): Promise<VendorResult> {
  const started = performance.now();
  const repoRoot = options.repoRoot ?? packageRoot;
  const locks = readLocks(runtime, flavour, repoRoot);
  const baseImage = readDockerfileBases(readInputFileSync(join(repoRoot, 'images', runtime, 'Dockerfile'), maxLockBytes).toString('utf8')).base;
  if (!baseImage)
    throw new EnvironmentError('E_VENDOR_BASE', `images/${runtime}/Dockerfile names no BASE_IMAGE default. Restore it from the greenrt checkout.`);
  const baseImageId = await ensureBaseImage(engine, baseImage, { repoRoot, progress: options.progress });
  mkdirSync(outDir, { recursive: true });
  const folder = vendoredFolder(outDir, runtime, flavour);
  const staging = `${folder}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'debs'), { recursive: true });
  mkdirSync(join(staging, 'wheels'), { recursive: true });
  mkdirSync(join(staging, 'locks'), { recursive: true });
  try {
    for (const l of [...locks.apt, ...locks.pip]) {
      const name = l.path.split('/').pop() as string;
      await writeFileAtomic(join(staging, 'locks', name), readInputFileSync(join(repoRoot, l.path), maxLockBytes));
    }
    const debPins = locks.apt.flatMap((l) => l.pins.map((p) => `${p.package}=${p.version}`));
    const pipLocks = locks.pip.map((l) => `/vendor/locks/${l.path.split('/').pop() as string}`);
    const script = [
      'set -eu',
      'export DEBIAN_FRONTEND=noninteractive',
      'apt-get update -qq',
      'cd /vendor/debs',
      `apt-get download -q ${debPins.map(shellQuote).join(' ')}`,
      'for f in *.deb; do dpkg-deb -f "$f"; printf "Filename: ./%s\\nSize: %s\\nSHA256: %s\\n\\n" "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d" " -f1)"; done > Packages',
      // pip on the suite's own Python (the interpreter the image installs into: its wheel tags).
      'apt-get install -y -qq --no-install-recommends python3-venv >/dev/null',
      'python3 -m venv /tmp/pip-venv',
      ...pipLocks.map(
        (l) =>
          `/tmp/pip-venv/bin/python -m pip download -q --disable-pip-version-check --no-deps --require-hashes --no-build-isolation -d /vendor/wheels -r ${l}`,
      ),
      `chown -R ${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0} /vendor/debs /vendor/wheels`,
    ].join('\n');
    options.progress?.(`downloading ${debPins.length} .deb files and ${locks.pip.reduce((n, l) => n + l.pins.length, 0)} wheels in ${baseImage}`);
    await runDownloader(engine, baseImage, script, staging, options.caBundlePath, options.timeoutMs ?? 30 * 60_000);
    rmSync(join(staging, 'locks'), { recursive: true, force: true });
    const checked = await checkFolderAgainstLocks(staging, locks, `${folder} (being written)`);
    const index = readInputFileSync(join(staging, 'debs', 'Packages'), maxLockBytes);
    const record: VendoredInputs = {
      schemaVersion: 1,
      runtime,
      flavour: flavour as 'cpu' | 'cuda',
      baseImage,
      baseImageId,
      locks: [...locks.apt, ...locks.pip].map((l) => ({ path: l.path, sha256: l.sha256 })),
      debs: checked.debs,
      wheels: checked.wheels,
      index: { file: 'debs/Packages', sha256: sha256Hex(index) },
      totalBytes: checked.debs.reduce((n, d) => n + d.sizeBytes, 0) + checked.wheels.reduce((n, w) => n + w.sizeBytes, 0) + index.length,
      createdAt: new Date().toISOString(),
      durationMs: performance.now() - started,
    };
    await writeJsonFile(new Contracts(), SchemaId.vendoredInputs, join(staging, 'vendor.json'), record);
    // Replace an older folder only now: a failed vendoring never leaves less than what was there.
    const old = `${folder}.old`;
    rmSync(old, { recursive: true, force: true });
    // Only a folder is moved aside: anything else standing there (a file, a link, a device) is refused, not replaced.
    const there = existsSync(folder) || isLink(folder) ? lstatSync(folder) : null;
    if (there && !there.isDirectory()) {
      throw new InputError(`Cannot write ${folder}`, [
        {
          file: folder,
          path: '',
          message: `is ${describeKind(there)}, not a folder: greenrt replaces only its own vendored folder there`,
          hint: 'Pass --out <dir> naming a folder, or move that entry away.',
        },
      ]);
    }
    if (there) renameSync(folder, old);
    renameSync(staging, folder);
    rmSync(old, { recursive: true, force: true });
    return { folder, record };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** The download container: the base image on the default network, the staging folder at /vendor. Removed after. */
async function runDownloader(
  engine: DockerEngine,
  image: string,
  script: string,
  staging: string,
  caBundlePath: string | undefined,
  timeoutMs: number,
): Promise<void> {
  // pip trusts the host's CA store (or GREENRT_CA_BUNDLE), read-only: a TLS-intercepting proxy needs no setup.
  const ca = caBundlePath ?? ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find((f) => existsSync(f));
  let result: ThrowawayResult;
  try {
    result = await runThrowaway(engine, image, ['sh', '-c', script], {
      timeoutMs,
      network: 'default',
      env: ca ? ['PIP_CERT=/tmp/greenrt-ca.crt'] : [],
      binds: [{ host: staging, container: '/vendor', readOnly: false }, ...(ca ? [{ host: ca, container: '/tmp/greenrt-ca.crt', readOnly: true }] : [])],
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    throw new EnvironmentError('E_VENDOR_DOWNLOAD', `Downloading the pinned inputs in ${image}: ${error.message}`);
  }
  if (result.exitCode !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new EnvironmentError(
      'E_VENDOR_DOWNLOAD',
      `Downloading the pinned inputs in ${image} failed (exit ${result.exitCode}):\n${tail}\n` +
        'A version the mirror dropped: vendor from a host that still has it, or refresh the locks (images/README.md, "Refreshing a lock"). ' +
        'Network errors: check that deb.debian.org and pypi.org are reachable (GREENRT_CA_BUNDLE behind a TLS-intercepting proxy).',
    );
  }
}

/**
 * Every file the locks name is in `folder` with the lock's SHA-256, and nothing else is: missing files are
 * EnvironmentError (exit 3, with the fix), different bytes or unnamed files VendorMismatchError (exit 4, naming them).
 */
async function checkFolderAgainstLocks(
  folder: string,
  locks: ImageLocks,
  shown: string,
): Promise<{ debs: VendoredInputs['debs']; wheels: VendoredInputs['wheels'] }> {
  const missing: string[] = [];
  const mismatched: string[] = [];
  const debs: VendoredInputs['debs'] = [];
  const wantedDebs = new Set<string>();
  for (const lock of locks.apt) {
    for (const pin of lock.pins) {
      wantedDebs.add(pin.file);
      const path = join(folder, 'debs', pin.file);
      if (!existsSync(path)) {
        missing.push(`debs/${pin.file} (${lock.path}:${pin.line})`);
        continue;
      }
      const sha = await fileSha256(path);
      if (sha !== pin.sha256) mismatched.push(`debs/${pin.file}: sha256 ${sha}, ${lock.path}:${pin.line} says ${pin.sha256}`);
      debs.push({ file: pin.file, package: pin.package, version: pin.version, sha256: sha, sizeBytes: statSync(path).size });
    }
  }
  const debDir = join(folder, 'debs');
  for (const f of existsSync(debDir) ? readdirSync(debDir) : []) {
    if (f !== 'Packages' && !wantedDebs.has(f)) mismatched.push(`debs/${f}: no apt lock names it`);
  }
  if (!existsSync(join(debDir, 'Packages'))) missing.push('debs/Packages (the flat apt index)');
  const wheelDir = join(folder, 'wheels');
  const byHash = new Map<string, { file: string; size: number }>();
  for (const f of existsSync(wheelDir) ? readdirSync(wheelDir).sort() : []) {
    const path = join(wheelDir, f);
    byHash.set(await fileSha256(path), { file: f, size: statSync(path).size });
  }
  const wheels: VendoredInputs['wheels'] = [];
  const used = new Set<string>();
  for (const lock of locks.pip) {
    for (const pin of lock.pins) {
      const found = pin.hashes.map((h) => [h, byHash.get(h)] as const).find(([, w]) => w !== undefined);
      if (!found?.[1]) {
        missing.push(`a file for ${pin.requirement} in wheels/ (${lock.path}:${pin.line})`);
        continue;
      }
      used.add(found[0]);
      wheels.push({ file: found[1].file, requirement: pin.requirement, sha256: found[0], sizeBytes: found[1].size });
    }
  }
  for (const [hash, w] of byHash) if (!used.has(hash)) mismatched.push(`wheels/${w.file}: sha256 ${hash} is not a --hash of any locked requirement`);
  if (mismatched.length > 0) {
    throw new VendorMismatchError(
      'E_VENDOR_MISMATCH',
      `Vendored inputs in ${shown} differ from the locks:\n${mismatched.map((m) => `  - ${m}`).join('\n')}\n` +
        'Do not build from these bytes. Vendor again from the mirrors (greenrt images vendor) or restore the files from a copy whose record matches.',
    );
  }
  if (missing.length > 0) {
    throw new EnvironmentError(
      'E_VENDOR_MISSING',
      `Vendored inputs in ${shown} are incomplete:\n${missing.map((m) => `  - ${m}`).join('\n')}\n` +
        'Fix: run greenrt images vendor for this image with --out naming the folder above it, on a host that reaches the mirrors (or copy the missing files in).',
    );
  }
  return { debs, wheels };
}

/**
 * Checks `<fromDir>/<runtime>-<flavour>` before an offline build: vendor.json valid and written for these locks,
 * every locked file present (exit 3 with the fix) with its lock's SHA-256 (exit 4 naming the file).
 */
export async function checkVendoredInputs(
  fromDir: string,
  runtime: ImageRuntime,
  flavour: ImageFlavour,
  repoRoot = packageRoot,
): Promise<{ folder: string; record: VendoredInputs }> {
  const folder = vendoredFolder(fromDir, runtime, flavour);
  const fix = `Fix: greenrt images vendor ${runtime} --flavour ${flavour} --out ${fromDir} (on a host that reaches the mirrors), then copy the folder here.`;
  const recordPath = join(folder, 'vendor.json');
  const read = await readJsonFile<VendoredInputs>(new Contracts(), SchemaId.vendoredInputs, recordPath, { shown: recordPath, hint: fix });
  if (!read.ok && read.absent) throw new EnvironmentError('E_VENDOR_MISSING', `No vendored inputs for ${runtime} ${flavour}: ${recordPath} is missing. ${fix}`);
  if (!read.ok) throw new InputError('Damaged vendor record', read.problems);
  const locks = readLocks(runtime, flavour, repoRoot);
  const changed = [...locks.apt, ...locks.pip].filter((l) => !read.data.locks.some((r) => r.path === l.path && r.sha256 === l.sha256));
  if (changed.length > 0) {
    throw new EnvironmentError(
      'E_VENDOR_MISSING',
      `${recordPath} was written for other lock files than this checkout's (${changed.map((l) => l.path).join(', ')} changed since). ${fix}`,
    );
  }
  await checkFolderAgainstLocks(folder, locks, relative(process.cwd(), folder) || folder);
  const index = join(folder, 'debs', 'Packages');
  const indexSha = await fileSha256(index);
  if (indexSha !== read.data.index.sha256) {
    throw new VendorMismatchError(
      'E_VENDOR_MISMATCH',
      `${index}: sha256 ${indexSha} is not the one ${recordPath} records (${read.data.index.sha256}). Vendor again. ${fix}`,
    );
  }
  return { folder, record: read.data };
}

/** The base image an offline build needs must already be on the engine (no network to make it). */
export async function requireLocalBase(engine: DockerEngine, baseImage: string | null, fix: string): Promise<void> {
  if (baseImage && !(await inspectImageOrNull(engine, baseImage))) {
    throw new EnvironmentError('E_VENDOR_BASE', `Base image ${baseImage} is not on this engine and an offline build cannot make it. ${fix}`);
  }
}
