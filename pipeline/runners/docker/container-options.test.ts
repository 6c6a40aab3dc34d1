import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { bindMounts } from '../../docker/index.js';
import { containerOptions } from './container-options.js';
import { gpuRuntimeError } from './run-container.js';
import { cacheMounts } from './docker-runner.js';

const input = {
  image: 'sha256:abc',
  cmd: ['python3', '-m', 'greenrt_harness', 'run', '/greenrt/in/trial.json'],
  binds: [
    { host: '/w/trial.json', container: '/greenrt/in/trial.json', readOnly: true },
    { host: '/w/out', container: '/greenrt/out', readOnly: false },
  ],
  labels: { 'greenrt.run': 'r1', 'greenrt.trial': 't1' },
  memoryLimitMiB: 2048,
  network: 'none' as const,
  gpu: false,
};

describe('containerOptions', () => {
  it('hardens every trial container', () => {
    const o = containerOptions(input);
    expect(o.User).toBe('10001:10001');
    expect(o.Env).toContain('HOME=/tmp');
    expect(o.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 2048 * 1048576,
      MemorySwap: 2048 * 1048576,
      PidsLimit: 4096,
      Mounts: [
        { Type: 'bind', Source: '/w/trial.json', Target: '/greenrt/in/trial.json', ReadOnly: true },
        { Type: 'bind', Source: '/w/out', Target: '/greenrt/out', ReadOnly: false },
      ],
    });
    expect(o.HostConfig?.Binds).toBeUndefined();
    expect(o.HostConfig?.Tmpfs?.['/tmp']).toMatch(/size=1024m/);
    expect(o.HostConfig?.DeviceRequests).toBeUndefined();
    expect(JSON.stringify(o)).not.toContain('docker.sock');
    expect(containerOptions({ ...input, memoryLimitMiB: null }).HostConfig?.Memory).toBeUndefined();
  });

  it('requests only the selected NVIDIA GPUs for cuda/tensorrt (the first by default), never all of them', () => {
    const caps = [['gpu', 'compute', 'utility']];
    expect(containerOptions({ ...input, gpu: true }).HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['0'], Capabilities: caps }]);
    expect(containerOptions({ ...input, gpu: true, gpuDevices: ['1'] }).HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', DeviceIDs: ['1'], Capabilities: caps },
    ]);
    const byUuid = containerOptions({ ...input, gpu: true, gpuDevices: ['GPU-0b5f1e3a-1111-2222-3333-444455556666'] });
    expect(byUuid.HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['GPU-0b5f1e3a-1111-2222-3333-444455556666'], Capabilities: caps }]);
    expect(JSON.stringify(containerOptions({ ...input, gpu: true }).HostConfig?.DeviceRequests)).not.toContain('Count');
  });
});

describe('bindMounts', () => {
  it('keeps a host path holding ":" whole (a Binds string would split it), with its mode', () => {
    expect(bindMounts([{ host: '/runs/2026-12-07T18:00:00Z/out', container: '/greenrt/out', readOnly: false }])).toEqual([
      { Type: 'bind', Source: '/runs/2026-12-07T18:00:00Z/out', Target: '/greenrt/out', ReadOnly: false },
    ]);
  });
});

describe('cacheMounts (the run-scoped compile caches of a trial container)', () => {
  it('binds each cache read-write at its fixed place and points the framework at it', () => {
    const { binds, env } = cacheMounts({ cudaComputeDir: 'run/cache/cuda-compute', tensorrtEngineDir: '/abs/run/cache/trt' });
    expect(binds).toEqual([
      { host: resolve('run/cache/cuda-compute'), container: '/greenrt/cache/cuda', readOnly: false },
      { host: '/abs/run/cache/trt', container: '/greenrt/cache/tensorrt', readOnly: false },
    ]);
    expect(env).toEqual([
      'CUDA_CACHE_PATH=/greenrt/cache/cuda',
      'CUDA_CACHE_MAXSIZE=4294967296',
      'CUDA_CACHE_DISABLE=0',
      'GREENRT_TRT_ENGINE_CACHE=/greenrt/cache/tensorrt',
    ]);
    const create = containerOptions({ image: 'sha256:x', cmd: ['true'], binds, env, labels: {}, memoryLimitMiB: null, network: 'none', gpu: true });
    expect(create.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: resolve('run/cache/cuda-compute'), Target: '/greenrt/cache/cuda', ReadOnly: false },
      { Type: 'bind', Source: '/abs/run/cache/trt', Target: '/greenrt/cache/tensorrt', ReadOnly: false },
    ]);
    expect(create.Env).toEqual(expect.arrayContaining(['CUDA_CACHE_PATH=/greenrt/cache/cuda', 'CUDA_CACHE_MAXSIZE=4294967296']));
  });

  it('mounts and sets nothing when the run keeps no cache (native kernels, no TensorRT)', () => {
    expect(cacheMounts(undefined)).toEqual({ binds: [], env: [] });
    expect(cacheMounts({})).toEqual({ binds: [], env: [] });
  });
});

describe('gpuRuntimeError: the GPU runtime refusals greenrt maps (exit 3 with the fix)', () => {
  it('maps an old CDI spec without UUID names to E_GPU_RUNTIME with the nvidia-ctk fix; leaves other errors alone', () => {
    const old = new Error(
      '(HTTP code 500) server error - failed to create task for container: OCI runtime create failed: runc create failed: unresolvable CDI devices nvidia.com/gpu=GPU-0aaaaaaa-1111-2222-3333-444444444444',
    );
    const e = gpuRuntimeError(old, { Image: 'greenrt/pytorch:cuda-x' })!;
    expect(e).toMatchObject({ code: 'E_GPU_RUNTIME', exitCode: 3 });
    expect(e.message).toContain('does not name the GPU by UUID');
    expect(e.hint).toContain('nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml');
    expect(gpuRuntimeError(new Error('could not select device driver "" with capabilities: [[gpu]]'), { Image: 'x' })?.code).toBe('E_GPU_RUNTIME');
    expect(gpuRuntimeError(new Error('no space left on device'), { Image: 'x' })).toBeNull();
  });
});
