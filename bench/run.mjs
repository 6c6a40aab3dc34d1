#!/usr/bin/env node
// `make bench`: greenrt's overhead benchmarks, side by side in one run, written to
// bench/results/latest.json (and a dated copy). See docs/PERFORMANCE.md for the targets and figures.
//
//   node bench/run.mjs [--only a,b] [--skip a,b] [--quick] [--wait-quiet S] [--out file] [--merge]
//   sections: harness, ort, monitor, orchestration, startup, images, transport, assembly, scaling, hostile, campaign, cluster
//
// --merge: keep the sections of the existing output file that this run did not measure (their figures, and
// the machine and time they were measured with, stay as they were; `mergedSections` says which came from here).
//
// --wait-quiet S: before the noise-sensitive sections (ort, harness), wait up to S seconds for the
// host's other work to drop under 25 % of its CPU (the wait and the level reached are recorded).
// Sections that need Docker are recorded as skipped (with the reason) when no engine answers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchHarnessOverhead } from './harness-overhead.mjs';
import { benchEmbeddedVsPython } from './ort-embedded-vs-python.mjs';
import { benchMonitorCpu } from './monitor-cpu.mjs';
import { benchOrchestration } from './orchestration.mjs';
import { benchStartup } from './container-start.mjs';
import { benchImageCache } from './image-cache.mjs';
import { benchImageTransport } from './image-transport.mjs';
import { benchImageAssembly } from './image-assembly.mjs';
import { benchScaling } from './scaling.mjs';
import { benchHostileInput } from './hostile-input.mjs';
import { benchCampaign } from './campaign.mjs';
import { benchCluster } from './cluster.mjs';
import { headline, targets } from './targets.mjs';
import { benchDir, exec, idleCheck, log, machine, round, withHostLoad } from './lib.mjs';

const sections = {
  images: { docker: true, run: benchImageCache },
  transport: { docker: true, run: benchImageTransport },
  assembly: { docker: true, run: benchImageAssembly },
  monitor: { docker: false, run: benchMonitorCpu },
  ort: { docker: true, sensitive: true, run: benchEmbeddedVsPython },
  harness: { docker: true, sensitive: true, run: benchHarnessOverhead },
  startup: { docker: true, run: benchStartup },
  orchestration: { docker: false, run: benchOrchestration },
  scaling: { docker: false, run: benchScaling },
  hostile: { docker: false, run: benchHostileInput },
  campaign: { docker: false, run: benchCampaign },
  cluster: { docker: false, run: benchCluster },
};

const usage = `Usage: node bench/run.mjs [--only a,b] [--skip a,b] [--quick] [--wait-quiet S] [--out FILE] [--merge]

greenrt's overhead benchmarks (make bench), every section by default, written to bench/results/latest.json (and a
dated copy beside it when writing that default file); each headline figure is checked against its target
(docs/PERFORMANCE.md).

  --only a,b       run these sections only
  --skip a,b       run every section but these
  --quick          fewer rounds and inferences (a smoke run; its figures are not for the targets)
  --wait-quiet S   before the noise-sensitive sections (ort, harness), wait up to S seconds for the host's
                   other work to drop under 25 % of its CPU (the wait and the level reached are recorded)
  --out FILE       write here instead of bench/results/latest.json
  --merge          keep the sections of FILE this run did not measure
  -h, --help       this text

Sections: ${Object.keys(sections).join(', ')}
Exit: 0 written (a missed target, or a section that failed, is reported in the file and the table), 2 bad arguments.
`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      only: { type: 'string' },
      skip: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'wait-quiet': { type: 'string', default: '0' },
      out: { type: 'string', default: join(benchDir, 'results', 'latest.json') },
      merge: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  process.stderr.write(`${error.message}\n\n${usage}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const only = values.only ? values.only.split(',') : Object.keys(sections);
const skip = values.skip ? values.skip.split(',') : [];
const unknown = [...only, ...skip].filter((s) => !(s in sections));
if (unknown.length) {
  process.stderr.write(`Unknown section(s): ${unknown.join(', ')}. Known: ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}

const startedAt = new Date();
const startedMs = performance.now();
const dockerUp = (await exec('docker', ['info', '--format', '{{.ServerVersion}}']).catch(() => ({ code: 1 }))).code === 0;
const quietBefore = await idleCheck(3000);
log(`host busy share before the benchmarks (other work): ${quietBefore?.busyShare ?? 'unknown'}`);

const results = {};
for (const [name, section] of Object.entries(sections)) {
  if (!only.includes(name) || skip.includes(name)) continue;
  if (section.docker && !dockerUp) {
    results[name] = { skipped: 'no Docker engine answered `docker info`' };
    log(`${name}: skipped (no Docker engine)`);
    continue;
  }
  let quiet = null;
  if (section.sensitive && Number(values['wait-quiet']) > 0) quiet = await waitQuiet(Number(values['wait-quiet']));
  log(`${name}: start`);
  const t0 = performance.now();
  try {
    const { value, host } = await withHostLoad(() => section.run({ quick: values.quick }));
    results[name] = { ...value, sectionWallS: round((performance.now() - t0) / 1000, 1), hostDuringSection: host, ...(quiet ? { waitedForQuiet: quiet } : {}) };
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } catch (error) {
    results[name] = { error: String(error?.stack ?? error).slice(0, 3000) };
    log(`${name}: FAILED: ${String(error?.message ?? error).slice(0, 500)}`);
  }
}

const thisMachine = { ...(await machine()), hostBusyShareBefore: quietBefore?.busyShare ?? null, hostStealShareBefore: quietBefore?.stealShare ?? null };
let document = {
  schemaVersion: 1,
  generatedAt: startedAt.toISOString(),
  quick: values.quick,
  totalWallS: round((performance.now() - startedMs) / 1000, 1),
  machine: thisMachine,
  ...headline(results),
  targets,
  sections: results,
};
if (values.merge && existsSync(values.out)) {
  // The earlier file's sections stay; this run's replace theirs and are stamped with when and where they ran.
  const earlier = JSON.parse(readFileSync(values.out, 'utf8'));
  const sectionsMerged = { ...earlier.sections };
  for (const [name, value] of Object.entries(results)) sectionsMerged[name] = { ...value, measuredAt: startedAt.toISOString(), machine: thisMachine };
  const figures = Object.fromEntries(Object.entries(headline(sectionsMerged)).filter(([k, v]) => v !== null || k in earlier || k in targets));
  document = {
    ...earlier,
    ...figures,
    targets,
    sections: sectionsMerged,
    mergedSections: { ...(earlier.mergedSections ?? {}), ...Object.fromEntries(Object.keys(results).map((n) => [n, startedAt.toISOString()])) },
  };
}
mkdirSync(join(benchDir, 'results'), { recursive: true });
const text = `${JSON.stringify(document, null, 2)}\n`;
writeFileSync(values.out, text);
// A dated copy beside latest.json (not committed) when writing the default file.
if (!values.out || values.out === join(benchDir, 'results', 'latest.json'))
  writeFileSync(join(benchDir, 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), text);
for (const [key, t] of Object.entries(targets)) {
  const v = document[key];
  const verdict = v === null || v === undefined ? 'not measured' : (t.op === '<=' ? v <= t.value : v >= t.value) ? 'met' : 'MISSED';
  process.stdout.write(`${key.padEnd(34)} ${String(v).padEnd(10)} target ${t.op} ${t.value}: ${verdict}\n`);
}
process.stdout.write(`Wrote ${values.out} (${values.merge ? `merged: ${Object.keys(results).join(', ')}` : `${document.totalWallS} s`})\n`);

/** Polls the host's busy share (this process idle) until under 0.25 or `maxS` passed. */
async function waitQuiet(maxS) {
  const started = performance.now();
  let level = await idleCheck(3000);
  while (level && level.busyShare > 0.25 && performance.now() - started < maxS * 1000) {
    log(`waiting for a quieter host (busy share ${level.busyShare})`);
    level = await idleCheck(5000);
  }
  return { waitedS: round((performance.now() - started) / 1000, 1), busyShareAtStart: level?.busyShare ?? null };
}
