import { chmodSync, writeFileSync } from 'node:fs';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import type { DockerEngine } from '../docker/index.js';
import { planRun } from '../plan/index.js';
import { createFrameworkExecutor, dockerAtLeast, dockerGpuSupport, NVIDIA_CDI_HOOK, NVIDIA_HOOK } from './framework-executor.js';
import { findOnPath } from '../core/index.js';
import { tempDir } from '../testing/temp-dir.js';

// FAKE engine: `docker info` of a host where the toolkit is installed but no nvidia runtime is registered.
const engine = {
  docker: {} as DockerEngine['docker'],
  info: {
    serverVersion: '26.1',
    apiVersion: '1.45',
    storageDriver: 'overlay2',
    cgroupVersion: '2',
    runtimes: ['runc'],
    nvidiaRuntime: false,
    operatingSystem: 'Debian',
    kernelVersion: '6.1',
    cpuCount: 2,
    memoryMiB: 4096,
  },
};
const spec = withSchemaDefaults({
  schemaVersion: 1,
  name: 'gpu',
  runtimes: [{ name: 'pytorch', providers: ['cuda'] }],
  models: ['resnet50'],
  batchSizes: [1],
  repetitions: 1,
  warmupIterations: 1,
  measuredIterations: 1,
});
const progress = { info: () => undefined, status: () => undefined, step: () => undefined, done: () => undefined };
const options = { contracts: new Contracts(), progress, artifactsDir: '/tmp/unused', connect: async () => engine };

describe('createFrameworkExecutor GPU pre-flight (docker)', () => {
  it('accepts a host where --gpus works through the toolkit hook although docker info lists no nvidia runtime', async () => {
    const executor = await createFrameworkExecutor(spec, planRun(spec), { ...options, which: async (c) => (c === NVIDIA_HOOK ? `/usr/bin/${c}` : null) });
    expect(executor.kind).toBe('docker');
  });

  it('refuses, with exit 3 and the fix, a host with neither the runtime nor the hook', async () => {
    const error = await createFrameworkExecutor(spec, planRun(spec), { ...options, which: async () => null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_NO_GPU_RUNTIME', exitCode: 3 });
    expect((error as Error).message).toContain(`no ${NVIDIA_HOOK} on PATH`);
  });

  it('accepts a CDI-only host (Docker >= 29.2 with only nvidia-cdi-hook), not an older Docker with it', async () => {
    const cdiOnly = async (c: string) => (c === NVIDIA_CDI_HOOK ? `/usr/bin/${c}` : null);
    const at = (serverVersion: string) => ({ ...engine, info: { ...engine.info, serverVersion } }) as DockerEngine;
    expect(await dockerGpuSupport(at('29.2.0'), cdiOnly)).toContain('Docker 29.2.0 turns DeviceRequests into CDI devices');
    expect(await dockerGpuSupport(at('30.0.1'), cdiOnly)).toContain(NVIDIA_CDI_HOOK);
    expect(await dockerGpuSupport(at('29.1.5'), cdiOnly)).toBeNull();
    expect(await dockerGpuSupport(at('20.10.24+dfsg1'), cdiOnly)).toBeNull();
    expect(dockerAtLeast('garbage', [29, 2])).toBe(false);
  });

  it('findOnPath finds an executable like `command -v`', async () => {
    const dir = tempDir('greenrt-path-');
    writeFileSync(join(dir, NVIDIA_HOOK), '#!/bin/sh\n');
    expect(await findOnPath(NVIDIA_HOOK, `/nonexistent:${dir}`)).toBeNull(); // not executable yet
    chmodSync(join(dir, NVIDIA_HOOK), 0o755);
    expect(await findOnPath(NVIDIA_HOOK, `/nonexistent:${dir}`)).toBe(join(dir, NVIDIA_HOOK));
  });
});
