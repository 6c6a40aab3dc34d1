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

  it('requests only the selected NVIDIA GPUs for cuda/tensorrt (the first by default), never all of them', () => {
    const caps = [['gpu', 'compute', 'utility']];
    expect(containerOptions({ ...input, gpu: true }).HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['0'], Capabilities: caps }]);
    expect(containerOptions({ ...input, gpu: true, gpuDevices: ['1'] }).HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['1'], Capabilities: caps }]);
    const byUuid = containerOptions({ ...input, gpu: true, gpuDevices: ['GPU-0b5f1e3a-1111-2222-3333-444455556666'] });
    expect(byUuid.HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', DeviceIDs: ['GPU-0b5f1e3a-1111-2222-3333-444455556666'], Capabilities: caps }]);
    expect(JSON.stringify(containerOptions({ ...input, gpu: true }).HostConfig?.DeviceRequests)).not.toContain('Count');
  });
});
