"""The TensorRT probe of the image check (greenrt_tensorrt.py): the session classifier on recorded and on
labelled constructed error texts, the version arithmetic, and the built-against reader on a compiled stand-in
library (and, inside the onnxruntime cuda image, on the real provider library). Runs on the host
(`python3 -m pytest images/onnxruntime/tests/test_tensorrt_probe.py`) and inside the onnxruntime images."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import greenrt_tensorrt as trt

RECORDED = Path(__file__).parent / "recorded"
DRIVER_LIBS = frozenset({"libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1", "libnvidia-nvvm.so.4"})
PROVIDER = "/opt/greenrt/venv/lib/python3.13/site-packages/onnxruntime/capi/libonnxruntime_providers_tensorrt.so"


def load_failure(why: str) -> str:
    """ORT's provider-bridge error line (the format of the recorded file), around a given loader error."""
    return ("2026-12-07 11:38:53 [E:onnxruntime:Default, provider_bridge_ort.cc:2341 TryGetProviderInfo_TensorRT] "
            f"[ONNXRuntimeError] : 1 : FAIL : Failed to load library {PROVIDER} with error: {why}\n")


# --- recorded (real) texts ---

def test_recorded_cuda_image_without_tensorrt_or_driver_is_tensorrt_missing():
    """RECORDED in greenrt/onnxruntime:cuda (ORT 1.26.0, no TensorRT, no driver): the TensorRT provider cannot
    load libnvinfer.so.10, then the CUDA fallback fails with CUDA error 35. The missing TensorRT wins."""
    text = (RECORDED / "session-tensorrt-no-tensorrt-no-driver.txt").read_text()
    assert "CUDA failure 35" in text  # the driver is missing too
    verdict, detail = trt.classify_session(1, text, DRIVER_LIBS)
    assert verdict == "tensorrt-missing"
    assert detail == "libnvinfer.so.10: cannot open shared object file: No such file or directory"


def test_recorded_driverless_cuda_fallback_alone_is_driver_only():
    """RECORDED: a CUDA session without a driver (CUDA error 35, fallback to the CPU, exit 0)."""
    text = (RECORDED / "session-cuda-no-driver.txt").read_text()
    verdict, detail = trt.classify_session(0, text, DRIVER_LIBS)
    assert verdict == "driver-only"
    assert "CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version" in detail


def test_recorded_provider_symbol_missing_from_a_fake_libnvinfer_is_a_mismatch():
    """RECORDED in greenrt/onnxruntime:cuda with a FAKE libnvinfer.so.10/libnvonnxparser.so.10 (version 10.14.1,
    without getPluginRegistry) on the loader path: what a TensorRT lacking a symbol the provider imports gives."""
    text = (RECORDED / "session-tensorrt-fake-nvinfer-missing-symbol.txt").read_text()
    verdict, detail = trt.classify_session(1, text, DRIVER_LIBS)
    assert verdict == "tensorrt-mismatch"
    assert detail.endswith("libonnxruntime_providers_tensorrt.so: undefined symbol: getPluginRegistry")


def test_recorded_plugin_symbol_error_from_an_issue_is_a_mismatch():
    """RECORDED in microsoft/onnxruntime#14802 (ORT 1.11 with TensorRT 8.2): a TensorRT library that does not
    match the one the provider was built against."""
    text = ("Failed to load library libonnxruntime_providers_tensorrt.so with error: TensorRT/TensorRT-8.2.x/"
            "AL2_x86_64/DEV.STD.PTHREAD/build/lib/libnvinfer_plugin.so.8: undefined symbol: "
            "_ZN5pwgen18nvrtcCreateProgramE\nERROR: uncaught exception: SessionOptionsAppendExecutionProvider_"
            "Tensorrt: Failed to load shared library\n")
    verdict, detail = trt.classify_session(1, text, DRIVER_LIBS)
    assert verdict == "tensorrt-mismatch"
    assert "undefined symbol: _ZN5pwgen18nvrtcCreateProgramE" in detail


# --- CONSTRUCTED texts: ORT's load-failure line (format as recorded) around a loader's error ---

@pytest.mark.parametrize(("why", "verdict"), [
    ("libnvonnxparser.so.10: cannot open shared object file: No such file or directory", "tensorrt-missing"),
    ("/opt/greenrt/venv/lib/python3.13/site-packages/tensorrt_libs/libnvinfer.so.10: undefined symbol: "
     "_ZN8nvinfer17IBuilder", "tensorrt-mismatch"),
    ("/usr/lib/libnvinfer.so.10: version `TRT_10.14' not found (required by libonnxruntime_providers_tensorrt.so)",
     "tensorrt-mismatch"),
    ("libcudnn.so.9: cannot open shared object file: No such file or directory", "library-missing"),
    ("libcuda.so.1: cannot open shared object file: No such file or directory", "driver-only"),
])
def test_constructed_load_failures_are_classified_by_what_the_loader_missed(why, verdict):
    assert trt.classify_session(1, load_failure(why), DRIVER_LIBS)[0] == verdict


def test_a_load_failure_of_another_provider_is_not_the_tensorrt_verdict():
    """CONSTRUCTED: only the TensorRT provider's own load failure is judged by this probe."""
    text = ("Failed to load library /x/libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open "
            "shared object file\nCUDA failure 35: CUDA driver version is insufficient for CUDA runtime version\n")
    assert trt.classify_session(1, text, DRIVER_LIBS)[0] == "driver-only"


@pytest.mark.parametrize("text", [
    "RuntimeError: ... CUDA failure 100: no CUDA-capable device is detected ; GPU=-1 ; expr=cudaSetDevice(0);",
    "[TensorRT EP] cudaErrorNoDevice",
    "RuntimeError: ... CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version ; GPU=-1",
])
def test_constructed_no_device_and_no_driver_errors_are_driver_only(text):
    assert trt.classify_session(1, text, DRIVER_LIBS)[0] == "driver-only"


def test_a_session_that_starts_tensorrt_passes_and_other_endings_are_judged():
    assert trt.classify_session(0, "['TensorrtExecutionProvider', 'CUDAExecutionProvider']\n", DRIVER_LIBS)[0] == \
        "tensorrt-ok"
    assert trt.classify_session(-11, "", DRIVER_LIBS)[0] == "crashed-after-load"  # SIGSEGV: recorded, not judged
    assert trt.classify_session(1, "ModuleNotFoundError: No module named 'onnxruntime'\n", DRIVER_LIBS) == (
        "unclassified", "ModuleNotFoundError: No module named 'onnxruntime'")
    # Colour codes, as ORT's logger prints them, do not hide the error.
    assert trt.classify_session(1, "\x1b[1;31m" + load_failure("libnvinfer.so.10: cannot open shared object file")
                                + "\x1b[m", DRIVER_LIBS)[0] == "tensorrt-missing"


# --- versions ---

def test_nv_tensorrt_version_decodes_both_encodings():
    assert trt.decode_version(101401) == (10, 14, 1)  # TensorRT 10: major*10000 + minor*100 + patch
    assert trt.decode_version(100800) == (10, 8, 0)
    assert trt.decode_version(8601) == (8, 6, 1)      # TensorRT 8: major*1000 + minor*100 + patch


def test_another_release_line_is_a_problem_naming_both_and_the_fix_but_a_patch_level_is_not():
    problem = trt.compare((10, 14, 1), (10, 8, 0))
    assert problem is not None
    assert "built against TensorRT 10.14.1 but libnvinfer is 10.8.0" in problem
    assert "pin tensorrt-cu12-libs 10.14.*" in problem and "requirements-tensorrt.in" in problem
    assert trt.compare((10, 14, 1), (11, 0, 0)) is not None
    assert trt.compare((10, 14, 1), (10, 14, 2)) is None
    assert trt.compare((10, 14, 1), None) is None  # nothing loaded: the missing library is judged apart


# --- the built-against reader ---

STAND_IN = r"""
/* FAKE TensorRT caller: calls TensorRT's factory functions the way NvInfer.h's inline wrappers do. */
extern void *createInferBuilder_INTERNAL(void *logger, int version);
extern void *createInferRuntime_INTERNAL(void *logger, int version);
extern void *unrelated(void *logger, int version);
void *builder(void *logger) { return (char *)createInferBuilder_INTERNAL(logger, VERSION) + 1; }
void *runtime(void *logger) { return (char *)createInferRuntime_INTERNAL(logger, VERSION) + 1; }
void *other(void *logger) { return (char *)unrelated(logger, 424242) + 1; }
"""


def compile_stand_in(tmp_path: Path, version: int, extra: list[str]) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler here (the stand-in library is compiled on the host)")
    src, lib = tmp_path / "caller.c", tmp_path / f"libcaller-{version}.so"
    src.write_text(STAND_IN)
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", f"-DVERSION={version}", *extra, "-o", str(lib), str(src)],
                   check=True)
    return lib


@pytest.mark.parametrize("flags", [[], ["-fcf-protection=full", "-Wl,-z,now"]])
def test_the_version_passed_to_tensorrt_is_read_from_a_compiled_caller(tmp_path, flags):
    """A FAKE caller compiled here (with and without IBT's second PLT): the constant passed to TensorRT's
    factory functions is read back; the constant passed to an unrelated import is not."""
    assert trt.built_against(str(compile_stand_in(tmp_path, 101401, flags))) == (10, 14, 1)
    assert trt.built_against(str(compile_stand_in(tmp_path, 100800, flags))) == (10, 8, 0)


def test_a_library_without_those_calls_gives_no_version_and_a_non_elf_is_refused(tmp_path):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler here")
    src, lib = tmp_path / "none.c", tmp_path / "libnone.so"
    src.write_text("int f(int x) { return x + 1; }\n")
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    assert trt.built_against(str(lib)) is None
    (tmp_path / "text.so").write_text("not an ELF file")
    with pytest.raises(ValueError, match="not a 64-bit little-endian ELF"):
        trt.built_against(str(tmp_path / "text.so"))


def test_inside_the_onnxruntime_gpu_image_the_real_provider_was_built_against_tensorrt_10_14():
    """Inside greenrt/onnxruntime:cuda (or tensorrt): the real provider of onnxruntime-gpu 1.26.0."""
    ort = pytest.importorskip("onnxruntime")
    lib = Path(ort.__file__).parent / "capi" / trt.PROVIDER_LIB
    if not lib.exists():
        pytest.skip("not a GPU build of onnxruntime (no TensorRT provider library)")
    assert ort.__version__ == "1.26.0"
    assert trt.built_against(str(lib)) == (10, 14, 1)
