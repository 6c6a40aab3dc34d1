"""FAKE runtime for runner tests: pure numpy, no framework (pipeline/testing, not shipped in images).

The "model" mean-pools each input and multiplies by a seeded 3x10 matrix. The trial id's first
segment (before '-') picks a misbehaviour, so the runners' failure paths run through the real harness:
  exit1    exit 1 during load without writing output
  hang     sleep for an hour during load (timeout path)
  hangchild  start `sleep 3600` (pid written to <output dir>/child.pid), then hang: the timeout
           must kill the whole process group
  oom      allocate and touch memory until killed (docker only: the process runner sets no limit)
  garbage  write non-JSON to the output path and exit 0
  raise    raise ValueError during load (harness writes status failed, exit 3)
anything else runs normally. environment().packages reports what the process sees (uid, network
interfaces, whether / is writable) so tests can check the container's isolation from inside.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import numpy as np

from greenrt_harness.adapter import PreparedResult, PrepareSpec, RuntimeEnvironment, TensorArray, TrialSpec
from greenrt_harness.inputs import model_inputs


def _behaviour(trial_id: str) -> str:
    return trial_id.split("-", 1)[0]


def _root_writable() -> str:
    try:
        with open("/greenrt-write-probe", "w", encoding="utf-8") as probe:
            probe.write("x")
        os.remove("/greenrt-write-probe")
        return "yes"
    except OSError:
        return "no"


class NumpyAdapter:
    def __init__(self) -> None:
        self.weights = np.zeros((3, 10), dtype=np.float32)
        self.threads: int | None = None

    def load(self, spec: TrialSpec) -> None:
        mode = _behaviour(spec.trial_id)
        if mode == "exit1":
            print("fake runtime: exiting 1 on purpose", flush=True)
            os._exit(1)
        if mode == "hangchild":
            child = subprocess.Popen(["sleep", "3600"])
            Path(spec.output_path).with_name("child.pid").write_text(str(child.pid), encoding="utf-8")
        if mode in ("hang", "hangchild"):
            time.sleep(3600)
        if mode == "oom":
            blocks = []
            for _ in range(1024):  # at most 64 GiB: a container limit stops it long before
                blocks.append(np.ones(8 * 1024 * 1024, dtype=np.float64))
        if mode == "garbage":
            Path(spec.output_path).write_text("this is not { json", encoding="utf-8")
            os._exit(0)
        if mode == "raise":
            raise ValueError("fake runtime failed on purpose")
        weights_file = Path(spec.model_dir) / "native" / "weights.npy"
        if weights_file.is_file():
            self.weights = np.load(weights_file)
        else:
            self.weights = np.random.default_rng(spec.seed).standard_normal((3, 10), dtype=np.float32)
        self.threads = spec.threads

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator):
        return model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length)

    def run_once(self, inputs):
        first = next(iter(inputs.values())).astype(np.float32)
        pooled = first.reshape(first.shape[0], 3, -1).mean(axis=2) if first.ndim == 4 else np.repeat(
            first.mean(axis=1, keepdims=True), 3, axis=1)
        return pooled @ self.weights

    def synchronize(self, outputs) -> None:
        return None

    def output_checksum(self, outputs) -> float:
        return float(np.sum(outputs, dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        try:
            interfaces = ",".join(sorted(os.listdir("/sys/class/net")))
        except OSError:
            interfaces = "unknown"
        return RuntimeEnvironment(
            framework="numpy-fake", framework_version=np.__version__, device="cpu", providers=["numpy"],
            threads=self.threads,
            packages={"numpy": np.__version__, "uid": str(os.getuid()), "gid": str(os.getgid()),
                      "netInterfaces": interfaces, "rootWritable": _root_writable(),
                      "home": os.environ.get("HOME", "")})


class NumpyPreparer:
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        started = time.perf_counter()
        rng = np.random.default_rng(spec.seed)
        weights = rng.standard_normal((3, 10), dtype=np.float32)
        native = spec.output_dir / "native"
        native.mkdir(parents=True, exist_ok=True)
        np.save(native / "weights.npy", weights)
        inputs = model_inputs(spec.model, rng, spec.reference_batch_size, spec.sequence_length)
        adapter = NumpyAdapter()
        adapter.weights = weights
        output = adapter.run_once(inputs).astype(np.float32)
        names = list(inputs)
        return PreparedResult(
            native_dir="native", onnx_file=None, exporter=None, onnx_inputs=[], onnx_outputs=[],
            reference_inputs=[TensorArray(n, inputs[n]) for n in names],
            reference_output=TensorArray("output", output),
            environment={"numpy": np.__version__}, build_ms=(time.perf_counter() - started) * 1000, export_ms=0.0)


def create_adapter() -> NumpyAdapter:
    return NumpyAdapter()


def create_preparer() -> NumpyPreparer:
    return NumpyPreparer()


def describe() -> dict:
    return {"framework": "numpy-fake", "frameworkVersion": np.__version__, "packages": {"numpy": np.__version__},
            "providersAvailable": ["numpy"]}
