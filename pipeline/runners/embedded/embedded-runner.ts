import type * as Ort from 'onnxruntime-node';
import type { TrialOutput, TrialSpec } from '../../contracts/index.js';
import { makeSeededInputs, type InputDescription } from './seeded-inputs.js';
import { loadOrt, ortVersion as readOrtVersion } from './load-ort.js';

// Loaded on first use, never at import: the portable GPU bundle runs without onnxruntime-node.
const ortVersion = readOrtVersion() ?? 'not installed';

export interface EmbeddedTrialRequest {
  spec: Omit<TrialSpec, 'modelDir' | 'outputPath'>;
  /** The .onnx file to run. */
  modelFile: string;
  /** Called with CLOCK_MONOTONIC ns just before the session is created (start of the trial). */
  onProcessStart?: (monotonicNs: bigint) => void;
  /**
   * The experiment's trialTimeoutS, in s: past it the trial stops and fails ("timed out after N s").
   * Checked after loading and between inferences: onnxruntime-node cannot cut one inference short.
   */
  timeoutS?: number;
}

/** The trial ran past its timeout (a failure recorded as data, like the container runners' timeouts). */
class TrialTimedOut extends Error {}

export interface EmbeddedTrialExecution {
  output: TrialOutput | null;
  failure: string | null;
  startedNs: bigint;
  endedNs: bigint;
  wallMs: number;
}

/**
 * The embedded runtime: onnxruntime-node in this process, CPU execution provider.
 * Same protocol as the Python entrypoint (phases on CLOCK_MONOTONIC, per-inference latencies),
 * so the monitor and the analysis treat it like any other runtime.
 */
export class EmbeddedRunner {
  readonly kind = 'embedded' as const;

  async runTrial(req: EmbeddedTrialRequest, signal?: AbortSignal): Promise<EmbeddedTrialExecution> {
    const { spec } = req;
    const startedNs = process.hrtime.bigint();
    req.onProcessStart?.(startedNs);
    const phases: TrialOutput['phases'] = {};
    const latenciesMs: number[] = [];
    let session: Ort.InferenceSession | undefined;
    const deadlineNs = req.timeoutS === undefined ? null : startedNs + BigInt(Math.round(req.timeoutS * 1e9));
    const check = () => {
      signal?.throwIfAborted();
      if (deadlineNs !== null && process.hrtime.bigint() > deadlineNs) throw new TrialTimedOut(`timed out after ${req.timeoutS} s (trialTimeoutS)`);
    };
    try {
      if (spec.provider !== 'cpu') throw new Error(`The embedded runtime supports provider "cpu" only, not "${spec.provider}".`);
      const loadStart = process.hrtime.bigint();
      session = await loadOrt().InferenceSession.create(req.modelFile, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: spec.threads ?? 0,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
      phases.load = { startNs: String(loadStart), endNs: String(process.hrtime.bigint()) };
      check();
      const feeds = makeSeededInputs(describeInputs(session), {
        batchSize: spec.batchSize,
        sequenceLength: spec.sequenceLength,
        seed: spec.seed,
      });
      const warmStart = process.hrtime.bigint();
      for (let i = 0; i < spec.warmupIterations; i++) {
        check();
        await session.run(feeds);
      }
      phases.warmup = { startNs: String(warmStart), endNs: String(process.hrtime.bigint()) };
      let last: Ort.InferenceSession.OnnxValueMapType | undefined;
      const measureStart = process.hrtime.bigint();
      for (let i = 0; i < spec.measuredIterations; i++) {
        check();
        const t0 = process.hrtime.bigint();
        // run() resolves once outputs are copied into JS memory: the window edge is synchronised.
        last = await session.run(feeds);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      phases.measure = { startNs: String(measureStart), endNs: String(process.hrtime.bigint()) };
      const output = this.output(spec, 'ok', phases, latenciesMs, checksum(last), null);
      return this.finish(output, null, startedNs);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      const output = this.output(spec, 'failed', phases, latenciesMs, null, { type: (error as Error)?.name ?? 'Error', message });
      return this.finish(output, error instanceof TrialTimedOut ? message : `embedded runtime failed: ${message}`, startedNs);
    } finally {
      await session?.release();
    }
  }

  private output(
    spec: EmbeddedTrialRequest['spec'],
    status: 'ok' | 'failed',
    phases: TrialOutput['phases'],
    latenciesMs: number[],
    outputChecksum: number | null,
    error: TrialOutput['error'],
  ): TrialOutput {
    return {
      schemaVersion: 1,
      trialId: spec.trialId,
      status,
      error,
      phases,
      latenciesMs,
      outputChecksum,
      environment: {
        python: `none (onnxruntime-node in Node.js ${process.version})`,
        framework: 'onnxruntime-node',
        frameworkVersion: ortVersion,
        device: 'cpu',
        providers: ['CPUExecutionProvider'],
        threads: spec.threads,
        packages: { 'onnxruntime-node': ortVersion },
      },
    };
  }

  private finish(output: TrialOutput, failure: string | null, startedNs: bigint): EmbeddedTrialExecution {
    const endedNs = process.hrtime.bigint();
    return { output, failure, startedNs, endedNs, wallMs: Number(endedNs - startedNs) / 1e6 };
  }
}

function describeInputs(session: Ort.InferenceSession): InputDescription[] {
  return session.inputMetadata.map((m) => {
    if (!m.isTensor) throw new Error(`Model input "${m.name}" is not a tensor; greenrt feeds tensors only.`);
    return { name: m.name, type: m.type, dims: m.shape };
  });
}

function checksum(outputs: Ort.InferenceSession.OnnxValueMapType | undefined): number | null {
  if (!outputs) return null;
  const first = Object.values(outputs)[0] as Ort.Tensor | undefined;
  if (!first || typeof first.data === 'string' || !(first.data instanceof Float32Array)) return null;
  let sum = 0;
  for (const v of first.data) sum += v;
  return sum;
}

export const embeddedRuntimeVersion: string | null = readOrtVersion();
