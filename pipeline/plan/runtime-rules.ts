import { adaptiveIssues } from './adaptive.js';
import {
  allModes,
  defaultMode,
  frameworkNames,
  isOnnxRuntime,
  modeRefusal,
  onnxRuntimeNames,
  runtimeModes,
  runtimeProviders,
  runtimesWithProvider,
} from '../catalogue/index.js';

export { isOnnxRuntime };
/** Runtimes that run ONNX exports of the source frameworks' models (catalogue kind "onnx"). */
export const onnxRuntimes: readonly string[] = onnxRuntimeNames;
/** Runtimes that run their own framework's native model (catalogue kind "framework"). */
export const frameworkRuntimes: readonly string[] = frameworkNames;

/** A rule broken by a combination of otherwise valid values. `path` is a JSON pointer into the experiment. */
export interface CombinationIssue {
  path: string;
  message: string;
  hint?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The rules JSON Schema cannot say well. Pure, and tolerant of data that failed the schema
 * (wrongly typed parts are skipped: the schema reports them), so every problem is found in one pass.
 */
export function combinationIssues(data: unknown): CombinationIssue[] {
  if (!isObj(data)) return [];
  const issues: CombinationIssue[] = [];
  const firstIndexByName = new Map<string, number>();
  const onnxSources = new Set<string>();

  list(data.runtimes).forEach((entry, i) => {
    if (!isObj(entry) || typeof entry.name !== 'string') return;
    const name = entry.name;
    const at = `/runtimes/${i}`;
    const first = firstIndexByName.get(name);
    if (first !== undefined) {
      issues.push({
        path: `${at}/name`,
        message: `duplicate runtime "${name}" (also /runtimes/${first})`,
        hint: 'Merge the two entries: list all providers (and sources) in one.',
      });
    } else firstIndexByName.set(name, i);

    list(entry.providers).forEach((provider, j) => {
      const supported = runtimeProviders(name);
      // Unknown runtimes and providers are the schema's to report.
      if (typeof provider !== 'string' || supported.length === 0 || supported.includes(provider)) return;
      const elsewhere = runtimesWithProvider(provider);
      if (elsewhere.length === 0) return;
      issues.push({
        path: `${at}/providers/${j}`,
        message: `runtime "${name}" only supports provider${supported.length > 1 ? 's' : ''} ${supported.map((p) => `"${p}"`).join(', ')}, not "${provider}"`,
        hint: `Remove "${provider}" here and measure it through ${elsewhere.map((r) => `an "${r}"`).join(' or ')} entry.`,
      });
    });

    const onnx = onnxRuntimes.includes(name);
    const framework = frameworkRuntimes.includes(name);
    if (onnx && entry.sources === undefined) {
      issues.push({
        path: `${at}/sources`,
        message: `runtime "${name}" needs "sources": the frameworks whose ONNX exports it runs`,
        hint: 'Add e.g. `sources: [pytorch, tensorflow]`.',
      });
    } else if (framework && entry.sources !== undefined) {
      issues.push({
        path: `${at}/sources`,
        message: `"sources" is not allowed on framework runtime "${name}": it runs its own native model`,
        hint: `Remove "sources" from this entry (it applies to ${onnxRuntimes.join(', ')} only).`,
      });
    }
    if (onnx) for (const s of list(entry.sources)) if (typeof s === 'string') onnxSources.add(s);
    issues.push(...modeIssues(entry, name, at));
  });

  const seenPrebuilt = new Map<string, number>();
  list(data.prebuiltModels).forEach((p, i) => {
    if (!isObj(p) || typeof p.model !== 'string' || typeof p.source !== 'string') return;
    const key = `${p.model}/${p.source}`;
    const first = seenPrebuilt.get(key);
    if (first !== undefined) {
      issues.push({
        path: `/prebuiltModels/${i}`,
        message: `second prebuilt model for ${p.model} from ${p.source} (also /prebuiltModels/${first})`,
        hint: 'Keep one entry per model and source.',
      });
    } else seenPrebuilt.set(key, i);
    const modelUsed = list(data.models).includes(p.model);
    if (!onnxSources.has(p.source) || !modelUsed) {
      issues.push({
        path: `/prebuiltModels/${i}`,
        message: `prebuilt model ${p.model} from ${p.source} is not run by any ONNX runtime of this experiment`,
        hint: `Remove it, or list "${p.model}" in models and "${p.source}" in the sources of an ${onnxRuntimes.join(' or ')} entry.`,
      });
    }
  });

  const cooldown = isObj(data.power) && isObj(data.power.cooldown) ? data.power.cooldown : undefined;
  if (cooldown && typeof cooldown.minS === 'number' && typeof cooldown.maxS === 'number' && cooldown.minS > cooldown.maxS) {
    issues.push({
      path: '/power/cooldown/minS',
      message: `cool-down minS (${cooldown.minS} s) is longer than maxS (${cooldown.maxS} s)`,
      hint: 'Make maxS at least minS.',
    });
  }
  // Knowable without the host: required power with no source that can measure. Whether a listed
  // source works (RAPL readable, NVML present) is the host's business, checked when the run starts.
  const power = isObj(data.power) ? data.power : undefined;
  if (power?.required === true && Array.isArray(power.sources) && !power.sources.some((s) => typeof s === 'string' && s !== 'none')) {
    issues.push({
      path: '/power/required',
      message: `power.required is true, but power.sources lists no source that measures (${power.sources.length ? '"none" measures nothing' : 'the list is empty'})`,
      hint: 'List a source (nvml, nvidia-smi or rapl) in power.sources, or set required: false.',
    });
  }
  issues.push(...adaptiveIssues(data));
  return issues;
}

/** A runtime entry's `modes`: the runtime has them, each is one of its own, and none is refused in an image it would run in. */
function modeIssues(entry: Obj, name: string, at: string): CombinationIssue[] {
  if (entry.modes === undefined || !Array.isArray(entry.modes)) return [];
  const own = runtimeModes(name);
  if (own.length === 0) {
    if (!frameworkRuntimes.includes(name) && !onnxRuntimes.includes(name)) return []; // unknown runtime: the schema's to report
    return [
      {
        path: `${at}/modes`,
        message: `runtime "${name}" has no execution modes: it runs an ONNX model one way`,
        hint: `Remove "modes" from this entry (modes apply to ${frameworkRuntimes.join(', ')}).`,
      },
    ];
  }
  const issues: CombinationIssue[] = [];
  entry.modes.forEach((mode, j) => {
    if (typeof mode !== 'string') return;
    if (!own.includes(mode)) {
      // An unknown word is the schema's to report; a known mode of another runtime is this rule's.
      if (!allModes().some((m) => m.mode === mode)) return;
      const owner = allModes().find((m) => m.mode === mode)?.runtime;
      issues.push({
        path: `${at}/modes/${j}`,
        message: `runtime "${name}" has no mode "${mode}" (that is a mode of "${owner}")`,
        hint: `Use one of ${own.map((m) => `"${m}"`).join(', ')} (default "${defaultMode(name)}").`,
      });
      return;
    }
    list(entry.providers).forEach((provider) => {
      if (typeof provider !== 'string') return;
      const refused = modeRefusal(name, mode, provider); // the image flavour is named after the provider
      if (refused) {
        issues.push({
          path: `${at}/modes/${j}`,
          message: `mode "${mode}" of runtime "${name}" cannot run with provider "${provider}": ${refused.replace(/\.$/, '')}`,
          hint: `Remove "${mode}" (or provider "${provider}") from this entry; the other modes are ${own
            .filter((m) => m !== mode)
            .map((m) => `"${m}"`)
            .join(', ')}.`,
        });
      }
    });
  });
  return issues;
}
