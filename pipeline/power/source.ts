import type { GpuState } from '../contracts/index.js';
import type { SampleSink } from './series-store.js';
import type { SampledSourceName, SourceStatus } from './types.js';

/**
 * One power source (Zeus style: one class per vendor behind this interface). A source is either
 * polled (the monitor's sampler calls `poll` at the requested rate) or streaming (it pushes
 * samples on its own once started). A missing device is a source whose probe says why.
 */
export interface PowerSource {
  readonly name: SampledSourceName;
  /** Opens the source and says what works (and, for what does not, why and how to fix it). Cached. */
  probe(): Promise<SourceStatus>;
  /** Polled sources: reads every domain once, synchronously, into the sink. */
  poll?(sink: SampleSink): void;
  /** Streaming sources: starts pushing samples into the sink at about `requestedHz`. */
  startStream?(sink: SampleSink, requestedHz: number): Promise<void>;
  stopStream?(): Promise<void>;
  /** GPU sources: the state of each GPU now. */
  gpuState?(): Promise<GpuState[]>;
  close(): Promise<void>;
}

/** The probe answer for a source that failed before finding any domain. */
export function unavailableStatus(source: SourceStatus['source'], reason: string, fix: string | null, detail: string | null = null): SourceStatus {
  return { source, available: false, domains: [], reason, fix, detail };
}
