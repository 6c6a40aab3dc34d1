import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogueImageRuntimeName } from '../catalogue/index.js';
import { packageRoot } from '../contracts/index.js';
import { canonicalJson, escapeText, GreenrtError, InputError, InputFileProblem, readInputFileSync, sha256Hex } from '../core/index.js';
import { type TarEntry, writeTar } from './tar-writer.js';

/** Runtimes that have an image (catalogue entries with image flavours; the embedded runtime runs in-process). */
export type ImageRuntime = CatalogueImageRuntimeName;
/** cpu: any host; cuda: NVIDIA hosts (CUDA wheels from PyPI); tensorrt: TensorRT from NVIDIA's index. Per runtime: the catalogue's imageFlavours. */
export type ImageFlavour = 'cpu' | 'cuda' | 'tensorrt';

/** A build context ready for `docker build`: tar bytes, build args, and the tag derived from both. */
export interface BuildContext {
  /** Uncompressed, deterministic tar (see tar-writer.ts). */
  tar: Buffer;
  buildArgs: Record<string, string>;
  /** sha256 (hex) of the tar bytes (TRANSPORT_ONLY files counted as empty) and the canonical JSON of the build args. */
  contextHash: string;
  /** greenrt/<runtime>:<flavour>-<hash12> (or the repository given for test images). */
  tag: string;
  /** Paths in the context, sorted (for logs and the manifest). */
  files: string[];
}

export interface BuildContextOptions {
  /**
   * CA bundle trusted by apt and pip during the install step (TLS-intercepting proxies). Default: the host's trust
   * store (hostCaBundle()); null: none. Sent as /ca-bundle.crt but not part of the tag, and not in the image.
   */
  caBundlePath?: string | null;
  /** Overrides the Dockerfile's BASE_IMAGE default. */
  baseImage?: string;
  /** Checkout holding images/, schemas/ (default: this package). */
  repoRoot?: string;
  /** Further build args (part of the tag): NVIDIA_INDEX for the tensorrt variant when a mirror is named. */
  extraBuildArgs?: Record<string, string>;
  /**
   * Checked inputs from `greenrt images vendor` (debs/, wheels/) sent as /vendor: the build then needs no network.
   * Not part of the tag: every file in it is one the locks (which are) name by SHA-256.
   */
  vendorDir?: string;
}

/** Context files that only carry the build (the proxy CA): sent to the daemon, left out of the tag's hash. */
export const TRANSPORT_ONLY: readonly string[] = ['ca-bundle.crt'];

/** Where hosts keep their CA trust store (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/macOS-style). */
export const HOST_CA_BUNDLES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/**
 * The CA bundle image builds trust: GREENRT_CA_BUNDLE when set (a path; "none" for no bundle), else the first host
 * trust store found (HOST_CA_BUNDLES), else null. A proxy CA in the host's store then needs no setting.
 */
export function hostCaBundle(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = HOST_CA_BUNDLES): string | null {
  const named = env.GREENRT_CA_BUNDLE;
  if (named === 'none') return null;
  if (named) return named;
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** SOURCE_DATE_EPOCH of the images (images/common/source-date-epoch: the time the locks were last refreshed), s. */
export function readSourceDateEpoch(repoRoot: string = packageRoot): number {
  const file = join(repoRoot, 'images', 'common', 'source-date-epoch');
  const text = existsSync(file) ? readInputFileSync(file, 4096).toString('utf8').trim() : '';
  if (!/^[0-9]{1,12}$/.test(text)) {
    throw new GreenrtError(
      'E_IMAGE_CONTEXT',
      `Image context: ${file} ${text === '' ? 'is missing or empty' : `holds "${text.slice(0, 40)}", not seconds since 1970`}. Restore it from git (git checkout images/common/source-date-epoch).`,
    );
  }
  return Number(text);
}

/** Names never sent to the daemon: caches and editor litter change without changing the image. */
const IGNORED = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.DS_Store', '.ruff_cache']);

/**
 * The context for images/<runtime>, laid out as docs/ARCHITECTURE.md ("Build contexts") says:
 * /Dockerfile, /runtime/..., /common/..., /schemas/*.schema.json, /ca-bundle.crt.
 */
export function buildContext(runtime: ImageRuntime, flavour: ImageFlavour, options: BuildContextOptions = {}): BuildContext {
  const root = options.repoRoot ?? packageRoot;
  const caBundlePath = options.caBundlePath === undefined ? hostCaBundle() : options.caBundlePath;
  const entries = runtimeContextEntries({ runtimeDir: join(root, 'images', runtime), repoRoot: root, ...(caBundlePath ? { caBundlePath } : {}) });
  const buildArgs: Record<string, string> = { ...options.extraBuildArgs, FLAVOUR: flavour, SOURCE_DATE_EPOCH: String(readSourceDateEpoch(root)) };
  if (options.baseImage) buildArgs.BASE_IMAGE = options.baseImage;
  return contextFromEntries(entries, buildArgs, `greenrt/${runtime}`, flavour, vendorEntries(options.vendorDir));
}

/** /vendor in the context: an empty folder (online build), or the vendored debs/ and wheels/ (offline build). */
export function vendorEntries(vendorDir: string | undefined): TarEntry[] {
  const entries: TarEntry[] = [{ path: 'vendor', type: 'directory' }];
  if (vendorDir === undefined) return entries;
  for (const sub of ['debs', 'wheels']) {
    entries.push({ path: `vendor/${sub}`, type: 'directory' }, ...prefixed(`vendor/${sub}`, readTree(join(vendorDir, sub))));
  }
  return entries;
}

/** Where the files of a runtime-image context come from (runtime images, and the FAKE runtimes of the Docker tests). */
export interface RuntimeContextSources {
  /** Files under /runtime; its Dockerfile (if any) becomes /Dockerfile. */
  runtimeDir: string;
  /** Dockerfile text, for a runtime folder without its own Dockerfile (test images). */
  dockerfile?: string;
  /** Checkout holding images/common and schemas/ (default: this package). */
  repoRoot?: string;
  /** Copied to /ca-bundle.crt; an empty file without it. */
  caBundlePath?: string;
}

/**
 * The one layout of a runtime image's context (docs/ARCHITECTURE.md, "Build contexts"): /Dockerfile,
 * /runtime/... (every other file of the runtime folder), /common/... (images/common), /schemas/*.schema.json,
 * /ca-bundle.crt. Every image greenrt or its tests build from a runtime folder goes through here.
 */
export function runtimeContextEntries(sources: RuntimeContextSources): TarEntry[] {
  const root = sources.repoRoot ?? packageRoot;
  const { runtimeDir } = sources;
  const ownDockerfile = existsSync(join(runtimeDir, 'Dockerfile'));
  if (!ownDockerfile && sources.dockerfile === undefined) {
    throw new GreenrtError('E_IMAGE_CONTEXT', `Image context: ${runtimeDir}/Dockerfile is missing. Restore it from the greenrt checkout.`);
  }
  if (ownDockerfile && sources.dockerfile !== undefined) {
    throw new GreenrtError('E_IMAGE_CONTEXT', `Image context: ${runtimeDir} has its own Dockerfile and another was given; give one of them.`);
  }
  const entries: TarEntry[] = [];
  if (sources.dockerfile !== undefined) entries.push({ path: 'Dockerfile', type: 'file', data: Buffer.from(sources.dockerfile) });
  for (const e of readTree(runtimeDir)) {
    if (e.path === 'Dockerfile') entries.push(e);
    else entries.push({ ...e, path: `runtime/${e.path}` });
  }
  entries.push({ path: 'runtime', type: 'directory' });
  entries.push({ path: 'common', type: 'directory' }, ...prefixed('common', readTree(join(root, 'images', 'common'))));
  const schemas = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.schema.json'));
  entries.push({ path: 'schemas', type: 'directory' });
  for (const f of schemas) entries.push({ path: `schemas/${f}`, type: 'file', data: readInputFileSync(join(root, 'schemas', f), maxContextFileBytes) });
  const ca = sources.caBundlePath ? readCaBundle(sources.caBundlePath) : new Uint8Array();
  entries.push({ path: 'ca-bundle.crt', type: 'file', data: ca });
  return entries;
}

/** Largest file put into a build context (the package's own files are KiB; a CA bundle is about 200 KiB). */
const maxContextFileBytes = 64 * 2 ** 20;

/** GREENRT_CA_BUNDLE's file through the safe reader: a missing, special or oversized one is exit 2 naming the variable. */
function readCaBundle(path: string): Uint8Array {
  try {
    return readInputFileSync(path, maxContextFileBytes);
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    throw new InputError('Cannot read the CA bundle', [
      {
        file: 'GREENRT_CA_BUNDLE',
        path: '',
        message: `${escapeText(path, 200)} ${error.reason}`,
        hint: 'Set GREENRT_CA_BUNDLE to a PEM file of CA certificates, or unset it.',
      },
    ]);
  }
}

/**
Hash and tag for a set of entries: `<repository>:<tagPrefix>-<hash12>`. `unhashed` entries (the vendored
 * inputs, named by hash in the locks) go into the tar sent to the daemon but not into the hash, so an offline
 * build has the online build's tag. TRANSPORT_ONLY files are hashed as empty: the host's CA bundle reaches the
 * build but never changes the tag.
 */
export function contextFromEntries(
  entries: TarEntry[],
  buildArgs: Record<string, string>,
  repository: string,
  tagPrefix: string,
  unhashed: TarEntry[] = [],
): BuildContext {
  const transport = entries.some((e) => TRANSPORT_ONLY.includes(e.path) && (e.data?.length ?? 0) > 0);
  const hashed = writeTar(transport ? entries.map((e) => (TRANSPORT_ONLY.includes(e.path) ? { ...e, data: new Uint8Array() } : e)) : entries);
  const contextHash = sha256Hex(Buffer.concat([Buffer.from(sha256Hex(hashed)), Buffer.from(`\n${canonicalJson(buildArgs)}`)]));
  return {
    tar: unhashed.length > 0 || transport ? writeTar([...entries, ...unhashed]) : hashed,
    buildArgs,
    contextHash,
    tag: `${repository}:${tagPrefix}-${contextHash.slice(0, 12)}`,
    files: [...entries, ...unhashed].map((e) => e.path).sort(),
  };
}

function prefixed(prefix: string, entries: TarEntry[]): TarEntry[] {
  return entries.map((e) => ({ ...e, path: `${prefix}/${e.path}` }));
}

/** Every directory and file under `dir` (symlinks followed), relative '/'-separated paths. */
function readTree(dir: string, rel = ''): TarEntry[] {
  const out: TarEntry[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    if (IGNORED.has(name) || name.endsWith('.pyc')) continue;
    const relPath = rel ? `${rel}/${name}` : name;
    const st = statSync(join(dir, relPath));
    if (st.isDirectory()) {
      out.push({ path: relPath, type: 'directory' }, ...readTree(dir, relPath));
    } else if (st.isFile()) {
      out.push({ path: relPath, type: 'file', data: readInputFileSync(join(dir, relPath), maxContextFileBytes), executable: (st.mode & 0o111) !== 0 });
    }
  }
  return out;
}
