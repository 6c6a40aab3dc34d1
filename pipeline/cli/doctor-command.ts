import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ExitCode, systemClock } from '../core/index.js';
import { connectDocker } from '../docker/index.js';
import { formatPowerDoctor, probePowerSources } from '../power/index.js';
import { dockerGpuSupport } from '../orchestrate/index.js';

const run = promisify(execFile);

/**
 * Checks what a run needs on this host and says, for each thing that does not work, why and how to
 * fix it. Exit 0 when Docker and at least one power source work, 3 otherwise (the report is printed either way).
 */
export async function doctorCommand(): Promise<number> {
  const out: string[] = [];
  const statuses = await probePowerSources({ clock: systemClock });
  out.push(formatPowerDoctor(statuses));
  const powerOk = statuses.some((s) => s.available && s.domains.length > 0);

  out.push('Docker:');
  let dockerOk = false;
  try {
    const engine = await connectDocker({ timeoutMs: 5000 });
    dockerOk = true;
    const i = engine.info;
    out.push(
      `  [ ok ] engine ${i.serverVersion} (API ${i.apiVersion}), storage ${i.storageDriver}, cgroup v${i.cgroupVersion}, runtimes: ${i.runtimes.join(', ')}`,
    );
    const gpuPath = await dockerGpuSupport(engine);
    out.push(
      gpuPath
        ? `  [ ok ] NVIDIA GPUs in containers (${gpuPath}): GPU trials (cuda, tensorrt) can run in containers`
        : '  [FAIL] NVIDIA container runtime: not configured and no nvidia-container-runtime-hook on PATH, so cuda/tensorrt trials cannot run in containers.\n         fix: install the NVIDIA Container Toolkit and run `nvidia-ctk runtime configure --runtime=docker`, then restart dockerd (GPU hosts only; cpu experiments do not need it)',
    );
  } catch (error) {
    out.push(`  [FAIL] engine: ${(error as Error).message.split('\n')[0]}`);
    out.push('         fix: install docker.io and start dockerd (as root: dockerd &), or use `runner: process` in the experiment');
  }

  out.push('GPUs:');
  try {
    const { stdout } = await run('nvidia-smi', ['--query-gpu=index,name,driver_version,memory.total,power.limit', '--format=csv,noheader'], {
      timeout: 15_000,
    });
    for (const line of stdout.trim().split('\n')) out.push(`  [ ok ] ${line.trim()}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    out.push(
      code === 'ENOENT'
        ? '  [ -- ] no nvidia-smi on PATH: no NVIDIA GPU or driver (cpu experiments still run)'
        : `  [FAIL] nvidia-smi failed: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  out.push(
    `\nSummary: Docker ${dockerOk ? 'works' : 'does not work'}; ${powerOk ? 'energy can be measured' : 'no power source works, so energy will be reported as unavailable (with the reasons above)'}.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return dockerOk && powerOk ? ExitCode.ok : ExitCode.missingEnvironment;
}
