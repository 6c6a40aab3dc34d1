import type { GpuCheckFile, TrialResult, ValidatedManifest } from '../../contracts/index.js';
import { defaultMeasurementRules as R } from '../../power/index.js';

/** One measurement rule on one trial: the value seen, the limit, pass or fail. */
export interface RuleCheck {
  rule: string;
  value: string;
  limit: string;
  pass: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Every rule that would mark a trial invalid, evaluated on one stored result (thresholds: defaultMeasurementRules). */
export function evaluateRules(t: TrialResult, requestedHz: number): RuleCheck[] {
  const checks: RuleCheck[] = [];
  const windowMs = t.timing.measureWindowMs ?? 0;
  const outside = t.reasons.find((r) => r.startsWith('measure window lies outside'));
  checks.push({ rule: 'measure window inside the power recording', value: outside ?? 'inside', limit: 'inside', pass: !outside });
  for (const r of t.energy.readings.filter((x) => x.provenance !== 'unavailable')) {
    const name = `${r.domain} (${r.source})`;
    if (r.coverage != null)
      checks.push({ rule: `${name} coverage of the window`, value: pct(r.coverage), limit: `>= ${pct(R.minCoverage)}`, pass: r.coverage >= R.minCoverage });
    if (r.crossCheck)
      checks.push({
        rule: `${name} counter vs integrated disagreement`,
        value: pct(r.crossCheck.disagreement),
        limit: `|d| <= ${pct(R.maxDisagreement)}`,
        pass: Math.abs(r.crossCheck.disagreement) <= R.maxDisagreement,
      });
    if (r.achievedHz != null)
      checks.push({
        rule: `${name} achieved sample rate`,
        value: `${r.achievedHz.toFixed(2)} Hz`,
        limit: `>= ${(R.minAchievedRateRatio * requestedHz).toFixed(1)} Hz`,
        pass: r.achievedHz >= R.minAchievedRateRatio * requestedHz,
      });
    if (r.provenance === 'counter' && r.counterUpdatePeriodMs) {
      const updates = windowMs / r.counterUpdatePeriodMs;
      checks.push({
        rule: `${name} counter updates in the window`,
        value: updates.toFixed(1),
        limit: `>= ${R.minCounterUpdatesPerWindow}`,
        pass: updates >= R.minCounterUpdatesPerWindow,
      });
    }
  }
  for (const s of (t.gpuState ?? []).filter((g) => g.measured !== false)) {
    const bad = (s.throttleReasons ?? []).filter((x) => R.invalidThrottleReasons.includes(x));
    checks.push({
      rule: `gpu:${s.index} throttling at ${s.atNs}`,
      value: (s.throttleReasons ?? ['unknown']).join(', ') || 'none',
      limit: `none of ${R.invalidThrottleReasons.join(', ')}`,
      pass: bad.length === 0,
    });
    const procs = s.otherProcesses ?? [];
    checks.push({
      rule: `gpu:${s.index} other compute processes at ${s.atNs}`,
      value: procs.length ? procs.map((p) => p.pid).join(', ') : 'none',
      limit: 'none',
      pass: procs.length === 0,
    });
  }
  if (t.cooldown)
    checks.push({
      rule: 'cool-down gate',
      value: `${t.cooldown.met ? 'met' : 'not met'} after ${(t.cooldown.waitedMs / 1000).toFixed(1)} s`,
      limit: 'met',
      pass: t.cooldown.met,
    });
  return checks;
}

/** The figures `greenrt doctor --measure` prints and writes, from a finished run folder. */
export function gpuCheckReport(manifest: ValidatedManifest, trials: TrialResult[]): { text: string; json: Omit<GpuCheckFile, 'host' | 'inventory'> } {
  const requestedHz = manifest.experiment.spec.power.sampleHz;
  const lines: string[] = [`GPU acceptance check ${manifest.runId}`];
  const sources = manifest.power.sources;
  lines.push('Power sources:');
  for (const s of sources) lines.push(`  ${s.source}: ${s.available ? s.domains.map((d) => d.label || d.domain).join('; ') : `unavailable (${s.reason})`}`);
  const counters = sources.flatMap((s) =>
    s.domains
      .filter((d) => d.counter)
      .map((d) => ({ source: s.source, domain: d.domain, updatePeriodMs: d.counter!.updatePeriodMs, upperBound: d.counter!.updatePeriodIsUpperBound })),
  );
  for (const c of counters)
    lines.push(
      `  ${c.source} ${c.domain} energy counter update period: ${c.updatePeriodMs === null ? 'not detected' : `${c.upperBound ? '<= ' : '~'}${c.updatePeriodMs.toFixed(1)} ms`}`,
    );
  const baseline = manifest.power.baseline;
  lines.push(`Idle (${((baseline?.durationMs ?? 0) / 1000).toFixed(0)} s):`);
  for (const d of baseline?.domains ?? [])
    lines.push(`  ${d.source} ${d.domain}: ${d.powerW === null ? 'unavailable' : `${d.powerW.toFixed(1)} W`} (${d.provenance})`);
  if (baseline?.reason) lines.push(`  note: ${baseline.reason}`);
  const perTrial = trials.map((t) => {
    const gpu = (t.gpuState ?? []).filter((g) => g.measured !== false);
    const rules = evaluateRules(t, requestedHz);
    return {
      trialId: t.trialId,
      status: t.status,
      reasons: t.reasons,
      energyPerInferenceJ: t.energy.energyPerInferenceJ,
      provenance: t.energy.totalProvenance,
      readings: t.energy.readings,
      gpuStart: gpu[0] ?? null,
      gpuEnd: gpu[gpu.length - 1] ?? null,
      rules,
    };
  });
  for (const t of perTrial) {
    lines.push(`Trial ${t.trialId}: ${t.status}`);
    lines.push(`  energy per inference: ${t.energyPerInferenceJ === null ? 'unavailable' : `${t.energyPerInferenceJ.toPrecision(4)} J`} (${t.provenance})`);
    for (const r of t.readings)
      lines.push(
        `  ${r.source} ${r.domain}: ${r.energyJ === null ? 'unavailable' : `${r.energyJ.toFixed(3)} J`} (${r.provenance}), achieved ${r.achievedHz?.toFixed(2) ?? '?'} Hz${r.crossCheck ? `, counter vs integrated ${pct(r.crossCheck.disagreement)}` : ''}${r.reason ? `; ${r.reason}` : ''}`,
      );
    for (const [when, s] of [
      ['start', t.gpuStart],
      ['end', t.gpuEnd],
    ] as const) {
      if (s)
        lines.push(
          `  gpu:${s.index} at ${when}: SM ${s.smClockMHz ?? '?'} MHz, memory ${s.memClockMHz ?? '?'} MHz, ${s.temperatureC ?? '?'} °C, ${s.powerW ?? '?'} W`,
        );
    }
    lines.push('  rules:');
    for (const r of t.rules) lines.push(`    [${r.pass ? 'pass' : 'FAIL'}] ${r.rule}: ${r.value} (limit ${r.limit})`);
    if (t.status !== 'ok') lines.push(`  reasons: ${t.reasons.join('; ')}`);
  }
  const allPass = perTrial.length > 0 && perTrial.every((t) => t.status === 'ok' && t.rules.every((r) => r.pass));
  lines.push(allPass ? 'Result: every rule passed; this host measures GPU energy as greenrt needs.' : 'Result: some trial failed or broke a rule (see above).');
  return { text: lines.join('\n'), json: { runId: manifest.runId, sources, counters, baseline, trials: perTrial, allPass } };
}
