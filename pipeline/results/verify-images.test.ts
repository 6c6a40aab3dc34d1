/**
 * A trial's image against the manifest's (config digests), on FAKE trial results and manifests
 * (pipeline/testing/trial-results.ts). The same check on a real two-node study's merged run, tampered:
 * pipeline/e2e/two-node.slurm.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { fakeImageRecord, fakeManifest, fakeTrialResult } from '../testing/trial-results.js';
import { imageDigestProblems, mergedImageProblems } from './verify-images.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const tag = 'greenrt/pytorch:cpu-000000000000';

function trial(runner: Partial<TrialResult['runner']>): TrialResult {
  const t = fakeTrialResult({ config: { runtime: 'pytorch', model: 'resnet50', provider: 'cpu', batchSize: 1 }, latencyMs: 5 });
  return { ...t, runner: { ...t.runner, image: tag, ...runner } };
}

const manifestWith = (t: TrialResult, image: Partial<RunManifest['images'][number]>, overrides: Partial<RunManifest> = {}) =>
  fakeManifest([t], { images: [fakeImageRecord({ tag, imageId: digest('a'), configDigest: digest('a'), ...image })], ...overrides });

describe('imageDigestProblems', () => {
  it('accepts a trial that ran the image the manifest records, by config digest', () => {
    const t = trial({ imageId: digest('a'), configDigest: digest('a') });
    expect(imageDigestProblems(t, manifestWith(t, {}))).toEqual([]);
  });

  it('names both digests and the likely cause when the config digests differ', () => {
    const t = trial({ imageId: digest('b'), configDigest: digest('b') });
    const [problem, ...rest] = imageDigestProblems(t, manifestWith(t, {}));
    expect(rest).toEqual([]);
    expect(problem).toContain(
      `ran image ${tag} with config digest ${digest('b')}, but manifest.json (images, pytorch cpu) records config digest ${digest('a')}`,
    );
    expect(problem).toContain('rebuilt or replaced between trials');
    expect(problem).toContain('greenrt images load');
  });

  it('a trial written before config digests: its image id is the config digest, or the engine id the manifest records', () => {
    const old = trial({ imageId: digest('a') });
    delete old.runner.configDigest;
    expect(imageDigestProblems(old, manifestWith(old, {}))).toEqual([]);
    // containerd image store: the id is a manifest digest, recorded as the manifest's imageId.
    const containerd = { ...old, runner: { ...old.runner, imageId: digest('d') } };
    expect(imageDigestProblems(containerd, manifestWith(containerd, { imageId: digest('d') }))).toEqual([]);
    expect(imageDigestProblems(containerd, manifestWith(containerd, {}))[0]).toContain(
      `with image id ${digest('d')}, but manifest.json (images, pytorch cpu) records config digest ${digest('a')} (image id ${digest('a')})`,
    );
  });

  it('a manifest without config digests: image ids are compared', () => {
    const t = trial({ imageId: digest('a') });
    expect(imageDigestProblems(t, manifestWith(t, { configDigest: undefined }))).toEqual([]);
    expect(imageDigestProblems({ ...t, runner: { ...t.runner, imageId: digest('e') } }, manifestWith(t, { configDigest: undefined }))[0]).toContain(
      `with image id ${digest('e')}, but manifest.json (images, pytorch cpu) records image id ${digest('a')}`,
    );
  });

  it('an image the manifest does not list, and trials without an image, are told apart', () => {
    const t = trial({ image: 'greenrt/pytorch:cpu-ffffffffffff', imageId: digest('a'), configDigest: digest('a') });
    expect(imageDigestProblems(t, manifestWith(t, {}))[0]).toContain("ran image greenrt/pytorch:cpu-ffffffffffff, which manifest.json's images do not list");
    const embedded = fakeTrialResult({ config: { runtime: 'embedded', model: 'mobilenet_v2', provider: 'cpu', batchSize: 1 }, latencyMs: 5 });
    expect(imageDigestProblems(embedded, fakeManifest([embedded]))).toEqual([]);
  });

  it("a merged run: each trial against its shard's recorded digest, and each shard's digest against the run's", () => {
    const t = trial({ imageId: digest('a'), configDigest: digest('a') });
    const merge = (second: string): RunManifest['merge'] => ({
      partition: 'repetition',
      count: 2,
      hostDifferences: [],
      shards: [
        { index: 0, runId: 'fake-s0', node: 'node1', trialIds: [], images: [{ tag, configDigest: digest('a'), obtained: 'present' }] },
        { index: 1, runId: 'fake-s1', node: 'node2', trialIds: [t.trialId], images: [{ tag, configDigest: second, obtained: 'loaded' }] },
      ],
    });
    const same = manifestWith(t, {}, { merge: merge(digest('a')) });
    expect(imageDigestProblems(t, same)).toEqual([]);
    expect(mergedImageProblems(same)).toEqual([]);
    const edited = manifestWith(t, {}, { merge: merge(digest('c')) });
    expect(imageDigestProblems(t, edited)[0]).toContain(
      `with config digest ${digest('a')}, but manifest.json (merge.shards[1] on node2, ${tag}) records config digest ${digest('c')}`,
    );
    expect(mergedImageProblems(edited)).toEqual([
      `merge.shards[1].images[0] (${tag} on node2) has config digest ${digest('c')}, but images records ${digest('a')} (merge joins only shards that ran the same image bytes, so one of them was edited)`,
    ]);
  });
});
