"""cuda_check.py's catalogue-driven parts on the host, with a fake framework package and a fake runtime module
(the framework API checks themselves run inside each cuda image at build time)."""
from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docker"))

import cuda_check

from greenrt_harness.catalogue_gen import CUDA_CHECK, RUNTIMES


def test_the_catalogue_names_what_each_gpu_runtime_checks_and_its_image_has_the_api_check():
    images = Path(__file__).resolve().parents[2]
    if not (images / "common" / "docker" / "cuda_check.py").is_file() or not (images / "base").is_dir():
        pytest.skip("needs a checkout's images/ folder (inside an image only the image's own runtime folder exists)")
    assert set(CUDA_CHECK) <= set(RUNTIMES)
    for runtime, facts in CUDA_CHECK.items():
        assert facts["libraries"] and facts["kernelLibrary"] and facts["package"], runtime
        assert (images / runtime / "greenrt_cuda_check.py").is_file(), runtime


def test_usage_lists_the_catalogue_runtimes(capsys):
    assert cuda_check.main(["nosuchruntime", "cuda"]) == 2
    assert "|".join(CUDA_CHECK) in capsys.readouterr().err


@pytest.fixture
def fake_runtime(tmp_path, monkeypatch):
    """A package `fakefw` with two libraries, one that cannot resolve in the cuda flavour by design."""
    pkg = tmp_path / "fakefw"
    (pkg / "lib").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for name in ("libfake_core.so", "libfake_trt.so", "libfake_kernels.so"):
        (pkg / "lib" / name).write_bytes(b"not an ELF file")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cuda_check.CUDA_CHECK, "fakefw", {
        "package": "fakefw", "libraries": ("lib/libfake_*.so",), "kernelLibrary": "lib/libfake_kernels.so",
        "unavailable": {"cuda": {"libfake_trt.so": "needs TensorRT (tensorrt flavour)"}}})

    def check(facts, flavour, driver_libs):
        facts.update(frameworkVersion="1.0", cuda="12.4", archs=["sm_90"], archSource="fake API")
        assert "libcuda.so.1" in driver_libs
        return []

    monkeypatch.setitem(sys.modules, "greenrt_cuda_check", types.SimpleNamespace(check=check))
    monkeypatch.setattr(cuda_check, "unresolved", lambda p, _x=None: ["libnvinfer.so.10"] if "trt" in p else [])
    monkeypatch.setattr(cuda_check, "shadowing_driver_libs", lambda: [])
    monkeypatch.setattr(cuda_check, "SITE", str(tmp_path / "no-site"))
    return pkg


def test_libraries_come_from_the_catalogue_and_a_by_design_gap_is_recorded_not_failed(fake_runtime, capsys):
    assert cuda_check.main(["fakefw", "cuda"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["librariesChecked"] == 3
    why = "needs TensorRT (tensorrt flavour) (needs libnvinfer.so.10)"
    assert record["knownUnavailable"] == {"libfake_trt.so": why}
    assert record["archs"] == ["sm_90"] and record["ok"] is True and record["minDriver"] == "525.60.13"


def test_the_same_gap_fails_a_flavour_that_should_load_it(fake_runtime, capsys):
    assert cuda_check.main(["fakefw", "tensorrt"]) == 1
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert record["knownUnavailable"] == {}
    assert any("libfake_trt.so: unresolved libnvinfer.so.10" in p for p in record["problems"])
    assert "cuda-check: fakefw/tensorrt:" in captured.err
