import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { SchemaId, type Contracts, type TrialOutput } from '../../contracts/index.js';
import type { TrialExecution, TrialRequest, TrialRunner } from '../runner.js';
import { timedOutFailure } from '../trial-outcome.js';
import { makeSeededInputs, type InputDescription } from './seeded-inputs.js';
import { loadOrt, ortVersion as readOrtVersion } from './load-ort.js';

// Loaded on first use, never at import: the portable GPU bundle runs without onnxruntime-node.
const ortVersion = readOrtVersion() ?? 'not installed';

/** The trial ran past its timeout (a failure recorded as data, like the container runners' timeouts). */
class TrialTimedOut extends Error {}

/**
 * The embedded runtime: onnxruntime-node in this process, CPU execution provider, behind the same
 * TrialRunner interface as the docker and process runners. Same protocol as the Python entrypoint
 * (phases on CLOCK_MONOTONIC, per-inference latencies), so the monitor and the analysis treat it like
 * any other runtime. Differences, by nature of running in-process:
 * - `timeoutMs` is checked after loading and between inferences (onnxruntime-node cannot cut one
 *   inference short); a trial past it stops and is recorded like a killed container: no output,
 *   exit code null, failure 'timed out after N s'.
 * - `memoryLimitMiB` cannot be enforced on this process; `image`, `gpuDevices` and `caches` do not apply.
 * - The log (workDir/embedded.log) holds what happened, there being no entrypoint output to capture.
 */
export class EmbeddedRunner implements TrialRunner {
  readonly kind = 'embedded' as const;

  /** With `contracts`, each output is checked against trial-output.schema.json, as the other runners do. */
  constructor(private readonly options: { contracts?: Contracts } = {}) {}

  async runTrial(req: TrialRequest, signal?: AbortSignal): Promise<TrialExecution> {
    const { spec } = req;
    const modelFile = req.modelFile ?? join(req.modelDir, 'model.onnx');
    const logPath = join(req.workDir, 'embedded.log');
    const log: string[] = [`onnxruntime-node ${ortVersion}, model ${modelFile}, provider ${spec.provider}, threads ${spec.threads ?? 'default'}`];
    await mkdir(req.workDir, { recursive: true });
    const startedNs = process.hrtime.bigint();
    req.onProcessStart?.(startedNs);
    const phases: TrialOutput['phases'] = {};
    const latenciesMs: number[] = [];
    let session: Ort.InferenceSession | undefined;
    const deadlineNs = startedNs + BigInt(Math.round(req.timeoutMs * 1e6));
    const check = () => {
      signal?.throwIfAborted();
      if (process.hrtime.bigint() > deadlineNs) throw new TrialTimedOut(timedOutFailure(req.timeoutMs));
    };
    let output: TrialOutput | null;
    let failure: string | null;
    try {
      if (spec.provider !== 'cpu') throw new Error(`The embedded runtime supports provider "cpu" only, not "${spec.provider}".`);
      const loadStart = process.hrtime.bigint();
      session = await loadOrt().InferenceSession.create(modelFile, {
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
      output = this.output(spec, 'ok', phases, latenciesMs, checksum(last), null);
      failure = null;
    } catch (error) {
      if (signal?.aborted) throw error; // aborts are thrown, as by every runner
      const message = (error as Error)?.message ?? String(error);
      if (error instanceof TrialTimedOut) {
        output = null;
        failure = message;
      } else {
        output = this.output(spec, 'failed', phases, latenciesMs, null, { type: (error as Error)?.name ?? 'Error', message });
        failure = `embedded runtime failed: ${message}`;
      }
    } finally {
      await session?.release();
    }
    const endedNs = process.hrtime.bigint();
    const problems = output && this.options.contracts ? this.options.contracts.check(SchemaId.trialOutput, output) : [];
    if (problems.length > 0) {
      failure = `output does not match schema: ${problems
        .slice(0, 3)
        .map((p) => `${p.path || '/'} ${p.message}`)
        .join('; ')}`;
      output = null;
    }
    log.push(failure ? `failed: ${failure}` : `ok: ${latenciesMs.length} measured inferences`);
    const logTail = `${log.join('\n')}\n`;
    await appendFile(logPath, logTail);
    // No process: exit code 0 for a trial that ran, 1 for one that failed, null for one stopped at its timeout.
    const exitCode = failure === null ? 0 : output === null && failure === timedOutFailure(req.timeoutMs) ? null : 1;
    return { output, exitCode, failure, logTail, logPath, startedNs, endedNs, wallMs: Number(endedNs - startedNs) / 1e6 };
  }

  private output(
    spec: TrialRequest['spec'],
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
