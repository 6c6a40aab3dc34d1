import { describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { planRun } from './plan-run.js';
import { configurationOf, parseShard, shardPlan } from './shard-plan.js';

const spec = withSchemaDefaults({
  schemaVersion: 1,
  name: 'shards',
  seed: 42,
  order: 'shuffled',
  runtimes: [
    { name: 'pytorch', providers: ['cuda'] },
    { name: 'tensorflow', providers: ['cuda'] },
  ],
  models: ['resnet50', 'mobilenet_v2'],
  batchSizes: [1, 64],
  repetitions: 5,
  warmupIterations: 10,
  measuredIterations: 50,
});

describe('shardPlan', () => {
  const plan = planRun(spec);
  const configs = new Set(plan.trials.map((t) => configurationOf(t.id)));

  it('by repetition: repetition r goes to shard r mod N, every shard runs every configuration, in the plan order', () => {
    const shards = [0, 1, 2].map((index) => shardPlan(plan, { index, count: 3, partition: 'repetition' }, '--shard'));
    for (const [k, s] of shards.entries()) {
      expect(s.plan.trials.every((t) => t.config.repetition % 3 === k)).toBe(true);
      expect(new Set(s.plan.trials.map((t) => configurationOf(t.id)))).toEqual(configs);
      const positions = s.plan.trials.map((t) => plan.trials.findIndex((p) => p.id === t.id));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(s.plan.trials.map((t) => t.orderIndex)).toEqual(s.plan.trials.map((_, i) => i));
      expect(s.shard).toMatchObject({ index: k, count: 3, planHash: plan.planHash, planTrialCount: plan.trialCount });
    }
    const all = shards.flatMap((s) => s.plan.trials.map((t) => t.id));
    expect(all.length).toBe(plan.trialCount);
    expect(new Set(all)).toEqual(new Set(plan.trials.map((t) => t.id)));
  });

  it('is deterministic: the same shard twice is the same list', () => {
    const a = shardPlan(planRun(spec), { index: 1, count: 2, partition: 'repetition' }, '--shard');
    const b = shardPlan(planRun(spec), { index: 1, count: 2, partition: 'repetition' }, '--shard');
    expect(a.plan.trials.map((t) => t.id)).toEqual(b.plan.trials.map((t) => t.id));
  });

  it('by configuration: each configuration lands whole on one shard, the shards together complete and disjoint', () => {
    const shards = [0, 1].map((index) => shardPlan(plan, { index, count: 2, partition: 'configuration' }, '--shard'));
    const owner = new Map<string, number>();
    for (const [k, s] of shards.entries()) {
      for (const t of s.plan.trials) {
        expect(owner.get(configurationOf(t.id)) ?? k).toBe(k);
        owner.set(configurationOf(t.id), k);
      }
    }
    expect(owner.size).toBe(configs.size);
    expect(shards[0]!.plan.trialCount + shards[1]!.plan.trialCount).toBe(plan.trialCount);
  });

  it('refuses a shard that would get no trial (more shards than repetitions)', () => {
    expect(() => shardPlan(plan, { index: 0, count: 6, partition: 'repetition' }, '--shard')).toThrow(/shard 0\/6 gets no trial: the plan has 5 repetition/);
  });
});

describe('parseShard', () => {
  it('reads K/N with K 0-based', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4, partition: 'repetition' });
    expect(parseShard('0/1', 'configuration')).toEqual({ index: 0, count: 1, partition: 'configuration' });
  });
  it.each(['4/4', '1', '-1/2', 'a/b', '0/0', '1/2/3'])('refuses %s with an InputError naming --shard', (text) => {
    try {
      parseShard(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]).toMatchObject({ path: '--shard' });
    }
  });
});
