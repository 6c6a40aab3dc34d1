import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EnvironmentError, sha256Hex } from '../../core/index.js';

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

/** The ONNX Runtime shared library a process has mapped. */
export interface OrtLibrary {
  file: string;
  sha256: string;
}

/**
 * The libonnxruntime shared library onnxruntime-node's binding runs on in this process (loaded here if it
 * was not yet), with its SHA-256: one release ships as different builds (npm's links the WebGPU
 * execution provider, PyPI's wheel does not), and LD_LIBRARY_PATH can put another one first. Read from
 * /proc/self/maps, so null off Linux or when onnxruntime-node is not installed.
 */
export function ortLibrary(maps = '/proc/self/maps'): OrtLibrary | null {
  try {
    loadOrt();
  } catch {
    return null;
  }
  let text: string;
  try {
    text = readFileSync(maps, 'utf8');
  } catch {
    return null;
  }
  const line = text.split('\n').find((l) => /\/libonnxruntime\.so[.\d]*$/.test(l));
  if (!line) return null;
  const file = realpathSync(line.slice(line.indexOf('/')));
  return { file, sha256: sha256Hex(readFileSync(file)) };
}
