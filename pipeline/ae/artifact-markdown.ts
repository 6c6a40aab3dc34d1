/**
 * ARTIFACT.md and .zenodo.json of an artifact pack, from its record (artifact.json). Pure: the record carries every
 * fact (runs, hosts, claims with the reference verdicts, estimates, digests); nothing here reads a file.
 */
import type { AeArtifactFile } from '../contracts/index.js';
import { formatDuration } from '../plan/index.js';

type PackedRun = AeArtifactFile['runs'][number];

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function estimate(run: PackedRun): string {
  const { minS, maxS } = run.estimate;
  return minS === maxS ? formatDuration(maxS) : `${formatDuration(minS)} to ${formatDuration(maxS)}`;
}

/** The folder the evaluator's run of `run` lands in: artifacts/<experiment name>-<timestamp>-<id>. */
function runCommand(run: PackedRun): string {
  return `greenrt run <pack>/${run.experiment} --artifacts artifacts`;
}

/** The text of ARTIFACT.md: getting started, then one step per reference run (claims, command, time, expected outcome). */
export function renderArtifactMarkdown(a: AeArtifactFile): string {
  const out: string[] = [];
  const quick = [...a.runs].sort((x, y) => x.estimate.maxS - y.estimate.maxS)[0]!;
  out.push(
    '# Artifact: greenrt reference runs',
    '',
    `Packed ${a.packedAt} by greenrt ${a.greenrt.version} (\`greenrt ae pack\`). Everything below was generated from the runs' own records;`,
    '`artifact.json` holds the same facts for programs. Read docs/EVALUATING.md in the source for the evaluation rules.',
    '',
    '## Getting started (about 30 minutes)',
    '',
    'You need Node 20, and Docker where a run below says so. Nothing needs the network once the pack is loaded.',
    '',
    '1. Check the pack and load what it carries (every file against `SHA256SUMS`, the images the Docker engine lacks, the',
    '   prepared models into `artifacts/models/`):',
    '   ```',
    '   mkdir greenrt && tar -xf source.tar -C greenrt && cd greenrt && ONNXRUNTIME_NODE_INSTALL=skip npm ci   # or your own checkout of the same commit',
    '   npx greenrt ae load <pack> --artifacts artifacts',
    '   ```',
    '   Expected: "every file matches SHA256SUMS", then one line per image (loaded or present) and per model. Exit 0;',
    '   4 when a file is not what SHA256SUMS says, 2 when SHA256SUMS or artifact.json is damaged.',
    `2. What this host can test: \`greenrt ae check ${a.runs.map((r) => `<pack>/${r.experiment}`).join(' ')}\` (one line per claim; exit 0 ready, 3 something missing, named).`,
    `3. The shortest run (${quick.runId}, greenrt's estimate ${estimate(quick)}): \`${runCommand(quick)}\`, then`,
    `   \`greenrt ae evaluate artifacts/<the new run> --reference <pack>/${quick.folder}\`. Expected: every testable claim "agrees", exit 0.`,
    '',
    '## Step by step: claims, runs, commands, time, expected outcome',
    '',
  );
  for (const run of a.runs) {
    out.push(
      `### ${run.runId}`,
      '',
      `- Experiment: \`${run.experiment}\` (SHA-256 ${run.experimentSha256}), ${run.trials} trials; claims: ${run.claimsFile ? `\`${run.claimsFile}\`` : 'none'}.`,
      `- Time: greenrt's own estimate for one node ${estimate(run)} (\`greenrt validate <pack>/${run.experiment}\` says how it is made).`,
      `- Command: \`${runCommand(run)}\`, then \`greenrt ae evaluate artifacts/<the new run> --reference <pack>/${run.folder}\`.`,
      `- Reference: \`${run.folder}\` (check it with \`greenrt verify <pack>/${run.folder}\`; its manifest's SHA-256 is ${run.manifestSha256}).`,
      '',
    );
    if (run.claims.length) {
      out.push('| claim | scope | statement | reference verdict | expected on your run |', '| --- | --- | --- | --- | --- |');
      for (const c of run.claims)
        out.push(
          `| ${c.id} | ${c.scope} | ${c.text.replace(/\|/g, '\\|')} | ${c.verdict} | ${c.verdict === 'inconclusive' ? 'undecided here too, or decided with more trials' : 'agrees (the same verdict)'} |`,
        );
      out.push('');
    }
  }
  out.push(
    '## Reference hardware',
    '',
    '| run | CPU | CPUs | memory | kernel | GPUs | Docker | energy measured by |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...a.runs.map(
      (r) =>
        `| ${r.runId} | ${r.host.cpuModel} | ${r.host.cpuCount} | ${(r.host.memoryMiB / 1024).toFixed(1)} GiB | ${r.host.kernel} | ${r.host.gpus.join(', ') || 'none'} | ${r.host.docker ?? 'not used'} | ${r.host.energy} |`,
    ),
    '',
    '## What is exact and what is not',
    '',
    '- Exact (checked by hash): the source (`source.tar`, ' +
      (a.source.method === 'git-archive' ? `\`git archive\` of commit ${a.source.commit}` : `the package's files: ${a.source.note ?? 'no git history'}`) +
      (a.source.dirty ? '; the runs recorded uncommitted changes, so what ran may differ from the archive' : '') +
      '), the experiment and claims files, the prepared models, the images (identified by config digest; `ae load` refuses an archive that is not its digest), the seeded trial order.',
    '- Not exact: latencies and joules. They differ across hosts (CPU, GPU, driver, load) and between repetitions on one host;',
    '  the claims carry the result, each with its tolerance written in its claims file. `greenrt ae evaluate` compares',
    '  verdicts, rankings and ratios, and judges absolute numbers only when GPU model and driver match.',
    '- Energy: measured only where the host exposes a counter (RAPL for CPU, NVML for NVIDIA GPUs). Without one an energy',
    '  check reads "not testable here" (with the reason), never 0.',
    '',
    '## Hashes to quote',
    '',
    '- The SHA-256 of `SHA256SUMS` (printed by `greenrt ae pack`; it covers every other file).',
    ...a.runs.map((r) => `- ${r.runId}: manifest.json SHA-256 ${r.manifestSha256} (\`greenrt verify\`'s trust anchor).`),
    ...a.images.map((i) => `- ${i.tag}: config digest ${i.configDigest} (${mib(i.bytes)} archive).`),
    '',
    '## Contents',
    '',
    `- \`runs/\`: ${a.runs.length} reference run folder(s); \`images/\`: ${a.images.length} image archive(s) with their records;` +
      ` \`models/\`: ${a.models.length} prepared model(s); \`${a.source.file}\`; experiment files: ${a.experimentFiles.map((f) => `\`${f}\``).join(', ') || 'none'}.`,
    `- \`CITATION.cff\`, \`.zenodo.json\` (archive metadata), \`artifact.json\` (schemas/ae-artifact.schema.json), \`SHA256SUMS\`. ${mib(a.totalBytes)} in all.`,
    '',
  );
  return out.join('\n');
}

/** The pack's .zenodo.json: the repository's metadata with a description that names the runs and the hashes. */
export function zenodoMetadata(base: Record<string, unknown>, a: AeArtifactFile): Record<string, unknown> {
  const runs = a.runs.map((r) => `${r.runId} (manifest SHA-256 ${r.manifestSha256})`).join('; ');
  const images = a.images.map((i) => `${i.tag} = ${i.configDigest}`).join('; ');
  return {
    ...base,
    upload_type: 'software',
    version: a.greenrt.version,
    description:
      `${String(base.description ?? 'greenrt')} This archive holds reference runs made with greenrt ${a.greenrt.version}` +
      `${a.source.commit ? ` at commit ${a.source.commit}` : ''}, the images and prepared models they used, and the source; ARTIFACT.md says how to evaluate them. ` +
      `Runs: ${runs}.${images ? ` Images (config digests): ${images}.` : ''}`,
  };
}
