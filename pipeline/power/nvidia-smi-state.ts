import type { GpuState } from '../contracts/index.js';
import { decodeThrottleReasons } from './nvml-api.js';
import { parseSmiEnabled, parseSmiNumber, parseSmiText, splitSmiLine } from './nvidia-smi-parse.js';
import type { NvidiaSmiPort } from './ports.js';

/**
 * GPU state through nvidia-smi (clocks, limit, temperature, power, throttle reasons, persistence,
 * compute processes) for the measured GPUs and, marked `measured: false`, the context GPUs.
 */
export async function querySmiGpuState(
  smi: NvidiaSmiPort,
  options: {
    fields: Set<string>;
    powerField: string;
    measured: { index: number; uuid: string | null }[];
    contextIndices: number[];
    nowNs: bigint;
    timeoutMs: number;
  },
): Promise<GpuState[]> {
  const { fields, measured, contextIndices } = options;
  if (measured.length === 0) return [];
  const pick = (...names: string[]) => names.find((n) => fields.has(n)) ?? names[names.length - 1]!;
  const query = [
    'index',
    'uuid',
    'name',
    'clocks.sm',
    'clocks.mem',
    pick('enforced.power.limit', 'power.limit'),
    'temperature.gpu',
    options.powerField,
    pick('clocks_event_reasons.active', 'clocks_throttle_reasons.active'),
    'persistence_mode',
  ];
  const indices = [...measured.map((g) => g.index), ...contextIndices];
  const atNs = options.nowNs.toString();
  const [gpus, apps] = await Promise.all([
    smi.run([`--query-gpu=${query.join(',')}`, '--format=csv,noheader,nounits', '-i', indices.join(',')], options.timeoutMs),
    // process_name last: a name with a comma must not shift the other fields.
    smi.run(['--query-compute-apps=gpu_uuid,pid,used_memory,process_name', '--format=csv,noheader,nounits'], options.timeoutMs),
  ]);
  const processes =
    apps.exitCode === 0
      ? apps.stdout
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => {
            const [uuid, pid, mem, ...name] = splitSmiLine(l);
            return { uuid, pid: parseSmiNumber(pid) ?? 0, usedMemoryMiB: parseSmiNumber(mem), name: parseSmiText(name.join(', ')) };
          })
      : null;
  const measuredSet = new Set(measured.map((g) => g.index));
  if (gpus.exitCode !== 0) return [];
  return gpus.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const [index, uuid, name, sm, mem, limit, temp, power, reasons, persistence] = splitSmiLine(line);
      const idx = parseSmiNumber(index) ?? -1;
      const gpuUuid = parseSmiText(uuid);
      const mask = parseSmiNumber(reasons);
      return {
        index: idx,
        measured: measuredSet.has(idx),
        atNs,
        name: parseSmiText(name),
        smClockMHz: parseSmiNumber(sm),
        memClockMHz: parseSmiNumber(mem),
        powerLimitW: parseSmiNumber(limit),
        temperatureC: parseSmiNumber(temp),
        powerW: parseSmiNumber(power),
        throttleReasons: mask === null ? null : decodeThrottleReasons(mask),
        persistenceMode: parseSmiEnabled(persistence),
        otherProcesses:
          processes === null ? null : processes.filter((p) => p.uuid === gpuUuid).map((p) => ({ pid: p.pid, name: p.name, usedMemoryMiB: p.usedMemoryMiB })),
      };
    })
    .filter((s) => s.index >= 0);
}
