/**
 * `greenrt ae pack` and `greenrt ae load`: thin; the work is in pipeline/ae (packArtifact, loadArtifact), which
 * calls pipeline/images for the image bytes.
 */
import { resolve } from 'node:path';
import { loadArtifact, packArtifact } from '../ae/index.js';
import { Contracts } from '../contracts/index.js';
import { ExitCode, escapeText } from '../core/index.js';
import { connectDocker } from '../docker/index.js';
import { createProgress } from './progress.js';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Packs the reference runs into a new folder and prints the hashes to quote. Exit 0 packed; 4 a run not intact; 2 bad input; 3 no Docker. */
export async function aePackCommand(runDirs: string[], out: string): Promise<number> {
  const progress = createProgress();
  const packed = await packArtifact(
    runDirs.map((d) => resolve(d)),
    out,
    { contracts: new Contracts(), engine: () => connectDocker(), progress: (line) => progress.status(line) },
  );
  progress.done();
  const r = packed.record;
  const lines = [
    `Packed ${r.runs.length} reference run(s), ${r.images.length} image(s), ${r.models.length} prepared model(s) and the source (${r.source.method}${r.source.commit ? ` of ${r.source.commit}` : ''}) into ${packed.out}: ${mib(r.totalBytes)} in ${(packed.durationMs / 1000).toFixed(1)} s.`,
    ...(r.source.note ? [`Source: ${r.source.note}`] : []),
    '',
    'Hashes to quote (e.g. in the paper or the archive record):',
    `  SHA256SUMS  sha256:${packed.sumsSha256}  (covers every other file of the pack)`,
    ...r.runs.map((run) => `  run ${run.runId}  manifest.json sha256:${run.manifestSha256}  (greenrt verify's trust anchor)`),
    ...r.images.map((i) => `  image ${i.tag}  config digest ${i.configDigest}`),
    '',
    `Next: archive the folder (Zenodo: its .zenodo.json is the deposit metadata); an evaluator runs greenrt ae load ${escapeText(packed.out, 300)} and follows ARTIFACT.md.`,
  ];
  process.stdout.write(`${lines.map((l) => escapeText(l, 2000)).join('\n')}\n`);
  return ExitCode.ok;
}

/** Checks every sum, loads the images the engine lacks and places the models. Exit 0 loaded; 4 a file not its sum (nothing loaded); 2 malformed; 3 no Docker. */
export async function aeLoadCommand(dir: string, opts: { artifacts: string }): Promise<number> {
  const progress = createProgress();
  const loaded = await loadArtifact(resolve(dir), {
    contracts: new Contracts(),
    artifactsDir: resolve(opts.artifacts),
    engine: () => connectDocker(),
    progress: (line) => progress.status(line),
  });
  progress.done();
  const lines = [
    `${loaded.files} files (${mib(loaded.bytes)}): every file matches SHA256SUMS.`,
    ...loaded.images.map((t) => `  image ${t.tag}  ${t.action}  ${t.configDigest}${t.action === 'loaded' ? ` (${(t.durationMs / 1000).toFixed(1)} s)` : ''}`),
    ...loaded.models.map((m) => `  model ${m.folder}  ${m.action}  ${m.target}`),
    `Loaded in ${(loaded.durationMs / 1000).toFixed(1)} s. Next (ARTIFACT.md): greenrt ae check ${loaded.record.runs.map((r) => `${escapeText(dir, 200)}/${r.experiment}`).join(' ')}`,
    `then greenrt run <experiment> --artifacts ${escapeText(opts.artifacts, 200)},`,
    `and greenrt ae evaluate <new run> --reference ${escapeText(dir, 200)}/${loaded.record.runs[0]!.folder}.`,
  ];
  process.stdout.write(`${lines.map((l) => escapeText(l, 2000)).join('\n')}\n`);
  return ExitCode.ok;
}
