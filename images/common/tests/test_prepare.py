"""`prepare`: reference tensors, hashes, prepared.json."""

from __future__ import annotations

import hashlib
import json

import numpy as np
from conftest import prepare_doc, run_cli, write_json

from greenrt_harness.inputs import bert_inputs
from greenrt_harness.schemas import schema_errors


def test_prepare_writes_references_hashes_and_a_valid_prepared_json(tmp_path):
    result = run_cli(["prepare", str(write_json(tmp_path / "p.json", prepare_doc(tmp_path)))])
    assert result.returncode == 0, result.stderr
    out = tmp_path / "prepared"
    doc = json.loads((out / "prepared.json").read_text())
    assert schema_errors("prepared-model", doc) == []
    assert doc["onnx"]["file"] == "model.onnx" and doc["onnx"]["opset"] == 17
    paths = [f["path"] for f in doc["files"]]
    assert paths == sorted(paths) and "model.onnx" in paths and "native/weights.bin" in paths
    for entry in doc["files"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    names = [t["name"] for t in doc["reference"]["inputs"]]
    assert names == ["input_ids", "attention_mask", "token_type_ids"]
    ids = doc["reference"]["inputs"][0]
    loaded = np.fromfile(out / ids["file"], dtype="<i8").reshape(ids["shape"])
    rng = np.random.default_rng(3)
    rng.bytes(64)  # the fake preparer draws its weights first
    np.testing.assert_array_equal(loaded, bert_inputs(rng, 2, 8)["input_ids"])
    output = doc["reference"]["output"]
    assert output["dtype"] == "float32" and output["shape"] == [2, 1]
    assert (out / output["file"]).stat().st_size == 2 * 4


def test_prepare_without_onnx_writes_null(tmp_path):
    result = run_cli(["prepare", str(write_json(tmp_path / "p.json", prepare_doc(tmp_path, exportOnnx=False)))])
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "prepared" / "prepared.json").read_text())["onnx"] is None


def test_prepare_rejects_unsupported_dtype_with_exit_3(tmp_path):
    result = run_cli(["prepare", str(write_json(tmp_path / "p.json", prepare_doc(tmp_path)))],
                     {"GREENRT_FAKE_FAIL": "bad-dtype"})
    assert result.returncode == 3
    assert json.loads(result.stderr.strip().splitlines()[-1])["error"]["type"] == "PreparedInvalidError"
    assert not (tmp_path / "prepared" / "prepared.json").exists()


def test_prepare_refuses_a_non_empty_output_dir(tmp_path):
    (tmp_path / "prepared").mkdir()
    (tmp_path / "prepared" / "stale").write_text("x")
    result = run_cli(["prepare", str(write_json(tmp_path / "p.json", prepare_doc(tmp_path)))])
    assert result.returncode == 3 and "not empty" in result.stderr


def test_prepare_bad_spec_exits_2(tmp_path):
    result = run_cli(["prepare", str(write_json(tmp_path / "p.json", prepare_doc(tmp_path, opset=99)))])
    assert result.returncode == 2 and "/opset" in result.stderr


def test_describe_prints_framework_and_providers():
    result = run_cli(["describe"])
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["framework"] == "fake" and info["providersAvailable"] == ["fake-cpu"]
    assert "numpy" in info["packages"] and info["python"].count(".") == 2
