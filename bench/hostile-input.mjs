// Hostile experiment files (issue 12): `greenrt validate` on files made of problems must take time
// linear in their size and print a bounded report. Generated here: 1 MiB and 0.5 MiB of unknown
// keys, and 1 MiB of one key repeated (duplicates). Reports seconds, the ratio of the 1 MiB time to
// the 0.5 MiB one (about 2 when linear; the old quadratic check gave about 4) and stderr bytes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, repoRoot, round } from './lib.mjs';

const head =
  'schemaVersion: 1\nname: big\nruntimes: [{name: embedded, providers: [cpu], sources: [pytorch]}]\nmodels: [resnet50]\nbatchSizes: [1]\nrepetitions: 1\nwarmupIterations: 1\nmeasuredIterations: 1\n';

function unknownKeys(bytes) {
  let text = head;
  for (let i = 0; text.length < bytes - 40; i++) text += `unknownkey${i}: 1\n`;
  return text;
}

async function timeValidate(file) {
  const t0 = performance.now();
  const r = await exec(process.execPath, [join(repoRoot, 'bin', 'greenrt.js'), 'validate', file], { timeoutMs: 600_000 });
  return { seconds: round((performance.now() - t0) / 1000, 2), exitCode: r.code, stderrBytes: Buffer.byteLength(r.stderr ?? '') };
}

export async function benchHostileInput() {
  const dir = mkdtempSync(join(tmpdir(), 'greenrt-bench-hostile-'));
  try {
    const files = {
      unknownKeys1MiB: unknownKeys(1024 * 1024),
      unknownKeysHalfMiB: unknownKeys(512 * 1024),
      duplicateKeys1MiB: `schemaVersion: 1\n${'name: x\n'.repeat(131_000)}`,
    };
    const out = {};
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, `${name}.yaml`), text);
      out[name] = await timeValidate(join(dir, `${name}.yaml`));
    }
    return {
      ...out,
      hostileValidateS1MiB: Math.max(out.unknownKeys1MiB.seconds, out.duplicateKeys1MiB.seconds),
      hostileValidateScalingRatio: round(out.unknownKeys1MiB.seconds / out.unknownKeysHalfMiB.seconds, 2),
      hostileValidateStderrBytes: Math.max(out.unknownKeys1MiB.stderrBytes, out.duplicateKeys1MiB.stderrBytes),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('hostile-input.mjs')) {
  process.stdout.write(`${JSON.stringify(await benchHostileInput(), null, 2)}\n`);
}
