"""In-image tests of the PyTorch adapter and preparer (need torch: run inside greenrt/pytorch)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import greenrt_adapter  # noqa: E402
from greenrt_harness.adapter import PrepareSpec, TrialSpec  # noqa: E402
from greenrt_harness.catalogue_gen import RUNTIME_MODES  # noqa: E402
from greenrt_harness.prepare import prepare_model  # noqa: E402
from greenrt_harness.trial import run_trial  # noqa: E402


def _prepare(tmp_path: Path, model: str, **kw) -> Path:
    out = tmp_path / f"prepared-{model}"
    spec = PrepareSpec(framework="pytorch", model=model, weights=kw.get("weights", "random"), seed=kw.get("seed", 0),
                       reference_batch_size=2, sequence_length=8, export_onnx=kw.get("export", True), opset=17,
                       output_dir=out)
    prepare_model(spec, greenrt_adapter.create_preparer())
    return out


def _trial(model_dir: Path, model: str, provider: str = "cpu", batch: int = 2) -> TrialSpec:
    return TrialSpec(trial_id="t", runtime="pytorch", source="pytorch", model=model, provider=provider,
                     batch_size=batch, warmup_iterations=1, measured_iterations=2, seed=0, threads=1,
                     sequence_length=8, model_dir=model_dir, output_path=model_dir / "out.json")


def test_prepare_mobilenet_writes_native_onnx_and_matching_reference(tmp_path):
    out = _prepare(tmp_path, "mobilenet_v2")
    doc = json.loads((out / "prepared.json").read_text())
    assert doc["onnx"]["inputs"][0]["name"] == "pixel_values"
    assert doc["reference"]["output"]["shape"] == [2, 1000]
    # the native model, reloaded by the adapter on the same seeded inputs, gives the reference output
    adapter = greenrt_adapter.create_adapter()
    spec = _trial(out, "mobilenet_v2")
    adapter.load(spec)
    inputs = adapter.make_inputs(spec, np.random.default_rng(0))
    got = adapter.run_once(inputs).numpy()
    ref = np.fromfile(out / doc["reference"]["output"]["file"], dtype="<f4").reshape(2, 1000)
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-5)


def test_random_weights_are_seeded(tmp_path):
    a = _prepare(tmp_path / "a", "mobilenet_v2", export=False)
    b = _prepare(tmp_path / "b", "mobilenet_v2", export=False)
    fa, fb = (json.loads((p / "prepared.json").read_text())["reference"]["output"]["file"] for p in (a, b))
    assert (a / fa).read_bytes() == (b / fb).read_bytes()


def test_run_trial_on_native_model(tmp_path):
    out = _prepare(tmp_path, "mobilenet_v2", export=False)
    output = run_trial(_trial(out, "mobilenet_v2", batch=1), greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    assert output["environment"]["framework"] == "torch" and output["environment"]["threads"] == 1
    assert len(output["latenciesMs"]) == 2 and output["outputChecksum"] is not None


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error on a host without CUDA")
def test_cuda_without_gpu_fails_clearly(tmp_path):
    out = _prepare(tmp_path, "mobilenet_v2", export=False)
    output = run_trial(_trial(out, "mobilenet_v2", provider="cuda"), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "torch.cuda.is_available() is False" in output["error"]["message"]


def test_wrong_model_dir_fails_clearly(tmp_path):
    out = _prepare(tmp_path, "mobilenet_v2", export=False)
    output = run_trial(_trial(out, "resnet50"), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "holds 'mobilenet_v2'" in output["error"]["message"]


def test_pretrained_download_failure_is_clear(tmp_path):
    if os.environ.get("GREENRT_ONLINE") == "1":
        pytest.skip("online: the download would succeed")
    with pytest.raises(RuntimeError, match="weights: random"):
        _prepare(tmp_path, "mobilenet_v2", weights="pretrained", export=False)


def test_describe_lists_cpu():
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "describe"], capture_output=True, text=True,
                            check=True)
    info = json.loads(result.stdout)
    assert info["framework"] == "torch" and "cpu" in info["providersAvailable"]


def _mode_trial(model_dir: Path, model: str, mode: str) -> TrialSpec:
    return TrialSpec(trial_id="t", runtime="pytorch", source="pytorch", model=model, provider="cpu", batch_size=2,
                     warmup_iterations=1, measured_iterations=2, seed=0, threads=1, sequence_length=8,
                     model_dir=model_dir, output_path=model_dir / "out.json", mode=mode)


def _reference(out: Path) -> np.ndarray:
    entry = json.loads((out / "prepared.json").read_text())["reference"]["output"]
    return np.fromfile(out / entry["file"], dtype="<f4").reshape(entry["shape"])


@pytest.fixture(scope="module")
def prepared_native(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("modes")
    return {model: _prepare(root, model, export=False) for model in ("mobilenet_v2", "bert_base_uncased")}


@pytest.mark.parametrize("model", ["mobilenet_v2", "bert_base_uncased"])
@pytest.mark.parametrize("mode", RUNTIME_MODES["pytorch"])
def test_every_mode_reproduces_the_reference_or_is_refused_clearly(prepared_native, model, mode):
    """Each mode runs the same network: its output equals the prepared reference. `compile` needs a C++ compiler
    (inductor); in an image without one it must fail at load with the reason, never fall back to eager."""
    out = prepared_native[model]
    adapter = greenrt_adapter.create_adapter()
    spec = _mode_trial(out, model, mode)
    if mode == "compile" and greenrt_adapter.compiler_missing("cpu"):
        with pytest.raises(RuntimeError, match="needs a C\\+\\+ compiler"):
            adapter.load(spec)
        output = run_trial(spec, greenrt_adapter.create_adapter)
        assert output["status"] == "failed" and "inductor" in output["error"]["message"]
        return
    adapter.load(spec)
    inputs = adapter.make_inputs(spec, np.random.default_rng(0))
    assert adapter.build_engine(inputs) == (mode != "eager")
    got = adapter.run_once(inputs)
    adapter.synchronize(got)
    np.testing.assert_allclose(got.numpy(), _reference(out), rtol=1e-4, atol=1e-4)
    assert adapter.environment().mode == mode
    output = run_trial(spec, greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    assert output["environment"]["mode"] == mode and len(output["latenciesMs"]) == 2
    assert ("engineBuild" in output["phases"]) == (mode != "eager")


def test_a_mode_of_another_runtime_fails_clearly(tmp_path):
    out = _prepare(tmp_path, "mobilenet_v2", export=False)
    output = run_trial(_mode_trial(out, "mobilenet_v2", "keras-call"), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "has no mode 'keras-call'" in output["error"]["message"]
