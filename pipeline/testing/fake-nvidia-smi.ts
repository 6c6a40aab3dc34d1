import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/index.js';
import { parseSmiTimestampMs } from '../power/nvidia-smi-parse.js';
import type { CommandResult, LineStream, NvidiaSmiPort } from '../power/ports.js';

/** The SYNTHETIC stream fixture (recorded nvidia-smi format), comment lines removed. */
export function readSmiStreamFixture(): string[] {
  const file = fileURLToPath(new URL('./power-nvidia-smi-stream.txt', import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
}

/** A shortened `nvidia-smi --help-query-gpu` in its real layout (SYNTHETIC). */
export function smiHelpText(options: { instant: boolean; computeCap: boolean; utilization?: boolean }): string {
  return [
    'List of valid properties to query for the switch "--query-gpu=":',
    '',
    '"timestamp"',
    'The timestamp of when the query was made in format "YYYY/MM/DD HH:MM:SS.msec".',
    '',
    '"index"',
    '"name" or "gpu_name"',
    '"uuid" or "gpu_uuid"',
    ...(options.computeCap ? ['"compute_cap"', 'The CUDA Compute Capability, represented as Major DOT Minor.'] : []),
    '"power.draw"',
    'The last measured power draw for the entire board, in watts. On Ampere or newer devices, returns average power draw over 1 sec.',
    ...(options.instant ? ['"power.draw.instant"', 'The last measured power draw for the entire board, in watts.'] : []),
    '"enforced.power.limit"',
    '"temperature.gpu"',
    ...(options.utilization === false
      ? []
      : ['"utilization.gpu"', 'Percent of time over the past sample period during which one or more kernels was executing on the GPU.']),
    '"clocks.current.sm" or "clocks.sm"',
    '"clocks.current.memory" or "clocks.mem"',
    '"clocks_event_reasons.active" or "clocks_throttle_reasons.active"',
    '"persistence_mode"',
    '',
  ].join('\n');
}

export interface FakeSmiOptions {
  /** nvidia-smi is not installed (spawn fails with ENOENT). */
  missing?: boolean;
  helpText?: string;
  /** stdout of `--query-gpu=index,name,uuid,<power>[,compute_cap]`. */
  gpuList?: string;
  /** stdout of the GPU state query (`index, uuid, name, clocks...`). */
  stateLines?: string;
  /** stdout of `--query-compute-apps=...`. */
  computeApps?: string;
  /** Lines the `-lms` stream replays, timed by their own timestamps. */
  streamLines?: string[];
  /** Delay between a line's timestamp and its arrival, ms. */
  latencyMs?: number;
  /** Lines per stdout chunk (pipe buffering emulation). */
  chunkLines?: number;
  /** The first -lms child dies (exit 1, "GPU is lost" on stderr) after this many lines. */
  dieAfterLines?: number;
}

/**
 * FAKE (tests only): nvidia-smi as a port. One-shot queries answer from the options; the stream
 * replays lines on the clock, each arriving `latencyMs` after its own timestamp (a chunk arrives
 * when its last line is due).
 */
export class FakeNvidiaSmi implements NvidiaSmiPort {
  readonly calls: string[][] = [];
  streamsStarted = 0;
  /** When the first stream started: later streams (restarts) continue the same timeline. */
  private originNs: bigint | null = null;
  constructor(
    private readonly clock: Clock,
    private readonly options: FakeSmiOptions,
  ) {}

  async run(args: string[]): Promise<CommandResult> {
    this.calls.push(args);
    if (this.options.missing) return { exitCode: null, stdout: '', stderr: '', spawnError: 'ENOENT' };
    const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout, stderr: '', spawnError: null });
    if (args[0] === '--help-query-gpu') return ok(this.options.helpText ?? smiHelpText({ instant: true, computeCap: true }));
    if (args[0]?.startsWith('--query-compute-apps')) return ok(this.options.computeApps ?? '');
    if (args[0]?.startsWith('--query-gpu=index,name,uuid')) return ok(this.options.gpuList ?? '0, NVIDIA H100 80GB HBM3, GPU-aaaa, 71.20, 9.0\n');
    if (args[0]?.startsWith('--query-gpu=index,uuid,name,clocks'))
      return ok(this.options.stateLines ?? '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 1980, 2619, 700.00, 41, 71.20, 0x0000000000000001, Enabled\n');
    return { exitCode: 2, stdout: `Field "${args[0]}" is not a valid field to query.\n`, stderr: '', spawnError: null };
  }

  stream(args: string[], onLines: (lines: string[]) => void): LineStream {
    this.calls.push(args);
    this.streamsStarted++;
    const first = this.streamsStarted === 1;
    let stopped = false;
    const all = this.options.streamLines ?? [];
    const chunk = this.options.chunkLines ?? 1;
    const latencyMs = this.options.latencyMs ?? 2;
    const firstMs = parseSmiTimestampMs(all[0]?.split(',')[0]) ?? 0;
    this.originNs ??= this.clock.monotonicNs();
    const startNs = this.originNs;
    // A restarted child reports from now on: lines stamped before it started are never seen.
    const elapsedMs = Number(this.clock.monotonicNs() - startNs) / 1e6;
    const lines = first ? all : all.filter((l) => (parseSmiTimestampMs(l.split(',')[0]) ?? firstMs) - firstMs >= elapsedMs);
    const dieAfter = first ? (this.options.dieAfterLines ?? Infinity) : Infinity;
    const abort = new AbortController();
    const exited = (async (): Promise<CommandResult> => {
      for (let i = 0; i < lines.length && !stopped; i += chunk) {
        if (i >= dieAfter)
          return { exitCode: 1, stdout: '', stderr: 'Unable to determine the device handle for GPU0000:01:00.0: GPU is lost.\n', spawnError: null };
        const group = lines.slice(i, Math.min(i + chunk, dieAfter));
        const lastMs = parseSmiTimestampMs(group[group.length - 1]!.split(',')[0]) ?? firstMs;
        const dueNs = startNs + BigInt(Math.round((lastMs - firstMs + latencyMs) * 1e6));
        const waitMs = Number(dueNs - this.clock.monotonicNs()) / 1e6;
        try {
          await this.clock.sleep(Math.max(0, waitMs), abort.signal);
        } catch {
          break;
        }
        if (!stopped) onLines(group);
      }
      return { exitCode: stopped ? null : 0, stdout: '', stderr: '', spawnError: null };
    })();
    return {
      exited,
      async stop() {
        stopped = true;
        abort.abort();
        await exited;
      },
    };
  }
}
