"""MXNet's part of the no-GPU check of a cuda image (images/common/docker/cuda_check.py calls `check`)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any


def version_of(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def check(facts: dict[str, Any], _flavour: str, _driver_libs: frozenset[str] | set[str]) -> list[str]:
    # `import mxnet` needs libcuda.so.1 (a DT_NEEDED of libmxnet.so): without a driver only files can be checked.
    facts["frameworkVersion"] = version_of("mxnet-cu112") or version_of("mxnet")
    facts["cuda"] = "11.2"  # mxnet-cu112: the toolkit it was built with (its name says so; libnvrtc.so.11.2)
    facts["cudnn"] = version_of("nvidia-cudnn-cu11")
    return [] if facts["frameworkVersion"] else ["mxnet is not installed"]
