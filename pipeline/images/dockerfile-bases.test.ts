import { describe, expect, it } from 'vitest';
import { defaultBaseImage, readDockerfileBases } from './dockerfile-bases.js';

describe('readDockerfileBases', () => {
  it('reads the cpu default, the cuda tag and the upstream references', () => {
    const bases = readDockerfileBases(`# syntax note
ARG BASE_IMAGE=greenrt/debian:trixie
ARG CUDA_BASE_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
ARG PIP_INDEX=https://pypi.org/simple
FROM \${BASE_IMAGE} AS runtime
FROM runtime AS test
`);
    expect(bases).toEqual({
      suite: 'trixie',
      cpuBase: 'greenrt/debian:trixie',
      cudaBase: 'nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04',
      upstreamRefs: ['nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04'],
    });
    expect(defaultBaseImage(bases, 'cuda')).toBe('nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04');
    expect(defaultBaseImage(bases, 'cpu')).toBe('greenrt/debian:trixie');
  });

  it('accepts comment markers and literal FROM lines', () => {
    const bases = readDockerfileBases('# greenrt-base: bookworm\n# greenrt-cuda-base: nvidia/cuda:12.6.3-runtime-ubuntu24.04\nFROM python:3.11-slim\n');
    expect(bases.suite).toBe('bookworm');
    expect(bases.cpuBase).toBe('greenrt/debian:bookworm');
    expect(bases.upstreamRefs).toEqual(['nvidia/cuda:12.6.3-runtime-ubuntu24.04', 'python:3.11-slim']);
  });
});
