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
are recorded. What to look at comes from the catalogue (catalogue/catalogue.json, a runtime's `cudaCheck`: its
package, shared libraries, kernel library and the libraries a flavour cannot load by design; generated into
greenrt_harness.catalogue_gen.CUDA_CHECK); the framework's own API checks from the image's runtime folder
(images/<runtime>/greenrt_cuda_check.py, `check(facts, flavour, driver_libs)`). Prints one JSON object (the
record) on stdout and a line per problem on stderr; exit 0 when every check passed, 1 when one failed, 2 on bad
usage. --write FILE also stores the record (the image's cuda.json).
"""
from __future__ import annotations

import glob
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from typing import Any

from fatbin import fatbin_archs, sort_archs

from greenrt_harness.catalogue_gen import CUDA_CHECK

# Mounted from the host driver at container start: never in an image, so never "missing" here.
DRIVER_LIBS = {"libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1", "libnvidia-nvvm.so.4"}
SITE = sysconfig.get_paths()["purelib"]
# Oldest driver that runs each CUDA major's libraries under minor-version compatibility (NVIDIA's CUDA
# compatibility guide), and the driver a PTX JIT needs: at least the toolkit that generated the PTX.
MIN_DRIVER = {"11": "450.80.02", "12": "525.60.13"}
PTX_JIT_DRIVER = {"11.2": "460.27.03", "12.0": "525.60.13", "12.1": "530.30.02", "12.2": "535.54.03",
                  "12.3": "545.23.06", "12.4": "550.54.14"}


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
    """(the framework's own shared libraries, the one that holds its GPU kernels), from the catalogue's cudaCheck."""
    facts = CUDA_CHECK[runtime]
    root = package_dir(facts["package"])
    if root is None:
        return [], None
    libs = [p for pattern in facts["libraries"] for p in (glob.glob(f"{root}/{pattern}") or [f"{root}/{pattern}"])
            if "*" not in os.path.basename(p) or os.path.exists(p)]
    return libs, f"{root}/{facts['kernelLibrary']}"


def runtime_check() -> Callable[..., list[str]]:
    """The framework's own API checks: `check(facts, flavour, driver_libs)` in images/<runtime>/greenrt_cuda_check.py
    (on PYTHONPATH as /opt/greenrt/runtime). It fills facts (frameworkVersion, cuda, cudnn, archs, archSource, ...)
    and returns the problems it found."""
    module = importlib.import_module("greenrt_cuda_check")
    return module.check


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


def check_libraries(runtime: str, libs: list[str], flavour: str, facts: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    unavailable: dict[str, str] = {}
    # Libraries a flavour cannot load by design (the catalogue's cudaCheck.unavailable): recorded, not problems.
    by_design = CUDA_CHECK[runtime].get("unavailable", {}).get(flavour, {})
    for path in sorted(set(libs)):
        missing, name = unresolved(path), os.path.basename(path)
        if missing and name in by_design:
            unavailable[name] = f"{by_design[name]} (needs {', '.join(missing)})"
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
    if len(argv) < 2 or argv[0] not in CUDA_CHECK or argv[1] not in {"cuda", "tensorrt"}:
        print(f"usage: cuda_check.py {'|'.join(CUDA_CHECK)} cuda|tensorrt [--write FILE]", file=sys.stderr)
        return 2
    runtime, flavour = argv[0], argv[1]
    facts: dict[str, Any] = {"runtime": runtime, "flavour": flavour, "cuda": None, "cudnn": None, "archs": [],
                             "archSource": None}
    libs, kernel_lib = framework_libs(runtime)
    try:
        problems = runtime_check()(facts, flavour, DRIVER_LIBS)
    except Exception as error:  # noqa: BLE001 - an import or API failure is itself the finding
        problems = [f"{runtime} check raised {type(error).__name__}: {error}"]
    problems += record_archs(facts, kernel_lib)
    problems += check_libraries(runtime, libs, flavour, facts)
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
