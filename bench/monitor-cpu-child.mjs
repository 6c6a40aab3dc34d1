// One measurement of the power monitor's own CPU cost, in a fresh Node process:
//   node bench/monitor-cpu-child.mjs <hz|none|timer<hz>> <seconds>   -> one JSON line
// The monitor (PowerMeasurement, as the orchestrator opens it) samples a fixture RAPL tree of real
// files while a trial-like sleep runs; CPU time of this whole process / the trial's wall time.
// 'none' measures the same sleep without a monitor: Node's own idle floor; 'timer<hz>' an empty
// setTimeout chain at that rate: the floor any sampler pays to wake up.
import { systemClock } from '../dist/core/index.js';
import { PowerMeasurement } from '../dist/power/index.js';
import { createPowercapTree } from './fixture-powercap.mjs';

const [hzArg, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const tree = createPowercapTree();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const share = (cpu, wallNs) => (cpu.user + cpu.system) / 1000 / (Number(wallNs) / 1e6);

let result;
if (hzArg.startsWith('timer')) {
  // An empty timer chain at the same rate: what waking the event loop costs on this host.
  const hz = Number(hzArg.slice('timer'.length));
  let stop = false;
  const chain = (async () => {
    while (!stop) await sleep(1000 / hz);
  })();
  await sleep(1000);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  result = { hz, timerOnly: true, cpuShare: share(process.cpuUsage(cpu0), process.hrtime.bigint() - wall0) };
  stop = true;
  await chain;
} else if (hzArg === 'none') {
  await sleep(1000);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  result = { hz: null, cpuShare: share(process.cpuUsage(cpu0), process.hrtime.bigint() - wall0) };
} else {
  const hz = Number(hzArg);
  const m = await PowerMeasurement.open({ sources: ['rapl'], sampleHz: hz, baselineS: 0 }, { clock: systemClock, powercapRoot: tree.root, hwmonRoot: null });
  if (!m.canMeasure()) throw new Error('fixture RAPL tree not usable');
  // A short recording first: the sampler starts, JIT and first allocations settle (not steady cost).
  await (await m.startRecording('warm-up')).stop();
  await sleep(1000);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const rec = await m.startRecording('bench.trial');
  await sleep(seconds * 1000); // the trial: a container would run here, the orchestrator waits
  const recorded = await rec.stop();
  // What the orchestrator does with the recording after the trial: energy over the window, trace.
  const window = { startNs: String(recorded.startNs), endNs: String(recorded.endNs) };
  const measured = m.energyForWindow(recorded, window, 100, { runId: 'bench', trialId: 'bench.trial' });
  const wallNs = process.hrtime.bigint() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const series = recorded.series.map((s) => {
    const reads = s.counter;
    const spanS = Number(reads.at(-1).tNs - reads[0].tNs) / 1e9;
    return { domain: s.info.domain ?? s.info.name ?? 'zone', reads: reads.length, achievedHz: (reads.length - 1) / spanS };
  });
  const achievedHz = series.reduce((a, s) => a + s.achievedHz, 0) / series.length;
  result = {
    hz,
    cpuShare: share(cpu, wallNs),
    achievedHz,
    achievedRateRatio: achievedHz / hz,
    zones: series.length,
    samplerStats: m.monitor.samplerStats,
    energyProvenance: measured.energy.readings.map((r) => r.provenance),
  };
  await m.close();
}
tree.cleanup();
process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
