"""A tiny fake runtime for the harness tests (no framework): numpy does the 'inference'.

Behaviour is steered by CONFIG (in-process tests) or GREENRT_FAKE_FAIL (subprocess tests):
'load', 'inputs', 'run' (fails in the measured window), 'checksum-nan', 'bad-dtype'.
weights "pretrained": the FAKE weights file GREENRT_FAKE_WEIGHTS is checked against the FAKE pin GREENRT_FAKE_PIN
(JSON, a catalogue models[].pretrained entry) with the real greenrt_harness.weights_pin, as the real preparers do.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from greenrt_harness.adapter import PreparedResult, PrepareSpec, RuntimeEnvironment, TensorArray, TrialSpec
from greenrt_harness.inputs import model_inputs
from greenrt_harness.weights_pin import check_weights_file

CONFIG: dict = {"fail": None, "work_s": 0.0}
EVENTS: list[str] = []
INPUTS: list = []


def _fail() -> str | None:
    return CONFIG.get("fail") or os.environ.get("GREENRT_FAKE_FAIL") or None


class FakeAdapter:
    def __init__(self) -> None:
        self.spec: TrialSpec | None = None
        self.runs = 0

    def load(self, spec: TrialSpec) -> None:
        EVENTS.append("load")
        if _fail() == "load":
            raise RuntimeError("fake load failed: provider 'cuda' is not available")
        self.spec = spec

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator):
        EVENTS.append("inputs")
        if _fail() == "inputs":
            raise ValueError("fake inputs failed")
        inputs = model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length)
        INPUTS.append(inputs)
        return inputs

    def run_once(self, inputs):
        EVENTS.append("run")
        self.runs += 1
        assert self.spec is not None
        if _fail() == "run" and self.runs > self.spec.warmup_iterations:
            raise FloatingPointError("fake inference failed")
        if CONFIG.get("work_s"):
            time.sleep(CONFIG["work_s"])
        first = next(iter(inputs.values()))
        return first.astype(np.float32).reshape(first.shape[0], -1)[:, :4] * 2.0

    def synchronize(self, outputs) -> None:
        EVENTS.append("sync")

    def output_checksum(self, outputs) -> float:
        if _fail() == "checksum-nan":
            return float("nan")
        return float(np.sum(outputs, dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        return RuntimeEnvironment(framework="fake", framework_version="0.0", device="cpu",
                                  providers=["fake-cpu"], threads=self.spec.threads if self.spec else None,
                                  packages={"numpy": np.__version__})


class FakePreparer:
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        native = spec.output_dir / "native"
        native.mkdir(parents=True)
        rng = np.random.default_rng(spec.seed)
        if spec.weights == "pretrained":
            weights = Path(os.environ["GREENRT_FAKE_WEIGHTS"])
            check_weights_file(weights, json.loads(os.environ["GREENRT_FAKE_PIN"]))
            (native / "weights.bin").write_bytes(weights.read_bytes())
        else:
            (native / "weights.bin").write_bytes(rng.bytes(64))
        onnx_file = None
        if spec.export_onnx:
            (spec.output_dir / "model.onnx").write_bytes(b"fake-onnx")
            onnx_file = "model.onnx"
        inputs = model_inputs(spec.model, rng, spec.reference_batch_size, spec.sequence_length)
        first = next(iter(inputs.values()))
        output = first.astype(np.float32).reshape(first.shape[0], -1).sum(axis=1, keepdims=True)
        if _fail() == "bad-dtype":
            output = output.astype(np.float16)
        names = list(inputs)
        return PreparedResult(
            native_dir="native", onnx_file=onnx_file, exporter="fake 0.0",
            onnx_inputs=[{"name": n, "dtype": str(inputs[n].dtype), "shape": ["batch", *inputs[n].shape[1:]]}
                         for n in names],
            onnx_outputs=[{"name": "out", "dtype": "float32", "shape": ["batch", 1]}],
            reference_inputs=[TensorArray(n, inputs[n]) for n in names],
            reference_output=TensorArray("out", output),
            environment={"fake": "0.0"}, build_ms=1.5, export_ms=0.5,
        )


def create_adapter() -> FakeAdapter:
    if _fail() == "create":
        raise ImportError("fake framework is not installed")
    return FakeAdapter()


def create_preparer() -> FakePreparer:
    return FakePreparer()


def describe() -> dict:
    return {"framework": "fake", "frameworkVersion": "0.0", "packages": {"fake": "0.0"},
            "providersAvailable": ["fake-cpu"]}
