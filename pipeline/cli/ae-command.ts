/**
 * `greenrt ae …`: the artifact evaluator's commands. Thin: host facts and files are gathered here, every decision
 * is made in pipeline/ae.
 */
import { basename, dirname, join, relative, resolve } from 'node:path';
import { claimCoverage, evaluateRuns, forecastClaims, renderEvaluationMarkdown, type ClaimForecast, type HostFacts } from '../ae/index.js';
import { configurationId, parseClaimsYaml, type Claim } from '../analysis/index.js';
import { claimsFileOf, loadExperiment, maxDocumentBytes } from '../config/index.js';
import { Contracts, packageRoot, SchemaId } from '../contracts/index.js';
import { ExitCode, escapeText, readInputFile, sha256File, systemClock } from '../core/index.js';
import { ensureFolder, writeFileAtomic, writeJsonFile } from '../results/index.js';
import { openRunFolder, processIo } from './report-command.js';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { describeImage, imageContext, inspectImageOrNull } from '../images/index.js';
import { estimateDurationRangeS, formatDuration, planRun, type RunPlan } from '../plan/index.js';
import { listGpus, probePowerSources } from '../power/index.js';
import { caBundleFromEnv } from './images-command.js';

/** The tiers an evaluator runs, in order (docs/EVALUATING.md): checked when `ae check` is given no experiment. */
export const AE_TIERS = ['experiments/ae/smoke.yaml', 'experiments/ae/gpu-smoke.yaml', 'experiments/ae/core.yaml', 'experiments/paper.yaml'] as const;

interface LoadedTier {
  name: string;
  plan: RunPlan;
  runner: string;
  claimsFile: string | null;
  claims: Claim[];
}

/** `greenrt ae check [experiment…]`: one line per claim, testable here or not and why, and each tier's estimate. Exit 0 ready, 3 something missing. */
export async function aeCheckCommand(files: string[]): Promise<number> {
  const contracts = new Contracts();
  const list = files.length > 0 ? files.map((f) => resolve(f)) : AE_TIERS.map((f) => resolve(packageRoot, f));
  const tiers: LoadedTier[] = [];
  for (const file of list) {
    const loaded = await loadExperiment(file, contracts);
    const claimsFile = claimsFileOf(loaded.file, loaded.spec.claims);
    const claims =
      claimsFile === null
        ? []
        : parseClaimsYaml((await readInputFile(claimsFile, maxDocumentBytes, { within: dirname(claimsFile) })).toString('utf8'), shown(claimsFile), contracts)
            .claims;
    tiers.push({ name: shown(file), plan: planRun(loaded.spec), runner: loaded.spec.runner, claimsFile, claims });
  }
  const host = await hostFacts(tiers);
  const out: string[] = [hostLine(host)];
  let missing = false;
  for (const tier of tiers) {
    const range = estimateDurationRangeS(tier.plan);
    const estimate = range.minS === range.maxS ? formatDuration(range.maxS) : `${formatDuration(range.minS)} to ${formatDuration(range.maxS)}`;
    out.push(
      '',
      `${tier.name}: ${range.maxTrials === range.minTrials ? range.maxTrials : `${range.minTrials}..${range.maxTrials}`} trials, estimated ${estimate} (greenrt's own estimator; \`greenrt validate\` says how)`,
    );
    if (tier.claimsFile === null) {
      out.push('  no claims file (claims: null)');
      continue;
    }
    const planned = new Set(
      tier.plan.trials.map((t) =>
        configurationId({
          runtime: t.config.runtime,
          source: t.config.source,
          model: t.config.model,
          provider: t.config.provider,
          batchSize: t.config.batchSize,
        }),
      ),
    );
    const forecasts = forecastClaims(tier.claims, claimCoverage(tier.claims, planned), host);
    const toBuild = [...new Set(tier.plan.images.map((i) => `${i.runtime}:${i.flavour}`))].filter(
      (k) => host.images[k]?.present === false && !k.endsWith(':tensorrt'),
    );
    if (toBuild.length) out.push(`  images not built yet (the first run builds them; \`greenrt images build\` does it ahead): ${toBuild.join(', ')}`);
    out.push(`  claims: ${shown(tier.claimsFile)}; ${countLine(forecasts)}`);
    for (const f of forecasts)
      out.push(`  ${LABEL[f.testability]} ${f.scope === 'reproduction' ? 'R' : 'E'} ${f.id}${f.reasons.length ? `: ${f.reasons.join('; ')}` : ''}`);
    if (forecasts.some((f) => f.hostMissing)) missing = true;
  }
  out.push(
    '',
    'Legend: R reproduction claim (the study stated it), E extension (greenrt asks more; never counts towards reproducing the study).',
    missing
      ? 'Not ready: some claims cannot be tested on this host (the reasons above name what is missing and the fix). Exit 3.'
      : 'Ready: every claim these experiments run can be tested on this host.',
  );
  process.stdout.write(`${out.map((l) => escapeText(l, 4000)).join('\n')}\n`);
  return missing ? ExitCode.missingEnvironment : ExitCode.ok;
}

const LABEL: Record<ClaimForecast['testability'], string> = {
  testable: '[ testable      ]',
  'gpu-energy-only': '[ GPU energy    ]',
  'not testable here': '[ NOT TESTABLE  ]',
  'not in this experiment': '[ not in tier   ]',
};

function countLine(f: ClaimForecast[]): string {
  const n = (t: ClaimForecast['testability']) => f.filter((x) => x.testability === t).length;
  return `${n('testable')} testable, ${n('gpu-energy-only')} on GPU energy only, ${n('not testable here')} not testable here, ${n('not in this experiment')} not run by this experiment (of ${f.length})`;
}

function hostLine(h: HostFacts): string {
  const gpus = h.gpus.length ? h.gpus.map((g) => `${g.name ?? 'GPU'} (cc ${g.computeCapability ?? '?'})`).join(', ') : 'none';
  return `Host: GPUs ${gpus}; CPU energy (RAPL) ${h.cpuEnergy ? 'yes' : 'no'}; GPU energy (NVML/nvidia-smi) ${h.gpuEnergy ? 'yes' : 'no'}; Docker ${h.docker === null ? 'not needed' : h.docker ? 'answers' : 'does not answer'}.`;
}

/** What this host has that the tiers need: GPUs, power sources, the engine and the plans' images (described when a GPU could run them). */
async function hostFacts(tiers: LoadedTier[]): Promise<HostFacts> {
  const statuses = await probePowerSources({ clock: systemClock });
  const works = (names: string[]) => statuses.some((s) => names.includes(s.source) && s.available && s.domains.length > 0);
  const inventory = await listGpus();
  const gpus = inventory.gpus.map((g) => ({ name: g.name, computeCapability: g.computeCapability }));
  const docker = tiers.some((t) => t.runner === 'docker');
  const facts: HostFacts = { gpus, cpuEnergy: works(['rapl']), gpuEnergy: works(['nvml', 'nvidia-smi']), docker: docker ? false : null, images: {} };
  if (!docker) return facts;
  let engine: DockerEngine;
  try {
    engine = await connectDocker({ timeoutMs: 5000 });
  } catch {
    return facts;
  }
  facts.docker = true;
  const caBundlePath = caBundleFromEnv();
  const needed = new Map<string, RunPlan['images'][number]>();
  for (const t of tiers) if (t.runner === 'docker') for (const i of t.plan.images) needed.set(`${i.runtime}:${i.flavour}`, i);
  for (const [key, image] of needed) {
    const { ctx } = imageContext({ runtime: image.runtime, flavour: image.flavour, ...(caBundlePath ? { caBundlePath } : {}) });
    const inspect = await inspectImageOrNull(engine, ctx.tag);
    let archs: string[] | null = null;
    if (inspect && image.flavour !== 'cpu' && gpus.length > 0) {
      archs = (await describeImage(engine, inspect.Id, { cacheDir: resolve(packageRoot, '.build', 'images') }).catch(() => null))?.cuda?.archs ?? null;
    }
    facts.images[key] = { present: inspect !== null, archs };
  }
  return facts;
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export interface AeEvaluateOptions {
  reference: string;
  /** Claims file to evaluate on both runs (default: the one the evaluator's run names). */
  claims?: string;
  /** Folder for evaluation.md and evaluation.json (default: evaluation-<run>-vs-<reference> beside the run). */
  out?: string;
}

/**
 * `greenrt ae evaluate <run> --reference <run>`: both folders verified first (a damaged one is refused, exit 2),
 * then evaluation.md and evaluation.json. Exit 0 every testable claim agrees, 4 one contradicts, 3 none testable.
 */
export async function aeEvaluateCommand(runDir: string, opts: AeEvaluateOptions): Promise<number> {
  const contracts = new Contracts();
  const run = await openRunFolder(runDir, contracts, processIo, 'ae evaluate');
  const reference = run && (await openRunFolder(opts.reference, contracts, processIo, 'ae evaluate'));
  if (!run || !reference) return ExitCode.badInput;
  const claimsFile = opts.claims ? resolve(opts.claims) : claimsFileOf(run.manifest.experiment.file, run.manifest.experiment.spec.claims);
  if (claimsFile === null) {
    process.stderr.write(`greenrt ae evaluate: run ${run.manifest.runId} checks no claims (claims: null); pass --claims <file.claims.yaml>.\n`);
    return ExitCode.badInput;
  }
  let text: string;
  try {
    // The safe reader: the run's manifest may come from someone else (a FIFO would hang, a link would be quoted).
    text = (await readInputFile(claimsFile, maxDocumentBytes, { within: dirname(claimsFile) })).toString('utf8');
  } catch (error) {
    process.stderr.write(
      `greenrt ae evaluate: cannot read the claims file ${escapeText(claimsFile, 300)} (${(error as Error).message.split('\n')[0]}); pass --claims <file.claims.yaml> (e.g. the one beside the experiment in the artifact).\n`,
    );
    return ExitCode.badInput;
  }
  const claims = parseClaimsYaml(text, shown(claimsFile), contracts).claims;
  const evidence = async (dir: string, r: NonNullable<typeof run>) => ({
    folder: dir,
    manifest: r.manifest,
    manifestSha256: await sha256File(join(resolve(dir), 'manifest.json')),
    results: r.results,
  });
  const evaluation = evaluateRuns(await evidence(runDir, run), await evidence(opts.reference, reference), claims, shown(claimsFile), new Date());
  const out = resolve(opts.out ?? join(dirname(resolve(runDir)), `evaluation-${basename(resolve(runDir))}-vs-${reference.manifest.runId}`));
  await ensureFolder(out);
  await writeJsonFile(contracts, SchemaId.aeEvaluation, join(out, 'evaluation.json'), evaluation);
  await writeFileAtomic(join(out, 'evaluation.md'), renderEvaluationMarkdown(evaluation));
  const r = evaluation.counts.reproduction;
  const x = evaluation.counts.extension;
  process.stdout.write(
    `${evaluation.hosts.differences.length ? `Hosts differ in: ${evaluation.hosts.differences.map((d) => d.what).join(', ')}.` : 'Hosts: no differences recorded.'}\n` +
      evaluation.claims.map((k) => `  ${k.outcome.padEnd(17)} ${k.scope === 'reproduction' ? 'R' : 'E'} ${k.id}`).join('\n') +
      `\nReproduction: ${r.agrees} agree, ${r.contradicts} contradict, ${r.notTestable} not testable here, ${r.undecided} undecided; extension: ${x.agrees} agree, ${x.contradicts} contradict, ${x.notTestable} not testable here, ${x.undecided} undecided.\n` +
      `${evaluation.badge}\nWrote ${shown(join(out, 'evaluation.md'))} and evaluation.json.\n`,
  );
  return evaluation.exitCode;
}
