/**
 * The artifact evaluator's kit: pure functions over experiment plans, claims files and run folders (read through
 * the results module's verified readers), used by the thin `greenrt ae` command.
 * - `claimCoverage(claims, plannedIds)`: which configurations each claim needs and whether a plan runs enough.
 */
export { claimCoverage, type ClaimCoverage } from './claim-coverage.js';
export { forecastClaims, type ClaimForecast, type HostFacts, type Testability } from './forecast.js';
export { evaluateRuns, hostDifferences, kendallTau, badgeAdvice, type RunEvidence } from './evaluate-runs.js';
export { renderEvaluationMarkdown } from './evaluation-markdown.js';
