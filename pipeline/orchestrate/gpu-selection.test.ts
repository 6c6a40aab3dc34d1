/** GPU selection on a FAKE inventory (no GPU here): allocation, conflicts, MIG. */
import { describe, expect, it } from 'vitest';
import { EnvironmentError, ExitCode } from '../core/index.js';
import type { GpuInventory } from '../power/index.js';
import { cudaDeviceEnvironment } from '../runners/index.js';
import { gpuDeviceIds, parseCudaVisibleDevices, selectGpus } from './gpu-selection.js';

// FAKE: a two-GPU host as NVML lists it (PCI-bus order).
const twoGpus = (mig1 = false): GpuInventory => ({
  gpus: [
    { index: 0, uuid: 'GPU-0aaaaaaa-1111-2222-3333-444444444444', name: 'NVIDIA H100 (fake)', computeCapability: '9.0', migEnabled: false },
    { index: 1, uuid: 'GPU-1bbbbbbb-1111-2222-3333-444444444444', name: 'NVIDIA H100 (fake)', computeCapability: '9.0', migEnabled: mig1 },
  ],
  via: 'nvml',
  driverVersion: '550.fake',
  reason: null,
});

const refusal = (fn: () => unknown): EnvironmentError => {
  try {
    fn();
  } catch (e) {
    return e as EnvironmentError;
  }
  throw new Error('expected a refusal');
};

describe('selectGpus', () => {
  it('without gpu.devices, an inherited CUDA_VISIBLE_DEVICES selects the measured GPU (index and UUID forms), mapped to UUIDs', () => {
    for (const cvd of ['1', 'GPU-1bbbbbbb-1111-2222-3333-444444444444', 'GPU-1bbbbbbb', ' 1 ,0']) {
      const s = selectGpus(undefined, twoGpus(), true, cvd);
      expect(s.measured.map((g) => g.index)).toEqual([1]);
      expect(s.context.map((g) => g.index)).toEqual([0]);
      expect(s.selectedBy).toMatchObject({ from: 'CUDA_VISIBLE_DEVICES', cudaVisibleDevices: cvd });
      expect(s.selectedBy!.allocatedUuids![0]).toBe('GPU-1bbbbbbb-1111-2222-3333-444444444444');
      expect(gpuDeviceIds(s)).toEqual(['GPU-1bbbbbbb-1111-2222-3333-444444444444']);
    }
  });

  it('without an allocation or gpu.devices: the first GPU; gpu.devices inside the allocation is kept', () => {
    expect(selectGpus(undefined, twoGpus(), true).selectedBy).toEqual({ from: 'first GPU', cudaVisibleDevices: null, allocatedUuids: null });
    expect(selectGpus(undefined, twoGpus(), true).measured[0]!.index).toBe(0);
    const s = selectGpus(['GPU-1bbbbbbb-1111-2222-3333-444444444444'], twoGpus(), true, '0,1');
    expect(s.measured[0]!.index).toBe(1);
    expect(s.selectedBy!.from).toBe('gpu.devices');
  });

  it('gpu.devices outside the allocation stops the run with exit 3 naming both', () => {
    const e = refusal(() => selectGpus([0], twoGpus(), true, '1'));
    expect(e).toBeInstanceOf(EnvironmentError);
    expect(e.exitCode).toBe(ExitCode.missingEnvironment);
    expect(e.code).toBe('E_GPU_ALLOCATION_CONFLICT');
    expect(e.message).toContain('gpu.devices selects GPU 0 GPU-0aaaaaaa');
    expect(e.message).toContain('CUDA_VISIBLE_DEVICES=1 (1 GPU-1bbbbbbb');
  });

  it('an allocation NVML does not list, or no GPU at all, is exit 3 with what the host has', () => {
    expect(refusal(() => selectGpus(undefined, twoGpus(), true, '5')).message).toMatch(
      /CUDA_VISIBLE_DEVICES=5 names 5, which NVML does not list on this host: it has 0 GPU-0aaa/,
    );
    expect(refusal(() => selectGpus(undefined, twoGpus(), true, 'NoDevFiles')).code).toBe('E_GPU_ALLOCATION');
    expect(refusal(() => selectGpus(undefined, twoGpus(), true, '')).message).toContain('allocates no GPU');
  });

  it('refuses a MIG-enabled GPU and MIG device UUIDs (exit 3, energy is per physical GPU)', () => {
    const e = refusal(() => selectGpus(undefined, twoGpus(true), true, '1'));
    expect(e.code).toBe('E_GPU_MIG');
    expect(e.exitCode).toBe(ExitCode.missingEnvironment);
    expect(e.message).toContain('is in MIG mode');
    expect(e.hint).toContain('nvidia-smi -i 1 -mig 0');
    expect(refusal(() => selectGpus(undefined, twoGpus(), true, 'MIG-4f1a7c52-3f2b-5c3a-9d1e-0123456789ab')).code).toBe('E_GPU_MIG');
    // a run without GPU trials is not refused: it just measures no GPU
    expect(selectGpus(undefined, twoGpus(true), false, '1').measured).toEqual([]);
  });

  it('parses CUDA_VISIBLE_DEVICES as CUDA does: stops at the first entry it cannot parse', () => {
    expect(parseCudaVisibleDevices(undefined)).toBeNull();
    expect(parseCudaVisibleDevices('2,-1,3')).toEqual(['2']);
    expect(parseCudaVisibleDevices('GPU-abc12345,1')).toEqual(['GPU-abc12345', '1']);
  });
});

describe('cudaDeviceEnvironment (process runner)', () => {
  it('sets the selected UUID; without a selection keeps the inherited allocation instead of overwriting it', () => {
    expect(cudaDeviceEnvironment(['GPU-1bbbbbbb'], '1')).toEqual({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: 'GPU-1bbbbbbb' });
    expect(cudaDeviceEnvironment(undefined, '3').CUDA_VISIBLE_DEVICES).toBe('3');
    expect(cudaDeviceEnvironment(undefined).CUDA_VISIBLE_DEVICES).toBe('0');
  });
});
