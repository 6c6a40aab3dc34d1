"""PyTorch's part of the no-GPU check of a cuda image (images/common/docker/cuda_check.py calls `check`)."""
from __future__ import annotations

from typing import Any


def check(facts: dict[str, Any], _flavour: str, _driver_libs: frozenset[str] | set[str]) -> list[str]:
    import torch
    from fatbin import sort_archs

    facts["frameworkVersion"] = torch.__version__
    facts["cuda"] = torch.version.cuda
    facts["cudnn"] = str(torch.backends.cudnn.version())  # loads libcudnn: no GPU needed
    facts["archs"] = sort_archs(torch._C._cuda_getArchFlags().split())
    facts["archSource"] = "torch._C._cuda_getArchFlags()"
    torch.cuda.is_available()  # must not raise without a driver
    return [] if torch.backends.cuda.is_built() and torch.version.cuda else ["torch is not a CUDA build"]
