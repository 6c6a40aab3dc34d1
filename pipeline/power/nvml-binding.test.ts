import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/power-fake-clock.js';
import { NvmlUnavailableError } from './nvml-api.js';
import { koffiNvmlLoader } from './nvml-binding.js';
import { NvmlSource } from './nvml-source.js';
import { listGpus } from './gpu-inventory.js';
import { tempDir } from '../testing/temp-dir.js';
import { compileSharedLibrary, findCompiler } from '../testing/c-compiler.js';

const dir = tempDir('greenrt-nvml-');

describe('koffiNvmlLoader', () => {
  it('turns a missing library into a clear unavailable reason, not a crash', async () => {
    const load = koffiNvmlLoader({ libraryPaths: [join(dir, 'absent', 'libnvidia-ml.so.1')] });
    await expect(load()).rejects.toBeInstanceOf(NvmlUnavailableError);
    await expect(load()).rejects.toThrow(/libnvidia-ml\.so\.1 not found/);
    const status = await new NvmlSource({ clock: new ManualClock(), load }).probe();
    expect(status).toMatchObject({ source: 'nvml', available: false, domains: [] });
    expect(status.fix).toContain('Install the NVIDIA driver');
  });

  const cc = findCompiler();
  it.skipIf(!cc)('calls a stand-in libnvidia-ml through koffi: symbols, out-parameters and struct layouts', async () => {
    const lib = join(dir, 'libnvidia-ml.so.1');
    const src = fileURLToPath(new URL('../testing/fake-libnvidia-ml.c', import.meta.url));
    compileSharedLibrary(cc!, src, lib);
    const nvml = await koffiNvmlLoader({ libraryPaths: [lib] })();
    nvml.init();
    expect(nvml.driverVersion()).toBe('999.99-fake');
    expect(nvml.deviceCount()).toBe(1);
    const d = nvml.device(0);
    expect(d.name()).toBe('Fake H100');
    expect(d.uuid()).toBe('GPU-fake-0');
    expect(d.cudaComputeCapability()).toEqual([9, 0]);
    const e1 = d.totalEnergyConsumptionMj();
    expect(d.totalEnergyConsumptionMj() - e1).toBe(1500);
    expect(d.powerUsageMw()).toBe(250000);
    expect(d.fieldValue(186)).toEqual({ value: 123456, timestampUs: 1700000000123456 });
    expect(d.fieldValue(185).value).toBe(98765.5);
    expect(() => d.fieldValue(1)).toThrow(/field 1/);
    expect(d.temperatureC()).toBe(41);
    expect(d.utilizationGpuPercent()).toBe(37); // nvmlUtilization_t.gpu (the fake's fixed 37 %, memory 12 %)
    expect([d.clockMHz('sm'), d.clockMHz('mem')]).toEqual([1980, 2619]);
    expect(d.enforcedPowerLimitMw()).toBe(700000);
    expect(d.clocksEventReasons()).toBe(0x44); // through the older ThrottleReasons entry point
    expect(d.persistenceMode()).toBe(true);
    expect(d.migEnabled()).toBe(false); // nvmlDeviceGetMigMode's current mode
    expect(d.computeProcesses()).toEqual([
      { pid: 4242, usedMemoryBytes: 1073741824 },
      { pid: 77, usedMemoryBytes: null },
    ]);
    expect(() => nvml.device(3)).toThrow(/nvmlDeviceGetHandleByIndex_v2: Fake Error \(nvmlReturn 2\)/);
    nvml.shutdown();

    // The fake's shape from its environment (FAKE_NVML_*), read by the C stand-in at each call: two GPUs, GPU 1 in MIG mode.
    process.env.FAKE_NVML_GPU_COUNT = '2';
    process.env.FAKE_NVML_MIG = '1';
    try {
      const inventory = await listGpus({ nvml: koffiNvmlLoader({ libraryPaths: [lib] }) });
      expect(inventory.gpus.map((g) => [g.index, g.uuid, g.migEnabled])).toEqual([
        [0, 'GPU-fake-0', false],
        [1, 'GPU-fake-1', true],
      ]);
    } finally {
      delete process.env.FAKE_NVML_GPU_COUNT;
      delete process.env.FAKE_NVML_MIG;
    }

    const clock = new ManualClock();
    const source = new NvmlSource({ clock, load: koffiNvmlLoader({ libraryPaths: [lib] }) });
    const status = await source.probe();
    expect(status.available).toBe(true);
    expect(status.domains[0]).toMatchObject({ domain: 'gpu:0', power: { quantity: 'instantPowerW' }, counter: { resolutionJ: 0.001 } });
    const [state] = await source.gpuState();
    expect(state).toMatchObject({
      index: 0,
      name: 'Fake H100',
      powerW: 123.456,
      powerLimitW: 700,
      throttleReasons: ['SwPowerCap', 'HwThermalSlowdown'],
      persistenceMode: true,
    });
    expect(state!.otherProcesses).toEqual([
      { pid: 4242, name: null, usedMemoryMiB: 1024 },
      { pid: 77, name: null, usedMemoryMiB: null },
    ]);
    await source.close();
  });
});
