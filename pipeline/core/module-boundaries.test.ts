import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';

const pipelineDir = join(packageRoot, 'pipeline');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('module boundaries (docs/ARCHITECTURE.md: cli on top, nothing imports it)', () => {
  it('no module outside cli imports from cli (e2e drivers stand in for the CLI and may)', () => {
    const offenders = sources(pipelineDir)
      .map((file) => relative(pipelineDir, file))
      .filter((file) => !file.startsWith('cli/') && !file.startsWith('e2e/'))
      .filter((file) => /from '(\.\.\/)+cli\//.test(readFileSync(join(pipelineDir, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
