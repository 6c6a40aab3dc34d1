import { EnvironmentError } from '../core/index.js';

/** NVIDIA's package index: the only source of the TensorRT libraries the TensorRT execution provider loads. */
export const DEFAULT_NVIDIA_INDEX = 'https://pypi.nvidia.com';

/** The index to build the tensorrt variant from: GREENRT_NVIDIA_INDEX (a mirror) or NVIDIA's own. */
export function nvidiaIndexUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GREENRT_NVIDIA_INDEX || DEFAULT_NVIDIA_INDEX;
}

/** Why the TensorRT variant needs NVIDIA's index: said the same way by `images build` and the run pre-flight. */
export const TENSORRT_SOURCE_REASON =
  "PyPI carries no TensorRT library (tensorrt-cu12-libs there only redirects to NVIDIA's own index at install time) and Debian has none, so the onnxruntime tensorrt variant installs TensorRT 10.14 from NVIDIA's index";

export const TENSORRT_FIX =
  'Build it on a host that reaches the index (greenrt images build onnxruntime --flavour tensorrt; GREENRT_NVIDIA_INDEX names a mirror) and bring the image here with docker save / docker load, or drop "tensorrt" from the experiment\'s providers.';

/**
 * Throws E_TENSORRT_UNAVAILABLE (exit 3) unless NVIDIA's index answers. Called before building the
 * tensorrt variant, and by the run pre-flight when a plan has tensorrt trials and the image is not on
 * the engine yet, so such a plan fails before any trial, never halfway through.
 */
export async function requireNvidiaIndex(options: { url?: string; timeoutMs?: number; fetchImpl?: typeof fetch } = {}): Promise<void> {
  const url = options.url ?? nvidiaIndexUrl();
  const reason = await probeIndex(url, options.timeoutMs ?? 10_000, options.fetchImpl ?? fetch);
  if (reason === null) return;
  throw new EnvironmentError(
    'E_TENSORRT_UNAVAILABLE',
    `The TensorRT variant of the onnxruntime image cannot be built on this host: NVIDIA's package index ${url} is not reachable (${reason}). ${TENSORRT_SOURCE_REASON}.`,
    { hint: TENSORRT_FIX },
  );
}

/** null when the index answers with a page for tensorrt-cu12-libs; else why not. */
async function probeIndex(url: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<string | null> {
  const page = `${url.replace(/\/+$/, '')}/tensorrt-cu12-libs/`;
  try {
    const response = await fetchImpl(page, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? null : `${page} answered HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer from ${page} within ${timeoutMs} ms`;
    return `${page}: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
  }
}
