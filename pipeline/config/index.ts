/**
 * config: experiment YAML → validated ExperimentSpec.
 *
 * - `loadExperiment(file, contracts): Promise<LoadedExperiment>` reads the file (at most 1 MiB, strict
 *   UTF-8, one YAML document, at most `maxAliasCount` aliases), validates it against
 *   experiment.schema.json (applying defaults), checks cross-field rules (`plan.combinationIssues`) and
 *   prebuilt model files (inside the experiment's folder after resolving symlinks, present, sha256) and the
 *   `claims` file's path (the same confinement, present, a regular file).
 * - `claimsFileOf(experimentFile, claims)`: the claims file a run checks, absolute (`defaultClaimsFile` when
 *   the experiment names none; null for `claims: null`).
 *   Every problem is collected as an InputProblem { file, line (1-based), path (JSON pointer), message,
 *   hint }, then one InputError (exit code 2) is thrown.
 * - `LoadedExperiment` { file (absolute), sha256 (hex of the file's bytes), spec: ExperimentSpec, baseDir
 *   (absolute folder of the file) }; `ExperimentSpec` is `Experiment` with every schema default present.
 * - `parseYamlSource(bytes, sizeBytes?)` the decoding/parsing step alone, with `lineOf(pointer)`.
 * - `schemaIssues(errors, schema, data)`: ajv errors as issues shaped "what is wrong; what is allowed" with a
 *   fix (also used for claims files).
 * - `maxDocumentBytes` (bytes), `maxAliasCount` (count): the parser's limits.
 */
export { loadExperiment } from './load-experiment.js';
export { schemaIssues } from './schema-issues.js';
export { claimsFileOf, defaultClaimsFile } from './claims-path.js';
export type { ExperimentSpec, LoadedExperiment } from './experiment-spec.js';
export { parseYamlSource, experimentFileKind, maxDocumentBytes, maxAliasCount, type Issue, type YamlFileKind, type YamlSource } from './yaml-source.js';
