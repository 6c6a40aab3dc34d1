/**
 * models: preparing framework models (cache by content hash under artifacts/models/, atomic
 * publish), supplied ONNX files (hash-checked), and the ONNX conversion check
 * (max absolute difference in output units, argmax agreement as a ratio).
 */
export * from './conversion-check.js';
export * from './model-store.js';
