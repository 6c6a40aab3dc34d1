import { InputError } from '../core/index.js';
import { parseCudaRecord, type CudaBuildInfo } from './describe-image.js';
import { runThrowaway, type DockerEngine } from '../docker/index.js';
import { inspectImageOrNull } from './image-build.js';

/** Where the no-GPU check lives inside every image (images/common/docker/cuda_check.py). */
export const CUDA_CHECK_SCRIPT = '/opt/greenrt/common/docker/cuda_check.py';

export interface ImageCheckResult {
  image: string;
  runtime: string;
  flavour: string;
  /** The check's record (same shape as the image's cuda.json), null when it printed none. */
  record: CudaBuildInfo | null;
  /** Problems found (from the record, or why there is no record). */
  problems: string[];
  ok: boolean;
  durationMs: number;
}

/**
 * `greenrt images check <tag>`: runs the no-GPU check inside a cuda or tensorrt image, without a GPU
 * and without network: every framework and CUDA wheel library must resolve (the driver's own aside),
 * the framework must report a CUDA build, and its kernel architectures are read. The same script is
 * the last step of every cuda image build, so a built image passed it once; this re-checks any image.
 */
export async function checkImage(engine: DockerEngine, ref: string, options: { timeoutMs?: number } = {}): Promise<ImageCheckResult> {
  const started = performance.now();
  const inspect = await inspectImageOrNull(engine, ref);
  if (!inspect) {
    throw new InputError('Unknown image', [
      { file: 'command line', path: '', message: `image "${ref}" is not on this Docker engine; list greenrt's with: greenrt images list` },
    ]);
  }
  const labels = inspect.Config?.Labels ?? {};
  const runtime = labels['dev.greenrt.runtime'];
  const flavour = labels['dev.greenrt.flavour'];
  if (!runtime || !flavour) {
    throw new InputError('Not a greenrt image', [
      { file: 'command line', path: '', message: `image "${ref}" has no dev.greenrt.runtime/flavour labels: it was not built by greenrt images build` },
    ]);
  }
  if (flavour === 'cpu') {
    throw new InputError('Not a GPU image', [
      {
        file: 'command line',
        path: '',
        message: `image "${ref}" is the cpu flavour of ${runtime}; the check is for cuda and tensorrt images (greenrt images build --flavour cuda)`,
      },
    ]);
  }
  const run = await runThrowaway(engine, inspect.Id, ['python3', CUDA_CHECK_SCRIPT, runtime, flavour], { timeoutMs: options.timeoutMs ?? 600_000 });
  const record = parseCudaRecord(run.stdout);
  const problems = record ? record.problems : [`the check printed no record (exit ${run.exitCode}): ${lastLines(run.stderr || run.stdout)}`];
  if (record && run.exitCode !== 0 && problems.length === 0) problems.push(`the check exited ${run.exitCode}: ${lastLines(run.stderr)}`);
  return { image: ref, runtime, flavour, record, problems, ok: run.exitCode === 0 && problems.length === 0, durationMs: performance.now() - started };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ') || '(no output)';
}
