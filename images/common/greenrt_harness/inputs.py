"""Framework-free input generation shared by every adapter and preparer.

The same seed gives the same logical inputs in every framework: images are drawn in NCHW order and
transposed for NHWC graphs, so a TensorFlow trial sees exactly the pixels a PyTorch trial sees.
"""

from __future__ import annotations

from importlib import metadata

import numpy as np

# From catalogue/catalogue.json (models and their input kinds), re-exported for the adapters.
from greenrt_harness.catalogue_gen import (  # noqa: F401
    BERT_INPUT_NAMES,
    BERT_VOCAB_SIZE,
    IMAGE_CHANNELS,
    IMAGE_INPUT_NAME,
    IMAGE_MODELS,
    IMAGE_SIZE,
    TEXT_MODELS,
)


def image_inputs(rng: np.random.Generator, batch_size: int, layout: str = "NCHW",
                 size: int = IMAGE_SIZE) -> np.ndarray:
    """float32 normal(0, 1) images, shape (N, 3, size, size) or (N, size, size, 3)."""
    nchw = rng.standard_normal((batch_size, IMAGE_CHANNELS, size, size), dtype=np.float32)
    if layout == "NCHW":
        return nchw
    if layout == "NHWC":
        return np.ascontiguousarray(nchw.transpose(0, 2, 3, 1))
    raise ValueError(f"image layout {layout!r} is not supported: use 'NCHW' or 'NHWC'")


def bert_inputs(rng: np.random.Generator, batch_size: int, sequence_length: int,
                dtype: type = np.int64) -> dict[str, np.ndarray]:
    """input_ids uniform in [0, 30522), attention_mask ones, token_type_ids zeros, shape (N, L)."""
    shape = (batch_size, sequence_length)
    return {
        "input_ids": rng.integers(0, BERT_VOCAB_SIZE, size=shape, dtype=np.int64).astype(dtype, copy=False),
        "attention_mask": np.ones(shape, dtype=dtype),
        "token_type_ids": np.zeros(shape, dtype=dtype),
    }


def model_inputs(model: str, rng: np.random.Generator, batch_size: int, sequence_length: int,
                 layout: str = "NCHW") -> dict[str, np.ndarray]:
    """Inputs by graph name (pixel_values, or input_ids/attention_mask/token_type_ids), in order."""
    if model in IMAGE_MODELS:
        return {IMAGE_INPUT_NAME: image_inputs(rng, batch_size, layout)}
    if model in TEXT_MODELS:
        return bert_inputs(rng, batch_size, sequence_length)
    raise ValueError(f"model {model!r} is unknown: use one of {IMAGE_MODELS + TEXT_MODELS}")


def package_versions(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Installed versions of the named distributions; missing ones are left out."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
