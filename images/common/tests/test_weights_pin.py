"""Pretrained weights against their pins (greenrt_harness.weights_pin), with seeded random FAKE weights files (no
download: the real preparers call the same check on the files their frameworks fetch)."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from conftest import prepare_doc, run_cli, write_json

from greenrt_harness.catalogue_gen import FRAMEWORKS, PRETRAINED
from greenrt_harness.weights_pin import WeightsPinError, check_weights_file, pin_for


def fake_weights(tmp_path, seed=1, size=4096):
    path = tmp_path / "weights.params"
    path.write_bytes(np.random.default_rng(seed).bytes(size))
    return path


def pin(**digests):
    entry = {"name": "weights.params", "sizeBytes": None, "sha256": None, **digests}
    return {"source": "torchvision", "location": "https://example.invalid/weights.params", "revision": "FAKE_V1",
            "files": [entry], "whenGone": "Put the file in FAKE/."}


def digests(path):
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "sha1": hashlib.sha1(data).hexdigest(),
            "md5": hashlib.md5(data).hexdigest(), "bytes": len(data)}


def test_every_framework_model_has_a_pin_with_a_fix():
    models = {model for _, model in PRETRAINED}
    for framework in FRAMEWORKS:
        for model in models:
            p = pin_for(framework, model)
            assert p["whenGone"] and p["files"]
    bert = pin_for("pytorch", "bert_base_uncased")
    assert len(bert["revision"]) == 40 and bert["files"][0]["sha256"]


def test_matching_file_passes_and_returns_its_sha256(tmp_path):
    path = fake_weights(tmp_path)
    d = digests(path)
    got = check_weights_file(path, pin(sha256=d["sha256"], sizeBytes=d["bytes"]))
    assert got == {"name": "weights.params", "sha256": d["sha256"], "bytes": d["bytes"]}
    check_weights_file(path, pin(sha1=d["sha1"]))
    check_weights_file(path, pin(md5=d["md5"]))
    check_weights_file(path, pin(sha256Prefix=d["sha256"][:8]))


@pytest.mark.parametrize("field", ["sha256", "sha1", "md5", "sha256Prefix", "sizeBytes"])
def test_other_bytes_stop_with_the_file_both_digests_and_the_fix(tmp_path, field):
    pinned = digests(fake_weights(tmp_path, seed=1))
    path = fake_weights(tmp_path, seed=2)  # same name and size, other bytes
    value = {"sha256": pinned["sha256"], "sha1": pinned["sha1"], "md5": pinned["md5"],
             "sha256Prefix": pinned["sha256"][:8], "sizeBytes": pinned["bytes"] + 1}[field]
    with pytest.raises(WeightsPinError) as raised:
        check_weights_file(path, pin(**{field: value}))
    message = str(raised.value)
    assert str(path) in message and "weights.params" in message and "FAKE_V1" in message
    assert str(value) in message and "Put the file in FAKE/." in message


def test_missing_file_stops_with_the_fix(tmp_path):
    with pytest.raises(WeightsPinError, match=r"is missing\. Put the file in FAKE/\."):
        check_weights_file(tmp_path / "absent.params", pin(sha256="0" * 64))


def test_a_pin_without_a_digest_says_which_sha256_to_record(tmp_path, capsys):
    path = fake_weights(tmp_path)
    check_weights_file(path, pin())
    assert digests(path)["sha256"] in capsys.readouterr().err


def test_prepare_with_weights_that_differ_from_the_pin_exits_4_and_writes_nothing(tmp_path):
    path = fake_weights(tmp_path, seed=5)
    (tmp_path / "other").mkdir()
    wrong = pin(sha256=digests(fake_weights(tmp_path / "other", seed=6))["sha256"])
    env = {"GREENRT_FAKE_WEIGHTS": str(path), "GREENRT_FAKE_PIN": json.dumps(wrong)}
    spec = write_json(tmp_path / "p.json", prepare_doc(tmp_path, weights="pretrained"))
    result = run_cli(["prepare", str(spec)], env)
    assert result.returncode == 4, result.stderr
    error = json.loads(result.stderr.strip().splitlines()[-1])["error"]
    assert error["type"] == "WeightsPinError" and "differ from catalogue/catalogue.json's pin" in error["message"]
    assert not (tmp_path / "prepared" / "prepared.json").exists()

    right = {**env, "GREENRT_FAKE_PIN": json.dumps(pin(sha256=digests(path)["sha256"]))}
    doc = prepare_doc(tmp_path, weights="pretrained", outputDir=str(tmp_path / "ok"))
    result = run_cli(["prepare", str(write_json(tmp_path / "ok.json", doc))], right)
    assert result.returncode == 0, result.stderr
