import { describe, expect, it } from 'vitest';
import { decideArchSupport, parseArch, parseComputeCapability } from './cuda-arch.js';

// Arch lists as the image builds record them (research/gpu-paths.md §2-3).
const torchCu124 = ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90'];
const tf215 = ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'compute_80'];
const mxnet191 = ['sm_50', 'sm_60', 'sm_70', 'sm_80', 'sm_86'];

describe('parsing', () => {
  it('reads compute capabilities and arch names', () => {
    expect(parseComputeCapability('9.0')).toEqual({ major: 9, minor: 0 });
    expect(parseComputeCapability([8, 6])).toEqual({ major: 8, minor: 6 });
    expect(parseComputeCapability('Hopper')).toBeNull();
    expect(parseArch('sm_86')).toEqual({ kind: 'sass', major: 8, minor: 6 });
    expect(parseArch('compute_80')).toEqual({ kind: 'ptx', major: 8, minor: 0 });
    expect(parseArch('sm_100')).toEqual({ kind: 'sass', major: 10, minor: 0 });
    expect(parseArch('sm_90a')).toEqual({ kind: 'sass', major: 9, minor: 0 });
    expect(parseArch('gfx90a')).toBeNull();
  });
});

describe('decideArchSupport', () => {
  it('SASS runs on the same major with an equal or higher minor', () => {
    expect(decideArchSupport('8.9', ['sm_86'])).toMatchObject({ kind: 'native', via: 'sm_86' });
    expect(decideArchSupport('8.6', ['sm_80', 'sm_86'])).toMatchObject({ kind: 'native', via: 'sm_86' });
    expect(decideArchSupport('8.0', ['sm_86']).kind).toBe('unsupported');
    expect(decideArchSupport('9.0', torchCu124)).toMatchObject({ kind: 'native', via: 'sm_90' });
  });

  it('a new major never runs an older major SASS: MXNet 1.9.1 on Hopper and Blackwell is refused', () => {
    expect(decideArchSupport('9.0', ['sm_80']).kind).toBe('unsupported');
    const h200 = decideArchSupport('9.0', mxnet191);
    expect(h200.kind).toBe('unsupported');
    expect(h200.reason).toContain('no kernels for cc 9.0');
    expect(decideArchSupport('10.0', mxnet191).kind).toBe('unsupported');
    expect(decideArchSupport('8.9', mxnet191)).toMatchObject({ kind: 'native', via: 'sm_86' });
  });

  it('PTX compute_XY is JIT-compiled on any cc >= X.Y: TensorFlow 2.15 on Ampere and newer', () => {
    expect(decideArchSupport('8.0', tf215)).toMatchObject({ kind: 'ptx-jit', via: 'compute_80' });
    const h100 = decideArchSupport('9.0', tf215);
    expect(h100).toMatchObject({ kind: 'ptx-jit', via: 'compute_80' });
    expect(h100.reason).toMatch(/JIT-compiles compute_80/);
    expect(decideArchSupport('7.5', tf215)).toMatchObject({ kind: 'native', via: 'sm_75' });
    expect(decideArchSupport('7.0', ['compute_80']).kind).toBe('unsupported');
    expect(decideArchSupport('9.0', ['compute_70', 'compute_80'])).toMatchObject({ kind: 'ptx-jit', via: 'compute_80' });
  });

  it('says when it cannot check', () => {
    expect(decideArchSupport(null, torchCu124).kind).toBe('unknown');
    expect(decideArchSupport('9.0', null).kind).toBe('unknown');
    expect(decideArchSupport('9.0', []).kind).toBe('unknown');
  });
});
