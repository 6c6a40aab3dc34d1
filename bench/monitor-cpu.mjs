// monitorCpuShare10Hz / monitorCpuShare100Hz: CPU time of a Node process running the power monitor
// (fixture RAPL tree, real file reads) during a trial-like sleep / the trial's wall time; and the
// achieved sample rate / the requested one. Each measurement in its own fresh process.
import { join } from 'node:path';
import { benchDir, execOk, lastJson, log, round } from './lib.mjs';

async function child(hz, seconds) {
  return lastJson((await execOk(process.execPath, [join(benchDir, 'monitor-cpu-child.mjs'), String(hz), String(seconds)])).stdout);
}

export async function benchMonitorCpu({ quick = false } = {}) {
  const seconds = quick ? 5 : 20;
  const idle = await child('none', quick ? 3 : 10);
  const at10 = await child(10, seconds);
  const at100 = await child(100, seconds);
  const timer10 = await child('timer10', quick ? 3 : 10);
  const timer100 = await child('timer100', quick ? 3 : 10);
  log(
    `monitor: idle ${idle.cpuShare.toFixed(5)}, 10 Hz ${at10.cpuShare.toFixed(5)} (${at10.achievedHz.toFixed(2)} Hz), 100 Hz ${at100.cpuShare.toFixed(5)} (${at100.achievedHz.toFixed(2)} Hz)`,
  );
  const describe = (r) => ({
    cpuShare: round(r.cpuShare, 5),
    cpuShareAboveIdleNode: round(r.cpuShare - idle.cpuShare, 5),
    achievedHz: round(r.achievedHz, 3),
    achievedRateRatio: round(r.achievedRateRatio, 4),
    missedTicks: r.samplerStats.missedTicks,
    zones: r.zones,
  });
  return {
    monitorCpuShare10Hz: round(at10.cpuShare, 5),
    monitorCpuShare100Hz: round(at100.cpuShare, 5),
    monitorAchievedRateRatio10Hz: round(at10.achievedRateRatio, 4),
    monitorAchievedRateRatio100Hz: round(at100.achievedRateRatio, 4),
    at10Hz: describe(at10),
    at100Hz: describe(at100),
    idleNodeCpuShare: round(idle.cpuShare, 5),
    emptyTimerChainCpuShare: { '10Hz': round(timer10.cpuShare, 5), '100Hz': round(timer100.cpuShare, 5) },
    trialSeconds: seconds,
    source: 'rapl over a fixture powercap tree (4 zones: 2 packages + 2 dram), PowerMeasurement as the orchestrator opens it',
  };
}
