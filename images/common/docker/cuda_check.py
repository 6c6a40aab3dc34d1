#!/usr/bin/env python3
"""No-GPU check of a cuda (or tensorrt) runtime image: does everything load that can load without a driver?

    python3 cuda_check.py RUNTIME FLAVOUR [--write FILE]

Runs as the last step of every cuda image build and as `greenrt images check <tag>` (images/README.md). Without
a GPU it checks that:
- every shared library of the framework and of the CUDA wheels resolves with `ldd`, except the driver's own
  (libcuda.so.1, libnvidia-ml.so.1 and their helpers: the NVIDIA Container Toolkit mounts them from the host),
  and that no driver library inside the image would shadow the host's;
- the framework reports a CUDA build (torch.version.cuda, tf.test.is_built_with_cuda(), ONNX Runtime's
  CUDAExecutionProvider available and a CUDA session failing only for want of a driver, never of a library);
and records which GPU architectures the framework has kernels for: "sm_XY" is machine code (SASS) for compute
capability X.Y, "compute_XY" is PTX that the driver JIT-compiles for X.Y and newer. The framework's own API gives
the list where it has one (PyTorch, TensorFlow); the fatbins of its kernel library always do (fatbin.py), and both
are recorded. Prints one JSON object (the record) on stdout and a line per problem on stderr; exit 0 when every
check passed, 1 when one failed, 2 on bad usage. --write FILE also stores the record (the image's cuda.json).
"""
from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fatbin import fatbin_archs, sort_archs

# Mounted from the host driver at container start: never in an image, so never "missing" here.
DRIVER_LIBS = {"libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1", "libnvidia-nvvm.so.4"}
SITE = sysconfig.get_paths()["purelib"]
# Oldest driver that runs each CUDA major's libraries under minor-version compatibility (NVIDIA's CUDA
# compatibility guide), and the driver a PTX JIT needs: at least the toolkit that generated the PTX.
MIN_DRIVER = {"11": "450.80.02", "12": "525.60.13"}
PTX_JIT_DRIVER = {"11.2": "460.27.03", "12.0": "525.60.13", "12.1": "530.30.02", "12.2": "535.54.03",
                  "12.3": "545.23.06", "12.4": "550.54.14"}
UNAVAILABLE_IN_CUDA_FLAVOUR = {
    "libonnxruntime_providers_tensorrt.so": "TensorRT is not on PyPI: the TensorRT execution provider lives in "
                                            "the tensorrt variant "
                                            "(greenrt images build onnxruntime --flavour tensorrt)",
}


def unresolved(path: str, extra_dirs: list[str] | None = None) -> list[str]:
    """Sonames `ldd` cannot resolve for PATH, less the driver's own."""
    env = dict(os.environ)
    if extra_dirs:
        env["LD_LIBRARY_PATH"] = ":".join([*extra_dirs, env.get("LD_LIBRARY_PATH", "")]).rstrip(":")
    result = subprocess.run(["ldd", path], capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0 and "not a dynamic executable" not in result.stderr + result.stdout:
        return [f"ldd failed: {(result.stderr or result.stdout).strip()[:200]}"]
    return sorted(set(re.findall(r"^\s*(\S+) => not found", result.stdout, re.M)) - DRIVER_LIBS)


def shadowing_driver_libs() -> list[str]:
    """A libcuda/libnvidia-ml (or a stub) in the loader's cache would shadow the driver the toolkit mounts.
    Run without a GPU, so any such entry is the image's own."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    found = sorted(set(re.findall(r"=> (\S*/lib(?:cuda|nvidia-ml)\.so\S*)", cache)))
    return [f"{p}: a driver library on the loader path shadows the host driver's; remove it" for p in found]


def package_dir(name: str) -> str | None:
    """A package's folder, found without importing it (importing mxnet needs the driver)."""
    spec = importlib.util.find_spec(name)
    return os.path.dirname(spec.origin) if spec and spec.origin else None


def framework_libs(runtime: str) -> tuple[list[str], str | None]:
    """(the framework's own shared libraries, the one that holds its GPU kernels)."""
    root = package_dir({"pytorch": "torch"}.get(runtime, runtime))
    if root is None:
        return [], None
    if runtime == "pytorch":
        return glob.glob(f"{root}/lib/lib*.so*"), f"{root}/lib/libtorch_cuda.so"
    if runtime == "tensorflow":
        libs = [f"{root}/libtensorflow_framework.so.2", f"{root}/libtensorflow_cc.so.2",
                *glob.glob(f"{root}/python/_pywrap_tensorflow_internal.so")]
        return libs, f"{root}/libtensorflow_cc.so.2"
    if runtime == "onnxruntime":
        providers = sorted(glob.glob(f"{root}/capi/libonnxruntime_providers_*.so"))
        return providers, f"{root}/capi/libonnxruntime_providers_cuda.so"
    return [f"{root}/libmxnet.so"], f"{root}/libmxnet.so"


def version_of(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def check_pytorch(facts: dict[str, Any], _flavour: str) -> list[str]:
    import torch

    facts["frameworkVersion"] = torch.__version__
    facts["cuda"] = torch.version.cuda
    facts["cudnn"] = str(torch.backends.cudnn.version())  # loads libcudnn: no GPU needed
    facts["archs"] = sort_archs(torch._C._cuda_getArchFlags().split())
    facts["archSource"] = "torch._C._cuda_getArchFlags()"
    torch.cuda.is_available()  # must not raise without a driver
    return [] if torch.backends.cuda.is_built() and torch.version.cuda else ["torch is not a CUDA build"]


def check_tensorflow(facts: dict[str, Any], _flavour: str) -> list[str]:
    import tensorflow as tf

    info = tf.sysconfig.get_build_info()
    facts["frameworkVersion"] = tf.__version__
    facts["cuda"] = info.get("cuda_version")
    facts["cudnn"] = info.get("cudnn_version")
    facts["archs"] = sort_archs(info.get("cuda_compute_capabilities", []))
    facts["archSource"] = "tf.sysconfig.get_build_info()['cuda_compute_capabilities']"
    return [] if tf.test.is_built_with_cuda() else ["tensorflow is not a CUDA build"]


def check_onnxruntime(facts: dict[str, Any], flavour: str) -> list[str]:
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
    return problems + ort_session_probe(facts)


def ort_session_probe(facts: dict[str, Any]) -> list[str]:
    """A CUDA session without a driver may fail only for want of the driver, never because ORT cannot load its
    CUDA provider or a library that one needs (ORT then logs "Failed to load library ...", seen here with the
    wheels' folders off the loader path). With every library present and no driver, ORT 1.21 ends the session
    in SIGSEGV rather than CUDA error 35: the outcome is recorded, not judged."""
    models = sorted(glob.glob("/opt/greenrt/runtime/tests/fixtures/*/model.onnx"))
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
               if os.path.basename(m) not in DRIVER_LIBS}
    return [f"CUDA session: ORT cannot load {lib}: {why[:200]}" for lib, why in failed if not any(
        d in why for d in DRIVER_LIBS)] + [f"CUDA session: {m} cannot be loaded" for m in sorted(missing)]


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def check_mxnet(facts: dict[str, Any], _flavour: str) -> list[str]:
    # `import mxnet` needs libcuda.so.1 (a DT_NEEDED of libmxnet.so): without a driver only files can be checked.
    facts["frameworkVersion"] = version_of("mxnet-cu112") or version_of("mxnet")
    facts["cuda"] = "11.2"  # mxnet-cu112: the toolkit it was built with (its name says so; libnvrtc.so.11.2)
    facts["cudnn"] = version_of("nvidia-cudnn-cu11")
    return [] if facts["frameworkVersion"] else ["mxnet is not installed"]


CHECKS: dict[str, Callable[[dict[str, Any], str], list[str]]] = {
    "pytorch": check_pytorch, "tensorflow": check_tensorflow, "onnxruntime": check_onnxruntime, "mxnet": check_mxnet}


def record_archs(facts: dict[str, Any], kernel_lib: str | None) -> list[str]:
    """The fatbins' list always; it is the record when the framework has no API for it."""
    counts = fatbin_archs(kernel_lib) if kernel_lib and os.path.exists(kernel_lib) else {}
    in_binary = sort_archs(counts)
    facts["archsInBinary"] = in_binary
    facts["archsInBinaryCounts"] = {a: counts[a] for a in in_binary}  # kernels (fatbin entries) per architecture
    facts["archsInBinarySource"] = f"fatbins of {os.path.basename(kernel_lib or '?')}"
    if not facts["archs"]:
        facts["archs"], facts["archSource"] = in_binary, facts["archsInBinarySource"]
    return [] if facts["archs"] else [f"no GPU kernels found in {kernel_lib}"]


def check_libraries(libs: list[str], flavour: str, facts: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    unavailable: dict[str, str] = {}
    for path in sorted(set(libs)):
        missing, name = unresolved(path), os.path.basename(path)
        if missing and flavour == "cuda" and name in UNAVAILABLE_IN_CUDA_FLAVOUR:
            unavailable[name] = f"{UNAVAILABLE_IN_CUDA_FLAVOUR[name]} (needs {', '.join(missing)})"
        elif missing:
            problems.append(f"{path}: unresolved {', '.join(missing)}")
    nvdirs = sorted(glob.glob(f"{SITE}/nvidia/*/lib")) + sorted(glob.glob(f"{SITE}/tensorrt_libs"))
    nvlibs = sorted(p for d in nvdirs for p in glob.glob(f"{d}/*.so*") if os.path.isfile(p))
    for path in nvlibs:  # CUDA wheels are loaded as a set (frameworks preload them): resolve them together
        if missing := unresolved(path, nvdirs):
            problems.append(f"{path}: unresolved {', '.join(missing)}")
    facts["librariesChecked"] = len(set(libs)) + len(nvlibs)
    facts["knownUnavailable"] = unavailable
    return problems + shadowing_driver_libs()


def min_driver(facts: dict[str, Any]) -> None:
    cuda = facts.get("cuda") or ""
    facts["minDriver"] = MIN_DRIVER.get(cuda.split(".")[0])
    if any(a.startswith("compute_") for a in facts["archs"]) and cuda in PTX_JIT_DRIVER:
        facts["minDriverPtxJit"] = PTX_JIT_DRIVER[cuda]


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in CHECKS or argv[1] not in {"cuda", "tensorrt"}:
        print("usage: cuda_check.py pytorch|tensorflow|onnxruntime|mxnet cuda|tensorrt [--write FILE]", file=sys.stderr)
        return 2
    runtime, flavour = argv[0], argv[1]
    facts: dict[str, Any] = {"runtime": runtime, "flavour": flavour, "cuda": None, "cudnn": None, "archs": [],
                             "archSource": None}
    libs, kernel_lib = framework_libs(runtime)
    try:
        problems = CHECKS[runtime](facts, flavour)
    except Exception as error:  # noqa: BLE001 - an import or API failure is itself the finding
        problems = [f"{runtime} check raised {type(error).__name__}: {error}"]
    problems += record_archs(facts, kernel_lib)
    problems += check_libraries(libs, flavour, facts)
    min_driver(facts)
    facts["problems"], facts["ok"] = problems, not problems
    text = json.dumps(facts, indent=2, sort_keys=True)
    print(text)
    for p in problems:
        print(f"cuda-check: {runtime}/{flavour}: {p}", file=sys.stderr)
    if "--write" in argv:
        target = argv[argv.index("--write") + 1]
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
