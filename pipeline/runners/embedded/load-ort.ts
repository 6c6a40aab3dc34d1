import { createRequire } from 'node:module';
import { EnvironmentError } from '../../core/index.js';

type Ort = typeof import('onnxruntime-node');
let cached: Ort | null = null;

/**
 * onnxruntime-node, loaded on first use only (the embedded runtime and the conversion check): the
 * portable GPU bundle leaves it out, and everything else must run without it.
 */
export function loadOrt(): Ort {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)('onnxruntime-node') as Ort;
    return cached;
  } catch (error) {
    throw new EnvironmentError('E_ORT_MISSING', `onnxruntime-node cannot be loaded: ${(error as Error).message.split('\n')[0]}.`, {
      hint: 'Install greenrt with npm (npm ci) to use the embedded runtime and the ONNX conversion check; the portable GPU bundle does not include onnxruntime-node.',
      cause: error,
    });
  }
}

/** onnxruntime-node's version, or null when it is not installed. */
export function ortVersion(): string | null {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}
