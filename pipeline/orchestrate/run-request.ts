import type { Contracts, ExperimentSpec, RunManifest, TrialResult } from '../contracts/index.js';
import type { Clock, Progress } from '../core/index.js';
import type { LoadedExperiment } from '../config/index.js';
import type { RoundDecision, RunPlan, ShardedPlan, ShardSpec } from '../plan/index.js';
import type { RunStore } from '../results/index.js';
import type { GpuInventory } from '../power/index.js';
import type { FrameworkExecutor, MeasurementPort } from './ports.js';
import type { GpuSelection } from './gpu-selection.js';

export interface RunDependencies {
  contracts: Contracts;
  clock: Clock;
  progress: Progress;
  createMeasurement(spec: ExperimentSpec, gpus?: GpuSelection | null): Promise<MeasurementPort>;
  /** Built only when the plan has framework trials (connects to Docker, checks GPUs). */
  createFrameworkExecutor(spec: ExperimentSpec, plan: RunPlan, gpus?: GpuSelection | null): Promise<FrameworkExecutor>;
  /** The host's GPUs (NVML, else nvidia-smi); absent: no selection (tests without GPUs). */
  listGpus?(): Promise<GpuInventory>;
  /** The inherited CUDA_VISIBLE_DEVICES (e.g. Slurm --gres), which selects the GPU when gpu.devices is left out. */
  cudaVisibleDevices?: string;
  /** Refuses (throws) a plan whose images this host cannot build, before anything else is asked of it. */
  preflightImages?(spec: ExperimentSpec, plan: RunPlan): Promise<void>;
}

export interface RunRequest {
  experimentFile?: string;
  resumeDir?: string;
  artifactsDir: string;
  /** The user confirmed a large matrix (--yes). */
  confirmed: boolean;
  signal: AbortSignal;
  /** Run only shard K of N of the plan (--shard); a resumed run keeps the shard its manifest records. */
  shard?: ShardSpec;
  /** A 'rotation' shard of a round after the first: the round's trial ids in its order (the decision's next round). */
  roundTrialIds?: string[];
  /** Run id (the folder name) instead of a generated one: the Slurm job script names each shard's folder. */
  runId?: string;
  /** Other shards run on this host on other GPUs (--shared-host): CPU energy is shared, so left out of per-trial energy. */
  sharedHost?: boolean;
  /** Folder where running shards register (default: <tmpdir>/greenrt-shards). */
  hostShardsDir?: string;
}

export interface RunOutcome {
  runDir: string;
  status: RunManifest['status'];
  progress: RunManifest['progress'];
  exitCode: number;
}

/** Step 1's output: the experiment, and for a resumed run its verified folder and recorded results. */
export interface OpenedRun {
  loaded: LoadedExperiment;
  /** The resumed run's manifest; null for a new run. */
  previous: RunManifest | null;
  /** The resumed run's folder; null for a new run (created once nothing can refuse it). */
  store: RunStore | null;
  /** Trial results already in the resumed run's folder. */
  stored: TrialResult[];
}

/** Step 2's output: the plan (this shard's; a resumed adaptive run's replayed rounds) and the shard facts. */
export interface PlannedRun {
  plan: RunPlan;
  decisions: RoundDecision[];
  sharded: ShardedPlan | null;
  sharedHost: boolean;
  /** The trial ids the resumed run's manifest recorded (empty for a new run). */
  recordedIds: string[];
}

/** Step 3's output: what the host offers the run, every refusal already raised. */
export interface ReadyHost {
  needsGpu: boolean;
  inventory: GpuInventory | null;
  gpus: GpuSelection | null;
  framework: FrameworkExecutor | null;
  measurement: MeasurementPort;
}
