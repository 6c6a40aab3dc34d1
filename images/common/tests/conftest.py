"""Shared fixtures: the fake adapter on sys.path, spec builders, and a subprocess runner.

Runs on the host (`python3 -m pytest images/common/tests`) and inside any runtime image
(`python3 -m pytest -p no:cacheprovider /opt/greenrt/common/tests`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
COMMON_DIR = TESTS_DIR.parent
for p in (str(COMMON_DIR), str(TESTS_DIR)):
    if p not in sys.path:
        sys.path.insert(0, p)

import greenrt_fake_adapter as fake  # noqa: E402


@pytest.fixture(autouse=True)
def reset_fake():
    fake.CONFIG.update({"fail": None, "work_s": 0.0})
    fake.EVENTS.clear()
    fake.INPUTS.clear()
    yield


def trial_doc(tmp_path: Path, **overrides) -> dict:
    doc = {
        "schemaVersion": 1, "trialId": "t-fake.resnet50.b2", "runtime": "pytorch", "source": "pytorch",
        "model": "resnet50", "provider": "cpu", "batchSize": 2, "warmupIterations": 3,
        "measuredIterations": 5, "seed": 7, "threads": 1, "sequenceLength": 16,
        "modelDir": str(tmp_path / "model"), "outputPath": str(tmp_path / "out" / "trial-output.json"),
    }
    doc.update(overrides)
    return doc


def prepare_doc(tmp_path: Path, **overrides) -> dict:
    doc = {
        "schemaVersion": 1, "framework": "pytorch", "model": "bert_base_uncased", "weights": "random",
        "seed": 3, "referenceBatchSize": 2, "sequenceLength": 8, "exportOnnx": True, "opset": 17,
        "outputDir": str(tmp_path / "prepared"),
    }
    doc.update(overrides)
    return doc


def write_json(path: Path, doc: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def run_cli(args: list[str], env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """`python3 -m greenrt_harness ...` with the fake adapter, as the orchestrator runs it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(COMMON_DIR), str(TESTS_DIR), env.get("PYTHONPATH", "")])
    env["GREENRT_ADAPTER"] = "greenrt_fake_adapter"
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "greenrt_harness", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
