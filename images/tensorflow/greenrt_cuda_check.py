"""TensorFlow's part of the no-GPU check of a cuda image (images/common/docker/cuda_check.py calls `check`)."""
from __future__ import annotations

from typing import Any


def check(facts: dict[str, Any], _flavour: str, _driver_libs: frozenset[str] | set[str]) -> list[str]:
    import tensorflow as tf
    from fatbin import sort_archs

    info = tf.sysconfig.get_build_info()
    facts["frameworkVersion"] = tf.__version__
    facts["cuda"] = info.get("cuda_version")
    facts["cudnn"] = info.get("cudnn_version")
    facts["archs"] = sort_archs(info.get("cuda_compute_capabilities", []))
    facts["archSource"] = "tf.sysconfig.get_build_info()['cuda_compute_capabilities']"
    return [] if tf.test.is_built_with_cuda() else ["tensorflow is not a CUDA build"]
