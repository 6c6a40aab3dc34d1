/**
 * Number and label formatting shared by the report, the plots and `greenrt compare`. Four significant
 * digits: enough to see a 0.1% difference between runtimes, few enough to read a table.
 */
import type { Interval, ConfigurationKey } from '../analysis/index.js';
import { modelLabel, providerNames, runtimeModes, runtimeNames } from '../catalogue/index.js';

/** 4 significant digits, no exponent between 1e-4 and 1e6; '–' for null or non-finite. */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(digits - 1);
  if (abs >= 10 ** digits) return v.toFixed(0);
  return String(Number(v.toPrecision(digits)));
}

/** "12.34 [12.1, 12.6]" or "12.34" without an interval. */
export function formatWithInterval(v: number | null | undefined, ci: Interval | null | undefined): string {
  const base = formatNumber(v);
  return ci ? `${base} [${formatNumber(ci.lower)}, ${formatNumber(ci.upper)}]` : base;
}

/** p-values: exponent below 0.001 so tiny p stays readable. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}

/**
 * "onnxruntime(pytorch)" for ONNX runtimes, "pytorch" for a framework running its own model, with a non-default
 * execution mode in brackets: "tensorflow [keras-predict]".
 */
export function runtimeLabel(k: Pick<ConfigurationKey, 'runtime' | 'source' | 'mode'>): string {
  const base = k.runtime === k.source ? k.runtime : `${k.runtime}(${k.source})`;
  return k.mode === undefined ? base : `${base} [${k.mode}]`;
}

/** "onnxruntime(pytorch) / tensorrt": a configuration within one model and batch size. */
export function configurationLabel(k: Pick<ConfigurationKey, 'runtime' | 'source' | 'provider'>): string {
  return `${runtimeLabel(k)} / ${k.provider}`;
}

/** Display names of the study's models (catalogue labels). */
export { modelLabel };

const RUNTIME_ORDER = runtimeNames;
const PROVIDER_ORDER = providerNames;

/** Default mode first (-1), then the catalogue's order. */
function modeOrder(k: ConfigurationKey): number {
  return k.mode === undefined ? -1 : runtimeModes(k.runtime).indexOf(k.mode);
}

/** Stable reading order: model as given, batch ascending, runtime, source, provider, mode. */
export function compareKeys(a: ConfigurationKey, b: ConfigurationKey): number {
  return (
    a.batchSize - b.batchSize ||
    RUNTIME_ORDER.indexOf(a.runtime) - RUNTIME_ORDER.indexOf(b.runtime) ||
    RUNTIME_ORDER.indexOf(a.source) - RUNTIME_ORDER.indexOf(b.source) ||
    PROVIDER_ORDER.indexOf(a.provider) - PROVIDER_ORDER.indexOf(b.provider) ||
    modeOrder(a) - modeOrder(b)
  );
}
