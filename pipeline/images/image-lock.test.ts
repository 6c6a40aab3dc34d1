import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, GreenrtError, InputError, exitCodeFor } from '../core/index.js';

function captured(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return null;
}
import { fakeImageEngine } from '../testing/docker-fake-engine.js';
import { lockImages, readLock, repoOf } from './image-lock.js';
import { tempDir } from '../testing/temp-dir.js';

// A Dockerfile that still names a registry image (greenrt's own name none): its digest is locked.
const CUDA = 'nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('lockImages (fake engine)', () => {
  let repo: string;
  const now = () => '2025-01-01T00:00:00.000Z';
  beforeEach(() => {
    repo = tempDir('greenrt-lock-');
    mkdirSync(join(repo, 'images', 'pytorch'), { recursive: true });
    writeFileSync(join(repo, 'images', 'pytorch', 'Dockerfile'), `ARG BASE_IMAGE=greenrt/debian:trixie\nARG CUDA_BASE_IMAGE=${CUDA}\nFROM \${BASE_IMAGE}\n`);
  });

  it('on a cpu host: records the local base id, leaves the registry digest unresolved with a note', async () => {
    const engine = fakeImageEngine({ 'greenrt/debian:trixie': { Id: 'sha256:base1' } });
    const result = await lockImages(engine, { repoRoot: repo, now });
    expect(result.lock.localBases['greenrt/debian:trixie']).toEqual({
      imageId: 'sha256:base1',
      recordedAt: now(),
      usedBy: ['images/pytorch/Dockerfile'],
      digest: 'not applicable',
    });
    expect(result.lock.upstream[CUDA]).toEqual({ digest: null, resolvedAt: null, usedBy: ['images/pytorch/Dockerfile'] });
    expect(result.notes.join('\n')).toMatch(/not pulled on this host/);
    expect(readLock(join(repo, 'images', 'images.lock.json'))).toEqual(result.lock);
  });

  it('locks the digest on the first host that has the tag, then fails with the fix when the tag moves', async () => {
    const first = fakeImageEngine({ [CUDA]: { Id: 'sha256:c1', RepoDigests: [`nvidia/cuda@${D1}`] } });
    const locked = await lockImages(first, { repoRoot: repo, now });
    expect(locked.lock.upstream[CUDA]?.digest).toBe(D1);
    expect(locked.changes).toContain(`${CUDA}: locked to ${D1}`);
    const same = await lockImages(first, { repoRoot: repo, now });
    expect(same.changes).toEqual([]);
    const moved = fakeImageEngine({ [CUDA]: { Id: 'sha256:c2', RepoDigests: [`docker.io/nvidia/cuda@${D2}`] } });
    const error = await lockImages(moved, { repoRoot: repo, now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GreenrtError);
    expect((error as GreenrtError).code).toBe('E_IMAGE_LOCK_MISMATCH');
    expect((error as GreenrtError).message).toContain(`docker pull nvidia/cuda@${D1}`);
    expect(JSON.parse(readFileSync(join(repo, 'images', 'images.lock.json'), 'utf8')).upstream[CUDA].digest).toBe(D1);
  });

  it('drops entries that no Dockerfile names any more (a full scan only)', async () => {
    const engine = fakeImageEngine({ 'greenrt/debian:trixie': { Id: 'sha256:base1' } });
    await lockImages(engine, { repoRoot: repo, now });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile's own ${BASE_IMAGE}, not a template
    writeFileSync(join(repo, 'images', 'pytorch', 'Dockerfile'), 'ARG BASE_IMAGE=greenrt/debian:trixie\nFROM ${BASE_IMAGE}\n');
    const partial = await lockImages(engine, { repoRoot: repo, now, runtimes: ['pytorch'] });
    expect(partial.lock.upstream[CUDA]).toBeDefined();
    const full = await lockImages(engine, { repoRoot: repo, now });
    expect(full.changes).toEqual([`${CUDA}: removed (no Dockerfile names it)`]);
    expect(readLock(join(repo, 'images', 'images.lock.json')).upstream).toEqual({});
    expect(full.lock.localBases['greenrt/debian:trixie']?.imageId).toBe('sha256:base1');
  });

  it('refuses a lock that does not match its schema, naming the field and the fix', () => {
    const file = join(repo, 'images', 'images.lock.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, upstream: { [CUDA]: { digest: 'latest', resolvedAt: null, usedBy: [] } }, localBases: {} }));
    expect(() => readLock(file)).toThrow(InputError);
    expect(exitCodeFor(captured(() => readLock(file)))).toBe(ExitCode.badInput);
    expect(() => readLock(file)).toThrow(
      /images\.lock\.json \/upstream\/.*\/digest: must match pattern .* \(schemas\/image-lock\.schema\.json\)\..*delete it and run greenrt images lock/,
    );
    writeFileSync(file, '{ "schemaVersion": 1,');
    expect(() => readLock(file)).toThrow(/images\.lock\.json \/: is not valid JSON/);
  });

  it('the committed images/images.lock.json matches its schema', () => {
    expect(() => readLock(join(import.meta.dirname, '..', '..', 'images', 'images.lock.json'))).not.toThrow();
  });

  it('repoOf strips tags but not registry ports', () => {
    expect(repoOf(CUDA)).toBe('nvidia/cuda');
    expect(repoOf('registry:5000/x/y:1.0')).toBe('registry:5000/x/y');
    expect(repoOf('ubuntu')).toBe('ubuntu');
  });
});
