"""Reading and validating the JSON specs the orchestrator hands an entrypoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .adapter import PrepareSpec, TrialSpec
from .schemas import schema_errors


class SpecError(Exception):
    """A spec file that is missing, not JSON, or not valid against its schema (exit code 2)."""


def read_json_spec(path: Path, schema: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or error
        raise SpecError(f"spec {path} cannot be read: {reason}. Check the path and the mount.") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"spec {path} is not JSON: {error}. Fix the file.") from error
    problems = schema_errors(schema, document)
    if problems:
        listed = "\n  ".join(problems)
        raise SpecError(f"spec {path} is not a valid {schema}:\n  {listed}")
    return document


def read_trial_spec(path: Path) -> tuple[TrialSpec, dict[str, Any]]:
    doc = read_json_spec(path, "trial-spec")
    spec = TrialSpec(
        trial_id=doc["trialId"],
        runtime=doc["runtime"],
        source=doc["source"],
        model=doc["model"],
        provider=doc["provider"],
        batch_size=doc["batchSize"],
        warmup_iterations=doc["warmupIterations"],
        measured_iterations=doc["measuredIterations"],
        seed=doc["seed"],
        threads=doc["threads"],
        sequence_length=doc["sequenceLength"],
        model_dir=Path(doc["modelDir"]),
        output_path=Path(doc["outputPath"]),
        mode=doc.get("mode"),
    )
    return spec, doc


def read_prepare_spec(path: Path) -> tuple[PrepareSpec, dict[str, Any]]:
    doc = read_json_spec(path, "prepare-spec")
    spec = PrepareSpec(
        framework=doc["framework"],
        model=doc["model"],
        weights=doc["weights"],
        seed=doc["seed"],
        reference_batch_size=doc["referenceBatchSize"],
        sequence_length=doc["sequenceLength"],
        export_onnx=doc["exportOnnx"],
        opset=doc["opset"],
        output_dir=Path(doc["outputDir"]),
    )
    return spec, doc
