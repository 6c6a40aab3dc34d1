/**
 * runners/process: the image entrypoint as a local process (TrialRunner kind 'process'), for hosts
 * without Docker (the lent GPU machine) and for tests.
 *
 * - `new ProcessRunner({repoRoot?, python?, adapterDirs?, extraPythonPath?, env?, contracts?, tailLineCount?})`
 *   python: option, else $GREENRT_PYTHON, else python3.
 *   - `runTrial(req, signal?) -> TrialExecution`: spec -> workDir/trial.json (modelDir = host path,
 *     outputPath = workDir/out/trial-output.json); `python -m greenrt_harness run <spec>` with
 *     PYTHONPATH=<repo>/images/common:<repo>/images/<runtime>, GREENRT_SCHEMAS_DIR=<repo>/schemas;
 *     own process group, killed whole on timeout ('timed out after N s') or abort (rethrown);
 *     full log workDir/process.log, last 50 lines in logTail. gpuDevices -> CUDA_DEVICE_ORDER=PCI_BUS_ID + CUDA_VISIBLE_DEVICES
 *     (cuda/tensorrt trials; the first GPU by default); caches -> CUDA_CACHE_PATH, GREENRT_TRT_ENGINE_CACHE.
 *     memoryLimitMiB is NOT enforced here (no cgroup); OOM is never reported by this runner.
 *   - `prepareModel(req, signal?) -> PrepareExecution`: `python -m greenrt_harness prepare <spec>`.
 *   - A missing interpreter throws EnvironmentError E_PYTHON_MISSING (exit 3).
 * - `runHarness(options) -> HarnessRun`: the spawn/timeout/log part alone.
 */
export * from './process-runner.js';
export * from './run-harness.js';
