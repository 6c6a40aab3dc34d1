"""Pretrained weights checked against the catalogue's pins (catalogue models[].pretrained, copied into
catalogue_gen.PRETRAINED) before a preparer uses them.

Every digest the pin names must match: sha256 (greenrt's own record), or while it is not recorded yet the digest
the source publishes (torchvision's 8-hex SHA-256 prefix, the MXNet/GluonNLP model store's SHA-1, Keras' MD5), and
the size when recorded. A file that differs raises WeightsPinError: the harness exits 4 with the file, both digests
and the pin's whenGone. The SHA-256 seen is always returned (and printed for a pin that has none yet), so it can be
recorded in catalogue/catalogue.json.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from .catalogue_gen import PRETRAINED


class WeightsPinError(Exception):
    """A pretrained weights file whose bytes differ from its pin (exit code 4)."""


def pin_for(framework: str, model: str) -> dict[str, Any]:
    """The catalogue's pin for this framework's pretrained `model`; KeyError names what is missing."""
    try:
        return PRETRAINED[(framework, model)]
    except KeyError:
        where = "catalogue/catalogue.json models[].pretrained"
        raise KeyError(f"{where} has no pretrained pin for {framework}/{model}") from None


def pinned_file(pin: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """The pin's entry for file `name` (default: its only file)."""
    files = pin["files"]
    if name is None:
        if len(files) != 1:
            raise ValueError(f"the pin names {len(files)} files: say which")
        return files[0]
    for entry in files:
        if entry["name"] == name:
            return entry
    raise KeyError(f"the pin for {pin['location']} names no file {name!r}")


def _digests(path: Path) -> dict[str, str]:
    hashes = {"sha256": hashlib.sha256(), "sha1": hashlib.sha1(), "md5": hashlib.md5()}
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            for h in hashes.values():
                h.update(chunk)
    return {name: h.hexdigest() for name, h in hashes.items()}


def check_weights_file(path: Path, pin: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """Checks `path` against the pin's file entry; returns {name, sha256, bytes}. Raises WeightsPinError."""
    entry = pinned_file(pin, name)
    path = Path(path)
    if not path.is_file():
        raise WeightsPinError(f"pretrained weights file {path} ({entry['name']}) is missing. {pin['whenGone']}")
    size = path.stat().st_size
    seen = _digests(path)
    expected: list[tuple[str, str, str]] = []  # (what, expected, seen)
    if entry.get("sha256"):
        expected.append(("sha256", entry["sha256"], seen["sha256"]))
    elif entry.get("sha256Prefix"):
        expected.append(("sha256 prefix", entry["sha256Prefix"], seen["sha256"][: len(entry["sha256Prefix"])]))
    if entry.get("sha1"):
        expected.append(("sha1", entry["sha1"], seen["sha1"]))
    if entry.get("md5"):
        expected.append(("md5", entry["md5"], seen["md5"]))
    if entry.get("sizeBytes") is not None:
        expected.append(("size", str(entry["sizeBytes"]), str(size)))
    wrong = [f"{what} {got}, the pin says {want}" for what, want, got in expected if want != got]
    if wrong:
        raise WeightsPinError(
            f"pretrained weights {path} ({entry['name']} from {pin['location']}"
            f"{' at ' + pin['revision'] if pin.get('revision') else ''}) differ from catalogue/catalogue.json's pin: "
            f"{'; '.join(wrong)}. Do not use these bytes: delete the file and prepare again, or supply the pinned one. "
            f"{pin['whenGone']}")
    if not any(what != "size" for what, _, _ in expected):
        print(f"greenrt_harness: pretrained weights {entry['name']} have no digest in the catalogue yet: "
              f"sha256 {seen['sha256']}, {size} bytes (record it in catalogue/catalogue.json models[].pretrained)",
              file=sys.stderr)
    return {"name": entry["name"], "sha256": seen["sha256"], "bytes": size}


def pinned_hub_snapshot(pin: dict[str, Any]) -> Path:
    """The pinned Hugging Face Hub files at the pinned revision (config.json and the weights) in the Hub cache,
    each weights file checked (WeightsPinError). Download failures: RuntimeError with the fix."""
    from huggingface_hub import snapshot_download  # in the images that prepare BERT, not on the host

    try:
        folder = Path(snapshot_download(pin["location"], revision=pin["revision"],
                                        allow_patterns=["config.json", *(f["name"] for f in pin["files"])]))
    except Exception as error:
        raise RuntimeError(
            f"pretrained weights {pin['location']}@{pin['revision']} could not be downloaded from the Hugging Face "
            f"Hub: {error}. Use weights: random, or run where huggingface.co is reachable. {pin['whenGone']}"
        ) from error
    for entry in pin["files"]:
        check_weights_file(folder / entry["name"], pin, entry["name"])
    return folder
