import type { ErrorObject } from 'ajv';
import type { Issue } from './yaml-source.js';
import { aliases } from '../catalogue/index.js';
import { unescapePointer } from './yaml-source.js';

type Json = Record<string, unknown>;

/** What an enum value names, by the `$defs` entry (or property) that declares it. */
const enumLabels: Record<string, string> = {
  runtimeName: 'runtime',
  frameworkName: 'source framework',
  modelName: 'model',
  providerName: 'execution provider',
  sources: 'power source',
  order: 'order',
  weights: 'weights',
  runner: 'runner',
  selectorRuntime: 'runtime',
  selectorSource: 'source framework',
  selectorModel: 'model',
  selectorProvider: 'execution provider',
  metric: 'metric',
};

/** Readable names for list items in messages, by the list's key. */
const itemLabels: Record<string, string> = { batchSizes: 'batch size', models: 'model', providers: 'provider', sources: 'source' };

/**
 * Turns ajv errors into issues shaped "what is wrong; what is allowed", with a hint
 * (a close spelling, or the field's schema description). `schema` is the root schema (its local
 * `$ref`s are followed); `data` is the validated document.
 */
export function schemaIssues(errors: ErrorObject[], schema: Json, data: unknown): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const e of withoutOtherBranches(errors)) {
    const issue = describe(e, schema, data);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * A value that fails a `oneOf` gets an error from every branch. When some error at or under the value says
 * what is wrong inside the branch it was meant for (e.g. `/repetitions/min` must be >= 3), the other branches'
 * "must be an integer" and the "must match exactly one schema" summary are noise: they are left out. When the
 * value is of no branch's kind, only the first branch's type error is kept (the hint describes every form).
 */
function withoutOtherBranches(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const path of new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath))) {
    const at = (e: ErrorObject) => e.instancePath === path;
    const explains = errors.some((e) => (at(e) || e.instancePath.startsWith(`${path}/`)) && !(at(e) && (e.keyword === 'type' || e.keyword === 'oneOf')));
    if (explains) {
      for (const e of errors) if (at(e) && (e.keyword === 'type' || e.keyword === 'oneOf')) drop.add(e);
    } else {
      // Wrong kind for every branch: the first branch's type error says it; the hint (the field's description) names the others.
      const types = errors.filter((e) => at(e) && e.keyword === 'type');
      for (const e of [...types.slice(1), ...errors.filter((x) => at(x) && x.keyword === 'oneOf' && types.length > 0)]) drop.add(e);
    }
  }
  return errors.filter((e) => !drop.has(e));
}

function describe(e: ErrorObject, schema: Json, data: unknown): Issue {
  const params = e.params as Record<string, unknown>;
  const path = e.instancePath;
  const segs = splitPointer(path);
  const value = resolve(data, segs);
  // ajv's schemaPath restarts inside each $ref'd definition, so the schema is found by the instance path.
  const here = schemaAt(schema, segs);
  const described = descriptionHint(schema, segs);
  const name = segs[segs.length - 1] ?? '';

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((here.node?.properties as Json | undefined) ?? {});
      const close = closest(key, allowed);
      return {
        path: `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `unknown key "${key}"`,
        hint: close ? `Did you mean "${close}"?` : `Allowed keys here: ${allowed.join(', ')}.`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const prop = schemaAt(schema, [...segs, key]).node;
      const description = typeof prop?.description === 'string' ? ` ${prop.description}` : '';
      return { path: `${path}/${key}`, message: `missing required key "${key}"`, hint: `Add "${key}".${description}` };
    }
    case 'enum': {
      const allowedValues = params.allowedValues as unknown[];
      const labelKey = here.refName ?? [...segs].reverse().find((s) => !/^\d+$/.test(s)) ?? '';
      const what = enumLabels[labelKey] ?? `value of "${labelKey}"`;
      const close = typeof value === 'string' ? closest(value, allowedValues.map(String)) : undefined;
      return {
        path,
        message: `unknown ${what} ${JSON.stringify(value)}; must be one of ${allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
        ...(close ? { hint: `Did you mean "${close}"?` } : {}),
      };
    }
    case 'const':
      return { path, message: `"${name}" must be ${JSON.stringify(params.allowedValue)}, got ${show(value)}`, hint: described };
    case 'type': {
      const types = String(params.type).split(',');
      const fix =
        types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')
          ? `Quote the value ("${String(value)}") so YAML reads it as text.`
          : types.includes('array') && value !== null && typeof value !== 'object'
            ? `Write a list, e.g. [${String(value)}].`
            : types.includes('boolean') && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)
              ? `Write true or false (YAML 1.2 reads "${value}" as text).`
              : described;
      return { path, message: `${label(segs)} must be ${types.map(article).join(' or ')}, got ${show(value)}`, hint: fix };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      return { path, message: `${label(segs)} must be ${op} ${String(params.limit)}, got ${show(value)}`, hint: described };
    }
    case 'minItems':
      return {
        path,
        message: `${label(segs)} must list at least ${String(params.limit)} item(s), got ${Array.isArray(value) ? value.length : 0}`,
        hint: described,
      };
    case 'maxItems':
      return {
        path,
        message: `${label(segs)} lists ${Array.isArray(value) ? value.length : '?'} items, more than the ${String(params.limit)} allowed`,
        hint: described,
      };
    case 'uniqueItems': {
      // ajv reports the later index as i, the earlier as j.
      const [first, second] = [Math.min(Number(params.i), Number(params.j)), Math.max(Number(params.i), Number(params.j))];
      const item = Array.isArray(value) ? value[second] : undefined;
      return {
        path: `${path}/${second}`,
        message: `${show(item)} is listed twice in ${label(segs)} (items ${first} and ${second})`,
        hint: 'Remove the repeated item.',
      };
    }
    case 'pattern':
      return { path, message: `${label(segs)} must match ${String(params.pattern)}, got ${show(value)}`, hint: described };
    default:
      return { path, message: `${label(segs)} ${e.message ?? 'is invalid'}`, hint: described };
  }
}

/** The schema node describing the instance at `segs` (following properties, items and local $refs). */
function schemaAt(root: Json, segs: string[]): { node: Json | undefined; refName?: string } {
  let current = derefNamed(root, root);
  for (const seg of segs) {
    const node = current.node;
    // A oneOf of several forms (repetitions: a number or a mapping): the branch that has this key.
    const branches = Array.isArray(node?.oneOf) ? (node.oneOf as unknown[]).map((b) => derefNamed(root, b).node) : [];
    const props = (node?.properties ?? branches.find((b) => b?.properties && seg in (b.properties as Json))?.properties) as Json | undefined;
    const next = props && seg in props ? props[seg] : /^\d+$/.test(seg) ? node?.items : undefined;
    current = derefNamed(root, next);
  }
  return current;
}

/** Description of the field at `segs`, or of its nearest ancestor that has one. */
function descriptionHint(schema: Json, segs: string[]): string | undefined {
  for (let n = segs.length; n >= 0; n--) {
    const node = schemaAt(schema, segs.slice(0, n)).node;
    if (node && typeof node.description === 'string') return `Expected: ${node.description}`;
  }
  return undefined;
}

function resolve(root: unknown, segs: string[]): unknown {
  let node = root;
  for (const s of segs) node = node && typeof node === 'object' ? (node as Json)[s] : undefined;
  return node;
}

function derefNamed(root: Json, node: unknown): { node: Json | undefined; refName?: string } {
  const n = node as Json | undefined;
  if (n && typeof n.$ref === 'string' && n.$ref.startsWith('#/')) {
    const target = resolve(root, n.$ref.slice(2).split('/')) as Json;
    // Sibling keywords (a description, a default) override the definition's.
    return { node: { ...target, ...n }, refName: n.$ref.split('/').pop() };
  }
  return { node: n };
}

function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map(unescapePointer);
}

/** What a message calls the value at `segs`: `"repetitions"`, an item by its list (`batch size`), or `item 2 of "x"`. */
function label(segs: string[]): string {
  const last = segs[segs.length - 1];
  if (last === undefined) return 'the document';
  if (/^\d+$/.test(last)) {
    const parent = segs[segs.length - 2] ?? '';
    return itemLabels[parent] ?? `item ${last} of "${parent}"`;
  }
  return `"${last}"`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    null: 'null',
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/** Common other names for allowed values, tried before spelling distance. */
const synonyms: Record<string, string> = {
  gpu: 'cuda',
  trt: 'tensorrt',
  ...aliases(),
};

/** The allowed word (a synonym, a case-insensitive match, or one within edit distance 2), for "did you mean". */
export function closest(word: string, allowed: string[]): string | undefined {
  const synonym = synonyms[word.toLowerCase()];
  if (synonym && allowed.includes(synonym)) return synonym;
  let best: { w: string; d: number } | undefined;
  for (const w of allowed) {
    // The distance is at least the length difference: skip the quadratic computation when it cannot be close.
    if (Math.abs(w.length - word.length) > 2) continue;
    const d = w.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, w);
    if (d <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) && (!best || d < best.d)) best = { w, d };
  }
  return best?.w;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
