/**
 * analysis: pure statistics and claim checks (no I/O). Values keep their input's unit unless named.
 *
 * Run summary
 * - `summarizeTrials(results: TrialResult[], { seed?, resamples?, confidence? }) -> RunSummary`:
 *   per configuration (`runtime/source/model/provider/b<batch>`), over its status-'ok' trials:
 *   `latencyMs.perTrialMedian` (ms per inference, one value per trial = the trial's median latency),
 *   `latencyMs.pooled` (ms, all latencies; no intervals), `throughputSamplesPerS` (samples/s),
 *   `energy` / `netEnergy` (J per inference and J per sample, gross / net of the idle baseline, with
 *   the weakest provenance; `available: false` with a reason when any ok trial lacks energy, never 0),
 *   failed/invalid counts with reasons, Shapiro-Wilk of the per-trial values, and Kruskal-Wallis
 *   across configurations sharing a model and batch size (`groupTests`).
 * - `configurationId(key)`, `trialMetrics(trial)`: a trial's configuration id and its per-trial values.
 *
 * Claims
 * - `parseClaimsYaml(text, file, contracts?) -> ClaimSet` / `parseClaims(data, file, contracts?)`:
 *   validate a claims file (experiments/*.claims.yaml) against schemas/claims.schema.json with the
 *   experiment loader's YAML reader and messages; throws InputError (exit code 2) listing every
 *   problem with file, line, path and fix.
 * - `evaluateClaims(claims, summary, trials) -> ClaimResult[]`: {id, text, scope ('reproduction' |
 *   'extension'), paperVersions, verdict: 'reproduced' | 'not reproduced' | 'inconclusive', reason,
 *   numbers, checks (sub-verdicts, also 'not testable here')}. Tests: less (Mann-Whitney + Holm +
 *   Cliff's delta), indistinguishable, ratio (of medians), correlation (Spearman over configuration
 *   medians, pooled and `within` groups); checks: less, greater, notGreater, notLess.
 *
 * Statistics (checked against scipy/numpy in fixtures/scipy-reference.json)
 * - `median`, `quantile(values, p)` (numpy 'linear' = Hyndman-Fan type 7), `iqr`, `mean`,
 *   `sampleSd` (n - 1), `describe(values, opts) -> Descriptives` (adds min/max and intervals).
 * - `bootstrapCi(values, 'median' | 'mean' | fn, { resamples = 2000, confidence = 0.95, seed = 0 })`:
 *   seeded percentile bootstrap -> { lower, upper }.
 * - `medianPrecision(values, { seed })`: median, its bootstrap interval and the relative half-width
 *   (ratio) the adaptive-repetitions rule decides on.
 * - `shapiroWilk(values) -> { w, p }`: Royston's AS R94 as in scipy (3 <= n <= 5000).
 * - `kruskalWallis(groups) -> { h, df, p }`: tie-corrected H, chi-square p.
 * - `mannWhitneyU(x, y) -> { u, p, z }`: two-sided, normal approximation with tie and continuity
 *   correction (scipy method='asymptotic'); `u` is the first sample's U.
 * - `cliffsDelta(x, y) -> { delta, magnitude }`: Romano et al. thresholds 0.147 / 0.33 / 0.474.
 * - `holmAdjust(pValues) -> adjusted p-values` (input order).
 * - `spearman(x, y) -> { rho, p, n }`: p from Student's t with n - 2 degrees of freedom.
 * - Special functions: `lnGamma`, `regularizedGammaP/Q`, `regularizedBeta`, `normalSf`,
 *   `chiSquareSf`, `studentTSf`.
 */
export { summarizeTrials } from './summarize-trials.js';
export type { RunSummary, ConfigurationSummary, EnergySummary, SummaryOptions } from './summarize-trials.js';
export type { GroupTest } from './group-tests.js';
export { configurationId, configurationKeyOf, trialMetrics, CONFIGURATION_DIMENSIONS } from './trial-metrics.js';
export type { ConfigurationKey, ConfigurationDimension, TrialMetrics, TrialEnergy, MeasuredProvenance } from './trial-metrics.js';
export { parseClaims, parseClaimsYaml, CLAIM_METRICS } from './claims-file.js';
export type { Claim, ClaimCheck, ClaimScope, ClaimSet, ClaimMetric, PairClaim, CorrelationClaim, Selector } from './claims-file.js';
export { evaluateClaims, gapSummary, GPU_ONLY_NOTE } from './evaluate-claims.js';
export { claimConfigurations, expandSelector } from './claim-selection.js';
export { ENERGY_METRICS as ENERGY_CLAIM_METRICS, type EnergyScope } from './claim-data.js';
export type { CheckResult, ClaimResult, ComparisonNumbers, CorrelationGroup, CorrelationNumbers, SubVerdict, Verdict } from './evaluate-claims.js';
export { median, quantile, iqr, mean, sampleSd, averageRanks } from './descriptive.js';
export { describe } from './describe.js';
export type { Descriptives, DescribeOptions } from './describe.js';
export { bootstrapCi, seededRandom, deriveSeed } from './bootstrap.js';
export { medianPrecision, type MedianPrecision } from './precision.js';
export type { Interval, BootstrapOptions } from './bootstrap.js';
export { shapiroWilk } from './shapiro-wilk.js';
export type { ShapiroWilkResult } from './shapiro-wilk.js';
export { kruskalWallis, mannWhitneyU, spearman } from './rank-tests.js';
export type { KruskalWallisResult, MannWhitneyResult, SpearmanResult } from './rank-tests.js';
export { cliffsDelta, cliffsMagnitude, holmAdjust, CLIFFS_THRESHOLDS } from './effect-size.js';
export type { CliffsDeltaResult, CliffsMagnitude } from './effect-size.js';
export { lnGamma, regularizedGammaP, regularizedGammaQ, regularizedBeta, normalSf, chiSquareSf, studentTSf } from './special-functions.js';
export { claimsByMode, claimFrameworks, modeOf } from './mode-claims.js';
export type { ModeClaim, ModeVerdict } from './mode-claims.js';
/**
 * Adaptive rounds (pure, the one decision a one-node run and a Slurm study both use): `configurationStates(plan,
 * done, round)`, `decideAfterLastRound(plan, done)`, `replayRounds(plan, done)` (every decision again from stored
 * trials), `adaptiveRecord(plan, decisions)` (the manifest's record), `adaptiveInterval`, and
 * `checkAdaptiveRecord(spec, results, record)` (what `greenrt verify` reports when a record differs from the replay).
 */
export { adaptiveInterval, adaptiveRecord, configurationStates, decideAfterLastRound, replayRounds, checkAdaptiveRecord } from './adaptive-rounds.js';
