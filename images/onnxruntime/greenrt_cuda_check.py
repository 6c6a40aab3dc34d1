"""ONNX Runtime's part of the no-GPU check of a cuda or tensorrt image (images/common/docker/cuda_check.py calls
`check`)."""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import greenrt_tensorrt


def version_of(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def check(facts: dict[str, Any], flavour: str, driver_libs: frozenset[str] | set[str]) -> list[str]:
    import onnxruntime as ort

    providers = ort.get_available_providers()
    facts["frameworkVersion"] = ort.__version__
    facts["providersBuilt"] = providers
    # ORT's build info names no CUDA version: the CUDA wheels the image locks say what it loads.
    facts["cuda"] = ".".join((version_of("nvidia-cuda-runtime-cu12") or "").split(".")[:2]) or None
    facts["cudnn"] = version_of("nvidia-cudnn-cu12")
    problems = [] if ort.get_device() == "GPU" and "CUDAExecutionProvider" in providers else [
        f"onnxruntime is not a GPU build (device {ort.get_device()}, providers {providers})"]
    if flavour == "tensorrt" and "TensorrtExecutionProvider" not in providers:
        problems.append("TensorrtExecutionProvider is not built into this onnxruntime")
    problems += session_probe(facts, driver_libs)
    if "TensorrtExecutionProvider" in providers and (models := fixture_models()):
        # Which TensorRT the provider was built against and would load, and a [TensorRT, CUDA, CPU] session
        # that may fail only for want of the driver (greenrt_tensorrt.py). In the cuda flavour TensorRT is
        # absent by design: recorded, not a problem.
        capi = os.path.join(os.path.dirname(ort.__file__), "capi")
        problems += greenrt_tensorrt.probe(facts, flavour, driver_libs, capi, models[0])
    return problems


def fixture_models() -> list[str]:
    return sorted(glob.glob("/opt/greenrt/runtime/tests/fixtures/*/model.onnx"))


def session_probe(facts: dict[str, Any], driver_libs: frozenset[str] | set[str]) -> list[str]:
    """A CUDA session without a driver may fail only for want of the driver, never because ORT cannot load its
    CUDA provider or a library that one needs (ORT then logs "Failed to load library ...", seen here with the
    wheels' folders off the loader path). With every library present and no driver, ORT 1.21 ends the session
    in SIGSEGV rather than CUDA error 35: the outcome is recorded, not judged."""
    models = fixture_models()
    if not models:
        return ["no fixture model to probe a CUDA session with (/opt/greenrt/runtime/tests/fixtures)"]
    code = ("import onnxruntime as o, sys; s = o.InferenceSession(sys.argv[1], "
            "providers=['CUDAExecutionProvider', 'CPUExecutionProvider']); print(s.get_providers())")
    session = subprocess.run([sys.executable, "-c", code, models[0]], capture_output=True, text=True,
                             check=False)
    output = re.sub(r"\x1b\[[0-9;]*m", "", session.stdout + session.stderr)
    facts["sessionWithoutDriver"] = f"exit {session.returncode}: {last_line(output)}"
    failed = re.findall(r"Failed to load library (\S+) with error: ([^\n]+)", output)
    missing = {m for m in re.findall(r"(\S+\.so[.\d]*): cannot open shared object file", output)
               if os.path.basename(m) not in driver_libs}
    return [f"CUDA session: ORT cannot load {lib}: {why[:200]}" for lib, why in failed if not any(
        d in why for d in driver_libs)] + [f"CUDA session: {m} cannot be loaded" for m in sorted(missing)]


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"
