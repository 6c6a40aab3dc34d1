// FAKE (benchmarks only): a powercap tree laid out like the kernel's, the same layout as
// pipeline/testing/power-fixture-powercap.ts (which the build leaves out of dist/). Package zones at
// the top, dram subzones nested and linked at the top; the sampler reads these real files.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two sockets, each package + dram: the zones a two-socket RAPL host shows. */
export function createPowercapTree(zones = ['intel-rapl:0=package-0', 'intel-rapl:0:0=dram', 'intel-rapl:1=package-1', 'intel-rapl:1:0=dram']) {
  const base = mkdtempSync(join(tmpdir(), 'greenrt-bench-powercap-'));
  const root = join(base, 'powercap');
  mkdirSync(root, { recursive: true });
  for (const zone of zones) {
    const [id, name] = zone.split('=');
    const parts = id.split(':');
    const dir = parts.length > 2 ? join(root, parts.slice(0, 2).join(':'), id) : join(root, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${name}\n`);
    writeFileSync(join(dir, 'energy_uj'), '1000000\n');
    writeFileSync(join(dir, 'max_energy_range_uj'), '262143328850\n');
    if (parts.length > 2) symlinkSync(dir, join(root, id));
  }
  return { root, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
