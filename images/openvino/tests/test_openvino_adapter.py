"""In-image tests of the OpenVINO adapter (need openvino: run inside greenrt/openvino).
Fixtures: the onnxruntime image's tiny graphs (images/onnxruntime/tests/make_fixtures.py), copied here so that
each image's tests stand alone: same input names, types and layouts as real exports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

ov = pytest.importorskip("openvino")

import greenrt_adapter  # noqa: E402
from greenrt_harness.adapter import TrialSpec  # noqa: E402
from greenrt_harness.inputs import bert_inputs, image_inputs  # noqa: E402
from greenrt_harness.reference_check import reference_check  # noqa: E402
from greenrt_harness.trial import run_trial  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def _spec(sub: str, model: str = "resnet50", provider: str = "cpu", batch: int = 2,
          threads: int | None = 1) -> TrialSpec:
    return TrialSpec(trial_id="t", runtime="openvino", source="pytorch", model=model, provider=provider,
                     batch_size=batch, warmup_iterations=1, measured_iterations=3, seed=5, threads=threads,
                     sequence_length=16, model_dir=FIXTURES / sub, output_path=Path("/dev/null"))


def test_nchw_graph_gets_the_shared_seeded_images():
    output = run_trial(_spec("nchw"), greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    expected = image_inputs(np.random.default_rng(5), 2).mean(axis=(2, 3)).sum(dtype=np.float64)
    assert output["outputChecksum"] == pytest.approx(float(expected), rel=1e-5, abs=1e-6)
    assert output["environment"]["framework"] == "openvino"
    assert output["environment"]["threads"] == 1 and len(output["latenciesMs"]) == 3


def test_nhwc_graph_sees_the_same_pixels_transposed():
    nchw = run_trial(_spec("nchw"), greenrt_adapter.create_adapter)["outputChecksum"]
    nhwc = run_trial(_spec("nhwc"), greenrt_adapter.create_adapter)["outputChecksum"]
    assert nhwc == pytest.approx(nchw, rel=1e-5, abs=1e-6)


def test_bert_inputs_follow_graph_names_and_types():
    output = run_trial(_spec("bert", model="bert_base_uncased"), greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    ids = bert_inputs(np.random.default_rng(5), 2, 16)["input_ids"]
    assert output["outputChecksum"] == pytest.approx(float(ids.astype(np.float32).sum(dtype=np.float64)), rel=1e-6)


def test_fixed_batch_mismatch_fails_clearly():
    output = run_trial(_spec("fixed", batch=8), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "fixed dim 0 = 1" in output["error"]["message"]


@pytest.mark.parametrize("provider", ["cuda", "tensorrt"])
def test_gpu_providers_are_refused_before_loading(provider):
    output = run_trial(_spec("nchw", provider=provider), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "not available on openvino" in output["error"]["message"]
    assert "load" not in output["phases"]


def test_describe_lists_the_cpu_device():
    assert "CPU" in greenrt_adapter.describe()["providersAvailable"]


def test_reference_check_runs_openvino_on_the_saved_reference_inputs(tmp_path):
    # The generic check (python3 -m greenrt_harness check) with this adapter: a known disagreement is measured.
    (tmp_path / "model.onnx").write_bytes((FIXTURES / "nchw" / "model.onnx").read_bytes())
    pixels = image_inputs(np.random.default_rng(3), 2)
    expected = pixels.mean(axis=(2, 3))
    expected[0, 0] += 0.25
    pixels.astype("<f4").tofile(tmp_path / "in.bin")
    expected.astype("<f4").tofile(tmp_path / "out.bin")
    (tmp_path / "prepared.json").write_text(json.dumps({
        "framework": "pytorch", "model": "resnet50", "onnx": {"file": "model.onnx"},
        "reference": {"inputs": [{"name": "pixel_values", "dtype": "float32", "shape": [2, 3, 224, 224],
                                  "file": "in.bin"}],
                      "output": {"name": "logits", "dtype": "float32", "shape": [2, 3], "file": "out.bin"}}}))
    check = reference_check(tmp_path, "openvino", greenrt_adapter.create_adapter)
    assert check["maxAbsDiff"] == pytest.approx(0.25, abs=1e-4) and not check["withinTolerance"]
