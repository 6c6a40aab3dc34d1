// Image transport: `saveImages` of the five cpu images into a folder, then `loadImages` of that folder into a second
// Docker engine started here with an empty data root (own network namespace, data root, exec root, pid file and
// socket under a temp folder; no bridge, no iptables), as a fresh cluster node would. Target: save + load of all five under 3 minutes.
// Needs root (dockerd). The images are built first when missing (not timed).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contracts } from '../dist/contracts/index.js';
import { connectDocker } from '../dist/docker/index.js';
import { loadImages, saveImages } from '../dist/images/index.js';
import { cpuImage, engine } from './docker-setup.mjs';
import { log, round } from './lib.mjs';

const runtimes = ['pytorch', 'tensorflow', 'mxnet', 'onnxruntime', 'openvino'];

/**
 * A second, empty Docker engine under `dir`, in a network namespace of its own; resolves to {engine, stop}. The
 * namespace is not optional: dockerd started with `--bridge none` removes the interface docker0 of the namespace
 * it runs in, which would take the first engine's bridge away.
 */
async function emptyEngine(dir) {
  const socket = join(dir, 'docker.sock');
  writeFileSync(join(dir, 'daemon.json'), '{}');
  const child = spawn(
    'unshare',
    [
      '--net',
      '--',
      'dockerd',
      '--config-file',
      join(dir, 'daemon.json'),
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '--host',
      `unix://${socket}`,
      '--bridge',
      'none',
      '--iptables=false',
      '--ip-masq=false',
      '--ip-forward=false',
      '--ip6tables=false',
    ],
    { stdio: 'ignore' },
  );
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 120; i++) {
    try {
      return { engine: await connectDocker({ dockerOptions: { socketPath: socket }, timeoutMs: 1000 }), stop };
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await stop();
  throw new Error('the second dockerd did not answer within 60 s');
}

export async function benchImageTransport({ tags } = {}) {
  const chosen = tags ?? (await Promise.all(runtimes.map((r) => cpuImage(r)))).map((i) => i.tag);
  // Short: the second engine's containerd sockets live under it.
  const dir = mkdtempSync(join(tmpdir(), 'gtr.'));
  const contracts = new Contracts();
  try {
    const source = await engine();
    // The engine's own speed at the same time: `docker save` of the same images to nothing.
    const tb = performance.now();
    for (const tag of chosen) {
      const stream = await source.docker.getImage(tag).get();
      for await (const _chunk of stream) {
        // discarded
      }
    }
    const baselineS = (performance.now() - tb) / 1000;
    const t0 = performance.now();
    const saved = await saveImages(source, chosen, { contracts, outDir: join(dir, 'saved') });
    const saveS = (performance.now() - t0) / 1000;
    const bytes = saved.records.reduce((s, r) => s + r.archive.bytes, 0);
    const second = await emptyEngine(join(dir));
    try {
      const t1 = performance.now();
      const loaded = await loadImages(second.engine, join(dir, 'saved'), { contracts });
      const loadS = (performance.now() - t1) / 1000;
      const byTag = new Map(loaded.map((l) => [l.tag, l]));
      const same = saved.records.every((r) => byTag.get(r.tag)?.action === 'loaded' && byTag.get(r.tag)?.configDigest === r.configDigest);
      for (const l of loaded) {
        const id = (await second.engine.docker.getImage(l.tag).inspect()).Id;
        if (id !== l.configDigest) throw new Error(`${l.tag} loaded as ${id}, saved as ${l.configDigest}`);
      }
      log(
        `image transport: saved ${chosen.length} images (${(bytes / 2 ** 30).toFixed(2)} GiB) in ${saveS.toFixed(1)} s (docker save to nothing: ${baselineS.toFixed(1)} s), loaded into an empty engine in ${loadS.toFixed(1)} s`,
      );
      return {
        images: chosen.length,
        archiveGiB: round(bytes / 2 ** 30, 3),
        saveS: round(saveS, 1),
        loadS: round(loadS, 1),
        saveLoadS: round(saveS + loadS, 1),
        dockerSaveBaselineS: round(baselineS, 1),
        sameConfigDigests: same,
        perImage: saved.transfers.map((t) => ({
          tag: t.tag,
          configDigest: t.configDigest,
          archiveMiB: round(t.archiveBytes / 2 ** 20, 0),
          saveS: round(t.durationMs / 1000, 1),
          loadS: round((byTag.get(t.tag)?.durationMs ?? Number.NaN) / 1000, 1),
        })),
      };
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
