import type { RunManifest } from '../contracts/index.js';
import type { RunPlan } from '../plan/index.js';

/** Why a set of shard runs cannot be merged; `kind` is stable (tests and scripts match on it). */
export interface MergeProblem {
  kind: 'not-a-shard' | 'unfinished' | 'experiment' | 'plan' | 'partition' | 'overlap' | 'incomplete' | 'host';
  message: string;
}

export interface MergeInput {
  /** The folder as the user gave it (for messages). */
  dir: string;
  manifest: RunManifest;
  /** Planned trials without a result. */
  missingTrialIds: string[];
}

export interface MergeCheck {
  problems: MergeProblem[];
  /** Host facts that differ but do not decide comparability, one sentence each. */
  differences: string[];
}

/**
 * Whether shard runs can be merged (pure): each is a completed shard; all share the experiment (SHA-256),
 * the plan (seed, order, full plan hash) and the partition; their shards are disjoint and together complete
 * (`fullPlan` is the plan of the experiment they share); and their hosts match on what decides the
 * measurement (GPU models, driver, runtime versions, image digests, greenrt commit).
 */
export function checkMergeable(inputs: MergeInput[], fullPlan: RunPlan | null): MergeCheck {
  const problems: MergeProblem[] = [];
  const differences: string[] = [];
  const add = (kind: MergeProblem['kind'], message: string) => problems.push({ kind, message });
  for (const i of inputs) {
    if (!i.manifest.shard) add('not-a-shard', `${i.dir} is not a shard (its manifest has no shard; it was not started with greenrt run --shard K/N)`);
    if (i.manifest.status !== 'completed' || i.missingTrialIds.length > 0) {
      add('unfinished', `${i.dir} is ${i.manifest.status} with ${i.missingTrialIds.length} trial(s) left: finish it with greenrt run --resume ${i.dir}`);
    }
  }
  const first = inputs[0];
  if (!first) return { problems: [{ kind: 'incomplete', message: 'no run folder given' }], differences };
  const differ = <T>(what: string, of: (m: RunManifest) => T, kind: MergeProblem['kind'] | null) => {
    const values = new Map<string, string[]>();
    for (const i of inputs) {
      const key = JSON.stringify(of(i.manifest) ?? null);
      values.set(key, [...(values.get(key) ?? []), i.dir]);
    }
    if (values.size <= 1) return;
    const text = `${what} differs: ${[...values].map(([v, dirs]) => `${v.length > 120 ? `${v.slice(0, 117)}...` : v} (${dirs.join(', ')})`).join(' vs ')}`;
    if (kind) add(kind, text);
    else differences.push(text);
  };
  differ('the experiment file (SHA-256)', (m) => m.experiment.sha256, 'experiment');
  differ('the plan seed', (m) => m.plan.seed, 'plan');
  differ('the plan order', (m) => m.plan.order, 'plan');
  differ('the full plan (planHash)', (m) => m.shard?.planHash, 'plan');
  if (fullPlan && first.manifest.shard && first.manifest.shard.planHash !== fullPlan.planHash) {
    add(
      'plan',
      `the shards' plan (${first.manifest.shard.planHash}) is not the plan this greenrt makes of their experiment (${fullPlan.planHash}): merge with the greenrt version that ran them`,
    );
  }
  differ('the shard count', (m) => m.shard?.count, 'partition');
  differ('the partition', (m) => m.shard?.partition, 'partition');

  // Disjoint and complete: by shard index, and by trial ids against the full plan.
  // Adaptive rounds (rotation) run one shard folder per round and shard; a round gives trials to only some shards.
  const rotation = first.manifest.shard?.partition === 'rotation';
  const byIndex = new Map<string, string[]>();
  const indexKey = (s: NonNullable<RunManifest['shard']>) => (rotation ? `round ${s.round ?? 1} shard ${s.index}` : `shard ${s.index}`);
  for (const i of inputs) if (i.manifest.shard) byIndex.set(indexKey(i.manifest.shard), [...(byIndex.get(indexKey(i.manifest.shard)) ?? []), i.dir]);
  for (const [index, dirs] of byIndex) if (dirs.length > 1) add('overlap', `${index} is given ${dirs.length} times (${dirs.join(', ')}): give each shard once`);
  const count = first.manifest.shard?.count;
  if (count !== undefined && !rotation && problems.every((p) => p.kind !== 'partition')) {
    const absent = [...Array(count).keys()].filter((k) => !byIndex.has(`shard ${k}`));
    if (absent.length > 0) add('incomplete', `shard(s) ${absent.map((k) => `${k}/${count}`).join(', ')} missing: the study has ${count} shards`);
  }
  if (fullPlan && problems.length === 0) {
    const seen = new Map<string, string>();
    for (const i of inputs) {
      for (const id of i.manifest.plan.trialIds) {
        const other = seen.get(id);
        if (other) add('overlap', `trial ${id} is in both ${other} and ${i.dir}`);
        seen.set(id, i.dir);
      }
    }
    const missing = fullPlan.trials.filter((t) => !seen.has(t.id)).map((t) => t.id);
    if (missing.length > 0)
      add('incomplete', `${missing.length} planned trial(s) are in no shard (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`);
    const extra = [...seen.keys()].filter((id) => !fullPlan.trials.some((t) => t.id === id));
    if (extra.length > 0) add('plan', `${extra.length} trial(s) are not in the experiment's plan (${extra.slice(0, 3).join(', ')})`);
  }

  // Hosts: what decides the measurement must match; the rest is listed.
  const gpus = (m: RunManifest) => (m.host.gpus ?? []).map((g) => String((g as { name?: unknown }).name ?? 'unknown')).sort();
  differ('the GPU model(s)', gpus, 'host');
  differ(
    'the NVIDIA driver',
    (m) =>
      [
        ...new Set(
          (m.host.gpus ?? []).map((g) =>
            String((g as { driverVersion?: unknown; driver?: unknown }).driverVersion ?? (g as { driver?: unknown }).driver ?? ''),
          ),
        ),
      ].sort(),
    'host',
  );
  compareImages(inputs, add, differences);
  differ('the embedded runtime (onnxruntime-node)', (m) => m.host.onnxruntimeNode ?? null, 'host');
  differ("the embedded runtime's ONNX Runtime library (SHA-256)", (m) => m.host.onnxruntimeNodeLibrary?.sha256 ?? null, 'host');
  differ('the greenrt commit', (m) => m.greenrt.gitCommit, 'host');
  differ('the model files (SHA-256)', (m) => m.models.map((x) => ('sha256' in x ? x.sha256 : null)), 'host');
  differ('the CPU model', (m) => m.host.cpuModel, null);
  differ('the CPU count', (m) => m.host.cpuCount, null);
  differ('the memory (MiB)', (m) => m.host.memoryMiB, null);
  differ('the kernel', (m) => m.host.kernel, null);
  differ('the Node.js version', (m) => m.host.node, null);
  differ('uncommitted changes in the greenrt checkout', (m) => m.greenrt.gitDirty, null);
  return { problems, differences };
}

/**
 * Images by identity: the config digest (the same on every engine and image store, and across save/load); a
 * manifest written before greenrt recorded it is compared by image id, with a note. Unequal digests of one
 * recipe (equal context hash) get their own message: the nodes built their own copies.
 */
function compareImages(inputs: MergeInput[], add: (kind: MergeProblem['kind'], message: string) => void, differences: string[]): void {
  const old = inputs.filter((i) => i.manifest.images.some((m) => m.configDigest === undefined)).map((i) => i.dir);
  if (old.length > 0)
    differences.push(
      `the manifests of ${old.join(', ')} predate config digests: their images were compared by image id (the same only on the classic image store)`,
    );
  const identity = (m: RunManifest['images'][number]) => (old.length > 0 ? m.imageId : (m.configDigest ?? m.imageId));
  const tags = [...new Set(inputs.flatMap((i) => i.manifest.images.map((m) => `${m.runtime}:${m.flavour}`)))].sort();
  for (const key of tags) {
    const seen = new Map<string, { dirs: string[]; contextHash: string; repoDigests: string }>();
    for (const i of inputs) {
      const m = i.manifest.images.find((x) => `${x.runtime}:${x.flavour}` === key);
      const id = m ? identity(m) : 'none';
      const entry = seen.get(id) ?? { dirs: [], contextHash: m?.contextHash ?? '', repoDigests: JSON.stringify(m?.repoDigests ?? []) };
      entry.dirs.push(i.dir);
      seen.set(id, entry);
    }
    if (seen.size <= 1) continue;
    const list = [...seen].map(([id, e]) => `${id} (${e.dirs.join(', ')})`).join(' vs ');
    const recipes = new Set([...seen.values()].map((e) => e.contextHash));
    if (recipes.size === 1 && !seen.has('none')) {
      add(
        'host',
        `the ${key} image differs: same recipe, different bytes (context ${[...recipes][0]!.slice(0, 12)}; config digests ${list}): each node built its own copy. Load the study's saved images on every node (greenrt images load <study>/images, which greenrt slurm submit writes) and run the shards again`,
      );
    } else add('host', `the ${key} image differs: config digests ${list}`);
  }
}
