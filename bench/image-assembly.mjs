// Image assembly (issue 21's "assembly adds at most 25 % to a cold build"): the step that turns the classic build of
// an image into the reproducible one, timed on the engine's existing tensorflow and pytorch cpu builds (no build here):
//   - `docker export` of the install stage to nothing (the engine's own read speed at the same time),
//   - assembleImage under a throwaway tag: export -> normalise + hash -> `docker import` of the install layer, the code
//     layer beside it, config, `docker load`; MiB/s over the install layer, and its config digest compared with the
//     real image's (the step must write the same bytes).
// The cold classic build it is compared with is timed by `make images-repro-check` (minutes and the network: not here).
// The images are built first when missing (not timed); an engine without their intermediates is recorded as skipped.
import { readFileSync } from 'node:fs';
import { assembleImage, buildRepository } from '../dist/images/index.js';
import { cpuImage, engine } from './docker-setup.mjs';
import { log, round } from './lib.mjs';

const runtimes = ['tensorflow', 'pytorch'];
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

async function inspectOrNull(eng, ref) {
  return eng.docker
    .getImage(ref)
    .inspect()
    .catch(() => null);
}

/** The install stage of an intermediate: the ancestor whose install-layer cache tag exists. */
async function installStage(eng, intermediate) {
  const repository = buildRepository(intermediate.replace('-build:', ':'));
  for (let id = (await inspectOrNull(eng, intermediate))?.Id; id; id = (await inspectOrNull(eng, id))?.Parent || undefined) {
    if (await inspectOrNull(eng, `${repository}:install-${id.slice(7, 19)}`)) return id;
  }
  return null;
}

async function one(eng, runtime) {
  const image = await cpuImage(runtime);
  const suffix = image.tag.slice(image.tag.lastIndexOf(':') + 1);
  const intermediate = `${buildRepository(image.tag)}:${suffix}`;
  const full = await inspectOrNull(eng, intermediate);
  const installId = full ? await installStage(eng, intermediate) : null;
  if (!full || !installId) return { runtime, skipped: `no classic build ${intermediate} with its install stage on this engine` };
  const real = await inspectOrNull(eng, image.tag);
  const labels = Object.fromEntries(Object.entries(real.Config.Labels).filter(([k]) => /^dev\.greenrt\.(runtime|flavour|context-hash)$/.test(k)));
  const epochS = Number(real.Config.Labels['dev.greenrt.source-date-epoch']);
  const loadBefore = loadAverage();
  // The engine alone: export of the install stage to nothing.
  const container = await eng.docker.createContainer({ Image: installId, Cmd: ['true'], NetworkDisabled: true });
  const te = performance.now();
  let exportBytes = 0;
  try {
    for await (const chunk of await container.export()) exportBytes += chunk.length;
  } finally {
    await container.remove({ force: true });
  }
  const exportS = (performance.now() - te) / 1000;
  const tag = `greenrt-bench/${runtime}:${suffix}`;
  const throwaway = [tag, `${buildRepository(tag)}:install-${installId.slice(7, 19)}`];
  let assembled;
  let installMiB = null;
  try {
    assembled = await assembleImage(eng, {
      installImageId: installId,
      fullImageId: full.Id,
      tag,
      epochS,
      labels,
      progress: (line) => {
        const m = / \((\d+) MiB, /.exec(line);
        if (m) installMiB = Number(m[1]);
      },
    });
  } finally {
    for (const ref of throwaway)
      await eng.docker
        .getImage(ref)
        .remove()
        .catch(() => undefined);
  }
  const t = assembled.timingsMs;
  const row = {
    runtime,
    tag: image.tag,
    installLayerMiB: installMiB,
    exportOnlyS: round(exportS, 1),
    exportOnlyMiBPerS: round(exportBytes / 2 ** 20 / exportS, 0),
    assemblyS: round(t.assembly / 1000, 1),
    installLayerS: round(t.installLayer / 1000, 1),
    codeLayerS: round(t.codeLayer / 1000, 1),
    loadS: round(t.load / 1000, 1),
    installLayerMiBPerS: installMiB === null ? null : round(installMiB / (t.installLayer / 1000), 0),
    configDigest: assembled.configDigest,
    sameConfigDigest: assembled.configDigest === real.Id,
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
  log(
    `assembly ${runtime}: ${row.assemblyS} s (install layer ${row.installLayerMiB} MiB in ${row.installLayerS} s = ${row.installLayerMiBPerS} MiB/s; code ${row.codeLayerS} s beside it; load ${row.loadS} s); export alone ${row.exportOnlyS} s = ${row.exportOnlyMiBPerS} MiB/s; same digest: ${row.sameConfigDigest}`,
  );
  return row;
}

export async function benchImageAssembly() {
  const eng = await engine();
  const rows = [];
  for (const runtime of runtimes) rows.push(await one(eng, runtime));
  const measured = rows.filter((r) => !r.skipped);
  return {
    perImage: rows,
    assemblySTensorflow: rows.find((r) => r.runtime === 'tensorflow')?.assemblyS ?? null,
    assemblySPytorch: rows.find((r) => r.runtime === 'pytorch')?.assemblyS ?? null,
    sameConfigDigests: measured.length > 0 && measured.every((r) => r.sameConfigDigest),
  };
}
