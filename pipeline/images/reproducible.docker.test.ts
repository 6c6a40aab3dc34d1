import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { type DockerEngine, runThrowaway } from '../docker/index.js';
import { connectDockerOrSkip, testBaseImage } from '../testing/docker-test-image.js';
import { tempDir } from '../testing/temp-dir.js';
import { buildRepository, removeImageBuild } from './assemble-image.js';
import { readSourceDateEpoch } from './build-context.js';
import { ensureImage, imageContext } from './ensure-image.js';
import { inspectImageOrNull } from './image-build.js';
import { diffImages, formatImageDiff } from './image-diff.js';
import { readLayerTar } from './layer-tar.js';

const engine = await connectDockerOrSkip('reproducible.docker.test');

/**
 * A runtime image in miniature (the real greenrt-install: pinned apt package, a venv with one hashed PyPI wheel,
 * useradd, ldconfig), in the runtime images' two-stage layout. Built twice from nothing through greenrt's real
 * build and assembly path, it must give the same config digest.
 */
const MINI_DOCKERFILE = (base: string) => `ARG BASE_IMAGE=${base}
FROM \${BASE_IMAGE} AS install
ARG FLAVOUR=cpu
ARG SOURCE_DATE_EPOCH
ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY common/docker/greenrt-install.sh /usr/local/sbin/greenrt-install
COPY vendor /tmp/greenrt/vendor
COPY ca-bundle.crt runtime/apt.lock runtime/requirements-cpu.lock /tmp/greenrt/
RUN set -eu; chmod 0755 /usr/local/sbin/greenrt-install; \\
    greenrt-install --vendor /tmp/greenrt/vendor --ca /tmp/greenrt/ca-bundle.crt --apt /tmp/greenrt/apt.lock --venv /opt/greenrt/venv \\
      --pip /tmp/greenrt/requirements-cpu.lock --record /opt/greenrt/packages; \\
    rm -rf /tmp/greenrt; ldconfig; \\
    useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin greenrt
FROM install
ARG FLAVOUR=cpu
COPY schemas /opt/greenrt/schemas
COPY common /opt/greenrt/common
COPY runtime /opt/greenrt/runtime
ENV PATH=/opt/greenrt/venv/bin:$PATH PYTHONPATH=/opt/greenrt/common:/opt/greenrt/runtime GREENRT_FLAVOUR=\${FLAVOUR}
RUN echo "a file outside the code paths: not in the image" > /opt/greenrt/stray
LABEL dev.greenrt.runtime="onnxruntime" dev.greenrt.flavour="\${FLAVOUR}"
USER greenrt
WORKDIR /opt/greenrt
CMD ["python3", "-c", "import six; print(six.__version__)"]
`;

/** One file of an image, read through a created (never started) container. */
async function imageFileText(e: DockerEngine, image: string, path: string): Promise<string> {
  const container = await e.docker.createContainer({ Image: image, Cmd: ['true'] });
  try {
    const parts: string[] = [];
    const stream = (await container.getArchive({ path })) as unknown as AsyncIterable<Buffer>;
    for await (const { data } of readLayerTar(stream)) await data((c) => void parts.push(c.toString()));
    return parts.join('');
  } finally {
    await container.remove({ force: true });
  }
}

const PYTHON3_VENV: Record<string, string> = { bookworm: '3.11.2-1+b1', trixie: '3.13.5-1' };

describe.skipIf(!engine)('reproducible builds (a tiny image built twice from nothing)', () => {
  const e = engine as DockerEngine;
  let repo: string;
  let tag: string;
  const keep = `greenrt-test/repro-first:${process.pid}`;

  /** Removes the tag, the build intermediate (and with it the classic builder's cache) and the install cache. */
  async function removeEverything(): Promise<void> {
    const refs = [tag, keep];
    const build = buildRepository(tag);
    for (const img of await e.docker.listImages({ filters: JSON.stringify({ reference: [`${build}:*`] }) } as object)) refs.push(...(img.RepoTags ?? []));
    for (const ref of refs)
      await e.docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
  }

  beforeAll(async () => {
    const base = await testBaseImage(e);
    const suite = (await inspectImageOrNull(e, base))?.Config?.Labels?.['dev.greenrt.debian.suite'] ?? 'bookworm';
    repo = tempDir('greenrt-repro-');
    const runtime = join(repo, 'images', 'onnxruntime');
    mkdirSync(runtime, { recursive: true });
    writeFileSync(join(runtime, 'Dockerfile'), MINI_DOCKERFILE(base));
    // The apt lock as lock-apt.sh writes it: every .deb the step adds, with its SHA-256 (greenrt-install checks them).
    writeFileSync(join(runtime, 'apt.lock'), `python3-venv=${PYTHON3_VENV[suite] ?? PYTHON3_VENV.bookworm}\n`);
    execFileSync('bash', [join(packageRoot, 'images', 'common', 'docker', 'lock-apt.sh'), base, join(runtime, 'apt.lock')], { stdio: 'inherit' });
    writeFileSync(
      join(runtime, 'requirements-cpu.lock'),
      'six==1.17.0 \\\n    --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274 \\\n    --hash=sha256:ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81\n',
    );
    writeFileSync(join(runtime, 'greenrt_adapter.py'), '# tiny\n');
    cpSync(join(packageRoot, 'images', 'common'), join(repo, 'images', 'common'), { recursive: true });
    cpSync(join(packageRoot, 'schemas'), join(repo, 'schemas'), { recursive: true });
    tag = imageContext({ runtime: 'onnxruntime', flavour: 'cpu', repoRoot: repo }).ctx.tag;
    await removeEverything();
  }, 300_000);

  afterAll(async () => {
    if (e && tag) await removeEverything();
  }, 60_000);

  it('gives the same config digest twice, and the image holds no build-time leftovers', async () => {
    const request = { runtime: 'onnxruntime' as const, flavour: 'cpu' as const, repoRoot: repo, describe: false };
    const first = await ensureImage(e, request);
    expect(first.built).toBe(true);
    expect(first.configDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.imageId).toBe(first.configDigest); // the classic store: id = config digest
    const [keepRepo, keepTag] = keep.split(':') as [string, string];
    await e.docker.getImage(first.tag).tag({ repo: keepRepo, tag: keepTag });
    // Nothing of the first build may help the second: the tag, the intermediate (the classic cache) and the
    // install-layer cache go; only the differ's copy stays, under another name.
    const removed = await removeImageBuild(e, tag);
    expect(removed).toEqual(expect.arrayContaining([tag, `${buildRepository(tag)}:${tag.slice(tag.lastIndexOf(':') + 1)}`]));
    expect(removed.filter((r) => r.includes(':install-'))).toHaveLength(1);
    const second = await ensureImage(e, request);
    expect(second.built).toBe(true);
    if (second.configDigest !== first.configDigest) {
      const diff = await diffImages(e, keep, second.tag);
      throw new Error(`two builds of one context gave ${first.configDigest} and ${second.configDigest}:\n${formatImageDiff(diff)}`);
    }
    expect(second.configDigest).toBe(first.configDigest);

    const epoch = readSourceDateEpoch(repo);
    const inspect = await inspectImageOrNull(e, tag);
    expect(inspect?.Created).toBe(new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z'));
    expect(inspect?.Config?.Labels?.['dev.greenrt.context-hash']).toBe(first.contextHash);
    expect(inspect?.RootFS?.Layers).toHaveLength(2);
    const check = await runThrowaway(e, tag, [
      'sh',
      '-c',
      [
        'python3 -c "import six; print(six.__version__)"',
        'ls /var/log/apt /var/log | grep -c "\\.log$" || true',
        'test -e /opt/greenrt/stray && echo stray || echo no-stray',
        'test -e /usr/local/share/ca-certificates/greenrt-extra.crt && echo ca || echo no-ca',
        // pyc flags (bytes 4-8): 1 or 3 = hash-based; 0 = timestamp
        "python3 -c \"import glob,sys; fs=glob.glob('/opt/greenrt/venv/lib/python3*/site-packages/**/*.pyc', recursive=True); print(len(fs), sorted({int.from_bytes(open(f,'rb').read()[4:8],'little') for f in fs}))\"",
      ].join(' && '),
    ]);
    const lines = check.stdout.trim().split('\n');
    expect(lines, check.stderr).toHaveLength(5);
    expect(lines[0]).toBe('1.17.0');
    expect(lines[1]).toBe('0');
    expect(lines[2]).toBe('no-stray');
    expect(lines[3]).toBe('no-ca');
    expect(lines[4]).toMatch(/^[1-9]\d* \[(1|3)(, 3)?\]$/);
    // /etc/shadow is root's: read it from the image's files, not from a process running as greenrt.
    const shadow = (await imageFileText(e, tag, '/etc/shadow')).split('\n').find((l) => l.startsWith('greenrt:'));
    expect(shadow?.split(':')[2]).toBe(String(Math.floor(epoch / 86400)));
  }, 900_000);
});
