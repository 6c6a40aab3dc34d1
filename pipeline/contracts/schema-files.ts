import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Folder with the JSON Schemas (works from pipeline/contracts and dist/contracts). */
export const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Package root (the folder holding package.json). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface SchemaFile {
  file: string;
  id: string;
  schema: Record<string, unknown>;
}

/** Every `schemas/*.schema.json`, sorted by file name. */
export function readSchemaFiles(dir = schemasDir): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((file) => {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      return { file, id: String(schema.$id), schema };
    });
}
