/**
 * FAKES for Docker tests: a small test image (Debian + python3 + numpy + jsonschema, the real
 * harness from images/common and the fake numpy runtime from runner-fixtures/) instead of the
 * big framework images, and a helper that connects to the engine or says why the tests skip.
 */
import { fileURLToPath } from 'node:url';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { buildFromContext, contextFromEntries, ensureBaseImage, inspectImageOrNull, runtimeContextEntries, type BuildContext } from '../images/index.js';

/** Base images tried in order; the first present is used (CI makes greenrt/debian:bookworm with build-base.sh). */
export const TEST_BASE_CANDIDATES = ['greenrt/debian:bookworm', 'local/debian:bookworm', 'greenrt/debian:trixie', 'local/debian:trixie'];

export const numpyRuntimeDir = fileURLToPath(new URL('./runner-fixtures/numpy_runtime/', import.meta.url));

/**
 * Connects with a short bound; null (and a console line saying why) when no engine answers.
 * With GREENRT_REQUIRE_DOCKER=1 (set by CI) a missing engine is an error, so Docker suites can
 * never pass by skipping.
 */
export async function connectDockerOrSkip(suite: string): Promise<DockerEngine | null> {
  try {
    return await connectDocker({ timeoutMs: 3000 });
  } catch (error) {
    if (process.env.GREENRT_REQUIRE_DOCKER === '1') throw error;
    console.warn(`[${suite}] skipped: no Docker engine reachable (${(error as Error).message.split('\n')[0]})`);
    return null;
  }
}

/** The first candidate base image present, else greenrt/debian:bookworm made by images/base/build-base.sh. */
export async function testBaseImage(engine: DockerEngine): Promise<string> {
  for (const ref of TEST_BASE_CANDIDATES) {
    if (await inspectImageOrNull(engine, ref)) return ref;
  }
  await ensureBaseImage(engine, 'greenrt/debian:bookworm');
  return 'greenrt/debian:bookworm';
}

/**
 * The Dockerfile of a FAKE runtime image (a tiny Debian + numpy image with greenrt's layout), shared
 * by the Docker tests and the end-to-end fault tests so that Docker reuses one apt layer for both.
 */
export function fakeRuntimeDockerfile(purpose: string): string {
  return `# FAKE runtime image for ${purpose} (not a measurement image).
ARG BASE_IMAGE
FROM \${BASE_IMAGE}
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-numpy python3-jsonschema >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /tmp greenrt
COPY schemas /opt/greenrt/schemas
COPY runtime /opt/greenrt/runtime
COPY common /opt/greenrt/common
ENV PYTHONPATH=/opt/greenrt/common:/opt/greenrt/runtime PYTHONDONTWRITEBYTECODE=1
WORKDIR /opt/greenrt
`;
}

/**
 * The context of a FAKE runtime image: the runtime images' own layout (`runtimeContextEntries`: /runtime, /common,
 * /schemas, /ca-bundle.crt) with `fakeRuntimeDockerfile(purpose)`; tag `<repository>:<base image>-<hash12>`.
 */
export function fakeRuntimeContext(runtimeDir: string, purpose: string, repository: string, baseImage: string): BuildContext {
  const entries = runtimeContextEntries({ runtimeDir, dockerfile: fakeRuntimeDockerfile(purpose) });
  return contextFromEntries(entries, { BASE_IMAGE: baseImage }, repository, baseImage.replace(/[^a-z0-9]+/g, '-'));
}

/** The test image's context: the numpy FAKE runtime in the runtime images' layout. */
export function testImageContext(baseImage: string): BuildContext {
  return fakeRuntimeContext(numpyRuntimeDir, "greenrt's Docker tests", 'greenrt-test/numpy-runtime', baseImage);
}

export interface TestImage {
  tag: string;
  imageId: string;
  /** Whether this call built it. */
  built: boolean;
  durationMs: number;
}

/** Builds the test image unless its content-hash tag exists (kept between test runs on purpose). */
export async function ensureTestImage(engine: DockerEngine, progress?: (line: string) => void): Promise<TestImage> {
  const started = performance.now();
  const ctx = testImageContext(await testBaseImage(engine));
  const existing = await inspectImageOrNull(engine, ctx.tag);
  if (existing) return { tag: ctx.tag, imageId: existing.Id, built: false, durationMs: performance.now() - started };
  const imageId = await buildFromContext(engine, ctx, { labels: { 'greenrt.test': 'true' }, progress });
  return { tag: ctx.tag, imageId, built: true, durationMs: performance.now() - started };
}
