/**
 * The artifact evaluator's kit: pure functions over experiment plans, claims files and run folders (read through
 * the results module's verified readers), used by the thin `greenrt ae` command.
 * - `claimCoverage(claims, plannedIds)`: which configurations each claim needs and whether a plan runs enough.
 * - `packArtifact(runDirs, out, options)`: `ae pack` (I/O: verified runs, saved images, models, source, SHA256SUMS,
 *   ARTIFACT.md, artifact.json), written into a temp sibling and renamed: a whole pack or none.
 * - `loadArtifact(dir, options)` / `checkPack(dir, contracts)`: `ae load`, every file against SHA256SUMS first
 *   (exit 4 for a mismatch, a link or a pipe; exit 2 for a malformed SHA256SUMS or artifact.json), then images and models.
 * - `renderArtifactMarkdown(record)`, `zenodoMetadata(base, record)`: pure, from artifact.json.
 */
export { renderArtifactMarkdown, zenodoMetadata } from './artifact-markdown.js';
export { type ClaimCoverage, claimCoverage } from './claim-coverage.js';
export { badgeAdvice, evaluateRuns, hostDifferences, kendallTau, type RunEvidence } from './evaluate-runs.js';
export { renderEvaluationMarkdown } from './evaluation-markdown.js';
export { type ClaimForecast, forecastClaims, type HostFacts, type Testability } from './forecast.js';
export { checkPack, type LoadOptions, type LoadResult, loadArtifact, type ModelPlacement } from './load-artifact.js';
export { type PackOptions, type PackResult, packArtifact } from './pack-artifact.js';
export { ArtifactError, formatSums, parseSums, SUMS_FILE } from './pack-files.js';
