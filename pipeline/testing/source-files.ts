import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The shipped TypeScript sources under `dir` (no tests, no e2e drivers, no test support): what the call-site tests scan. */
export function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'e2e' || name === 'testing' ? [] : shippedSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}
