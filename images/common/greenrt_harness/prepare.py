"""`prepare`: let the framework's preparer build and export the model, then write the reference
tensors, hash every file and write prepared.json (validated) into spec.output_dir."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from .adapter import ModelPreparer, PreparedResult, PrepareSpec, TensorArray
from .files import atomic_write_bytes, atomic_write_json, sha256_file
from .schemas import schema_errors

ALLOWED_DTYPES = ("float32", "int64", "int32")
PREPARED_FILE = "prepared.json"
REFERENCE_DIR = "reference"


class PreparedInvalidError(Exception):
    """The preparer returned something prepared.json cannot describe."""


def _safe_name(name: str) -> str:
    # Graph names may hold ':' or '/' (TensorFlow): keep file names portable.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "tensor"


def write_tensor(out_dir: Path, relative: str, tensor: TensorArray) -> dict[str, Any]:
    """Write one tensor as raw little-endian C-order bytes; return its tensorFile entry."""
    array = np.asarray(tensor.array)
    if array.dtype.name not in ALLOWED_DTYPES:
        raise PreparedInvalidError(
            f"reference tensor {tensor.name!r} has dtype {array.dtype.name}: use one of {ALLOWED_DTYPES}")
    little = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<"), copy=False))
    atomic_write_bytes(out_dir / relative, little.tobytes(order="C"))
    return {"name": tensor.name, "dtype": array.dtype.name, "shape": [int(d) for d in array.shape], "file": relative}


def list_files(out_dir: Path) -> list[dict[str, Any]]:
    """Every file under out_dir except prepared.json, sorted, with SHA-256 and size."""
    entries = []
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(out_dir).as_posix()
        if relative == PREPARED_FILE:
            continue
        entries.append({"path": relative, "sha256": sha256_file(path), "bytes": path.stat().st_size})
    return entries


def ensure_empty_output_dir(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise FileExistsError(
            f"prepare output folder {out_dir} is not empty. Give prepare an empty folder (the model cache "
            "writes each prepared model once).")


def build_prepared(spec: PrepareSpec, result: PreparedResult) -> dict[str, Any]:
    out_dir = spec.output_dir
    ref_inputs = [
        write_tensor(out_dir, f"{REFERENCE_DIR}/input-{i}-{_safe_name(t.name)}.bin", t)
        for i, t in enumerate(result.reference_inputs)
    ]
    if not ref_inputs:
        raise PreparedInvalidError("the preparer returned no reference inputs")
    ref_output = write_tensor(out_dir, f"{REFERENCE_DIR}/output-{_safe_name(result.reference_output.name)}.bin",
                              result.reference_output)
    onnx = None
    if result.onnx_file is not None:
        if not (out_dir / result.onnx_file).is_file():
            raise PreparedInvalidError(f"the preparer named {result.onnx_file} but did not write it")
        onnx = {
            "file": result.onnx_file, "opset": spec.opset, "exporter": result.exporter or "unknown",
            "inputs": result.onnx_inputs, "outputs": result.onnx_outputs,
        }
    return {
        "schemaVersion": 1, "framework": spec.framework, "model": spec.model, "weights": spec.weights,
        "seed": spec.seed, "nativeDir": result.native_dir, "onnx": onnx,
        "reference": {"inputs": ref_inputs, "output": ref_output},
        "files": list_files(out_dir),
        "environment": {str(k): str(v) for k, v in result.environment.items()},
        "durationsMs": {"build": float(result.build_ms), "export": float(result.export_ms)},
    }


def prepare_model(spec: PrepareSpec, preparer: ModelPreparer) -> dict[str, Any]:
    """Run the preparer, then write reference files and prepared.json; return the document."""
    ensure_empty_output_dir(spec.output_dir)
    result = preparer.prepare(spec)
    document = build_prepared(spec, result)
    problems = schema_errors("prepared-model", document)
    if problems:
        raise PreparedInvalidError("prepared.json would be invalid: " + "; ".join(problems))
    atomic_write_json(spec.output_dir / PREPARED_FILE, document)
    return document
