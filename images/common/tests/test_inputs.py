"""Framework-free input helpers: shapes, dtypes, ranges, layouts."""

from __future__ import annotations

import numpy as np
import pytest

from greenrt_harness.inputs import BERT_VOCAB_SIZE, bert_inputs, image_inputs, model_inputs, package_versions


def test_images_are_float32_normal_and_nhwc_is_the_same_pixels():
    nchw = image_inputs(np.random.default_rng(0), 4)
    nhwc = image_inputs(np.random.default_rng(0), 4, layout="NHWC")
    assert nchw.shape == (4, 3, 224, 224) and nchw.dtype == np.float32
    assert nhwc.shape == (4, 224, 224, 3) and nhwc.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(nhwc, nchw.transpose(0, 2, 3, 1))
    assert abs(float(nchw.mean())) < 0.01 and abs(float(nchw.std()) - 1) < 0.01


def test_bert_inputs_ranges_and_dtypes():
    x = bert_inputs(np.random.default_rng(1), 3, 128)
    assert list(x) == ["input_ids", "attention_mask", "token_type_ids"]
    assert all(a.shape == (3, 128) and a.dtype == np.int64 for a in x.values())
    assert x["input_ids"].min() >= 0 and x["input_ids"].max() < BERT_VOCAB_SIZE
    assert (x["attention_mask"] == 1).all() and (x["token_type_ids"] == 0).all()
    assert bert_inputs(np.random.default_rng(1), 3, 128, dtype=np.int32)["input_ids"].dtype == np.int32


def test_model_inputs_names_and_errors():
    assert list(model_inputs("mobilenet_v2", np.random.default_rng(0), 1, 8)) == ["pixel_values"]
    with pytest.raises(ValueError, match="unknown"):
        model_inputs("vgg16", np.random.default_rng(0), 1, 8)
    with pytest.raises(ValueError, match="layout"):
        image_inputs(np.random.default_rng(0), 1, layout="CHWN")


def test_package_versions_skips_missing():
    versions = package_versions(["numpy", "greenrt-no-such-package"])
    assert versions == {"numpy": np.__version__}
