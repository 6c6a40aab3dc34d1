import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/index.js';
import { smiHelpText } from '../testing/fake-nvidia-smi.js';
import { NvidiaSmiSource } from './nvidia-smi-source.js';
import { execaNvidiaSmi } from './ports.js';
import { PowerMonitor } from './power-monitor.js';
import { tempDir } from '../testing/temp-dir.js';

// A tiny real script standing in for nvidia-smi (FAKE): the execa port runs a real child process.
const dir = tempDir('greenrt-smi-');
const script = join(dir, 'nvidia-smi');
writeFileSync(join(dir, 'help.txt'), smiHelpText({ instant: true, computeCap: true }));
writeFileSync(
  script,
  `#!/bin/sh
case "$1" in
  --help-query-gpu) cat "${join(dir, 'help.txt')}" ;;
  --query-gpu=index,name,uuid*) echo "0, Fake GPU, GPU-f, 80.00, 9.0" ;;
  --query-gpu=timestamp*)
    while true; do
      echo "$(date '+%Y/%m/%d %H:%M:%S.%3N'), 0, 80.00, 40"
      sleep 0.05
    done ;;
  *) echo "Field \\"$1\\" is not a valid field to query." ; exit 2 ;;
esac
`,
);
chmodSync(script, 0o755);

describe('execaNvidiaSmi', () => {
  it('reports a missing binary as ENOENT', async () => {
    const r = await execaNvidiaSmi(join(dir, 'absent')).run(['--help-query-gpu'], 5000);
    expect(r.spawnError).toBe('ENOENT');
  });

  it('streams lines from a long-lived child into samples and stops it', async () => {
    const source = new NvidiaSmiSource({ clock: systemClock, smi: execaNvidiaSmi(script) });
    const monitor = new PowerMonitor({ clock: systemClock, sources: [source], configured: ['nvidia-smi'], sampleHz: 20, updatePeriodBurstMs: 0 });
    const [status] = await monitor.probe();
    expect(status).toMatchObject({ available: true, domains: [{ domain: 'gpu:0', power: { quantity: 'instantPowerW' } }] });
    const rec = await monitor.startRecording('t');
    await systemClock.sleep(1000);
    const recorded = await rec.stop();
    await monitor.close();
    const power = recorded.series[0]!.power;
    expect(power.length).toBeGreaterThan(5);
    expect(power.every((p) => p.v === 80)).toBe(true);
    // Times come from the child's timestamps mapped onto CLOCK_MONOTONIC: inside the recording (+- one line).
    expect(power[1]!.tNs).toBeGreaterThan(recorded.startNs - 200_000_000n);
    expect(power[power.length - 2]!.tNs).toBeLessThan(recorded.endNs + 200_000_000n);
  });
});
