"""In-image tests of the TensorFlow adapter and preparer (need tensorflow: run inside greenrt/tensorflow).
MobileNetV2 keeps them short (about 20 s per prepare with ONNX on two cores); trials run through the CLI
in a fresh process, as the orchestrator runs them (TensorFlow's thread pools are fixed per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import greenrt_adapter  # noqa: E402
from greenrt_harness.adapter import PrepareSpec, TrialSpec  # noqa: E402
from greenrt_harness.catalogue_gen import RUNTIME_MODES  # noqa: E402
from greenrt_harness.prepare import prepare_model  # noqa: E402

MODEL = "mobilenet_v2"


def _prepare(out: Path, model: str = MODEL, **kw) -> Path:
    spec = PrepareSpec(framework="tensorflow", model=model, weights=kw.get("weights", "random"),
                       seed=kw.get("seed", 0), reference_batch_size=2, sequence_length=8,
                       export_onnx=kw.get("export", True), opset=kw.get("opset", 17), output_dir=out)
    prepare_model(spec, greenrt_adapter.create_preparer())
    return out


def _trial_doc(model_dir: Path, out: Path, provider: str = "cpu", model: str = MODEL) -> dict:
    return {"schemaVersion": 1, "trialId": "t-tf", "runtime": "tensorflow", "source": "tensorflow", "model": model,
            "provider": provider, "batchSize": 2, "warmupIterations": 1, "measuredIterations": 3, "seed": 0,
            "threads": 1, "sequenceLength": 8, "modelDir": str(model_dir), "outputPath": str(out)}


def _run_cli(tmp_path: Path, doc: dict) -> tuple[subprocess.CompletedProcess, dict]:
    spec = tmp_path / "trial.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "run", str(spec)], capture_output=True,
                            text=True, timeout=300, check=False)
    return result, json.loads(Path(doc["outputPath"]).read_text())


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    return _prepare(tmp_path_factory.mktemp("tf") / "prepared")


def test_prepare_writes_savedmodel_nhwc_onnx_and_reference(prepared):
    doc = json.loads((prepared / "prepared.json").read_text())
    assert doc["onnx"]["inputs"] == [{"name": "pixel_values", "dtype": "float32", "shape": ["batch", 224, 224, 3]}]
    assert doc["onnx"]["exporter"].startswith("tf2onnx 1.16.1")
    assert (prepared / "native" / "saved_model.pb").is_file()
    assert doc["reference"]["output"]["name"] == "logits" and doc["reference"]["output"]["shape"] == [2, 1000]
    import onnx

    graph = onnx.load(str(prepared / "model.onnx")).graph
    assert graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    assert [o.name for o in graph.output] == ["logits"]


def test_native_model_reproduces_the_reference(prepared):
    adapter = greenrt_adapter.create_adapter()
    spec = TrialSpec(trial_id="t", runtime="tensorflow", source="tensorflow", model=MODEL, provider="cpu",
                     batch_size=2, warmup_iterations=0, measured_iterations=1, seed=0, threads=None,
                     sequence_length=8, model_dir=prepared, output_path=prepared / "unused.json")
    adapter.load(spec)
    outputs = adapter.run_once(adapter.make_inputs(spec, np.random.default_rng(0)))
    adapter.synchronize(outputs)
    doc = json.loads((prepared / "prepared.json").read_text())
    ref = np.fromfile(prepared / doc["reference"]["output"]["file"], dtype="<f4").reshape(2, 1000)
    np.testing.assert_allclose(outputs["logits"].numpy(), ref, rtol=1e-5, atol=1e-6 * np.abs(ref).max())


def test_onnx_export_matches_the_reference_when_onnxruntime_is_present(prepared):
    ort = pytest.importorskip("onnxruntime")
    doc = json.loads((prepared / "prepared.json").read_text())
    x = np.fromfile(prepared / doc["reference"]["inputs"][0]["file"], dtype="<f4").reshape(2, 224, 224, 3)
    ref = np.fromfile(prepared / doc["reference"]["output"]["file"], dtype="<f4").reshape(2, 1000)
    got = ort.InferenceSession(str(prepared / "model.onnx")).run(["logits"], {"pixel_values": x})[0]
    assert np.abs(got - ref).max() <= 1e-4 * np.abs(ref).max()


def test_random_weights_are_seeded(tmp_path):
    a, b = _prepare(tmp_path / "a", export=False), _prepare(tmp_path / "b", export=False)
    c = _prepare(tmp_path / "c", export=False, seed=1)
    files = [(p / "reference" / "output-logits.bin").read_bytes() for p in (a, b, c)]
    assert files[0] == files[1] and files[0] != files[2]


def test_run_trial_on_native_model(prepared, tmp_path):
    result, output = _run_cli(tmp_path, _trial_doc(prepared, tmp_path / "out.json"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert output["status"] == "ok" and output["environment"]["framework"] == "tensorflow"
    assert output["environment"]["threads"] == 1 and output["environment"]["providers"] == ["/CPU:0"]
    assert len(output["latenciesMs"]) == 3 and output["outputChecksum"] is not None


@pytest.mark.skipif(bool(tf.config.list_physical_devices("GPU")), reason="checks the error on a host without a GPU")
def test_cuda_without_gpu_fails_clearly(prepared, tmp_path):
    result, output = _run_cli(tmp_path, _trial_doc(prepared, tmp_path / "out.json", provider="cuda"))
    assert result.returncode == 3 and output["status"] == "failed"
    assert "sees no GPU" in output["error"]["message"]


def test_tensorrt_is_refused(prepared, tmp_path):
    result, output = _run_cli(tmp_path, _trial_doc(prepared, tmp_path / "out.json", provider="tensorrt"))
    assert result.returncode == 3 and "use cpu or cuda" in output["error"]["message"]


def test_wrong_model_dir_fails_clearly(prepared, tmp_path):
    result, output = _run_cli(tmp_path, _trial_doc(prepared, tmp_path / "out.json", model="resnet50"))
    assert result.returncode == 3 and "holds 'mobilenet_v2'" in output["error"]["message"]


def test_too_new_opset_is_refused(tmp_path):
    with pytest.raises(ValueError, match="ask for opset <="):
        _prepare(tmp_path / "p", opset=30)


def test_pretrained_download_failure_is_clear(tmp_path):
    if os.environ.get("GREENRT_ONLINE") == "1":
        pytest.skip("online: the download would succeed")
    with pytest.raises(RuntimeError, match="weights: random"):
        _prepare(tmp_path / "p", weights="pretrained", export=False)


def test_describe_lists_cpu():
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "describe"], capture_output=True, text=True,
                            check=True)
    info = json.loads(result.stdout)
    assert info["framework"] == "tensorflow" and "cpu" in info["providersAvailable"]


@pytest.mark.parametrize("mode", RUNTIME_MODES["tensorflow"])
def test_every_mode_reproduces_the_reference(prepared, mode):
    """Each execution mode runs the same network with the same weights: outputs equal the prepared reference."""
    adapter = greenrt_adapter.create_adapter()
    spec = TrialSpec(trial_id="t", runtime="tensorflow", source="tensorflow", model=MODEL, provider="cpu",
                     batch_size=2, warmup_iterations=0, measured_iterations=1, seed=0, threads=None,
                     sequence_length=8, model_dir=prepared, output_path=prepared / "unused.json", mode=mode)
    adapter.load(spec)
    inputs = adapter.make_inputs(spec, np.random.default_rng(0))
    built = adapter.build_engine(inputs)
    assert built == (mode == "keras-predict")  # only predict() has a one-off step (its tracing) to time
    outputs = adapter.run_once(inputs)
    adapter.synchronize(outputs)
    doc = json.loads((prepared / "prepared.json").read_text())
    ref = np.fromfile(prepared / doc["reference"]["output"]["file"], dtype="<f4").reshape(2, 1000)
    np.testing.assert_allclose(np.asarray(outputs["logits"]), ref, rtol=1e-4, atol=1e-5 * np.abs(ref).max())
    assert adapter.environment().mode == mode


@pytest.mark.parametrize("mode", RUNTIME_MODES["tensorflow"])
def test_every_mode_runs_through_the_cli(prepared, tmp_path, mode):
    result, output = _run_cli(tmp_path, {**_trial_doc(prepared, tmp_path / "out.json"), "mode": mode})
    assert result.returncode == 0 and output["status"] == "ok", output.get("error")
    assert output["environment"]["mode"] == mode and len(output["latenciesMs"]) == 3
    assert ("engineBuild" in output["phases"]) == (mode == "keras-predict")


def test_a_mode_of_another_runtime_fails_clearly(prepared, tmp_path):
    _, output = _run_cli(tmp_path, {**_trial_doc(prepared, tmp_path / "out.json"), "mode": "eager"})
    assert output["status"] == "failed"
    assert "has no mode 'eager'" in output["error"]["message"] and "keras-predict" in output["error"]["message"]


def test_keras_modes_on_bert(tmp_path):
    """BERT through Keras: keras-call and keras-predict give the SavedModel signature's last_hidden_state."""
    out = _prepare(tmp_path / "bert", model="bert_base_uncased", export=False)
    results = {}
    for mode in RUNTIME_MODES["tensorflow"]:
        adapter = greenrt_adapter.create_adapter()
        spec = TrialSpec(trial_id="t", runtime="tensorflow", source="tensorflow", model="bert_base_uncased",
                         provider="cpu", batch_size=2, warmup_iterations=0, measured_iterations=1, seed=0,
                         threads=None, sequence_length=8, model_dir=out, output_path=out / "unused.json", mode=mode)
        adapter.load(spec)
        inputs = adapter.make_inputs(spec, np.random.default_rng(0))
        adapter.build_engine(inputs)
        outputs = adapter.run_once(inputs)
        adapter.synchronize(outputs)
        results[mode] = np.asarray(outputs["last_hidden_state"])
    assert results["function"].shape == (2, 8, 768)
    for mode, value in results.items():
        np.testing.assert_allclose(value, results["function"], rtol=1e-4, atol=1e-4, err_msg=mode)
