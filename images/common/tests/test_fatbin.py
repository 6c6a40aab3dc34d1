"""fatbin.py against synthetic fatbins built byte by byte (the layout it reads is documented in the module)."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docker"))

from fatbin import archs_in, fatbin_archs, sort_archs


def entry(kind: int, arch: int, payload: bytes, header_size: int = 64) -> bytes:
    head = struct.pack("<HHIQ", kind, 0x0101, header_size, len(payload)) + b"\0" * 12 + struct.pack("<I", arch)
    return head + b"\0" * (header_size - len(head)) + payload


def fatbin(*entries: bytes) -> bytes:
    body = b"".join(entries)
    return struct.pack("<IHHQ", 0xBA55ED50, 1, 16, len(body)) + body


def test_counts_sass_and_ptx_per_architecture_across_several_fatbins():
    data = (b"\x7fELF host code" + fatbin(entry(2, 80, b"A" * 100), entry(2, 86, b"B" * 7), entry(1, 90, b".ptx"))
            + b"padding" + fatbin(entry(2, 80, b"C" * 3)))
    assert archs_in(data) == {"sm_80": 2, "sm_86": 1, "compute_90": 1}


def test_ignores_stray_magic_bytes_and_stops_at_a_damaged_entry():
    stray = struct.pack("<I", 0xBA55ED50) + b"\x07\x00" + b"junk"
    damaged = fatbin(entry(2, 70, b"x" * 10), b"\x09\x00" + b"\0" * 40)  # kind 9: not PTX or ELF
    assert archs_in(stray + damaged) == {"sm_70": 1}


def test_empty_and_code_free_files(tmp_path):
    empty = tmp_path / "empty.so"
    empty.write_bytes(b"")
    plain = tmp_path / "plain.so"
    plain.write_bytes(b"\x7fELF" + b"\0" * 4096)
    assert fatbin_archs(str(empty)) == {}
    assert fatbin_archs(str(plain)) == {}


def test_reads_a_file_through_mmap(tmp_path):
    lib = tmp_path / "libk.so"
    lib.write_bytes(b"\x7fELF" + fatbin(entry(2, 50, b"k"), entry(2, 90, b"k"), entry(1, 80, b"p")))
    assert sort_archs(fatbin_archs(str(lib))) == ["sm_50", "compute_80", "sm_90"]


def test_sort_puts_sass_before_ptx_of_the_same_architecture():
    archs = {"compute_90", "sm_90", "sm_86", "compute_80", "sm_75"}
    assert sort_archs(archs) == ["sm_75", "compute_80", "sm_86", "sm_90", "compute_90"]
