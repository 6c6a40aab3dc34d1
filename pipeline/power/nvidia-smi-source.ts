import type { GpuState } from '../contracts/index.js';
import type { Clock } from '../core/index.js';
import { AVERAGING_WINDOW_MS, defaultAccuracy } from './accuracy.js';
import { powerUsageIsAveraged } from './nvml-api.js';
import { parseQueryGpuHelp, parseSmiNumber, parseSmiText, parseSmiTimestampMs, smiFailureText, splitSmiLine } from './nvidia-smi-parse.js';
import { querySmiGpuState } from './nvidia-smi-state.js';
import { execaNvidiaSmi, type LineStream, type NvidiaSmiPort } from './ports.js';
import type { SampleSink } from './series-store.js';
import { unavailableStatus, type PowerSource } from './source.js';
import type { DomainInfo, SourceStatus } from './types.js';

export interface NvidiaSmiSourceOptions {
  clock: Clock;
  smi?: NvidiaSmiPort;
  /** GPUs to measure (nvidia-smi indices); default all. */
  gpuIndices?: number[];
  /** Other GPUs recorded as context in gpuState (`measured: false`); default every GPU not measured. */
  contextGpuIndices?: number[];
  accuracyRel?: number;
  /** Wait before restarting a -lms child that died on its own, ms (default 1000). */
  restartDelayMs?: number;
  /** Restarts allowed per source lifetime (default 20); past it the gap stays, with the error. */
  maxRestarts?: number;
}

interface SmiGpu {
  index: number;
  uuid: string | null;
  /** The field this GPU's power comes from: power.draw.instant, or power.draw where instant reads N/A. */
  field: 'power.draw.instant' | 'power.draw';
  info: DomainInfo;
}

const QUERY_TIMEOUT_MS = 15_000;
/** An arrival later than this after its own timestamp means the wall clock stepped: re-estimate. */
const CLOCK_STEP_NS = 5_000_000_000n;
const FIX_INSTANT = 'Use NVML (a driver with the energy counter) or a driver >= R535 that offers power.draw.instant.';

/**
 * The nvidia-smi fallback: one long-lived `--query-gpu ... -lms N` child streaming CSV lines,
 * restarted if it dies mid-run (the gap shows as lower coverage). Uses power.draw.instant where the
 * driver has it; per GPU, where it reads [N/A], power.draw, which is a 1 s average on Ampere and
 * later and is labelled averagePowerW (energy `estimated`, never integrated as instant). Sample times
 * come from nvidia-smi's own timestamp mapped to CLOCK_MONOTONIC by the smallest arrival delay seen,
 * so pipe buffering does not shift them.
 */
export class NvidiaSmiSource implements PowerSource {
  readonly name = 'nvidia-smi' as const;
  private readonly smi: NvidiaSmiPort;
  private gpus: SmiGpu[] = [];
  private contextIndices: number[] = [];
  private powerField = 'power.draw';
  private fields = new Set<string>();
  private status: SourceStatus | null = null;
  private stream: LineStream | null = null;
  private streaming = false;
  private restarts = 0;
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
      return unavailableStatus(
        'nvidia-smi',
        'nvidia-smi not found on PATH',
        'Install the NVIDIA driver utilities (they ship nvidia-smi), or drop "nvidia-smi" from power.sources.',
      );
    }
    if (help.spawnError || help.exitCode !== 0) {
      return unavailableStatus(
        'nvidia-smi',
        `nvidia-smi failed: ${smiFailureText(help.stdout, help.stderr)}`,
        'Make `nvidia-smi` work on this host first (driver loaded, device nodes readable).',
      );
    }
    this.fields = parseQueryGpuHelp(help.stdout);
    const hasInstant = this.fields.has('power.draw.instant');
    this.powerField = hasInstant ? 'power.draw.instant' : 'power.draw';
    const withCc = this.fields.has('compute_cap');
    const query = ['index', 'name', 'uuid', this.powerField, ...(withCc ? ['compute_cap'] : []), ...(hasInstant ? ['power.draw'] : [])];
    const r = await this.smi.run([`--query-gpu=${query.join(',')}`, '--format=csv,noheader,nounits'], QUERY_TIMEOUT_MS);
    if (r.exitCode !== 0)
      return unavailableStatus(
        'nvidia-smi',
        `nvidia-smi --query-gpu failed: ${smiFailureText(r.stdout, r.stderr)}`,
        'Make `nvidia-smi` work on this host first.',
      );
    const notes: string[] = [];
    const accuracyRel = this.options.accuracyRel ?? defaultAccuracy.nvidiaSmi;
    const seen: number[] = [];
    for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
      const fields = splitSmiLine(line);
      const [indexText, name, uuid, power] = fields;
      const ccText = withCc ? fields[4] : undefined;
      const averagePower = hasInstant ? fields[withCc ? 5 : 4] : undefined;
      const index = parseSmiNumber(indexText);
      if (index === null) continue;
      seen.push(index);
      if (this.options.gpuIndices && !this.options.gpuIndices.includes(index)) continue;
      let field: SmiGpu['field'] = hasInstant ? 'power.draw.instant' : 'power.draw';
      if (parseSmiNumber(power) === null) {
        if (hasInstant && parseSmiNumber(averagePower) !== null) {
          field = 'power.draw';
          notes.push(`GPU ${index}: power.draw.instant reads ${power}, so power.draw is used (a 1 s average on Ampere and later: energy is estimated)`);
        } else {
          notes.push(`GPU ${index}: ${this.powerField} is ${power}`);
          continue;
        }
      }
      const cc = parseSmiText(ccText)?.split('.').map(Number) as [number, number] | undefined;
      const instant = field === 'power.draw.instant' || !powerUsageIsAveraged(cc ?? null, 'nvidia-smi');
      const domain = `gpu:${index}`;
      this.gpus.push({
        index,
        uuid: parseSmiText(uuid),
        field,
        info: {
          source: 'nvidia-smi',
          domain,
          hardware: domain,
          counter: null,
          power: instant
            ? { quantity: 'instantPowerW', averagingWindowMs: null, accuracyRel }
            : { quantity: 'averagePowerW', averagingWindowMs: AVERAGING_WINDOW_MS, accuracyRel },
          temperature: true,
          label: `${domain} ${name ?? '?'}${cc ? ` (cc ${cc.join('.')})` : ''}: ${field}${instant ? '' : ' (1 s average)'}`,
        },
      });
    }
    const measured = new Set(this.gpus.map((g) => g.index));
    this.contextIndices = (this.options.contextGpuIndices ?? seen).filter((i) => seen.includes(i) && !measured.has(i));
    if (this.gpus.length === 0)
      return unavailableStatus(
        'nvidia-smi',
        `no GPU with readable power (${notes.join('; ') || 'nvidia-smi lists none'})`,
        'Check `nvidia-smi -L` and the gpu.devices setting.',
      );
    const averaged = this.gpus.filter((g) => g.info.power?.quantity === 'averagePowerW' && !hasInstant);
    const reasons = [
      ...notes,
      ...(averaged.length
        ? [`power.draw.instant is not offered by this driver: ${averaged.map((g) => g.info.domain).join(', ')} give 1 s averages (energy is estimated)`]
        : []),
    ];
    const anyAveraged = this.gpus.some((g) => g.info.power?.quantity === 'averagePowerW');
    return {
      source: 'nvidia-smi',
      available: true,
      domains: this.gpus.map((g) => g.info),
      reason: reasons.length ? reasons.join('; ') : null,
      fix: anyAveraged ? FIX_INSTANT : null,
      detail: this.gpus.map((g) => g.info.label).join('; '),
    };
  }

  async startStream(sink: SampleSink, requestedHz: number): Promise<void> {
    if (this.stream || this.gpus.length === 0) return;
    this.streaming = true;
    this.launch(sink, requestedHz);
  }

  private launch(sink: SampleSink, requestedHz: number): void {
    const intervalMs = Math.max(1, Math.round(1000 / requestedHz));
    const fallback = this.gpus.some((g) => g.field === 'power.draw') && this.powerField === 'power.draw.instant';
    const powerFields = fallback ? [this.powerField, 'power.draw'] : [this.powerField];
    // utilization.gpu last, so the other columns keep their places when a driver lacks it.
    const withUtil = this.fields.has('utilization.gpu');
    const args = [
      `--query-gpu=timestamp,index,${powerFields.join(',')},temperature.gpu${withUtil ? ',utilization.gpu' : ''}`,
      '--format=csv,noheader,nounits',
      `-lms`,
      String(intervalMs),
      '-i',
      this.gpus.map((g) => g.index).join(','),
    ];
    this.offsetNs = null;
    const stream = this.smi.stream(args, (lines) => this.onLines(sink, lines, fallback, withUtil));
    this.stream = stream;
    void stream.exited.then(async (r) => {
      if (this.stream !== stream) return; // stopped on purpose
      this.stream = null;
      const now = this.options.clock.monotonicNs();
      const restart = this.streaming && this.restarts < (this.options.maxRestarts ?? 20);
      for (const g of this.gpus)
        sink.error(
          g.info.domain,
          now,
          `nvidia-smi exited (code ${r.exitCode ?? r.spawnError}): ${smiFailureText('', r.stderr)}${restart ? '; restarting it' : ''}`,
        );
      if (!restart) return;
      this.restarts++;
      await this.options.clock.sleep(this.options.restartDelayMs ?? 1000).catch(() => undefined);
      if (this.streaming && !this.stream) this.launch(sink, requestedHz);
    });
  }

  /** One stdout chunk: its lines share the chunk's arrival time, so the offset uses the newest. */
  private onLines(sink: SampleSink, lines: string[], fallback: boolean, withUtil: boolean): void {
    const arrivalNs = this.options.clock.monotonicNs();
    const parsed = lines.map((line) => {
      const f = splitSmiLine(line);
      const ms = parseSmiTimestampMs(f[0]);
      const index = parseSmiNumber(f[1]);
      const field = this.gpus.find((g) => g.index === index)?.field ?? this.powerField;
      const power = parseSmiNumber(fallback && field === 'power.draw' ? f[3] : f[2]);
      return {
        stampNs: ms === null ? null : BigInt(ms) * 1_000_000n,
        index,
        power,
        field,
        temperature: parseSmiNumber(f[fallback ? 4 : 3]),
        utilization: withUtil ? parseSmiNumber(f[fallback ? 5 : 4]) : null,
      };
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
      else sink.error(gpu.info.domain, tNs, `${p.field} not available in a sample`);
      if (p.temperature !== null) sink.temperature(gpu.info.domain, tNs, p.temperature);
      if (p.utilization !== null) sink.utilization(gpu.info.domain, tNs, p.utilization);
    }
  }

  async stopStream(): Promise<void> {
    this.streaming = false;
    const stream = this.stream;
    this.stream = null;
    await stream?.stop();
  }

  async gpuState(): Promise<GpuState[]> {
    return querySmiGpuState(this.smi, {
      fields: this.fields,
      powerField: this.powerField,
      measured: this.gpus,
      contextIndices: this.contextIndices,
      nowNs: this.options.clock.monotonicNs(),
      timeoutMs: QUERY_TIMEOUT_MS,
    });
  }

  async close(): Promise<void> {
    await this.stopStream();
    this.gpus = [];
    this.contextIndices = [];
    this.restarts = 0;
    this.status = null;
  }
}
