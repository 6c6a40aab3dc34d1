import type { RunManifest, TrialResult } from '../contracts/index.js';
import { escapeText } from '../core/index.js';

type ImageRecord = RunManifest['images'][number];

/** What a trial's image must be: the manifest's record (by tag), and, in a merged run, the digest its shard recorded. */
interface ExpectedImage {
  record: ImageRecord;
  /** The config digest the trial's image must have (null: an older manifest without config digests). */
  configDigest: string | null;
  /** Where that digest is recorded, for the message. */
  where: string;
}

/**
 * Why a trial's recorded image is not the one the manifest records for its runtime (empty: it is, or the trial ran
 * no image). Identity is the config digest (runner.configDigest; runner.imageId for trials written before it, which is
 * the config digest on the classic image store). In a merged run, the digest is the one its shard's node recorded
 * (merge.shards[].images), which merge required to be the same on every node.
 */
export function imageDigestProblems(result: TrialResult, manifest: RunManifest): string[] {
  const { image, imageId } = result.runner;
  if (result.runner.kind !== 'docker' || (!image && !imageId)) return [];
  const expected = expectedImage(result, manifest);
  if (typeof expected === 'string') return [expected];
  const { record, configDigest, where } = expected;
  const own = result.runner.configDigest;
  const cause =
    'the trial ran another build of the image than the run records: the image was rebuilt or replaced between trials (a run resumed with greenrt run --resume, or a shard on a host with its own build; load the saved images with greenrt images load instead of building), or one of the two files was edited';
  const label = `image ${escapeText(record.tag, 120)}`;
  if (configDigest === null) {
    // A manifest from before config digests: the engine's image ids are all there is.
    return imageId === record.imageId ? [] : [`ran ${label} with image id ${shown(imageId)}, but ${where} records image id ${record.imageId}: ${cause}`];
  }
  if (own !== undefined && own !== null) {
    return own === configDigest ? [] : [`ran ${label} with config digest ${shown(own)}, but ${where} records config digest ${configDigest}: ${cause}`];
  }
  // No config digest in the trial (written before greenrt recorded it, or the engine gave none): its image id is the
  // config digest on the classic store, or the engine's own id that the manifest's imageId records (containerd store).
  const accepted = new Set([configDigest, ...(manifest.merge ? [] : [record.imageId])]);
  return imageId && accepted.has(imageId)
    ? []
    : [
        `ran ${label} with image id ${shown(imageId)}, but ${where} records config digest ${configDigest}${manifest.merge ? '' : ` (image id ${record.imageId})`}: ${cause}`,
      ];
}

/**
 * A merged run's shard image digests against its images (merge refuses shards whose digests differ, so a difference
 * here is an edit): one message per shard image whose config digest is not the run's for that tag.
 */
export function mergedImageProblems(manifest: RunManifest): string[] {
  const problems: string[] = [];
  for (const shard of manifest.merge?.shards ?? []) {
    for (const [k, img] of (shard.images ?? []).entries()) {
      const record = manifest.images.find((i) => i.tag === img.tag);
      if (!record) {
        problems.push(`merge.shards[${shard.index}].images[${k}] names image ${escapeText(img.tag, 120)}, which images does not list`);
      } else if (img.configDigest !== null && record.configDigest !== undefined && img.configDigest !== record.configDigest) {
        problems.push(
          `merge.shards[${shard.index}].images[${k}] (${escapeText(img.tag, 120)} on ${escapeText(shard.node, 80)}) has config digest ${img.configDigest}, but images records ${record.configDigest} (merge joins only shards that ran the same image bytes, so one of them was edited)`,
        );
      }
    }
  }
  return problems;
}

function expectedImage(result: TrialResult, manifest: RunManifest): ExpectedImage | string {
  const { image } = result.runner;
  const sameRuntime = manifest.images.filter((i) => i.runtime === result.config.runtime);
  const record = manifest.images.find((i) => i.tag === image) ?? (image ? undefined : sameRuntime.length === 1 ? sameRuntime[0] : undefined);
  if (!record) {
    return `ran image ${shown(image)}, which manifest.json's images do not list (it lists ${manifest.images.map((i) => escapeText(i.tag, 120)).join(', ') || 'none'}): the trial belongs to another run or a file was edited`;
  }
  const topDigest = record.configDigest ?? null;
  if (!manifest.merge) return { record, configDigest: topDigest, where: `manifest.json (images, ${record.runtime} ${record.flavour})` };
  const shard = manifest.merge.shards.find((s) => s.trialIds.includes(result.trialId));
  const shardImage = shard?.images?.find((i) => i.tag === record.tag);
  if (shard && shardImage?.configDigest) {
    return {
      record,
      configDigest: shardImage.configDigest,
      where: `manifest.json (merge.shards[${shard.index}] on ${escapeText(shard.node, 80)}, ${escapeText(record.tag, 120)})`,
    };
  }
  return { record, configDigest: topDigest, where: `manifest.json (images, ${record.runtime} ${record.flavour})` };
}

const shown = (value: string | null | undefined) => (value ? escapeText(value, 120) : 'none');
