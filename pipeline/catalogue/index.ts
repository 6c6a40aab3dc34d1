/**
 * The catalogue module: catalogue/catalogue.json (runtimes, providers, models) as typed data, the one
 * place runtime and model names are listed. Pure, below every other module except contracts.
 * - `catalogueData`: the catalogue itself (generated copy, catalogue.gen.ts; drift-tested).
 * - `runtimeNames`, `frameworkNames`, `onnxRuntimeNames`, `imageRuntimeNames`, `modelNames`, `providerNames`:
 *   the names in catalogue (= report) order.
 * - `runtimeEntry(name)`, `isOnnxRuntime(name)`, `runtimeProviders(name)`, `imageFlavours(name)`, `trialSpecRuntime(name)`,
 *   `runtimesWithProvider(provider)`, `modelLabel(model)`, `runtimeColour(runtime)`, `aliases()`, `catalogueDebianPackages()`.
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

type Mode = {
  readonly name: string;
  readonly label: string;
  readonly default?: boolean;
  readonly description: string;
  readonly refused?: Readonly<Record<string, string>>;
};
const modesOf = (runtime: string): readonly Mode[] => (runtimeEntry(runtime) as { modes?: readonly Mode[] } | undefined)?.modes ?? [];

/** Execution modes of a runtime, in catalogue order (empty: the runtime has none, e.g. ONNX runtimes). */
export function runtimeModes(runtime: string): readonly string[] {
  return modesOf(runtime).map((m) => m.name);
}

/** The runtime's default mode (its behaviour before modes existed); null for a runtime without modes. */
export function defaultMode(runtime: string): string | null {
  return modesOf(runtime).find((m) => m.default)?.name ?? null;
}

/** Display name of a mode (the name itself when unknown). */
export function modeLabel(runtime: string, mode: string): string {
  return modesOf(runtime).find((m) => m.name === mode)?.label ?? mode;
}

/** Why `mode` cannot run in the runtime's `flavour` image, or null when it can. */
export function modeRefusal(runtime: string, mode: string, flavour: string): string | null {
  return modesOf(runtime).find((m) => m.name === mode)?.refused?.[flavour] ?? null;
}

/** Every mode name with the runtime that has it. */
export function allModes(): { runtime: string; mode: string }[] {
  return runtimes.flatMap((r) => modesOf(r.name).map((m) => ({ runtime: r.name, mode: m.name })));
}

/**
 * The runtime a trial spec names for `runtime`: its own name, or for an in-process runtime its `specRuntime`
 * (embedded runs ONNX Runtime in this process, so its specs say onnxruntime).
 */
export function trialSpecRuntime(runtime: string): CatalogueImageRuntimeName {
  const entry = runtimeEntry(runtime) as { specRuntime?: string } | undefined;
  return (entry?.specRuntime ?? runtime) as CatalogueImageRuntimeName;
}

/** Debian package name patterns (`*`: any text) that every runtime and provider of the catalogue names (`debianPackages`). */
export function catalogueDebianPackages(): string[] {
  return [...catalogueData.providers, ...runtimes].flatMap((e) => [...e.debianPackages]);
}
