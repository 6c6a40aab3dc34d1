"""In-image tests of the MXNet adapter and preparer (need mxnet and gluonnlp: run inside greenrt/mxnet).
MobileNetV2 keeps them short; BERT is prepared at sequence length 8 to check its interface and export.
Trials run through the CLI in a fresh process, as the orchestrator runs them (OMP_NUM_THREADS is read once)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

mx = pytest.importorskip("mxnet")

import greenrt_adapter  # noqa: E402
from greenrt_harness.adapter import PrepareSpec, TrialSpec  # noqa: E402
from greenrt_harness.catalogue_gen import RUNTIME_MODES  # noqa: E402
from greenrt_harness.prepare import prepare_model  # noqa: E402

MODEL = "mobilenet_v2"


def _prepare(out: Path, model: str = MODEL, **kw) -> Path:
    spec = PrepareSpec(framework="mxnet", model=model, weights=kw.get("weights", "random"), seed=kw.get("seed", 0),
                       reference_batch_size=2, sequence_length=8, export_onnx=kw.get("export", True),
                       opset=kw.get("opset", 17), output_dir=out)
    prepare_model(spec, greenrt_adapter.create_preparer())
    return out


def _load_ref(prepared: Path, entry: dict) -> np.ndarray:
    dtype = np.dtype(entry["dtype"]).newbyteorder("<")
    return np.fromfile(prepared / entry["file"], dtype=dtype).reshape(entry["shape"])


def _run_cli(tmp_path: Path, model_dir: Path, provider: str = "cpu", model: str = MODEL) -> tuple[int, dict]:
    out = tmp_path / "out.json"
    doc = {"schemaVersion": 1, "trialId": "t-mx", "runtime": "mxnet", "source": "mxnet", "model": model,
           "provider": provider, "batchSize": 2, "warmupIterations": 1, "measuredIterations": 3, "seed": 0,
           "threads": 1, "sequenceLength": 8, "modelDir": str(model_dir), "outputPath": str(out)}
    spec = tmp_path / "trial.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "run", str(spec)], capture_output=True,
                            text=True, timeout=300, check=False)
    return result.returncode, json.loads(out.read_text())


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    return _prepare(tmp_path_factory.mktemp("mx") / "prepared")


def test_prepare_writes_symbol_params_onnx_and_reference(prepared):
    doc = json.loads((prepared / "prepared.json").read_text())
    assert doc["onnx"]["inputs"] == [{"name": "pixel_values", "dtype": "float32", "shape": ["batch", 3, 224, 224]}]
    assert "opset 13" in doc["onnx"]["exporter"] and "version_converter to opset 17" in doc["onnx"]["exporter"]
    assert {p.name for p in (prepared / "native").iterdir()} >= {"model-symbol.json", "model-0000.params"}
    import onnx

    proto = onnx.load(str(prepared / "model.onnx"))
    assert proto.opset_import[0].version == 17
    assert [i.name for i in proto.graph.input] == ["pixel_values"]  # weights are initializers, not inputs
    assert [o.name for o in proto.graph.output] == ["logits"]


def test_native_model_reproduces_the_reference(prepared):
    adapter = greenrt_adapter.create_adapter()
    spec = TrialSpec(trial_id="t", runtime="mxnet", source="mxnet", model=MODEL, provider="cpu", batch_size=2,
                     warmup_iterations=0, measured_iterations=1, seed=0, threads=None, sequence_length=8,
                     model_dir=prepared, output_path=prepared / "unused.json")
    adapter.load(spec)
    outputs = adapter.run_once(adapter.make_inputs(spec, np.random.default_rng(0)))
    adapter.synchronize(outputs)
    ref = _load_ref(prepared, json.loads((prepared / "prepared.json").read_text())["reference"]["output"])
    np.testing.assert_allclose(outputs[0].asnumpy(), ref, rtol=1e-5, atol=1e-6 * np.abs(ref).max())


def test_bert_takes_named_int64_inputs_and_exports_both_outputs(tmp_path):
    out = _prepare(tmp_path / "bert", model="bert_base_uncased")
    doc = json.loads((out / "prepared.json").read_text())
    assert [t["name"] for t in doc["reference"]["inputs"]] == ["input_ids", "attention_mask", "token_type_ids"]
    output = doc["reference"]["output"]
    assert output["name"] == "last_hidden_state" and output["shape"] == [2, 8, 768]
    import onnx

    graph = onnx.load(str(out / "model.onnx")).graph
    assert {i.name for i in graph.input} == {"input_ids", "attention_mask", "token_type_ids"}
    assert [o.name for o in graph.output] == ["last_hidden_state", "pooler_output"]
    try:
        import onnxruntime as ort
    except ImportError:  # not in the MXNet image; the host check (and the ORT image) covers the numbers
        return
    feeds = {t["name"]: _load_ref(out, t) for t in doc["reference"]["inputs"]}
    got = ort.InferenceSession(str(out / "model.onnx")).run(["last_hidden_state"], feeds)[0]
    ref = _load_ref(out, doc["reference"]["output"])
    assert np.abs(got - ref).max() <= 1e-4 * np.abs(ref).max()


def test_random_weights_are_seeded(tmp_path):
    a, b = _prepare(tmp_path / "a", export=False), _prepare(tmp_path / "b", export=False)
    c = _prepare(tmp_path / "c", export=False, seed=1)
    files = [(p / "reference" / "output-logits.bin").read_bytes() for p in (a, b, c)]
    assert files[0] == files[1] and files[0] != files[2]


def test_run_trial_on_native_model(prepared, tmp_path):
    code, output = _run_cli(tmp_path, prepared)
    assert code == 0 and output["status"] == "ok", output["error"]
    assert output["environment"]["framework"] == "mxnet" and output["environment"]["threads"] == 1
    assert output["environment"]["providers"] == ["cpu(0)"]
    assert len(output["latenciesMs"]) == 3 and output["outputChecksum"] is not None


def test_cuda_without_gpu_fails_clearly(prepared, tmp_path):
    if greenrt_adapter.gpu_count() > 0:
        pytest.skip("checks the error on a host without a GPU")
    code, output = _run_cli(tmp_path, prepared, provider="cuda")
    assert code == 3 and "sees no GPU" in output["error"]["message"]


def test_tensorrt_and_wrong_model_fail_clearly(prepared, tmp_path):
    code, output = _run_cli(tmp_path, prepared, provider="tensorrt")
    assert code == 3 and "use cpu or cuda" in output["error"]["message"]
    code, output = _run_cli(tmp_path, prepared, model="resnet50")
    assert code == 3 and "holds 'mobilenet_v2'" in output["error"]["message"]


def test_threads_cannot_change_after_import(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    with pytest.raises(RuntimeError, match="fresh process"):
        greenrt_adapter.configure_threads(1)


def test_too_old_opset_is_refused(tmp_path):
    with pytest.raises(ValueError, match="opset >= 12"):
        _prepare(tmp_path / "p", opset=11)


def test_pretrained_download_failure_is_clear(tmp_path):
    if os.environ.get("GREENRT_ONLINE") == "1":
        pytest.skip("online: the download would succeed")
    with pytest.raises(RuntimeError, match="weights: random"):
        _prepare(tmp_path / "p", weights="pretrained", export=False)


def test_describe_lists_cpu():
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "describe"], capture_output=True, text=True,
                            check=True)
    info = json.loads(result.stdout)
    assert info["framework"] == "mxnet" and info["packages"]["gluonnlp"] == "0.10.0"
    assert "cpu" in info["providersAvailable"]


def _mode_spec(model_dir: Path, mode: str, model: str = MODEL) -> TrialSpec:
    return TrialSpec(trial_id="t", runtime="mxnet", source="mxnet", model=model, provider="cpu", batch_size=2,
                     warmup_iterations=0, measured_iterations=1, seed=0, threads=None, sequence_length=8,
                     model_dir=model_dir, output_path=model_dir / "unused.json", mode=mode)


@pytest.mark.parametrize("mode", RUNTIME_MODES["mxnet"])
def test_every_mode_reproduces_the_reference(prepared, mode):
    adapter = greenrt_adapter.create_adapter()
    spec = _mode_spec(prepared, mode)
    adapter.load(spec)
    hybridized = adapter.block._active  # Gluon's flag: set by hybridize()
    assert hybridized == (mode == "hybridized")
    outputs = adapter.run_once(adapter.make_inputs(spec, np.random.default_rng(0)))
    adapter.synchronize(outputs)
    ref = _load_ref(prepared, json.loads((prepared / "prepared.json").read_text())["reference"]["output"])
    np.testing.assert_allclose(outputs[0].asnumpy(), ref, rtol=1e-4, atol=1e-5 * np.abs(ref).max())
    assert adapter.environment().mode == mode


@pytest.mark.parametrize("mode", RUNTIME_MODES["mxnet"])
def test_every_mode_runs_through_the_cli(prepared, tmp_path, mode):
    out = tmp_path / "out.json"
    doc = {"schemaVersion": 1, "trialId": "t-mx", "runtime": "mxnet", "source": "mxnet", "model": MODEL,
           "provider": "cpu", "mode": mode, "batchSize": 2, "warmupIterations": 1, "measuredIterations": 3,
           "seed": 0, "threads": 1, "sequenceLength": 8, "modelDir": str(prepared), "outputPath": str(out)}
    (tmp_path / "trial.json").write_text(json.dumps(doc), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "greenrt_harness", "run", str(tmp_path / "trial.json")],
                            capture_output=True, text=True, timeout=300, check=False)
    output = json.loads(out.read_text())
    assert result.returncode == 0 and output["status"] == "ok", output.get("error")
    assert output["environment"]["mode"] == mode and len(output["latenciesMs"]) == 3


def test_imperative_bert_matches_the_reference(tmp_path):
    out = _prepare(tmp_path / "bert", model="bert_base_uncased", export=False)
    adapter = greenrt_adapter.create_adapter()
    spec = _mode_spec(out, "imperative", model="bert_base_uncased")
    adapter.load(spec)
    outputs = adapter.run_once(adapter.make_inputs(spec, np.random.default_rng(0)))
    adapter.synchronize(outputs)
    ref = _load_ref(out, json.loads((out / "prepared.json").read_text())["reference"]["output"])
    np.testing.assert_allclose(outputs[0].asnumpy(), ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())
