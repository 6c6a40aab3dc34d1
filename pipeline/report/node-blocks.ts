/**
 * The node as a block, for a run merged from shards (`greenrt merge`): per configuration the median of
 * each node's trials, and whether the runtimes rank the same on every node. Pure.
 */
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, median, trialMetrics } from '../analysis/index.js';
import { code, plain, type Block } from './report-document.js';
import { formatNumber } from './format.js';
import type { ReportWarning } from './warnings.js';

/** trialId -> node (host name), from the merged manifest; empty for a run that is not merged. */
export function nodeByTrial(m: RunManifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of m.merge?.shards ?? []) for (const id of s.trialIds) out.set(id, s.node);
  return out;
}

export interface RankingCheck {
  /** model/provider/batch groups with at least two runtimes measured on every node. */
  groups: number;
  /** Groups whose runtime order by median latency differs between nodes, with each node's order. */
  differing: { group: string; orders: { node: string; order: string[] }[] }[];
}

/** Medians of each configuration's trials per node: latency (ms) and energy per inference (J, when measured). */
export function nodeMedians(
  results: readonly TrialResult[],
  nodes: Map<string, string>,
): Map<string, Map<string, { latencyMs: number | null; energyJ: number | null; n: number }>> {
  const groups = new Map<string, Map<string, TrialResult[]>>();
  for (const t of results) {
    if (t.status !== 'ok') continue;
    const node = nodes.get(t.trialId) ?? 'unknown';
    const cfg = configurationId(configurationKeyOf(t));
    const byNode = groups.get(cfg) ?? new Map<string, TrialResult[]>();
    byNode.set(node, [...(byNode.get(node) ?? []), t]);
    groups.set(cfg, byNode);
  }
  const out = new Map<string, Map<string, { latencyMs: number | null; energyJ: number | null; n: number }>>();
  for (const [cfg, byNode] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const row = new Map<string, { latencyMs: number | null; energyJ: number | null; n: number }>();
    for (const [node, ts] of byNode) {
      const lat = ts.map((t) => trialMetrics(t).latencyMs).filter((x): x is number => x !== null);
      const en = ts.map((t) => trialMetrics(t).energyPerInference).flatMap((e) => (e.available ? [e.valueJ] : []));
      row.set(node, { latencyMs: lat.length ? median(lat) : null, energyJ: en.length ? median(en) : null, n: ts.length });
    }
    out.set(cfg, row);
  }
  return out;
}

/** Whether the runtimes (runtime(source)) rank the same by median latency on every node, per model/provider/batch. */
export function checkRanking(medians: ReturnType<typeof nodeMedians>, nodeNames: string[]): RankingCheck {
  const byGroup = new Map<string, { runtime: string; perNode: Map<string, number | null> }[]>();
  for (const [cfg, row] of medians) {
    const [runtime, source, model, provider, batch, mode] = cfg.split('/');
    const group = `${model}/${provider}/${batch}`;
    const entry = {
      runtime: (runtime === source ? `${runtime}` : `${runtime}(${source})`) + (mode ? ` [${mode}]` : ''),
      perNode: new Map([...row].map(([n, v]) => [n, v.latencyMs] as const)),
    };
    byGroup.set(group, [...(byGroup.get(group) ?? []), entry]);
  }
  const check: RankingCheck = { groups: 0, differing: [] };
  for (const [group, entries] of byGroup) {
    const complete = entries.filter((e) => nodeNames.every((n) => typeof e.perNode.get(n) === 'number'));
    if (complete.length < 2) continue;
    check.groups++;
    const orders = nodeNames.map((node) => ({ node, order: [...complete].sort((a, b) => a.perNode.get(node)! - b.perNode.get(node)!).map((e) => e.runtime) }));
    if (orders.some((o) => o.order.join() !== orders[0]!.order.join())) check.differing.push({ group, orders });
  }
  return check;
}

/** The "Nodes" block of a merged run's report; nothing for a run that is not merged. */
export function nodeBlocks(m: RunManifest, results: readonly TrialResult[]): Block[] {
  if (!m.merge) return [];
  const nodes = nodeByTrial(m);
  const names = [...new Set(m.merge.shards.map((s) => s.node))];
  const medians = nodeMedians(results, nodes);
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: 'Nodes (merged run: the node is a block)' }];
  blocks.push({
    kind: 'paragraph',
    text:
      `${m.merge.count} shards, partition by ${m.merge.partition}: ${m.merge.shards.map((s) => `${s.round !== undefined ? `round ${s.round} ` : ''}shard ${s.index} on ${code(s.node)} (${s.trialIds.length} trials)`).join(', ')}. ` +
      (m.merge.partition === 'repetition'
        ? 'Every node ran every configuration, so node differences are spread over all configurations.'
        : m.merge.partition === 'rotation'
          ? "Adaptive rounds: repetition r of configuration i ran on shard (i + r - 1) mod N, so each configuration's repetitions rotate over the nodes and node differences are spread over all configurations."
          : '**Node and configuration are confounded**: each configuration ran on one node only, so a difference between configurations may be a difference between nodes.'),
  });
  const fmt = (v: number | null, digits: number) => (v === null ? '–' : formatNumber(v, digits));
  blocks.push({
    kind: 'table',
    header: ['Configuration', ...names.flatMap((n) => [`${plain(n)}: median latency ms (n)`, `${plain(n)}: median energy/inference J`])],
    rows: [...medians].map(([cfg, row]) => [
      code(cfg),
      ...names.flatMap((n) => {
        const v = row.get(n);
        return v ? [`${fmt(v.latencyMs, 3)} (${v.n})`, fmt(v.energyJ, 4)] : ['not run', '–'];
      }),
    ]),
  });
  const ranking = checkRanking(medians, names);
  blocks.push({
    kind: 'paragraph',
    text:
      ranking.groups === 0
        ? 'Runtime ranking per node: not checked (no model/provider/batch size has two or more runtimes measured on every node).'
        : ranking.differing.length === 0
          ? `Runtime ranking by median latency: **the same on every node** in all ${ranking.groups} model/provider/batch size group(s).`
          : `Runtime ranking by median latency: **differs between nodes** in ${ranking.differing.length} of ${ranking.groups} group(s): ${ranking.differing.map((d) => `${code(d.group)} (${d.orders.map((o) => `${plain(o.node)}: ${o.order.join(' < ')}`).join('; ')})`).join(', ')}.`,
  });
  if (m.merge.hostDifferences.length) blocks.push({ kind: 'list', items: m.merge.hostDifferences.map((d) => `Host difference (not deciding): ${plain(d)}`) });
  return blocks;
}

/** Warnings of sharded runs: shared CPU energy, a partition by configuration. */
export function shardWarnings(m: RunManifest): ReportWarning[] {
  const out: ReportWarning[] = [];
  if (m.shard?.sharedHost || m.merge?.sharedHost) {
    out.push({
      topic: 'energy',
      text: "Shards ran at the same time on other GPUs of the same host (`greenrt run --shared-host`): the CPU package and DRAM energy (RAPL) is shared between them, so it is left out of every trial's energy; energy here is GPU energy only.",
    });
  }
  if ((m.shard ?? m.merge)?.partition === 'configuration') {
    out.push({
      topic: 'statistics',
      text: 'The study was sharded by configuration: each configuration ran on one node, so node and configuration are confounded (shard by repetition to balance nodes over configurations).',
    });
  }
  if (m.shard)
    out.push({
      topic: 'run',
      text: `This run is shard ${m.shard.index}/${m.shard.count} of a study (${m.plan.trialCount} of its ${m.shard.planTrialCount} trials): merge every shard with ${code('greenrt merge')} for the study's results.`,
    });
  return out;
}
