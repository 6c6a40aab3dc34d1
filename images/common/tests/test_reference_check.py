"""The generic conversion check of an ONNX runtime image (`python3 -m greenrt_harness check`), with a numpy
adapter standing in for the runtime: the mean over the spatial axes, like the image fixtures' ReduceMean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec
from greenrt_harness.reference_check import reference_check


class MeanAdapter:
    def load(self, spec: TrialSpec) -> None:
        self.spec = spec

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> Any:
        raise NotImplementedError

    def run_once(self, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        return [inputs["pixel_values"].mean(axis=(2, 3))]

    def synchronize(self, outputs: Any) -> None:
        return None

    def output_checksum(self, outputs: Any) -> float:
        return 0.0

    def environment(self) -> RuntimeEnvironment:
        return RuntimeEnvironment(framework="mean", framework_version="0", device="cpu", providers=[], threads=None)


def _prepared(tmp_path: Path, shift: float) -> Path:
    pixels = np.random.default_rng(3).standard_normal((2, 3, 4, 4), dtype=np.float32)
    expected = pixels.mean(axis=(2, 3))
    expected[0, 0] += shift
    pixels.astype("<f4").tofile(tmp_path / "in.bin")
    expected.astype("<f4").tofile(tmp_path / "out.bin")
    (tmp_path / "prepared.json").write_text(json.dumps({
        "framework": "pytorch", "model": "resnet50", "onnx": {"file": "model.onnx"},
        "reference": {"inputs": [{"name": "pixel_values", "dtype": "float32", "shape": [2, 3, 4, 4], "file": "in.bin"}],
                      "output": {"name": "logits", "dtype": "float32", "shape": [2, 3], "file": "out.bin"}}}))
    return tmp_path


def test_agreeing_runtime_is_within_tolerance(tmp_path):
    result = reference_check(_prepared(tmp_path, 0.0), "mean", MeanAdapter)
    assert result["withinTolerance"] and result["maxAbsDiff"] < 1e-6 and result["argmaxAgreement"] == 1.0
    assert (result["runtime"], result["source"], result["model"]) == ("mean", "pytorch", "resnet50")


def test_a_difference_past_the_tolerance_is_reported_with_its_size(tmp_path):
    result = reference_check(_prepared(tmp_path, 0.5), "mean", MeanAdapter)
    assert not result["withinTolerance"]
    assert result["maxAbsDiff"] == pytest.approx(0.5, abs=1e-5)


def test_a_model_without_export_is_refused(tmp_path):
    (tmp_path / "prepared.json").write_text(json.dumps({"framework": "mxnet", "model": "resnet50", "onnx": None,
                                                        "reference": {"inputs": [], "output": {}}}))
    with pytest.raises(ValueError, match="no ONNX export"):
        reference_check(tmp_path, "mean", MeanAdapter)
