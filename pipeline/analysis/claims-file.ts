/**
 * The claims file (experiments/*.claims.yaml): a study's findings as machine-checkable claims.
 * Validated like an experiment file: the same YAML reader (limits, duplicate keys, line mapping), the
 * schema (schemas/claims.schema.json, defaults applied once) and the same messages; then the rules
 * a schema cannot say (duplicate ids, open dimensions, claims that pair nothing). Every problem is
 * collected with file, line and JSON-pointer path before one InputError (exit code 2) is thrown.
 * No I/O beyond the schemas: the caller reads the file and passes its text.
 */

import type { ErrorObject } from 'ajv';
import { parseYamlSource, schemaIssues, type Issue, type YamlFileKind } from '../config/index.js';
import { Contracts, SchemaId, type ClaimsFile, type Check, type Metric, type Selector as SchemaSelector } from '../contracts/index.js';
import { InputError, type InputProblem } from '../core/index.js';
import type { CliffsMagnitude } from './effect-size.js';
import type { ConfigurationDimension } from './trial-metrics.js';
import { claimConfigurations, missingDimensions, pairConfigurations } from './claim-selection.js';

export const CLAIM_METRICS = [
  'latencyMs',
  'energyPerInferenceJ',
  'netEnergyPerInferenceJ',
  'cpuNetEnergyPerInferenceJ',
  'gpuNetEnergyPerInferenceJ',
  'gpuUtilizationPercent',
  'runTimeS',
  'runNetEnergyJ',
] as const satisfies readonly Metric[];
/** A per-trial value a claim tests (schemas/claims.schema.json `metric` says each one's unit). */
export type ClaimMetric = Metric;

/** Values a configuration must have; an absent dimension is unconstrained (filled by `where`). */
export type Selector = SchemaSelector;
export type ClaimCheck = Check;
export type ClaimScope = 'reproduction' | 'extension';

interface ClaimBase {
  id: string;
  /** The finding's number in the study's list (docs/METHODOLOGY.md). */
  finding: number | null;
  text: string;
  /** Where the study says it (section, abstract version, secondary source). */
  source: string;
  /** reproduction: the study stated it; extension: greenrt asks more than the study did. */
  scope: ClaimScope;
  /** Paper versions whose accessible text states it; empty for secondary sources only. */
  paperVersions: ('v1' | 'v2')[];
  /** Constraints shared by both sides (or by all configurations, for correlations). */
  where: Selector;
  /** Configurations left out of the claim. */
  exclude: Selector[];
}

/** Pairwise claims: configurations A and B, paired when equal on every `match` dimension. */
export interface PairClaim extends ClaimBase {
  test: 'less' | 'indistinguishable' | 'ratio';
  a: Selector;
  b: Selector;
  match: ConfigurationDimension[];
  metrics: ClaimMetric[];
  /** Further checks on the same pairs, each with its own sub-verdict. */
  checks: ClaimCheck[];
  /** all: every pair must hold; most: more than half of them. */
  quantifier: 'all' | 'most';
  alpha: number;
  /** less: the smallest Cliff's delta magnitude that counts. */
  minEffect: CliffsMagnitude;
  /** indistinguishable: a pair also counts when |median A / median B - 1| is at most this. */
  maxRelativeDifference: number | null;
  /** ratio: accepted range of median A / median B. */
  ratioRange: [number, number] | null;
  /** Fewer ok trials than this in a configuration makes its pairs inconclusive. */
  minTrials: number;
}

export interface CorrelationClaim extends ClaimBase {
  test: 'correlation';
  x: ClaimMetric;
  y: ClaimMetric;
  minRho: number;
  alpha: number;
  /** Fewer configurations with values than this makes the claim inconclusive. */
  minConfigurations: number;
  /** Also computed within each value of these dimensions (sub-verdicts beside the pooled one). */
  within: ConfigurationDimension[];
}

export type Claim = PairClaim | CorrelationClaim;

export interface ClaimSet {
  study: string;
  claims: Claim[];
}

type RawClaim = ClaimsFile['claims'][number];
type Defaults = Required<NonNullable<ClaimsFile['defaults']>>;

let shared: Contracts | undefined;

/** The words of the YAML reader's messages for a claims file. */
const claimsFileKind: YamlFileKind = { noun: 'a claims file', files: 'Claims files', examples: 'experiments/paper.claims.yaml' };

/** Parse and validate claims YAML; throws InputError listing every problem (file, line, path, fix). */
export function parseClaimsYaml(text: string, file: string, contracts?: Contracts): ClaimSet {
  const bytes = new TextEncoder().encode(text);
  const source = parseYamlSource(bytes, bytes.byteLength, claimsFileKind);
  const issues = [...source.issues];
  const set = source.data === undefined ? null : validateClaims(source.data, issues, contracts);
  throwIfAny(issues, file, source.lineOf);
  return set!;
}

/** Validate already-parsed claims data (e.g. from JSON); problems carry no line. */
export function parseClaims(data: unknown, file: string, contracts?: Contracts): ClaimSet {
  const issues: Issue[] = [];
  const set = validateClaims(structuredClone(data), issues, contracts);
  throwIfAny(issues, file, () => undefined);
  return set!;
}

function throwIfAny(issues: Issue[], file: string, lineOf: (pointer: string) => number | undefined): void {
  if (issues.length === 0) return;
  const problems: InputProblem[] = issues
    .map((issue, n) => {
      const line = issue.line ?? lineOf(issue.path);
      return {
        n,
        problem: { file, ...(line === undefined ? {} : { line }), path: issue.path, message: issue.message, ...(issue.hint ? { hint: issue.hint } : {}) },
      };
    })
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.n - b.n)
    .map((x) => x.problem);
  throw new InputError(`Claims file ${file} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems, {
    hint: 'Fix the problems listed; the format is schemas/claims.schema.json (documented in docs/METHODOLOGY.md, "Claims").',
  });
}

/** Schema first (defaults applied in place), then the rules a schema cannot express. Null when invalid. */
function validateClaims(data: unknown, issues: Issue[], given?: Contracts): ClaimSet | null {
  shared ??= given ?? new Contracts();
  const validate = (given ?? shared).validator(SchemaId.claims);
  if (!validate(data)) {
    // `if` only says which branch failed; the branch's own errors (a missing key) say what to fix.
    const errors = (validate.errors as ErrorObject[]).filter((e) => e.keyword !== 'if');
    for (const issue of schemaIssues(errors, validate.schema as Record<string, unknown>, data)) issues.push(issue);
    return null;
  }
  const file = data as ClaimsFile;
  const defaults = file.defaults as Defaults;
  const ids = new Map<string, number>();
  const claims = file.claims.map((raw, i) => {
    const at = `/claims/${i}`;
    const first = ids.get(raw.id);
    if (first !== undefined) issues.push({ path: `${at}/id`, message: `duplicate id "${raw.id}" (also claim ${first})`, hint: 'Give each claim its own id.' });
    else ids.set(raw.id, i);
    return resolveClaim(raw, defaults, at, issues);
  });
  return issues.length > 0 ? null : { study: file.study, claims };
}

/** A claim with the file's defaults filled in, checked for open dimensions and empty pairings. */
function resolveClaim(raw: RawClaim, defaults: Defaults, at: string, issues: Issue[]): Claim {
  const base: ClaimBase = {
    id: raw.id,
    finding: raw.finding ?? null,
    text: raw.text,
    source: raw.source,
    scope: raw.scope,
    paperVersions: raw.paperVersions ?? [],
    where: raw.where ?? {},
    exclude: raw.exclude ?? [],
  };
  const alpha = raw.alpha ?? defaults.alpha;
  if (raw.test === 'correlation') {
    const open = missingDimensions(base.where);
    if (open.length > 0) issues.push({ path: `${at}/where`, message: `leaves ${open.join(', ')} open`, hint: 'List the values the claim covers in where.' });
    return {
      ...base,
      test: 'correlation',
      x: raw.x!,
      y: raw.y!,
      alpha,
      minRho: raw.minRho ?? defaults.minRho,
      minConfigurations: raw.minConfigurations ?? defaults.minConfigurations,
      within: raw.within ?? [],
    };
  }
  const a = raw.a!;
  const b = raw.b!;
  const match = raw.match ?? [];
  let sidesClosed = true;
  for (const [side, sel] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const open = missingDimensions({ ...base.where, ...sel });
    if (open.length > 0)
      issues.push({ path: `${at}/${side}`, message: `leaves ${open.join(', ')} open`, hint: `Set ${open.join(', ')} in ${side} or in where.` });
    sidesClosed &&= open.length === 0;
  }
  const ratioRange = raw.ratioRange ? ([raw.ratioRange[0], raw.ratioRange[1]] as [number, number]) : null;
  if (ratioRange && !(ratioRange[0] <= ratioRange[1])) {
    issues.push({ path: `${at}/ratioRange`, message: `must be [low, high] with low <= high, got [${ratioRange.join(', ')}]`, hint: 'Swap the two values.' });
  }
  // An open side pairs nothing anyway: that problem is already named.
  if (
    sidesClosed &&
    pairConfigurations(claimConfigurations(base.where, a, base.exclude), claimConfigurations(base.where, b, base.exclude), match).length === 0
  ) {
    issues.push({ path: at, message: 'pairs no configurations', hint: 'Check a, b, where, exclude and match: A and B must share the match dimensions.' });
  }
  return {
    ...base,
    test: raw.test,
    a,
    b,
    match,
    metrics: raw.metrics!,
    checks: raw.checks ?? [],
    quantifier: raw.quantifier ?? defaults.quantifier,
    alpha,
    minEffect: raw.minEffect ?? defaults.minEffect,
    maxRelativeDifference: raw.maxRelativeDifference ?? null,
    ratioRange,
    minTrials: raw.minTrials ?? defaults.minTrials,
  };
}
