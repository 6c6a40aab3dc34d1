/**
 * runners/docker: one hardened container per trial (TrialRunner kind 'docker').
 *
 * - `new DockerRunner(engine, {runId, contracts?, pidsLimit?, tmpfsMiB?, tailLineCount?})`
 *   - `runTrial(req, signal?) -> TrialExecution`: spec -> workDir/trial.json (ro at /greenrt/in/trial.json),
 *     model dir ro at /greenrt/model, workDir/out rw at /greenrt/out (owned by uid 10001);
 *     `python3 -m greenrt_harness run /greenrt/in/trial.json`; network none, user 10001:10001, read-only
 *     root + tmpfs /tmp (HOME=/tmp), CapDrop ALL, no-new-privileges, Memory = MemorySwap = memoryLimitMiB,
 *     PidsLimit 4096, GPUs via DeviceRequests for cuda/tensorrt; labels greenrt.run / greenrt.trial.
 *     Timeout kills the container ('timed out after N s'); OOM via inspect ('OOM-killed (memory limit N MiB)').
 *     Full log in workDir/container.log, last 50 lines in logTail; the container is always removed.
 *     startedNs/endedNs: CLOCK_MONOTONIC ns around start/exit; wallMs = their difference in ms.
 *   - `prepareModel(req, signal?) -> PrepareExecution`: same hardening, writable /greenrt/out; network
 *     only for pretrained weights (downloads), otherwise none.
 * - `removeOrphans(engine, runId?) -> string[]`: removes containers labelled greenrt.run (and throw-aways).
 * - `containerOptions(input)`: the pure create options (for review and tests).
 * - `runContainer(engine, create, {timeoutMs, logPath, onStart?, signal?}) -> ContainerRun`.
 */
export * from './docker-runner.js';
export * from './container-options.js';
export * from './run-container.js';
export * from './remove-orphans.js';
