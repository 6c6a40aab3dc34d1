"""`check <model-dir>`: run a prepared model's ONNX export on the runtime of this image and compare with the
source framework's own output on the same inputs (prepared.json `reference`).

The orchestrator checks every export once with onnxruntime-node; this check runs the runtime that is measured
(ONNX Runtime in Python, OpenVINO, ...) on the reference inputs, so a runtime that reads the export differently
is caught. Same measures and tolerance as pipeline/models/conversion-check.ts: the largest absolute difference,
argmax agreement over the last axis, tolerance 1e-3 + 1e-3 x the largest reference magnitude.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .adapter import RuntimeAdapter, TrialSpec

DTYPES = {"float32": "<f4", "int64": "<i8", "int32": "<i4"}


def read_tensor(model_dir: Path, tensor: dict[str, Any]) -> np.ndarray:
    return np.fromfile(model_dir / tensor["file"], dtype=np.dtype(DTYPES[tensor["dtype"]])).reshape(tensor["shape"])


def reference_check(model_dir: Path, runtime: str, create_adapter: Callable[[], RuntimeAdapter]) -> dict[str, Any]:
    prepared = json.loads((model_dir / "prepared.json").read_text(encoding="utf-8"))
    if not prepared.get("onnx"):
        raise ValueError(f"{model_dir}: the model has no ONNX export to check")
    ref = prepared["reference"]
    feeds = {t["name"]: read_tensor(model_dir, t) for t in ref["inputs"]}
    first = ref["inputs"][0]["shape"]
    spec = TrialSpec(trial_id="reference-check", runtime=runtime, source=prepared["framework"], model=prepared["model"],
                     provider="cpu", batch_size=int(first[0]), warmup_iterations=0, measured_iterations=1, seed=0,
                     threads=None, sequence_length=int(first[1]) if len(first) == 2 else 0, model_dir=model_dir,
                     output_path=Path("/dev/null"))
    adapter = create_adapter()
    adapter.load(spec)
    outputs = adapter.run_once(feeds)
    adapter.synchronize(outputs)
    expected = read_tensor(model_dir, ref["output"]).astype(np.float64)
    got = np.asarray(outputs[0], dtype=np.float64)
    if got.size != expected.size:
        raise ValueError(f"{runtime} output has {got.size} values, {prepared['framework']}'s has {expected.size} "
                         f"(shapes {list(got.shape)} vs {list(expected.shape)})")
    got = got.reshape(expected.shape)
    max_abs_diff = float(np.max(np.abs(got - expected))) if expected.size else 0.0
    tolerance = 1e-3 + 1e-3 * (float(np.max(np.abs(expected))) if expected.size else 0.0)
    agreement = float(np.mean(np.argmax(got, axis=-1) == np.argmax(expected, axis=-1))) if expected.size else 1.0
    return {"runtime": runtime, "source": prepared["framework"], "model": prepared["model"],
            "maxAbsDiff": max_abs_diff, "argmaxAgreement": agreement, "tolerance": tolerance,
            "withinTolerance": max_abs_diff <= tolerance and agreement == 1.0}
