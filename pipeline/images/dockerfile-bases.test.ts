import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { readDockerfileBases } from './dockerfile-bases.js';
import { imageRuntimes } from './image-lock.js';

describe('readDockerfileBases', () => {
  it('reads the base and the registry references', () => {
    const bases = readDockerfileBases(`# syntax note
ARG BASE_IMAGE=greenrt/debian:trixie
ARG TOOLS_IMAGE=python:3.11-slim
ARG PIP_INDEX=https://pypi.org/simple
FROM \${BASE_IMAGE} AS runtime
FROM runtime AS test
`);
    expect(bases).toEqual({ suite: 'trixie', base: 'greenrt/debian:trixie', upstreamRefs: ['python:3.11-slim'] });
  });

  it('accepts comment markers and literal FROM lines', () => {
    const bases = readDockerfileBases('# greenrt-base: bookworm\nFROM python:3.11-slim\n');
    expect(bases.suite).toBe('bookworm');
    expect(bases.base).toBe('greenrt/debian:bookworm');
    expect(bases.upstreamRefs).toEqual(['python:3.11-slim']);
  });

  it('every runtime image builds both flavours on a local Debian base: no registry image anywhere', () => {
    for (const runtime of imageRuntimes()) {
      const text = readFileSync(join(packageRoot, 'images', runtime, 'Dockerfile'), 'utf8');
      const bases = readDockerfileBases(text);
      expect(bases.base, runtime).toMatch(/^greenrt\/debian:(bookworm|trixie)$/);
      expect(bases.upstreamRefs, runtime).toEqual([]);
      // Only NVIDIA's own images set CUDA_VERSION: a guard on it would make the cuda flavour unbuildable.
      expect(text, runtime).not.toMatch(/CUDA_VERSION|nvidia\/cuda/);
    }
  });
});
