"""The TensorRT part of the onnxruntime image's no-GPU check (greenrt_cuda_check.py calls `probe`).

Without a GPU it answers two questions:
- Which TensorRT release was ONNX Runtime's TensorRT provider built against, and which one would it load?
  The built-against release is read from the provider library itself: TensorRT's headers pass
  NV_TENSORRT_VERSION to createInferBuilder_INTERNAL / createInferRuntime_INTERNAL as a constant, so the
  immediate moved into the second argument register before each call is the version (onnxruntime-gpu 1.26.0:
  0x18c19 = 101401 = 10.14.1). The loaded one is the libnvinfer.so.10 the loader resolves for the provider
  (`ldd`), asked with getInferLibVersion() through ctypes.
- Does a session with TensorrtExecutionProvider fail only for want of the driver? Its output is classified
  (`classify_session`): the driver's absence passes, a missing or mismatched libnvinfer/libnvonnxparser fails.
"""
from __future__ import annotations

import ctypes
import os
import re
import struct
import subprocess
import sys
from typing import Any

PROVIDER_LIB = "libonnxruntime_providers_tensorrt.so"
# The TensorRT libraries the provider needs (DT_NEEDED) or dlopens (plugins).
TENSORRT_LIB = re.compile(r"lib(?:nvinfer|nvonnxparser)[\w.-]*\.so[.\d]*")
# What a session prints when the only thing missing is the driver or the GPU (recorded from ORT 1.21 and 1.26
# in the cuda image without a driver, and from CUDA's error strings for the no-device case).
DRIVER_ONLY = re.compile(
    r"CUDA driver version is insufficient|cudaErrorInsufficientDriver|CUDA failure 35\b|"
    r"no CUDA-capable device is detected|cudaErrorNoDevice|CUDA failure 100\b|"
    r"found no NVIDIA driver|libcuda\.so\.1: cannot open shared object file|"
    r"CUDA_ERROR_NO_DEVICE|CUDA_ERROR_NOT_INITIALIZED|cuInit.*failed")
LOAD_FAILURE = re.compile(r"Failed to load library (\S+) with error: ([^\n]+)")


def decode_version(value: int) -> tuple[int, int, int]:
    """NV_TENSORRT_VERSION as TensorRT's headers define it: major*10000 + minor*100 + patch from TensorRT 10,
    major*1000 + minor*100 + patch before (8.6.1 is 8601)."""
    if value >= 10000:
        return value // 10000, value // 100 % 100, value % 100
    return value // 1000, value // 100 % 10, value % 100


def version_text(version: tuple[int, ...] | None) -> str | None:
    return ".".join(str(v) for v in version) if version else None


# --- the built-against version, from the provider library's machine code (x86-64 ELF) ---

def _sections(data: bytes) -> dict[str, tuple[int, int, int, int, int]]:
    """name -> (type, address, file offset, size, link) of an ELF64 little-endian file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_off = headers[shstrndx][4]
    out = {}
    for name, kind, _flags, addr, offset, size, link, *_ in headers:
        end = data.index(b"\0", names_off + name)
        out[data[names_off + name:end].decode("latin-1")] = (kind, addr, offset, size, link)
    return out


def _plt_stubs(data: bytes, sections: dict[str, tuple[int, int, int, int, int]]) -> dict[str, int]:
    """Imported function name -> address of its PLT stub (the target of `call name@plt`)."""
    _, _, symoff, _, _ = sections[".dynsym"]
    _, _, stroff, _, _ = sections[".dynstr"]
    got_to_name = {}
    _, _, relaoff, relasize, _ = sections.get(".rela.plt", (0, 0, 0, 0, 0))
    for i in range(relasize // 24):
        r_offset, r_info, _ = struct.unpack_from("<QQq", data, relaoff + i * 24)
        name_off, = struct.unpack_from("<I", data, symoff + (r_info >> 32) * 24)
        got_to_name[r_offset] = data[stroff + name_off:data.index(b"\0", stroff + name_off)].decode("latin-1")
    stubs = {}
    for section in (".plt", ".plt.sec"):
        if section not in sections:
            continue
        _, addr, offset, size, _ = sections[section]
        code = data[offset:offset + size]
        for match in re.finditer(rb"\xff\x25(....)", code, re.S):  # jmp *rel32(%rip), possibly after bnd/endbr
            target = addr + match.end() + struct.unpack("<i", match.group(1))[0]
            if target in got_to_name:
                start = match.start() - (1 if match.start() and code[match.start() - 1] == 0xF2 else 0)
                stubs.setdefault(got_to_name[target], addr + start - (start % 16))
    return stubs


def built_against(path: str) -> tuple[int, int, int] | None:
    """The TensorRT version the provider library passes to createInferBuilder/Runtime_INTERNAL, or None when
    no such call with a constant version is found."""
    with open(path, "rb") as handle:
        data = handle.read()
    sections = _sections(data)
    stubs = _plt_stubs(data, sections)
    targets = {stubs[n] for n in ("createInferBuilder_INTERNAL", "createInferRuntime_INTERNAL") if n in stubs}
    _, text_addr, text_off, text_size, _ = sections[".text"]
    text = data[text_off:text_off + text_size]
    found = set()
    for call in re.finditer(rb"\xe8(....)", text, re.S):
        if text_addr + call.end() + struct.unpack("<i", call.group(1))[0] not in targets:
            continue
        window = text[max(0, call.start() - 24):call.start()]
        moves = list(re.finditer(rb"\xbe(....)", window, re.S))  # mov $imm32, %esi: the second argument
        if moves:
            found.add(struct.unpack("<I", moves[-1].group(1))[0])
    versions = {decode_version(v) for v in found if 1000 <= v < 1_000_000}
    return versions.pop() if len(versions) == 1 else None


# --- the version the loader would give the provider ---

def resolved_libs(path: str) -> dict[str, str | None]:
    """soname -> path (None: not found) of the provider's TensorRT libraries, as `ldd` resolves them."""
    result = subprocess.run(["ldd", path], capture_output=True, text=True, check=False)
    out: dict[str, str | None] = {}
    for soname, target in re.findall(r"^\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$", result.stdout, re.M):
        if TENSORRT_LIB.fullmatch(soname):
            out[soname] = None if target.strip() == "not found" else target.strip()
    return out


def loaded_version(nvinfer_path: str) -> tuple[tuple[int, int, int] | None, str | None]:
    """(version, None) from getInferLibVersion() of that libnvinfer, or (None, why not)."""
    try:
        lib = ctypes.CDLL(nvinfer_path)
        lib.getInferLibVersion.restype = ctypes.c_int32
        return decode_version(int(lib.getInferLibVersion())), None
    except (OSError, AttributeError) as error:
        return None, str(error)[:200]


def compare(built: tuple[int, int, int] | None, loaded: tuple[int, int, int] | None) -> str | None:
    """A problem when the provider would load another TensorRT release line (major.minor) than it was built
    against. A different patch level is not one: TensorRT keeps a release line's ABI."""
    if built is None or loaded is None:
        return None
    if built[:2] != loaded[:2]:
        return (f"TensorRT provider: built against TensorRT {version_text(built)} but libnvinfer is "
                f"{version_text(loaded)}; pin tensorrt-cu12-libs {built[0]}.{built[1]}.* "
                "(images/onnxruntime/requirements-tensorrt.in)")
    return None


# --- the session probe ---

def classify_session(returncode: int, output: str, driver_libs: frozenset[str] | set[str]) -> tuple[str, str]:
    """(verdict, detail) of a session asked for [TensorRT, CUDA, CPU] without a GPU:
    "tensorrt-ok"        the session started with TensorrtExecutionProvider (a GPU was there);
    "driver-only"        it failed, and only for want of the driver or a device;
    "tensorrt-missing"   the TensorRT provider could not load because a TensorRT library is absent;
    "tensorrt-mismatch"  it could not load because the TensorRT library found is another release (symbols);
    "library-missing"    it could not load for another missing library (CUDA, cuDNN: not the driver's);
    "crashed-after-load" a signal ended it after every library had loaded: recorded, not judged;
    "unclassified"       it failed otherwise (the detail says how)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", output)
    for lib, why in LOAD_FAILURE.findall(text):
        if PROVIDER_LIB not in lib:
            continue
        if re.search(r"undefined symbol|version `[^']*' not found|no version information", why):
            return "tensorrt-mismatch", why.strip()[:300]
        missing = re.findall(r"(\S+\.so[.\d]*): cannot open shared object file", why)
        if any(TENSORRT_LIB.fullmatch(os.path.basename(m)) for m in missing):
            return "tensorrt-missing", why.strip()[:300]
        if missing and all(os.path.basename(m) in driver_libs for m in missing):
            return "driver-only", why.strip()[:300]
        return "library-missing", why.strip()[:300]
    if returncode == 0 and "TensorrtExecutionProvider" in (text.strip().splitlines() or [""])[-1]:
        return "tensorrt-ok", text.strip().splitlines()[-1][:300]
    if driver := DRIVER_ONLY.search(text):
        return "driver-only", text[driver.start():].split("\n", 1)[0].strip()[:300]
    if returncode < 0:
        # Killed by a signal with no library failure: ORT 1.21's CUDA provider ends a driverless session with
        # SIGSEGV once every library has loaded. Not judged (it may be the driver's absence or not); the
        # library resolution and the version comparison judge TensorRT.
        return "crashed-after-load", f"ended by signal {-returncode} after every library loaded"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "unclassified", (lines[-1] if lines else "(no output)")[:300]


SESSION_CODE = ("import onnxruntime as o, sys; s = o.InferenceSession(sys.argv[1], providers=["
                "'TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider']); "
                "print(s.get_providers())")


def probe(facts: dict[str, Any], flavour: str, driver_libs: frozenset[str] | set[str], provider_dir: str,
          model: str) -> list[str]:
    """Fills facts["tensorrt"] and returns the problems. In the cuda flavour TensorRT is absent by design, so
    only the tensorrt flavour turns a missing TensorRT into a problem; a mismatch or an unreadable provider
    is one in both."""
    lib = os.path.join(provider_dir, PROVIDER_LIB)
    record: dict[str, Any] = {"providerLibrary": lib}
    facts["tensorrt"] = record
    if not os.path.exists(lib):
        return [f"TensorRT provider: {lib} is not in this onnxruntime"]
    problems: list[str] = []
    try:
        built = built_against(lib)
    except (OSError, ValueError, KeyError, struct.error) as error:
        built = None
        record["builtAgainstError"] = f"{type(error).__name__}: {error}"[:200]
    record["builtAgainst"] = version_text(built)
    if built is None:
        problems.append(f"TensorRT provider: cannot read which TensorRT {lib} was built against "
                        "(no createInferBuilder_INTERNAL call with a constant version)")
    libs = resolved_libs(lib)
    record["resolved"] = libs
    nvinfer = next((p for s, p in libs.items() if s.startswith("libnvinfer.so") and p), None)
    loaded, why = loaded_version(nvinfer) if nvinfer else (None, None)
    record["loaded"] = version_text(loaded)
    if why:
        record["loadedError"] = why
    missing = sorted(s for s, p in libs.items() if p is None)
    if flavour == "tensorrt":
        problems += [f"TensorRT provider: {s} is not found by the loader (ldd {PROVIDER_LIB})" for s in missing]
        if nvinfer and loaded is None:
            problems.append(f"TensorRT provider: {nvinfer} does not load or has no getInferLibVersion: {why}")
    if mismatch := compare(built, loaded):
        problems.append(mismatch)
    session = subprocess.run([sys.executable, "-c", SESSION_CODE, model], capture_output=True, text=True,
                             check=False)
    verdict, detail = classify_session(session.returncode, session.stdout + session.stderr, driver_libs)
    record["session"] = {"exit": session.returncode, "verdict": verdict, "detail": detail}
    if verdict in {"tensorrt-mismatch", "library-missing", "unclassified"} or (
            verdict == "tensorrt-missing" and flavour == "tensorrt"):
        problems.append(f"TensorRT session: {verdict}: {detail}")
    return problems
