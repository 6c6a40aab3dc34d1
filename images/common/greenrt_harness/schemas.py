"""Finding and applying the JSON Schemas (schemas/*.schema.json) inside an image or a checkout."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

IMAGE_SCHEMAS_DIR = Path("/opt/greenrt/schemas")
# images/common/greenrt_harness/schemas.py -> <checkout>/schemas (process runner, host tests).
CHECKOUT_SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


class SchemaNotFoundError(RuntimeError):
    pass


def schemas_dir() -> Path:
    """GREENRT_SCHEMAS_DIR, else /opt/greenrt/schemas, else the checkout's schemas/ folder."""
    env = os.environ.get("GREENRT_SCHEMAS_DIR")
    candidates = [Path(env)] if env else [IMAGE_SCHEMAS_DIR, CHECKOUT_SCHEMAS_DIR]
    for candidate in candidates:
        if (candidate / "trial-spec.schema.json").is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise SchemaNotFoundError(
        f"greenrt schemas not found (tried {tried}): trial-spec.schema.json is missing. "
        "Set GREENRT_SCHEMAS_DIR to the folder holding schemas/*.schema.json."
    )


@cache
def _validator(name: str) -> Any:
    path = schemas_dir() / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(name: str, document: Any) -> list[str]:
    """Every problem as 'path: message' (path '/' for the root), sorted by path; [] when valid."""
    problems = []
    for error in _validator(name).iter_errors(document):
        path = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{path}: {error.message}")
    return sorted(problems)
