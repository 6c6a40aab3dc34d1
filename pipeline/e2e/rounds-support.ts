/**
 * Checks of an adaptive study run round by round on a real Slurm cluster, shared by the one-node
 * (slurm-rounds.slurm.test.ts) and the two-node (two-node.slurm.test.ts) tests.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { replayRounds } from '../analysis/index.js';
import { loadExperiment } from '../config/index.js';
import { Contracts, packageRoot, type RunManifest, type SlurmRoundDecision, type SlurmStudy, type TrialResult } from '../contracts/index.js';
import { configurationOf, planConfigurations, planRun, rotationShard } from '../plan/index.js';
import { verifyRunFolder } from '../results/index.js';
import { readJson, runCli } from './e2e-support.js';

/** The adaptive demo every rounds test runs: min 3, max 6, +/-2 % on the median latency, embedded runtime. */
export const adaptiveDemo = join(packageRoot, 'experiments', 'demo-adaptive.yaml');

export const studyOf = (dir: string) => readJson<SlurmStudy>(join(dir, 'slurm', 'study.json'));

/** The study folder `greenrt slurm submit` printed, absolute. */
export function studyDirOf(stdout: string): string {
  const m = /Study folder: (.+)/.exec(stdout);
  if (!m) throw new Error(`no study folder in the output:\n${stdout}`);
  return m[1]!.trim().startsWith('/') ? m[1]!.trim() : join(packageRoot, m[1]!.trim());
}

/**
 * The merged run verifies (its adaptive record is what the rule decides from its trials), every configuration ended
 * at precision or at max, the decisions equal the one-node rule's on the same trials and the decide jobs' records,
 * and every trial ran on the shard rotation gives it. Returns the merged manifest.
 */
export async function checkRoundsStudy(dir: string, shards: number): Promise<RunManifest> {
  const merged = join(dir, `${studyOf(dir).studyId}-merged`);
  const verify = await runCli(['verify', merged]);
  expect(verify.stdout + verify.stderr).toMatch(/intact\. .* adaptive decision\(s\) are what the rule decides from the stored trials/);
  expect(verify.code).toBe(0);
  const manifest = readJson<RunManifest>(join(merged, 'manifest.json'));
  const spec = (await loadExperiment(adaptiveDemo, new Contracts())).spec;
  const v = await verifyRunFolder(merged, new Contracts());
  const oneNode = replayRounds(planRun(spec), new Map(v.results.map((r: TrialResult) => [r.trialId, r] as const)));
  expect(manifest.plan.trialIds).toEqual(oneNode.plan.trials.map((t) => t.id));
  expect(manifest.adaptive!.decisions.map((d) => [d.afterRound, d.nextRound])).toEqual(oneNode.decisions.map((d) => [d.afterRound, d.next?.round ?? null]));
  const last = new Map(manifest.adaptive!.decisions.flatMap((d) => d.configurations.map((c) => [c.configuration, c] as const)));
  for (const c of last.values()) expect(['met', 'max'], `${c.configuration}: ${c.outcome}`).toContain(c.outcome);
  for (const d of oneNode.decisions) {
    const file = readJson<SlurmRoundDecision>(join(dir, 'slurm', 'rounds', `after-round-${d.afterRound}.json`));
    expect(file.configurations.map((c) => [c.configuration, c.outcome])).toEqual(d.configurations.map((c) => [c.configuration, c.outcome]));
    expect(file.nextRound?.trialIds ?? null).toEqual(d.next?.trialIds ?? null);
  }
  const configs = planConfigurations(planRun(spec));
  for (const s of manifest.merge!.shards)
    for (const id of s.trialIds) expect(s.index).toBe(rotationShard(configs.indexOf(configurationOf(id)), Number(/\.r(\d+)$/.exec(id)![1]), shards));
  expect(readFileSync(join(merged, 'report.md'), 'utf8')).toContain('### Nodes (merged run: the node is a block)');
  return manifest;
}
