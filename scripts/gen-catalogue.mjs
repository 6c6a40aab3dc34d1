// Writes what catalogue/catalogue.json decides into its copies: the enums of schemas/*.schema.json,
// pipeline/catalogue/catalogue.gen.ts and images/common/greenrt_harness/catalogue_gen.py.
// Usage: node scripts/gen-catalogue.mjs [--check]   (--check exits 1 naming each copy that differs)
// After a change, run `npm run gen:types` too (the enums reach pipeline/contracts/types.gen.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

export function loadCatalogue(dir = root) {
  return JSON.parse(readFileSync(join(dir, 'catalogue/catalogue.json'), 'utf8'));
}

/** The value lists every copy is made of. */
export function catalogueLists(c) {
  return {
    runtimes: c.runtimes.map((r) => r.name),
    imageRuntimes: c.runtimes.filter((r) => r.imageFlavours.length > 0).map((r) => r.name),
    frameworks: c.runtimes.filter((r) => r.kind === 'framework').map((r) => r.name),
    models: c.models.map((m) => m.name),
    providers: c.providers.map((p) => p.name),
    modes: c.runtimes.flatMap((r) => (r.modes ?? []).map((m) => m.name)),
  };
}

/** file -> property name (on its own line as `"name": { "enum": [...]`) -> list. */
const ENUM_TARGETS = {
  'experiment.schema.json': { runtimeName: 'runtimes', frameworkName: 'frameworks', modelName: 'models', providerName: 'providers', modeName: 'modes' },
  'claims.schema.json': { selectorRuntime: 'runtimes', selectorSource: 'frameworks', selectorModel: 'models', selectorProvider: 'providers' },
  'trial-spec.schema.json': { runtime: 'imageRuntimes', source: 'frameworks', model: 'models', provider: 'providers', mode: 'modes' },
  'trial-result.schema.json': { runtime: 'runtimes', source: 'frameworks', model: 'models', provider: 'providers', mode: 'modes' },
  'prepare-spec.schema.json': { framework: 'frameworks', model: 'models' },
  'prepared-model.schema.json': { framework: 'frameworks', model: 'models' },
  'run-manifest.schema.json': { runtime: 'imageRuntimes', model: 'models', source: 'frameworks' },
  'run-summary.schema.json': { runtime: 'runtimes', source: 'frameworks', model: 'models', provider: 'providers', mode: 'modes' },
};

function withEnums(text, targets, lists, file) {
  let out = text;
  for (const [key, list] of Object.entries(targets)) {
    // The first such line: trial-result's config.source comes before its energy readings' power source.
    const re = new RegExp(`("${key}": \\{ "enum": )\\[[^\\]]*\\]`);
    if (!re.test(out)) throw new Error(`schemas/${file}: no line \`"${key}": { "enum": [...]\` to write the ${list} into.`);
    out = out.replace(re, `$1${JSON.stringify(lists[list]).replace(/","/g, '", "')}`);
  }
  return out;
}

function typescript(c) {
  return `/* Generated from catalogue/catalogue.json by scripts/gen-catalogue.mjs. Do not edit. */
import type { Catalogue } from '../contracts/types.gen.js';

export const catalogueData = ${JSON.stringify(c, null, 2).replace(/"\$schema": "[^"]*",\n\s*/, '')} as const satisfies Catalogue;
`;
}

/** A JSON value as a Python literal (dicts, lists as tuples, strings, numbers, booleans). */
function pyLiteral(v) {
  if (Array.isArray(v)) return `(${v.map(pyLiteral).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (v && typeof v === 'object') return pyDict(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return JSON.stringify(v);
}

function pyDict(o) {
  return `{${Object.entries(o)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`;
}

function python(c) {
  const { image, text } = c.inputs;
  const names = (kind) => c.models.filter((m) => m.input === kind).map((m) => m.name);
  const tuple = (xs) => `(${xs.map((x) => JSON.stringify(x)).join(', ')}${xs.length === 1 ? ',' : ''})`;
  return `"""Generated from catalogue/catalogue.json by scripts/gen-catalogue.mjs. Do not edit."""

RUNTIMES = ${tuple(c.runtimes.map((r) => r.name))}
FRAMEWORKS = ${tuple(c.runtimes.filter((r) => r.kind === 'framework').map((r) => r.name))}
PROVIDERS = ${tuple(c.providers.map((p) => p.name))}
RUNTIME_PROVIDERS = {
${c.runtimes
  .map(
    (r) => `    ${JSON.stringify(r.name)}: ${tuple(r.providers)},
`,
  )
  .join('')}}
RUNTIME_MODES = {
${c.runtimes
  .filter((r) => r.modes)
  .map(
    (r) => `    ${JSON.stringify(r.name)}: ${tuple(r.modes.map((m) => m.name))},
`,
  )
  .join('')}}
DEFAULT_MODES = {
${c.runtimes
  .filter((r) => r.modes)
  .map(
    (r) => `    ${JSON.stringify(r.name)}: ${JSON.stringify(r.modes.find((m) => m.default).name)},
`,
  )
  .join('')}}
# What the no-GPU check of a cuda/tensorrt image looks at, per runtime (images/common/docker/cuda_check.py).
CUDA_CHECK = {
${c.runtimes
  .filter((r) => r.cudaCheck)
  .map(
    (r) => `    ${JSON.stringify(r.name)}: ${pyDict(r.cudaCheck)},
`,
  )
  .join('')}}
IMAGE_MODELS = ${tuple(names('image'))}
TEXT_MODELS = ${tuple(names('text'))}
IMAGE_SIZE = ${image.size}
IMAGE_CHANNELS = ${image.channels}
IMAGE_INPUT_NAME = ${JSON.stringify(image.names[0])}
BERT_VOCAB_SIZE = ${text.vocabSize}
BERT_INPUT_NAMES = ${tuple(text.names)}
# Pretrained weights by (framework, model): source, location, revision, files with their digests, the fix when the
# source is gone (catalogue models[].pretrained; greenrt_harness.weights_pin checks every file against them).
PRETRAINED = {
${c.models
  .flatMap((m) =>
    Object.entries(m.pretrained ?? {}).map(
      ([framework, pin]) => `    (${JSON.stringify(framework)}, ${JSON.stringify(m.name)}): ${pyDict(pin)},
`,
    ),
  )
  .join('')}}
`;
}

/** Every generated copy: path (relative to the checkout) -> expected text. */
export function generatedFiles(dir = root) {
  const c = loadCatalogue(dir);
  const lists = catalogueLists(c);
  const files = {};
  for (const [file, targets] of Object.entries(ENUM_TARGETS)) {
    const path = `schemas/${file}`;
    files[path] = withEnums(readFileSync(join(dir, path), 'utf8'), targets, lists, file);
  }
  files['pipeline/catalogue/catalogue.gen.ts'] = typescript(c);
  files['images/common/greenrt_harness/catalogue_gen.py'] = python(c);
  return files;
}

/** Paths whose committed text differs from what the catalogue gives. */
export function driftedFiles(dir = root) {
  return Object.entries(generatedFiles(dir))
    .filter(([path, text]) => {
      try {
        return readFileSync(join(dir, path), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const drifted = driftedFiles();
    if (drifted.length > 0) {
      console.error(`Out of date with catalogue/catalogue.json: ${drifted.join(', ')}. Run: node scripts/gen-catalogue.mjs && npm run gen:types`);
      process.exit(1);
    }
  } else {
    for (const [path, text] of Object.entries(generatedFiles())) writeFileSync(join(root, path), text);
    console.log('wrote the catalogue copies; now run: npm run gen:types');
  }
}
