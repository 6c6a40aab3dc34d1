import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

  it('docker (the engine client) imports only core; other modules import it through its index', () => {
    // Every relative import, resolved to a path under pipeline/ ('docker/docker-engine.js', 'core/index.js').
    const imports = (file: string) =>
      [...readFileSync(join(pipelineDir, file), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => join(dirname(file), m[1]!));
    const files = sources(pipelineDir).map((file) => relative(pipelineDir, file));
    const dockerFiles = files.filter((file) => file.startsWith('docker/'));
    expect(dockerFiles).toContain('docker/index.ts');
    const outward = dockerFiles.flatMap((file) =>
      imports(file)
        .filter((target) => !target.startsWith('docker/') && target !== 'core/index.js')
        .map((target) => `${file} -> ${target}`),
    );
    expect(outward).toEqual([]);
    const intoFiles = files
      .filter((file) => !file.startsWith('docker/'))
      .flatMap((file) =>
        imports(file)
          .filter((target) => target.startsWith('docker/') && target !== 'docker/index.js')
          .map((target) => `${file} -> ${target}`),
      );
    expect(intoFiles).toEqual([]);
  });
});
