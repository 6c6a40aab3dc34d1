// Regenerates pipeline/contracts/types.gen.ts from schemas/*.schema.json.
// Usage: node scripts/gen-types.mjs [--check]   (--check exits 1 when the committed file differs)
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemasDir = join(root, 'schemas');
const target = join(root, 'pipeline/contracts/types.gen.ts');

export async function generateTypes() {
  const parts = ['/* Generated from schemas/*.schema.json by scripts/gen-types.mjs. Do not edit. */\n'];
  const seen = new Set();
  for (const file of readdirSync(schemasDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8'));
    const ts = await compile(schema, schema.title, {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: true,
      ignoreMinAndMaxItems: true,
      style: { singleQuote: true },
      cwd: schemasDir,
    });
    parts.push(`// ${file}\n${withoutRepeats(ts, seen)}${defaultedKeys(file, schema)}`);
  }
  return parts.join('\n');
}

/** Objects whose keys with a schema `default` are named as a type: ajv fills them in, so the validated type has them. */
const DEFAULTED = {
  'experiment.schema.json': {
    ExperimentDefaultedKey: '',
    PowerDefaultedKey: '/$defs/power',
    CooldownDefaultedKey: '/$defs/power/properties/cooldown',
    GpuDefaultedKey: '/$defs/gpu',
  },
};

/** `export type <Name> = 'a' | 'b';` per DEFAULTED entry of `file`: the keys of that object that have a `default`. */
function defaultedKeys(file, schema) {
  const lines = [];
  for (const [name, pointer] of Object.entries(DEFAULTED[file] ?? {})) {
    let node = schema;
    for (const part of pointer.split('/').slice(1)) node = node?.[part];
    if (!node?.properties) throw new Error(`schemas/${file}: no object with properties at ${pointer || '/'} (DEFAULTED in scripts/gen-types.mjs)`);
    const keys = Object.keys(node.properties).filter((k) => node.properties[k].default !== undefined);
    lines.push(`/** Keys of ${pointer || 'the document'} with a schema default (filled in by validation). */`);
    lines.push(`export type ${name} = ${keys.length ? keys.map((k) => `'${k}'`).join(' | ') : 'never'};`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * A schema's declarations less those an earlier schema already emitted word for word: a `$ref` to
 * another file (run-manifest -> experiment, trial-result) makes the compiler declare the target
 * again, and TypeScript accepts a repeated interface but not a repeated type alias.
 */
function withoutRepeats(ts, seen) {
  const chunks = [];
  let pending = '';
  // A top-level declaration starts at column 0 with its doc comment or with `export`.
  for (const piece of ts.split(/\n(?=\/\*\*|export )/)) {
    if (piece.startsWith('/**') && !/\nexport /.test(piece)) {
      pending += `${piece}\n`;
      continue;
    }
    chunks.push(pending + piece);
    pending = '';
  }
  if (pending) chunks.push(pending.trimEnd());
  const kept = chunks.filter((chunk) => {
    const key = chunk.trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generateTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error('pipeline/contracts/types.gen.ts is out of date: run `npm run gen:types`.');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
