/**
 * Which configurations a claim covers, independent of what a run measured (so a missing one can be
 * named). Selectors expand to the cross product of their values, with two rules from the matrix:
 * a framework runtime runs its own models (source = runtime; `source` may be left out for it), and
 * a runtime runs only on the providers the catalogue lists for it (TensorRT: ONNX Runtime only).
 */

import { configurationId, type ConfigurationDimension, type ConfigurationKey } from './trial-metrics.js';
import type { Selector } from './claims-file.js';
import { frameworkNames, onnxRuntimeNames, runtimeProviders } from '../catalogue/index.js';

const FRAMEWORKS = new Set(frameworkNames);
const ONNX_RUNTIMES = new Set(onnxRuntimeNames);
const REQUIRED: ConfigurationDimension[] = ['runtime', 'model', 'provider', 'batchSize'];

/** Merge `where` into a side's selector (the side's values win). */
export function mergeSelectors(where: Selector, side: Selector): Selector {
  return { ...where, ...side };
}

/** Dimensions a selector leaves open (source is open only when an ONNX runtime is selected). */
export function missingDimensions(sel: Selector): ConfigurationDimension[] {
  const missing = REQUIRED.filter((d) => !sel[d] || sel[d].length === 0);
  const onnx = (sel.runtime ?? []).some((r) => ONNX_RUNTIMES.has(String(r)));
  if (onnx && (!sel.source || sel.source.length === 0)) missing.push('source');
  return missing;
}

/** Every valid configuration the selector names, deduplicated, in a stable order. */
export function expandSelector(sel: Selector): ConfigurationKey[] {
  const keys = new Map<string, ConfigurationKey>();
  for (const runtime of sel.runtime ?? []) {
    const framework = FRAMEWORKS.has(String(runtime));
    const sources = framework ? [runtime] : (sel.source ?? []);
    // A framework runtime only runs its own models: skip other sources instead of failing.
    if (framework && sel.source && !(sel.source as string[]).includes(runtime)) continue;
    for (const source of sources) {
      for (const provider of sel.provider ?? []) {
        if (!runtimeProviders(String(runtime)).includes(String(provider))) continue;
        for (const model of sel.model ?? []) {
          for (const batchSize of sel.batchSize ?? []) {
            const key = { runtime, source, model, provider, batchSize } as ConfigurationKey;
            keys.set(configurationId(key), key);
          }
        }
      }
    }
  }
  return [...keys.values()];
}

export interface ConfigurationPair {
  a: ConfigurationKey;
  b: ConfigurationKey;
}

/** Pairs (A, B) with equal values on every `match` dimension; A and B never the same configuration. */
export function pairConfigurations(as: ConfigurationKey[], bs: ConfigurationKey[], match: ConfigurationDimension[]): ConfigurationPair[] {
  const pairs: ConfigurationPair[] = [];
  for (const a of as) {
    for (const b of bs) {
      if (configurationId(a) === configurationId(b)) continue;
      if (match.every((d) => a[d] === b[d])) pairs.push({ a, b });
    }
  }
  return pairs;
}

/** Whether the configuration has one of the selector's values on every dimension the selector sets. */
export function selects(sel: Selector, key: ConfigurationKey): boolean {
  return (Object.keys(sel) as ConfigurationDimension[]).every((d) => (sel[d] as (string | number)[] | undefined)?.includes(key[d]) ?? true);
}

/** The configurations of one side (`where` merged with it), less those any `exclude` selector names. */
export function claimConfigurations(where: Selector, side: Selector, exclude: readonly Selector[]): ConfigurationKey[] {
  return expandSelector(mergeSelectors(where, side)).filter((k) => !exclude.some((x) => selects(x, k)));
}
