"""`describe`: what this image can run, without loading a model."""

from __future__ import annotations

import platform
from types import ModuleType
from typing import Any

from .inputs import package_versions

HARNESS_PACKAGES = ("numpy", "jsonschema")


def describe_image(adapter_module: ModuleType) -> dict[str, Any]:
    """Ask the adapter module's optional `describe() -> dict` (keys framework, frameworkVersion,
    packages, providersAvailable); modules without it are reported as unknown."""
    info: dict[str, Any] = {}
    describe = getattr(adapter_module, "describe", None)
    if callable(describe):
        info = dict(describe())
    packages = package_versions(HARNESS_PACKAGES)
    packages.update({str(k): str(v) for k, v in (info.get("packages") or {}).items()})
    return {
        "framework": str(info.get("framework", "unknown")),
        "frameworkVersion": str(info.get("frameworkVersion", "unknown")),
        "python": platform.python_version(),
        "packages": packages,
        "providersAvailable": [str(p) for p in info.get("providersAvailable", [])],
    }
