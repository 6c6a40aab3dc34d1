"""GPU kernel architectures embedded in a CUDA library, read from its fatbins (no GPU, no CUDA tools).

A CUDA library carries its device code in fatbins: a 16-byte header (magic 0xBA55ED50, version 1, header size 16,
payload size) followed by entries, each with a header giving its kind (1 = PTX, 2 = ELF/SASS), its header and
payload sizes, and the compute capability it targets (offset 28, e.g. 86). Layout as read by public fatbin tools
(e.g. cuda-fatbin-decompression's fat_text_header); the entry kinds and architectures match what the frameworks'
own APIs report (images/common/docker/cuda_check.py cross-checks PyTorch and TensorFlow). NVIDIA's cuobjdump
would do the same, but the only one on PyPI (CUDA 13) stops with "Invalid ELF" half-way through ONNX Runtime
1.21's CUDA provider, after listing 5 of its 7 architectures.
"""
from __future__ import annotations

import mmap
import struct

MAGIC = struct.pack("<I", 0xBA55ED50)
HEADER = struct.Struct("<IHHQ")  # magic, version, header size, payload size
ENTRY = struct.Struct("<HHIQ")  # kind, unknown, header size, payload size (arch: u32 at +28)
KINDS = {1: "compute_", 2: "sm_"}


def fatbin_archs(path: str) -> dict[str, int]:
    """{"sm_86": n, "compute_90": m, ...}: how many SASS / PTX entries target each architecture."""
    with open(path, "rb") as handle:
        if handle.seek(0, 2) == 0:
            return {}
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return archs_in(data)


def archs_in(data: bytes | mmap.mmap) -> dict[str, int]:
    found: dict[str, int] = {}
    pos = data.find(MAGIC)
    while pos != -1:
        end = fatbin_end(data, pos)
        if end is None:  # the magic bytes by chance: not a fatbin header
            pos = data.find(MAGIC, pos + 4)
            continue
        entry = pos + HEADER.size
        while entry + 32 <= end:
            kind, _unknown, header_size, size = ENTRY.unpack_from(data, entry)
            if kind not in KINDS or header_size < 32 or entry + header_size + size > end:
                break
            arch = struct.unpack_from("<I", data, entry + 28)[0]
            key = f"{KINDS[kind]}{arch}"
            found[key] = found.get(key, 0) + 1
            entry += header_size + size
        pos = data.find(MAGIC, end)
    return found


def fatbin_end(data: bytes | mmap.mmap, pos: int) -> int | None:
    if pos + HEADER.size > len(data):
        return None
    _magic, version, header_size, size = HEADER.unpack_from(data, pos)
    if version != 1 or header_size != HEADER.size or not 0 < size <= len(data) - pos - HEADER.size:
        return None
    return pos + HEADER.size + size


def sort_archs(archs: object) -> list[str]:
    """By compute capability, SASS before PTX: ["sm_80", "sm_86", "sm_90", "compute_90"]."""
    names = {str(a) for a in archs}  # type: ignore[attr-defined]
    return sorted(names, key=lambda a: (int("".join(c for c in a if c.isdigit()) or 0), a.startswith("compute")))
