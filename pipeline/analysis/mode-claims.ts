/**
 * "Does the mode explain it?": each claim that compares a framework runtime with something else, evaluated once
 * per combination of the execution modes the run measured for the frameworks it involves. Uses the claims
 * evaluator unchanged, on a subset of the results: for a combination, each involved framework keeps only the
 * trials of its chosen mode, which then stand under the configuration ids the claims select (a claim names no
 * mode, so it reads the default mode's ids).
 */

import type { TrialResult } from '../contracts/index.js';
import { defaultMode, frameworkNames, runtimeModes } from '../catalogue/index.js';
import type { Claim, ClaimSet } from './claims-file.js';
import { mergeSelectors } from './claim-selection.js';
import { evaluateClaims, type Verdict } from './evaluate-claims.js';
import { summarizeTrials, type SummaryOptions } from './summarize-trials.js';

export interface ModeVerdict {
  /** framework runtime -> the mode its trials ran in, for every framework the claim involves. */
  modes: Record<string, string>;
  /** Every involved framework in its default mode: the verdict of the main claims table. */
  defaults: boolean;
  verdict: Verdict;
  reason: string;
}

export interface ModeClaim {
  id: string;
  finding: number | null;
  text: string;
  /** The framework runtimes the claim selects on either side (catalogue order). */
  frameworks: string[];
  rows: ModeVerdict[];
}

/** The mode a trial ran in (null: a runtime without modes). */
export function modeOf(trial: TrialResult): string | null {
  return trial.config.mode ?? defaultMode(trial.config.runtime);
}

/** Framework runtimes a pairwise claim selects, on either side (correlations compare no two runtimes). */
export function claimFrameworks(claim: Claim): string[] {
  if (claim.test === 'correlation') return [];
  const named = new Set([...(mergeSelectors(claim.where, claim.a).runtime ?? []), ...(mergeSelectors(claim.where, claim.b).runtime ?? [])].map(String));
  return frameworkNames.filter((f) => named.has(f));
}

/**
 * Per claim that involves a framework runtime, its verdict under each combination of the modes the run has for
 * those frameworks; a claim whose frameworks all ran in their default mode only is left out (nothing to explain).
 */
export function claimsByMode(claims: ClaimSet | readonly Claim[], results: readonly TrialResult[], options: SummaryOptions = {}): ModeClaim[] {
  const list = 'claims' in claims ? claims.claims : claims;
  const modesRun = new Map<string, string[]>();
  for (const t of results) {
    const mode = modeOf(t);
    if (mode === null || !frameworkNames.includes(t.config.runtime)) continue;
    const seen = modesRun.get(t.config.runtime) ?? [];
    if (!seen.includes(mode)) modesRun.set(t.config.runtime, [...seen, mode]);
  }
  for (const [runtime, modes] of modesRun) modes.sort((a, b) => runtimeModes(runtime).indexOf(a) - runtimeModes(runtime).indexOf(b));
  const cache = new Map<string, Map<string, { verdict: Verdict; reason: string }>>();
  const out: ModeClaim[] = [];
  for (const claim of list) {
    const frameworks = claimFrameworks(claim).filter((f) => modesRun.has(f));
    // Nothing to explain when every framework involved ran in its default mode only (the claims table says it all).
    if (frameworks.every((f) => modesRun.get(f)!.every((m) => m === defaultMode(f)))) continue;
    const rows: ModeVerdict[] = [];
    for (const modes of combinations(frameworks, modesRun)) {
      const key = JSON.stringify(modes);
      let verdicts = cache.get(key);
      if (!verdicts) {
        const subset = withModes(results, modes);
        const summary = summarizeTrials(subset, options);
        verdicts = new Map(evaluateClaims(list, summary, subset).map((r) => [r.id, { verdict: r.verdict, reason: r.reason }] as const));
        cache.set(key, verdicts);
      }
      const v = verdicts.get(claim.id)!;
      rows.push({ modes, defaults: frameworks.every((f) => modes[f] === defaultMode(f)), verdict: v.verdict, reason: v.reason });
    }
    out.push({ id: claim.id, finding: claim.finding, text: claim.text, frameworks, rows });
  }
  return out;
}

/** Every assignment of a run mode to each framework (catalogue order of frameworks and of modes). */
function combinations(frameworks: string[], modesRun: Map<string, string[]>): Record<string, string>[] {
  let acc: Record<string, string>[] = [{}];
  for (const f of frameworks) acc = acc.flatMap((partial) => modesRun.get(f)!.map((m) => ({ ...partial, [f]: m })));
  return acc;
}

/**
 * The results a claim sees under `modes`: a framework named there keeps only its trials in that mode, relabelled
 * as its default mode's (no `config.mode`); other frameworks keep their default mode's trials; other runtimes all.
 */
function withModes(results: readonly TrialResult[], modes: Record<string, string>): TrialResult[] {
  const out: TrialResult[] = [];
  for (const t of results) {
    const mode = modeOf(t);
    if (mode === null) {
      out.push(t);
      continue;
    }
    const wanted = modes[t.config.runtime] ?? defaultMode(t.config.runtime);
    if (mode !== wanted) continue;
    if (t.config.mode === undefined) out.push(t);
    else {
      const { mode: _named, ...config } = t.config;
      out.push({ ...t, config });
    }
  }
  return out;
}
