"""In-image tests of the ONNX Runtime adapter (need onnxruntime: run inside greenrt/onnxruntime).
Fixtures: tiny graphs from make_fixtures.py with the input names, types and layouts of real exports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ort = pytest.importorskip("onnxruntime")

import greenrt_adapter  # noqa: E402
from greenrt_harness.adapter import TrialSpec  # noqa: E402
from greenrt_harness.inputs import bert_inputs, image_inputs  # noqa: E402
from greenrt_harness.trial import run_trial  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def _spec(sub: str, model: str = "resnet50", provider: str = "cpu", batch: int = 2,
          threads: int | None = 1) -> TrialSpec:
    return TrialSpec(trial_id="t", runtime="onnxruntime", source="pytorch", model=model, provider=provider,
                     batch_size=batch, warmup_iterations=1, measured_iterations=3, seed=5, threads=threads,
                     sequence_length=16, model_dir=FIXTURES / sub, output_path=Path("/dev/null"))


def test_nchw_graph_gets_the_shared_seeded_images():
    output = run_trial(_spec("nchw"), greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    expected = image_inputs(np.random.default_rng(5), 2).mean(axis=(2, 3)).sum(dtype=np.float64)
    assert output["outputChecksum"] == pytest.approx(float(expected), rel=1e-5, abs=1e-6)
    assert output["environment"]["providers"] == ["CPUExecutionProvider"]
    assert output["environment"]["threads"] == 1 and len(output["latenciesMs"]) == 3


def test_nhwc_graph_sees_the_same_pixels_transposed():
    nchw = run_trial(_spec("nchw"), greenrt_adapter.create_adapter)["outputChecksum"]
    nhwc = run_trial(_spec("nhwc"), greenrt_adapter.create_adapter)["outputChecksum"]
    assert nhwc == pytest.approx(nchw, rel=1e-5, abs=1e-6)


def test_bert_inputs_follow_graph_names_and_types():
    output = run_trial(_spec("bert", model="bert_base_uncased"), greenrt_adapter.create_adapter)
    assert output["status"] == "ok", output["error"]
    ids = bert_inputs(np.random.default_rng(5), 2, 16)["input_ids"]
    assert output["outputChecksum"] == pytest.approx(float(ids.astype(np.float32).sum(dtype=np.float64)), rel=1e-6)


def test_fixed_batch_mismatch_fails_clearly():
    output = run_trial(_spec("fixed", batch=8), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "fixed dim 0 = 1" in output["error"]["message"]


@pytest.mark.parametrize("provider", ["cuda", "tensorrt"])
def test_missing_provider_fails_without_fallback(provider):
    needed = "CUDAExecutionProvider" if provider == "cuda" else "TensorrtExecutionProvider"
    if needed in ort.get_available_providers():
        pytest.skip(f"{provider} is available here")
    output = run_trial(_spec("nchw", provider=provider), greenrt_adapter.create_adapter)
    assert output["status"] == "failed" and "offers" in output["error"]["message"]
    assert "load" not in output["phases"]


def test_bert_roles_map_other_exporters_names():
    assert greenrt_adapter.bert_role("input_word_ids") == "input_ids"
    assert greenrt_adapter.bert_role("input_mask") == "attention_mask"
    assert greenrt_adapter.bert_role("segment_ids") == "token_type_ids"


def test_describe_lists_cpu_provider():
    assert "CPUExecutionProvider" in greenrt_adapter.describe()["providersAvailable"]


def test_io_binding_path_matches_plain_run():
    # The GPU providers use bind_io with device "cuda"; on CPU the same code path must give run()'s result.
    adapter = greenrt_adapter.create_adapter()
    spec = _spec("bert", model="bert_base_uncased")
    adapter.load(spec)
    feeds = adapter.make_inputs(spec, np.random.default_rng(5))
    plain = adapter.run_once(feeds)
    adapter.binding, _buffers = greenrt_adapter.bind_io(adapter.session, feeds, adapter.output_names, "cpu")
    bound = adapter.run_once(adapter.binding)
    np.testing.assert_array_equal(bound[0].numpy(), plain[0])
    assert adapter.output_checksum(bound) == adapter.output_checksum(plain)


def test_tensorrt_engines_go_to_the_run_scoped_cache_only_when_mounted():
    cache = {"GREENRT_TRT_ENGINE_CACHE": "/greenrt/cache/tensorrt"}
    first, *rest = greenrt_adapter.session_providers("tensorrt", cache)
    options = {"trt_engine_cache_enable": True, "trt_engine_cache_path": "/greenrt/cache/tensorrt"}
    assert first == ("TensorrtExecutionProvider", options)
    assert rest == ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert greenrt_adapter.session_providers("tensorrt", {}) == greenrt_adapter.PROVIDERS["tensorrt"]
    assert greenrt_adapter.session_providers("cuda", cache) == greenrt_adapter.PROVIDERS["cuda"]


def test_only_tensorrt_has_an_engine_build_step():
    adapter = greenrt_adapter.create_adapter()
    adapter.load(_spec("nchw"))
    assert adapter.build_engine(adapter.make_inputs(_spec("nchw"), np.random.default_rng(5))) is False
