/**
 * FAKE TrialResults and run manifests for tests of analysis, report and compare. The numbers are
 * invented (seeded, shaped like an RTX-class GPU run: GPU ~150-200 W, CPU package ~30 W), never
 * measured. Every object validates against schemas/ (a test checks it).
 */
import type { Contracts, ManifestImage, ManifestModel, ManifestPowerSource, RunManifest, TrialConfig, TrialResult } from '../contracts/index.js';
import { mulberry32 } from '../plan/prng.js';
import { RunStore } from '../results/index.js';

export type FakeEnergyKind = 'measured' | 'unavailable' | 'estimated' | 'gpu-only';

export interface FakeTrialOptions {
  runId?: string;
  config: Pick<TrialConfig, 'runtime' | 'model' | 'provider' | 'batchSize'> & Partial<TrialConfig>;
  status?: TrialResult['status'];
  reasons?: string[];
  /** Median per-inference latency the trial is drawn around, ms. */
  latencyMs: number;
  /** Relative spread of latencies within the trial (default 0.03). */
  jitter?: number;
  /** Seed of this trial's noise. */
  seed?: number;
  energy?: FakeEnergyKind;
  gpuPowerW?: number;
  cpuPowerW?: number;
  orderIndex?: number;
  cooldownMet?: boolean;
  /** Start time, ms since the epoch (default 2026-01-01T12:00:00Z). */
  startedAtMs?: number;
}

const GPU_BASELINE_W = 22;
const CPU_BASELINE_W = 6;
export const FAKE_NO_ENERGY_REASON =
  'no power source available: rapl: /sys/class/powercap/intel-rapl:0/energy_uj is not readable; nvml: libnvidia-ml.so.1 not found';

/** One fake trial. A failed trial has no latencies and no energy, as the orchestrator writes it. */
export function fakeTrialResult(o: FakeTrialOptions): TrialResult {
  const random = mulberry32(o.seed ?? 1);
  const config: TrialConfig = {
    source:
      o.config.source ?? (o.config.runtime === 'onnxruntime' || o.config.runtime === 'embedded' ? 'pytorch' : (o.config.runtime as TrialConfig['source'])),
    repetition: 1,
    warmupIterations: 10,
    measuredIterations: 50,
    threads: null,
    sequenceLength: 128,
    ...o.config,
  };
  const status = o.status ?? 'ok';
  const startedAtMs = o.startedAtMs ?? Date.parse('2026-01-01T12:00:00Z');
  const failed = status === 'failed';
  const jitter = o.jitter ?? 0.03;
  // Log-normal-ish latencies around the target, with a rare slow outlier like real GPU timings.
  const latenciesMs = failed
    ? []
    : Array.from({ length: config.measuredIterations }, () => o.latencyMs * Math.exp(jitter * gauss(random)) * (random() < 0.02 ? 1.3 : 1));
  const windowMs = failed ? null : latenciesMs.reduce((a, b) => a + b, 0) * 1.002;
  const source = config.source;
  const id = `${config.runtime}${source === config.runtime ? '' : `.${source}`}.${config.model}.${config.provider}.b${config.batchSize}.r${config.repetition}`;
  return {
    schemaVersion: 1,
    runId: o.runId ?? 'fake-20260101t120000z-abc123',
    trialId: id,
    orderIndex: o.orderIndex ?? 0,
    config,
    status,
    reasons: o.reasons ?? [],
    startedAt: new Date(startedAtMs).toISOString(),
    finishedAt: new Date(startedAtMs + (windowMs ?? 0) + 4000).toISOString(),
    runner: {
      kind: config.runtime === 'embedded' ? 'embedded' : 'docker',
      image: null,
      imageId: null,
      containerId: null,
      exitCode: failed ? 3 : 0,
      logTail: null,
      wallMs: (windowMs ?? 0) + 4000,
    },
    model: null,
    timing: {
      latenciesMs,
      measureWindowMs: windowMs,
      throughputSamplesPerS: windowMs ? (config.batchSize * latenciesMs.length) / (windowMs / 1000) : null,
      loadMs: failed ? null : 1500,
      startToFirstInferenceMs: failed ? null : 2500,
    },
    energy: failed ? unavailableEnergy('the trial failed before its measure window') : fakeEnergy(o.energy ?? 'measured', windowMs!, config, o, random),
    gpuState: [],
    cooldown: { waitedMs: 2000, met: o.cooldownMet ?? true, detail: 'gpu:0 power within 10% of baseline' },
    outputChecksum: failed ? null : 12.5,
    tracePath: null,
  };
}

function fakeEnergy(kind: FakeEnergyKind, windowMs: number, config: TrialConfig, o: FakeTrialOptions, random: () => number): TrialResult['energy'] {
  if (kind === 'unavailable') return unavailableEnergy(FAKE_NO_ENERGY_REASON);
  const s = windowMs / 1000;
  const gpuW = (o.gpuPowerW ?? 170) * (1 + 0.02 * gauss(random));
  const cpuW = (o.cpuPowerW ?? 30) * (1 + 0.03 * gauss(random));
  const gpuJ = gpuW * s;
  const cpuJ = cpuW * s;
  const provenance = kind === 'estimated' ? 'estimated' : 'counter';
  const readings: TrialResult['energy']['readings'] = [
    {
      source: 'nvml',
      domain: 'gpu:0',
      provenance,
      energyJ: gpuJ,
      netEnergyJ: gpuJ - GPU_BASELINE_W * s,
      baselinePowerW: GPU_BASELINE_W,
      uncertaintyJ: gpuJ * 0.05,
      coverage: 1,
      crossCheck: { integratedJ: gpuJ * 0.99, disagreement: 0.01 },
      reason: kind === 'estimated' ? 'power.draw averaged over 1 s' : null,
    },
    kind === 'gpu-only'
      ? {
          source: 'rapl',
          domain: 'package-0',
          provenance: 'unavailable',
          energyJ: null,
          netEnergyJ: null,
          baselinePowerW: null,
          reason: 'rapl: energy_uj not readable (run as root)',
        }
      : {
          source: 'rapl',
          domain: 'package-0',
          provenance: 'counter',
          energyJ: cpuJ,
          netEnergyJ: cpuJ - CPU_BASELINE_W * s,
          baselinePowerW: CPU_BASELINE_W,
          uncertaintyJ: cpuJ * 0.1,
          coverage: 1,
          crossCheck: null,
          reason: null,
        },
  ];
  const total = kind === 'gpu-only' ? gpuJ : gpuJ + cpuJ;
  const net = readings.reduce((a, r) => a + (r.netEnergyJ ?? 0), 0);
  return {
    window: 'measure',
    readings,
    totalEnergyJ: total,
    totalNetEnergyJ: net,
    totalProvenance: provenance,
    energyPerInferenceJ: total / config.measuredIterations,
    reason: kind === 'gpu-only' ? 'partial: CPU package energy unavailable (rapl: energy_uj not readable)' : null,
  };
}

function unavailableEnergy(reason: string): TrialResult['energy'] {
  return {
    window: 'measure',
    readings: [{ source: 'none', domain: 'host', provenance: 'unavailable', energyJ: null, netEnergyJ: null, baselinePowerW: null, reason }],
    totalEnergyJ: null,
    totalNetEnergyJ: null,
    totalProvenance: 'unavailable',
    energyPerInferenceJ: null,
    reason,
  };
}

function gauss(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Fake per-inference latencies (ms) per configuration, loosely shaped like the study's ranking. */
export const FAKE_LATENCY_MS: Record<string, number> = {
  'pytorch/resnet50/cuda/b1': 5.2,
  'mxnet/resnet50/cuda/b1': 4.6,
  'tensorflow/resnet50/cuda/b1': 26,
  'onnxruntime/resnet50/cuda/b1': 3.8,
  'onnxruntime/resnet50/tensorrt/b1': 3.0,
  'pytorch/resnet50/cuda/b64': 110,
  'mxnet/resnet50/cuda/b64': 111,
  'tensorflow/resnet50/cuda/b64': 150,
  'onnxruntime/resnet50/cuda/b64': 121,
  'onnxruntime/resnet50/tensorrt/b64': 88,
  'pytorch/mobilenet_v2/cuda/b1': 3.4,
  'mxnet/mobilenet_v2/cuda/b1': 2.9,
  'tensorflow/mobilenet_v2/cuda/b1': 9.5,
  'onnxruntime/mobilenet_v2/cuda/b1': 2.1,
  'onnxruntime/mobilenet_v2/tensorrt/b1': 1.6,
  'pytorch/mobilenet_v2/cuda/b64': 31,
  'mxnet/mobilenet_v2/cuda/b64': 31.5,
  'tensorflow/mobilenet_v2/cuda/b64': 46,
  'onnxruntime/mobilenet_v2/cuda/b64': 27,
  'onnxruntime/mobilenet_v2/tensorrt/b64': 19,
};

export interface FakeRunOptions {
  runId?: string;
  repetitions?: number;
  seed?: number;
  /** Multiplies every latency (B runs that differ). */
  latencyScale?: number;
  energy?: FakeEnergyKind;
  /** Configurations (keys of FAKE_LATENCY_MS) to leave out. */
  omit?: string[];
}

/** A fake run of the study's GPU matrix (CV models, frameworks + ORT CUDA/TensorRT), seeded. */
export function fakeStudyResults(o: FakeRunOptions = {}): TrialResult[] {
  const reps = o.repetitions ?? 5;
  const out: TrialResult[] = [];
  let seed = o.seed ?? 7;
  for (const [key, latencyMs] of Object.entries(FAKE_LATENCY_MS)) {
    if (o.omit?.includes(key)) continue;
    const [runtime, model, provider, b] = key.split('/') as [TrialConfig['runtime'], TrialConfig['model'], TrialConfig['provider'], string];
    const sources: TrialConfig['source'][] = runtime === 'onnxruntime' ? ['pytorch', 'mxnet'] : [runtime as TrialConfig['source']];
    for (const source of sources) {
      for (let r = 1; r <= reps; r++) {
        const scale = (o.latencyScale ?? 1) * (source === 'mxnet' && runtime === 'onnxruntime' ? 1.05 : 1);
        out.push(
          fakeTrialResult({
            runId: o.runId,
            seed: seed++,
            latencyMs: latencyMs * scale * (1 + 0.01 * Math.sin(seed)),
            energy: o.energy,
            config: { runtime, source, model, provider, batchSize: Number(b.slice(1)), repetition: r },
            gpuPowerW: runtime === 'tensorflow' ? 120 : provider === 'tensorrt' ? 185 : 170,
            cpuPowerW: runtime === 'tensorflow' ? 45 : 28,
            startedAtMs: Date.parse('2026-01-01T12:00:00Z') + out.length * 60_000,
          }),
        );
      }
    }
  }
  return out.map((t, i) => ({ ...t, orderIndex: i }));
}

/** A completed fake manifest for `results` (GPU host with NVML and RAPL unless overridden). */
export function fakeManifest(results: TrialResult[], overrides: Partial<RunManifest> = {}): RunManifest {
  const count = (s: TrialResult['status']) => results.filter((r) => r.status === s).length;
  const runId = results[0]?.runId ?? 'fake-20260101t120000z-abc123';
  return {
    schemaVersion: 1,
    runId,
    status: 'completed',
    statusReason: null,
    createdAt: '2026-01-01T12:00:00.000Z',
    updatedAt: '2026-01-01T14:00:00.000Z',
    resumes: [],
    experiment: {
      file: 'experiments/paper.yaml',
      sha256: 'a'.repeat(64),
      spec: {
        schemaVersion: 1,
        name: 'fake',
        seed: 20240220,
        order: 'shuffled',
        runtimes: [{ name: 'pytorch', providers: ['cuda'] }],
        models: ['resnet50'],
        batchSizes: [1, 64],
        repetitions: 5,
        warmupIterations: 10,
        measuredIterations: 50,
      },
    },
    host: {
      hostname: 'fake-host',
      platform: 'linux-x64',
      kernel: '6.1.0',
      cpuModel: 'Fake CPU @ 3.0GHz',
      cpuCount: 16,
      memoryMiB: 65536,
      node: 'v20.19.0',
      onnxruntimeNode: null,
      docker: { version: '26.1.5' },
      gpus: [{ name: 'NVIDIA GeForce RTX 3070', driver: '550.54' }],
    },
    greenrt: { version: '0.1.0', gitCommit: '0123456789abcdef0123456789abcdef01234567', gitDirty: false },
    schemas: {},
    plan: { seed: 20240220, order: 'shuffled', trialCount: results.length, trialIds: results.map((r) => r.trialId) },
    images: [],
    models: [],
    power: {
      sources: [
        { source: 'nvml', available: true, domains: [], reason: null, fix: null, detail: 'driver 550.54' },
        { source: 'rapl', available: true, domains: [], reason: null, fix: null, detail: 'intel-rapl:0' },
      ],
      baseline: {
        startNs: '1000000000',
        endNs: '61000000000',
        durationMs: 60000,
        reason: null,
        domains: [
          { source: 'nvml', domain: 'gpu:0', hardware: 'gpu:0', powerW: GPU_BASELINE_W, provenance: 'counter', temperatureC: 38 },
          { source: 'rapl', domain: 'package-0', hardware: 'package-0', powerW: CPU_BASELINE_W, provenance: 'counter', temperatureC: null },
        ],
      },
    },
    progress: { total: results.length, ok: count('ok'), failed: count('failed'), invalid: count('invalid'), pending: 0 },
    ...overrides,
  };
}

/** Writes a fake run folder (manifest + trials, validated by RunStore) and returns its path. */
export async function writeFakeRun(
  artifactsDir: string,
  runId: string,
  results: TrialResult[],
  contracts: Contracts,
  overrides: Partial<RunManifest> = {},
): Promise<string> {
  const store = await RunStore.create(artifactsDir, runId, contracts);
  const mine = results.map((r) => ({ ...r, runId }));
  for (const r of mine) await store.writeTrialResult(r);
  await store.writeManifest(fakeManifest(mine, { runId, ...overrides }));
  return store.runDir;
}

/** A FAKE manifest image record (a locally built cpu image, not described) with `overrides`. */
export function fakeImageRecord(overrides: Partial<ManifestImage> = {}): ManifestImage {
  return {
    runtime: 'pytorch',
    flavour: 'cpu',
    tag: 'greenrt/pytorch:cpu-000000000000',
    imageId: `sha256:${'0'.repeat(64)}`,
    configDigest: `sha256:${'0'.repeat(64)}`,
    diffIds: [],
    obtained: 'present',
    loadedFrom: null,
    repoDigests: [],
    sizeBytes: 0,
    created: '2026-01-01T12:00:00Z',
    contextHash: '0'.repeat(64),
    buildArgs: {},
    baseImage: null,
    baseImageId: null,
    built: false,
    durationMs: 0,
    description: null,
    ...overrides,
  };
}

/** A FAKE manifest model record (a prepared model, conversion not checked) with `overrides`. */
export function fakeModelRecord(overrides: Partial<ManifestModel> = {}): ManifestModel {
  return {
    model: 'resnet50',
    source: 'pytorch',
    dir: '/fake/model',
    onnxFile: '/fake/model/model.onnx',
    sha256: 'a'.repeat(64),
    prebuilt: false,
    cacheHit: true,
    conversion: null,
    conversionNote: null,
    exporter: null,
    environment: null,
    files: null,
    ...overrides,
  };
}

/** A FAKE power source status (available, no domains) with `overrides`. */
export function fakeSourceStatus(overrides: Partial<ManifestPowerSource> = {}): ManifestPowerSource {
  return { source: 'rapl', available: true, domains: [], reason: null, fix: null, detail: null, ...overrides };
}
