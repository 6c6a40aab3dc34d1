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
  for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), 'utf8'));
    const ts = await compile(schema, schema.title, {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: true,
      ignoreMinAndMaxItems: true,
      style: { singleQuote: true },
      cwd: schemasDir,
    });
    parts.push(`// ${file}\n${ts}`);
  }
  return parts.join('\n');
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
