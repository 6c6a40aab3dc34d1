/**
 * The catalogue module: catalogue/catalogue.json (runtimes, providers, models) as typed data, the one
 * place runtime and model names are listed. Pure, below every other module except contracts.
 * - `catalogueData`: the catalogue itself (generated copy, catalogue.gen.ts; drift-tested).
 * - `runtimeNames`, `frameworkNames`, `onnxRuntimeNames`, `imageRuntimeNames`, `modelNames`, `providerNames`:
 *   the names in catalogue (= report) order.
 * - `runtimeEntry(name)`, `isOnnxRuntime(name)`, `runtimeProviders(name)`, `imageFlavours(name)`,
 *   `runtimesWithProvider(provider)`, `modelLabel(model)`, `runtimeColour(runtime)`, `aliases()`.
 */
import { catalogueData } from './catalogue.gen.js';

export { catalogueData };
type Runtime = (typeof catalogueData.runtimes)[number];
export type CatalogueRuntimeName = Runtime['name'];
/** Runtimes built as images (every runtime but the in-process embedded one). */
export type CatalogueImageRuntimeName = Exclude<CatalogueRuntimeName, Extract<Runtime, { imageFlavours: readonly [] }>['name']>;

const runtimes: readonly Runtime[] = catalogueData.runtimes;

export const runtimeNames: readonly string[] = runtimes.map((r) => r.name);
export const frameworkNames: readonly string[] = runtimes.filter((r) => r.kind === 'framework').map((r) => r.name);
export const onnxRuntimeNames: readonly string[] = runtimes.filter((r) => r.kind === 'onnx').map((r) => r.name);
export const imageRuntimeNames: readonly CatalogueImageRuntimeName[] = runtimes
  .filter((r) => r.imageFlavours.length > 0)
  .map((r) => r.name as CatalogueImageRuntimeName);
export const modelNames: readonly string[] = catalogueData.models.map((m) => m.name);
export const providerNames: readonly string[] = catalogueData.providers.map((p) => p.name);

export function runtimeEntry(name: string): Runtime | undefined {
  return runtimes.find((r) => r.name === name);
}

/** Runs ONNX exports of the sources an experiment names (rather than its own framework's models). */
export function isOnnxRuntime(name: string): boolean {
  return runtimeEntry(name)?.kind === 'onnx';
}

export function runtimeProviders(name: string): readonly string[] {
  return runtimeEntry(name)?.providers ?? [];
}

/** Image flavours images/<name>/Dockerfile builds; empty for runtimes without an image. */
export function imageFlavours(name: string): readonly string[] {
  return runtimeEntry(name)?.imageFlavours ?? [];
}

export function runtimesWithProvider(provider: string): string[] {
  return runtimes.filter((r) => (r.providers as readonly string[]).includes(provider)).map((r) => r.name);
}

export function modelLabel(model: string): string {
  return catalogueData.models.find((m) => m.name === model)?.label ?? model;
}

/** Plot colour of a runtime; grey for names outside the catalogue. */
export function runtimeColour(runtime: string): string {
  return runtimeEntry(runtime)?.colour ?? '#666666';
}

/** Other spellings users type, mapped to the catalogue name (for "did you mean" hints). */
export function aliases(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of [...runtimes, ...catalogueData.models]) for (const alias of entry.aliases) out[alias] = entry.name;
  return out;
}
