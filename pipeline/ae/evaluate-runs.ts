/**
 * An evaluator's run against a reference run, claim by claim (ACM: results may differ "as long as the main claims
 * hold"): the hosts' differences first, then each claim's verdict on both runs (agrees / contradicts / not testable
 * here / undecided), ratio claims against their band, the runtime ranking per model, batch and provider (Kendall's
 * tau), and absolute medians judged only when the GPU model and driver match. Pure: the command reads the two run
 * folders through the results module's verified readers.
 */

import type { AeEvaluationFile, RunManifest, TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, evaluateClaims, median, summarizeTrials, trialMetrics, type Claim, type ClaimResult } from '../analysis/index.js';

export interface RunEvidence {
  folder: string;
  manifest: RunManifest;
  manifestSha256: string;
  results: readonly TrialResult[];
}

type Outcome = AeEvaluationFile['claims'][number]['outcome'];
export const ABSOLUTE_TOLERANCE = 0.1;

export function evaluateRuns(run: RunEvidence, reference: RunEvidence, claims: readonly Claim[], claimsFile: string, now: Date): AeEvaluationFile {
  const verdicts = (r: RunEvidence) => evaluateClaims(claims, summarizeTrials(r.results, { seed: r.manifest.plan.seed }), r.results);
  const mine = verdicts(run);
  const theirs = verdicts(reference);
  const hosts = hostDifferences(reference.manifest, run.manifest);
  const judged = claims.map((claim, i) => judgeClaim(claim, theirs[i]!, mine[i]!));
  const counts = (scope: Claim['scope']) => {
    const these = judged.filter((c) => c.scope === scope);
    const n = (o: Outcome) => these.filter((c) => c.outcome === o).length;
    return { agrees: n('agrees'), contradicts: n('contradicts'), notTestable: n('not testable here'), undecided: n('undecided') };
  };
  const contradicts = judged.some((c) => c.outcome === 'contradicts');
  const anyTested = judged.some((c) => c.outcome === 'agrees' || c.outcome === 'contradicts');
  const exitCode = contradicts ? 4 : anyTested ? 0 : 3;
  const result: AeEvaluationFile = {
    schemaVersion: 1,
    evaluatedAt: now.toISOString(),
    run: ref(run),
    reference: ref(reference),
    claimsFile,
    hosts,
    claims: judged,
    counts: { reproduction: counts('reproduction'), extension: counts('extension') },
    rankings: rankings(reference.results, run.results),
    absolute: absolute(reference.results, run.results, hosts.sameGpuAndDriver),
    badge: '',
    exitCode,
  };
  result.badge = badgeAdvice(result);
  return result;
}

function ref(r: RunEvidence): AeEvaluationFile['run'] {
  return { runId: r.manifest.runId, folder: r.folder, manifestSha256: r.manifestSha256 };
}

function judgeClaim(claim: Claim, theirs: ClaimResult, mine: ClaimResult): AeEvaluationFile['claims'][number] {
  const side = (r: ClaimResult) => ({ verdict: r.verdict, reason: r.reason, energyScope: r.energyScope ?? null });
  const decided = (r: ClaimResult) => r.verdict !== 'inconclusive';
  let outcome: Outcome;
  let why: string;
  if (decided(mine) && decided(theirs)) {
    outcome = mine.verdict === theirs.verdict ? 'agrees' : 'contradicts';
    why = `both runs decide it: reference ${theirs.verdict}, this run ${mine.verdict}`;
    if ((mine.energyScope ?? null) !== (theirs.energyScope ?? null) && (mine.energyScope === 'gpu-only' || theirs.energyScope === 'gpu-only'))
      why += `; energy scopes differ (reference ${theirs.energyScope ?? 'none'}, this run ${mine.energyScope ?? 'none'}): the agreement covers GPU energy only`;
  } else if (!decided(mine) && !hasData(mine)) {
    outcome = 'not testable here';
    why = `this run has no data for it: ${mine.reason}`;
  } else {
    outcome = 'undecided';
    why = !decided(mine)
      ? `this run is inconclusive: ${mine.reason}`
      : `the reference run is inconclusive (${theirs.reason}), so there is nothing to agree with`;
  }
  return {
    id: claim.id,
    scope: claim.scope,
    outcome,
    why,
    reference: side(theirs),
    run: side(mine),
    ratios: claim.test === 'ratio' ? ratios(claim, theirs, mine) : [],
  };
}

function hasData(r: ClaimResult): boolean {
  if ('correlation' in r.numbers) return r.numbers.correlation.configurations.length > 0;
  return r.numbers.comparisons.some((c) => c.ratio !== null);
}

function ratios(claim: Claim, theirs: ClaimResult, mine: ClaimResult): AeEvaluationFile['claims'][number]['ratios'] {
  if (claim.test !== 'ratio' || 'correlation' in mine.numbers || 'correlation' in theirs.numbers) return [];
  const band = claim.ratioRange!;
  const reference = new Map(theirs.numbers.comparisons.map((c) => [`${c.a}|${c.b}|${c.metric}`, c.ratio]));
  return mine.numbers.comparisons.map((c) => ({
    a: c.a,
    b: c.b,
    metric: c.metric,
    band: [band[0], band[1]],
    reference: reference.get(`${c.a}|${c.b}|${c.metric}`) ?? null,
    run: c.ratio,
    runWithinBand: c.ratio === null ? null : c.ratio >= band[0] && c.ratio <= band[1],
  }));
}

/** A GPU record of the manifest (free-form objects: name, driver). */
export function gpuText(m: RunManifest): { names: string; driver: string } {
  const gpus = (m.host.gpus ?? []) as Record<string, unknown>[];
  const names = gpus.map((g) => String(g.name ?? 'GPU')).join(', ') || 'none';
  const driver = [...new Set(gpus.map((g) => String(g.driverVersion ?? g.driver ?? '?')))].join(', ') || 'none';
  return { names, driver };
}

export function powerText(m: RunManifest): string {
  const works = m.power.sources.filter((s) => s.available).map((s) => s.source);
  return works.length ? works.join(', ') : 'none (energy not measured)';
}

export function hostDifferences(reference: RunManifest, run: RunManifest): AeEvaluationFile['hosts'] {
  const [a, b] = [gpuText(reference), gpuText(run)];
  const facts: [string, string, string][] = [
    ['GPU', a.names, b.names],
    ['GPU driver', a.driver, b.driver],
    ['CPU', reference.host.cpuModel, run.host.cpuModel],
    ['CPU count', String(reference.host.cpuCount), String(run.host.cpuCount)],
    ['power sources that worked', powerText(reference), powerText(run)],
    ['kernel', reference.host.kernel, run.host.kernel],
  ];
  const differences = facts.filter(([, x, y]) => x !== y).map(([what, x, y]) => ({ what, reference: x, run: y }));
  const noGpu = a.names === 'none' && b.names === 'none';
  const sameGpuAndDriver = a.names === b.names && a.driver === b.driver && (!noGpu || reference.host.cpuModel === run.host.cpuModel);
  return { differences, sameGpuAndDriver };
}

/** Median per-trial latency of each configuration (ok trials), by configuration id. */
function latencyMedians(results: readonly TrialResult[]): Map<string, number> {
  const values = new Map<string, number[]>();
  for (const t of results) {
    if (t.status !== 'ok') continue;
    const l = trialMetrics(t).latencyMs;
    if (l === null) continue;
    const id = configurationId(configurationKeyOf(t));
    values.set(id, [...(values.get(id) ?? []), l]);
  }
  return new Map([...values].map(([id, v]) => [id, median(v)]));
}

function rankings(reference: readonly TrialResult[], run: readonly TrialResult[]): AeEvaluationFile['rankings'] {
  const [ma, mb] = [latencyMedians(reference), latencyMedians(run)];
  const groups = new Map<string, string[]>();
  for (const id of ma.keys()) {
    if (!mb.has(id)) continue;
    const [runtime, source, model, provider, batch, mode] = id.split('/');
    const key = `${model}/${provider}/${batch}`;
    groups.set(key, [...(groups.get(key) ?? []), `${runtime}/${source}${mode ? `/${mode}` : ''}|${id}`]);
  }
  return [...groups].map(([key, entries]) => {
    const [model, provider, batch] = key.split('/');
    const order = (m: Map<string, number>) => [...entries].sort((x, y) => m.get(x.split('|')[1]!)! - m.get(y.split('|')[1]!)!).map((e) => e.split('|')[0]!);
    const [ra, rb] = [order(ma), order(mb)];
    return {
      model: model!,
      batchSize: Number(batch!.slice(1)),
      provider: provider!,
      configurations: entries.length,
      reference: ra,
      run: rb,
      kendallTau: kendallTau(ra, rb),
    };
  });
}

/** Kendall's tau-a between two orderings of the same items (null with fewer than 2). */
export function kendallTau(a: readonly string[], b: readonly string[]): number | null {
  if (a.length < 2) return null;
  const pos = new Map(b.map((x, i) => [x, i]));
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      if (pos.get(a[i]!)! < pos.get(a[j]!)!) concordant++;
      else discordant++;
    }
  return (concordant - discordant) / ((a.length * (a.length - 1)) / 2);
}

function absolute(reference: readonly TrialResult[], run: readonly TrialResult[], same: boolean): AeEvaluationFile['absolute'] {
  const [ma, mb] = [latencyMedians(reference), latencyMedians(run)];
  const rows = [...ma]
    .filter(([id]) => mb.has(id))
    .map(([id, refMs]) => {
      const runMs = mb.get(id)!;
      const ratio = runMs / refMs;
      return { configuration: id, referenceMs: refMs, runMs, ratio, within: same ? Math.abs(ratio - 1) <= ABSOLUTE_TOLERANCE : null };
    });
  return {
    judged: same,
    why: same
      ? `same GPU model and driver: medians judged within ±${ABSOLUTE_TOLERANCE * 100} %`
      : 'GPU model or driver differ (or, without GPUs, the CPU model): absolute numbers are expected to differ and are shown, not judged (ACM: results may differ as long as the main claims hold)',
    tolerance: ABSOLUTE_TOLERANCE,
    rows,
  };
}

/** Which badge the evidence supports and why: advice to the evaluator, never a verdict. */
export function badgeAdvice(e: AeEvaluationFile): string {
  const r = e.counts.reproduction;
  const x = e.counts.extension;
  const tested = r.agrees + r.contradicts;
  const total = r.agrees + r.contradicts + r.notTestable + r.undecided;
  const scope = `${r.agrees} of ${total} reproduction claims agree, ${r.contradicts} contradict, ${r.notTestable} were not testable here and ${r.undecided} are undecided (extension claims, counted apart: ${x.agrees} agree, ${x.contradicts} contradict)`;
  if (r.contradicts > 0 || x.contradicts > 0)
    return `The evidence does not support "Results Reproduced" for the contradicted claims: ${scope}. Read each contradicting claim's numbers and the host differences before deciding; the tool does not award badges.`;
  if (tested === 0)
    return `The evidence supports no results badge yet: ${scope}. A completed run still shows the artifact is exercisable ("Functional"/"Reusable" are the evaluator's judgement of documentation and structure); run a tier that tests the claims (greenrt ae check says which).`;
  return `The evidence is consistent with "Results Reproduced" for the ${r.agrees + x.agrees} claim(s) that agree and only for those: ${scope}. Whether that covers the paper's main claims is the evaluator's decision; the tool does not award badges (and never "Replicated", which needs no author-supplied artifacts).`;
}
