import { describe, expect, it } from 'vitest';
import { containerOptions } from './container-options.js';

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
      Binds: ['/w/trial.json:/greenrt/in/trial.json:ro', '/w/out:/greenrt/out:rw'],
    });
    expect(o.HostConfig?.Tmpfs?.['/tmp']).toMatch(/size=1024m/);
    expect(o.HostConfig?.DeviceRequests).toBeUndefined();
    expect(JSON.stringify(o)).not.toContain('docker.sock');
    expect(containerOptions({ ...input, memoryLimitMiB: null }).HostConfig?.Memory).toBeUndefined();
  });

  it('requests NVIDIA GPUs for cuda/tensorrt: all, or one by index', () => {
    expect(containerOptions({ ...input, gpu: true }).HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    expect(containerOptions({ ...input, gpu: true, gpuIndex: 1 }).HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['1'], Capabilities: [['gpu']] }]);
  });
});
