import type { GpuState } from '../contracts/index.js';
import type { Clock } from '../core/index.js';
import { AVERAGING_WINDOW_MS, defaultAccuracy } from './accuracy.js';
import { decodeThrottleReasons, powerUsageIsAveraged } from './nvml-api.js';
import { parseQueryGpuHelp, parseSmiEnabled, parseSmiNumber, parseSmiText, parseSmiTimestampMs, smiFailureText, splitSmiLine } from './nvidia-smi-parse.js';
import { execaNvidiaSmi, type LineStream, type NvidiaSmiPort } from './ports.js';
import type { SampleSink } from './series-store.js';
import { unavailableStatus, type PowerSource } from './source.js';
import type { DomainInfo, SourceStatus } from './types.js';

export interface NvidiaSmiSourceOptions {
  clock: Clock;
  smi?: NvidiaSmiPort;
  /** GPUs to measure (nvidia-smi indices); default all. */
  gpuIndices?: number[];
  accuracyRel?: number;
}

interface SmiGpu {
  index: number;
  uuid: string | null;
  info: DomainInfo;
}

const QUERY_TIMEOUT_MS = 15_000;
/** An arrival later than this after its own timestamp means the wall clock stepped: re-estimate. */
const CLOCK_STEP_NS = 5_000_000_000n;

/**
 * The nvidia-smi fallback: one long-lived `--query-gpu ... -lms N` child streaming CSV lines.
 * Uses power.draw.instant where the driver has it; power.draw is a 1 s average on Ampere and later
 * and is labelled averagePowerW (never integrated as instant). Sample times come from nvidia-smi's
 * own timestamp mapped to CLOCK_MONOTONIC by the smallest arrival delay seen, so pipe buffering
 * does not shift them.
 */
export class NvidiaSmiSource implements PowerSource {
  readonly name = 'nvidia-smi' as const;
  private readonly smi: NvidiaSmiPort;
  private gpus: SmiGpu[] = [];
  private powerField = 'power.draw';
  private fields = new Set<string>();
  private status: SourceStatus | null = null;
  private stream: LineStream | null = null;
  private offsetNs: bigint | null = null;

  constructor(private readonly options: NvidiaSmiSourceOptions) {
    this.smi = options.smi ?? execaNvidiaSmi();
  }

  async probe(): Promise<SourceStatus> {
    this.status ??= await this.open();
    return this.status;
  }

  private async open(): Promise<SourceStatus> {
    const help = await this.smi.run(['--help-query-gpu'], QUERY_TIMEOUT_MS);
    if (help.spawnError === 'ENOENT') {
      return unavailableStatus('nvidia-smi', 'nvidia-smi not found on PATH', 'Install the NVIDIA driver utilities (they ship nvidia-smi), or drop "nvidia-smi" from power.sources.');
    }
    if (help.spawnError || help.exitCode !== 0) {
      return unavailableStatus('nvidia-smi', `nvidia-smi failed: ${smiFailureText(help.stdout, help.stderr)}`, 'Make `nvidia-smi` work on this host first (driver loaded, device nodes readable).');
    }
    this.fields = parseQueryGpuHelp(help.stdout);
    this.powerField = this.fields.has('power.draw.instant') ? 'power.draw.instant' : 'power.draw';
    const withCc = this.fields.has('compute_cap');
    const query = ['index', 'name', 'uuid', this.powerField, ...(withCc ? ['compute_cap'] : [])];
    const r = await this.smi.run([`--query-gpu=${query.join(',')}`, '--format=csv,noheader,nounits'], QUERY_TIMEOUT_MS);
    if (r.exitCode !== 0) return unavailableStatus('nvidia-smi', `nvidia-smi --query-gpu failed: ${smiFailureText(r.stdout, r.stderr)}`, 'Make `nvidia-smi` work on this host first.');
    const notes: string[] = [];
    const accuracyRel = this.options.accuracyRel ?? defaultAccuracy.nvidiaSmi;
    for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
      const [indexText, name, uuid, power, ccText] = splitSmiLine(line);
      const index = parseSmiNumber(indexText);
      if (index === null || (this.options.gpuIndices && !this.options.gpuIndices.includes(index))) continue;
      if (parseSmiNumber(power) === null) {
        notes.push(`GPU ${index}: ${this.powerField} is ${power}`);
        continue;
      }
      const cc = parseSmiText(ccText)?.split('.').map(Number) as [number, number] | undefined;
      const instant = this.powerField === 'power.draw.instant' || !powerUsageIsAveraged(cc ?? null, 'nvidia-smi');
      const domain = `gpu:${index}`;
      this.gpus.push({
        index,
        uuid: parseSmiText(uuid),
        info: {
          source: 'nvidia-smi',
          domain,
          hardware: domain,
          counter: null,
          power: instant ? { quantity: 'instantPowerW', averagingWindowMs: null, accuracyRel } : { quantity: 'averagePowerW', averagingWindowMs: AVERAGING_WINDOW_MS, accuracyRel },
          temperature: true,
          label: `${domain} ${name ?? '?'}${cc ? ` (cc ${cc.join('.')})` : ''}: ${this.powerField}${instant ? '' : ' (1 s average)'}`,
        },
      });
    }
    if (this.gpus.length === 0) return unavailableStatus('nvidia-smi', `no GPU with readable power (${notes.join('; ') || 'nvidia-smi lists none'})`, 'Check `nvidia-smi -L` and the gpuIndices setting.');
    const averaged = this.gpus.filter((g) => g.info.power?.quantity === 'averagePowerW');
    const reasons = [...notes, ...(averaged.length ? [`power.draw.instant is not offered by this driver: ${averaged.map((g) => g.info.domain).join(', ')} give 1 s averages (energy is estimated)`] : [])];
    return {
      source: 'nvidia-smi',
      available: true,
      domains: this.gpus.map((g) => g.info),
      reason: reasons.length ? reasons.join('; ') : null,
      fix: averaged.length ? 'Use NVML (a driver with the energy counter) or a driver >= 530 that offers power.draw.instant.' : null,
      detail: this.gpus.map((g) => g.info.label).join('; '),
    };
  }

  async startStream(sink: SampleSink, requestedHz: number): Promise<void> {
    if (this.stream || this.gpus.length === 0) return;
    const intervalMs = Math.max(1, Math.round(1000 / requestedHz));
    const args = [
      `--query-gpu=timestamp,index,${this.powerField},temperature.gpu`,
      '--format=csv,noheader,nounits',
      `-lms`,
      String(intervalMs),
      '-i',
      this.gpus.map((g) => g.index).join(','),
    ];
    this.offsetNs = null;
    const stream = this.smi.stream(args, (lines) => this.onLines(sink, lines));
    this.stream = stream;
    void stream.exited.then((r) => {
      if (this.stream !== stream) return; // stopped on purpose
      this.stream = null;
      const now = this.options.clock.monotonicNs();
      for (const g of this.gpus) sink.error(g.info.domain, now, `nvidia-smi exited (code ${r.exitCode ?? r.spawnError}): ${smiFailureText('', r.stderr)}`);
    });
  }

  /** One stdout chunk: its lines share the chunk's arrival time, so the offset uses the newest. */
  private onLines(sink: SampleSink, lines: string[]): void {
    const arrivalNs = this.options.clock.monotonicNs();
    const parsed = lines.map((line) => {
      const [stamp, index, power, temperature] = splitSmiLine(line);
      const ms = parseSmiTimestampMs(stamp);
      return { stampNs: ms === null ? null : BigInt(ms) * 1_000_000n, index: parseSmiNumber(index), power: parseSmiNumber(power), temperature: parseSmiNumber(temperature) };
    });
    for (const p of parsed) {
      if (p.stampNs === null || p.index === null) continue; // a truncated line says nothing about delay
      const delay = arrivalNs - p.stampNs;
      if (this.offsetNs === null || delay < this.offsetNs || delay - this.offsetNs > CLOCK_STEP_NS) this.offsetNs = delay;
    }
    for (const p of parsed) {
      const gpu = this.gpus.find((g) => g.index === p.index);
      if (!gpu) continue;
      const tNs = p.stampNs !== null && this.offsetNs !== null ? p.stampNs + this.offsetNs : arrivalNs;
      if (p.power !== null) sink.power(gpu.info.domain, tNs, p.power);
      else sink.error(gpu.info.domain, tNs, `${this.powerField} not available in a sample`);
      if (p.temperature !== null) sink.temperature(gpu.info.domain, tNs, p.temperature);
    }
  }

  async stopStream(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    await stream?.stop();
  }

  async gpuState(): Promise<GpuState[]> {
    if (this.gpus.length === 0) return [];
    const pick = (...names: string[]) => names.find((n) => this.fields.has(n)) ?? names[names.length - 1]!;
    const query = ['index', 'name', 'clocks.sm', 'clocks.mem', pick('enforced.power.limit', 'power.limit'), 'temperature.gpu', this.powerField, pick('clocks_event_reasons.active', 'clocks_throttle_reasons.active'), 'persistence_mode'];
    const atNs = this.options.clock.monotonicNs().toString();
    const [gpus, apps] = await Promise.all([
      this.smi.run([`--query-gpu=${query.join(',')}`, '--format=csv,noheader,nounits', '-i', this.gpus.map((g) => g.index).join(',')], QUERY_TIMEOUT_MS),
      this.smi.run(['--query-compute-apps=gpu_uuid,pid,process_name,used_memory', '--format=csv,noheader,nounits'], QUERY_TIMEOUT_MS),
    ]);
    const processes = apps.exitCode === 0 ? apps.stdout.split('\n').filter((l) => l.trim()).map(splitSmiLine) : null;
    return gpus.stdout
      .split('\n')
      .filter((l) => l.trim() && gpus.exitCode === 0)
      .map((line) => {
        const [index, name, sm, mem, limit, temp, power, reasons, persistence] = splitSmiLine(line);
        const idx = parseSmiNumber(index) ?? -1;
        const uuid = this.gpus.find((g) => g.index === idx)?.uuid;
        const mask = parseSmiNumber(reasons);
        return {
          index: idx,
          atNs,
          name: parseSmiText(name),
          smClockMHz: parseSmiNumber(sm),
          memClockMHz: parseSmiNumber(mem),
          powerLimitW: parseSmiNumber(limit),
          temperatureC: parseSmiNumber(temp),
          powerW: parseSmiNumber(power),
          throttleReasons: mask === null ? null : decodeThrottleReasons(mask),
          persistenceMode: parseSmiEnabled(persistence),
          otherProcesses: processes === null ? null : processes.filter((p) => p[0] === uuid).map((p) => ({ pid: parseSmiNumber(p[1]) ?? 0, name: parseSmiText(p[2]), usedMemoryMiB: parseSmiNumber(p[3]) })),
        };
      })
      .filter((s) => s.index >= 0);
  }

  async close(): Promise<void> {
    await this.stopStream();
    this.gpus = [];
    this.status = null;
  }
}
