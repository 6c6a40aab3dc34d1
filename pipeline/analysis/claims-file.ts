/**
 * The claims file (experiments/*.claims.yaml): a study's findings as machine-checkable claims.
 * Parsed and validated here (collecting every problem with file, line and path), without I/O:
 * the caller reads the file and passes its text.
 */

import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError, type InputProblem } from '../core/index.js';
import { frameworkNames, modelNames, providerNames, runtimeNames } from '../catalogue/index.js';
import { CLIFFS_ORDER, type CliffsMagnitude } from './effect-size.js';
import { CONFIGURATION_DIMENSIONS, type ConfigurationDimension } from './trial-metrics.js';
import { expandSelector, mergeSelectors, missingDimensions, pairConfigurations } from './claim-selection.js';

export const CLAIM_METRICS = ['latencyMs', 'energyPerInferenceJ', 'netEnergyPerInferenceJ'] as const;
/** latencyMs: a trial's median latency per inference; energy metrics: J per inference (gross or net of idle). */
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

/** Values a configuration must have; an absent dimension is unconstrained (filled by `where`). */
export type Selector = Partial<Record<ConfigurationDimension, (string | number)[]>>;

interface ClaimBase {
  id: string;
  /** The finding's number in the study's list (FACTS.md). */
  finding: number | null;
  text: string;
  /** Where the study says it (section, abstract version). */
  source: string;
  /** Constraints shared by both sides (or by all configurations, for correlations). */
  where: Selector;
}

/** Pairwise claims: configurations A and B, paired when equal on every `match` dimension. */
export interface PairClaim extends ClaimBase {
  test: 'less' | 'indistinguishable' | 'ratio';
  a: Selector;
  b: Selector;
  match: ConfigurationDimension[];
  metrics: ClaimMetric[];
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
}

export type Claim = PairClaim | CorrelationClaim;

export interface ClaimSet {
  study: string;
  claims: Claim[];
}

type Raw = Record<string, unknown>;
const SELECTOR_VALUES: Record<ConfigurationDimension, readonly (string | number)[] | 'integer'> = {
  runtime: runtimeNames,
  source: frameworkNames,
  model: modelNames,
  provider: providerNames,
  batchSize: 'integer',
};

/** Parse and validate claims YAML; throws InputError listing every problem (file:line path: message). */
export function parseClaimsYaml(text: string, file: string): ClaimSet {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax: InputProblem[] = doc.errors.map((e) => ({
    file, line: lineCounter.linePos(e.pos[0]).line, path: '', message: e.message.split('\n')[0] ?? 'YAML error',
  }));
  if (syntax.length > 0) throw new InputError(`Claims file ${file} is not valid YAML`, syntax);
  return parseClaims(doc.toJS(), file, (path) => lineOf(doc, lineCounter, path));
}

/** Reports a problem and stands in `fallback` for the bad value, so that validation goes on. */
function invalid<T>(report: Report, path: (string | number)[], message: string, fallback: T): T {
  report(path, message);
  return fallback;
}

/** Validate already-parsed claims data (e.g. from JSON). */
export function parseClaims(data: unknown, file: string, lineFor?: (path: (string | number)[]) => number | undefined): ClaimSet {
  const problems: InputProblem[] = [];
  const report = (path: (string | number)[], message: string, hint?: string) => {
    const line = lineFor?.(path);
    problems.push({ file, path: `/${path.join('/')}`, message, ...(line ? { line } : {}), ...(hint ? { hint } : {}) });
  };
  const root: Record<string, unknown> = isRecord(data) ? data : invalid(report, [], 'must be a mapping with schemaVersion, study and claims', {});
  if (root.schemaVersion !== 1) report(['schemaVersion'], 'must be 1');
  const study = typeof root.study === 'string' ? root.study : invalid(report, ['study'], 'must be a string', '');
  for (const k of Object.keys(root)) if (!['schemaVersion', 'study', 'defaults', 'claims'].includes(k)) report([k], 'unknown key');
  const defaults = isRecord(root.defaults) ? root.defaults : {};
  const defaultKeys = ['alpha', 'minEffect', 'minTrials', 'quantifier', 'minRho', 'minConfigurations'];
  for (const k of Object.keys(defaults)) if (!defaultKeys.includes(k)) report(['defaults', k], `unknown key (allowed: ${defaultKeys.join(', ')})`);
  const rawClaims = Array.isArray(root.claims) ? root.claims : invalid(report, ['claims'], 'must be a list', []);
  const ids = new Set<string>();
  const claims: Claim[] = [];
  rawClaims.forEach((raw, i) => {
    const claim = parseClaim(raw, ['claims', i], defaults, report);
    if (!claim) return;
    if (ids.has(claim.id)) report(['claims', i, 'id'], `duplicate id "${claim.id}"`);
    ids.add(claim.id);
    claims.push(claim);
  });
  if (problems.length > 0) {
    throw new InputError(`Claims file ${file} has ${problems.length} problem(s)`, problems, {
      hint: 'Fix the listed entries; the format is documented in pipeline/analysis/claims-file.ts.',
    });
  }
  return { study, claims };
}

type Report = (path: (string | number)[], message: string, hint?: string) => void;

function parseClaim(raw: unknown, at: (string | number)[], defaults: Raw, report: Report): Claim | null {
  if (!isRecord(raw)) return invalid(report, at, 'must be a mapping', null);
  const known = ['id', 'finding', 'text', 'source', 'test', 'where', 'a', 'b', 'match', 'metrics', 'quantifier',
    'alpha', 'minEffect', 'maxRelativeDifference', 'ratioRange', 'minTrials', 'x', 'y', 'minRho', 'minConfigurations'];
  for (const k of Object.keys(raw)) if (!known.includes(k)) report([...at, k], 'unknown key');
  const get = (k: string): unknown => raw[k] ?? defaults[k];
  const str = (k: string): string => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : invalid(report, [...at, k], 'must be a non-empty string', ''));
  const num = (k: string, lo: number, hi: number, fallback: number): number => {
    const v = get(k) ?? fallback;
    return typeof v === 'number' && v >= lo && v <= hi ? v : invalid(report, [...at, k], `must be a number in [${lo}, ${hi}]`, fallback);
  };
  const metric = (path: (string | number)[], v: unknown): ClaimMetric =>
    CLAIM_METRICS.includes(v as ClaimMetric) ? (v as ClaimMetric) : invalid(report, [...at, ...path], `must be one of ${CLAIM_METRICS.join(', ')}`, 'latencyMs');
  const base = {
    id: str('id'), text: str('text'), source: str('source'),
    finding: typeof raw.finding === 'number' ? raw.finding : null,
    where: selector(raw.where ?? {}, [...at, 'where'], report),
  };
  if (base.id && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(base.id)) report([...at, 'id'], 'must be lowercase letters, digits and "-"');
  const test = raw.test;
  if (test === 'correlation') {
    const open = missingDimensions(base.where);
    if (open.length > 0) report([...at, 'where'], `leaves ${open.join(', ')} open`, 'List the values the claim covers.');
    return { ...base, test, x: metric(['x'], raw.x), y: metric(['y'], raw.y), minRho: num('minRho', -1, 1, 0.9),
      alpha: num('alpha', 0, 1, 0.05), minConfigurations: num('minConfigurations', 3, 10_000, 5) };
  }
  if (test !== 'less' && test !== 'indistinguishable' && test !== 'ratio') {
    return invalid(report, [...at, 'test'], 'must be one of less, indistinguishable, ratio, correlation', null);
  }
  const match = Array.isArray(raw.match) ? raw.match : [];
  match.forEach((d, j) => { if (!CONFIGURATION_DIMENSIONS.includes(d)) report([...at, 'match', j], `must be one of ${CONFIGURATION_DIMENSIONS.join(', ')}`); });
  const metrics = Array.isArray(raw.metrics) && raw.metrics.length > 0 ? raw.metrics.map((m, j) => metric(['metrics', j], m))
    : invalid(report, [...at, 'metrics'], 'must be a non-empty list', []);
  const minEffect = (get('minEffect') ?? 'small') as CliffsMagnitude;
  if (!CLIFFS_ORDER.includes(minEffect)) report([...at, 'minEffect'], `must be one of ${CLIFFS_ORDER.join(', ')}`);
  const quantifier = get('quantifier') ?? 'all';
  if (quantifier !== 'all' && quantifier !== 'most') report([...at, 'quantifier'], 'must be all or most');
  const range = raw.ratioRange;
  const pair = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number') ? (range as [number, number]) : null;
  const ratioRange = pair && pair[0] <= pair[1] ? pair : null;
  if (test === 'ratio' && !ratioRange) report([...at, 'ratioRange'], 'must be [low, high] with low <= high');
  const mrd = raw.maxRelativeDifference;
  if (mrd !== undefined && (typeof mrd !== 'number' || mrd < 0)) report([...at, 'maxRelativeDifference'], 'must be a number >= 0');
  const a = selector(raw.a, [...at, 'a'], report);
  const b = selector(raw.b, [...at, 'b'], report);
  for (const [side, sel] of [['a', a], ['b', b]] as const) {
    const open = missingDimensions(mergeSelectors(base.where, sel));
    if (open.length > 0) report([...at, side], `leaves ${open.join(', ')} open`, 'Set them in the side or in where.');
  }
  if (pairConfigurations(expandSelector(mergeSelectors(base.where, a)), expandSelector(mergeSelectors(base.where, b)), match as ConfigurationDimension[]).length === 0) {
    report(at, 'pairs no configurations (check a, b, where and match)');
  }
  return {
    ...base, test, match: match as ConfigurationDimension[], metrics, quantifier: quantifier as 'all' | 'most', a, b,
    alpha: num('alpha', 0, 1, 0.05), minEffect, ratioRange,
    maxRelativeDifference: typeof mrd === 'number' ? mrd : null, minTrials: num('minTrials', 2, 10_000, 3),
  };
}

function selector(raw: unknown, at: (string | number)[], report: Report): Selector {
  if (!isRecord(raw)) return invalid(report, at, 'must be a mapping of runtime/source/model/provider/batchSize to a value or a list', {});
  const out: Selector = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!CONFIGURATION_DIMENSIONS.includes(k as ConfigurationDimension)) { report([...at, k], 'unknown dimension'); continue; }
    const dim = k as ConfigurationDimension;
    const values = Array.isArray(v) ? v : [v];
    const allowed = SELECTOR_VALUES[dim];
    values.forEach((value, j) => {
      const ok = allowed === 'integer' ? Number.isInteger(value) && (value as number) >= 1 : allowed.includes(value as string);
      if (!ok) report([...at, k, ...(Array.isArray(v) ? [j] : [])], allowed === 'integer' ? 'must be a positive integer' : `must be one of ${allowed.join(', ')}`);
    });
    out[dim] = values as (string | number)[];
  }
  return out;
}

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  // Walk up to the deepest node that exists (a missing key points at its parent).
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] | null } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
