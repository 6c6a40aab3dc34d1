"""Execution modes in the trial spec: read from the spec, resolved against the catalogue, refused when unknown."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import trial_doc, write_json

from greenrt_harness.adapter import resolve_mode
from greenrt_harness.catalogue_gen import DEFAULT_MODES, RUNTIME_MODES
from greenrt_harness.schemas import schema_errors
from greenrt_harness.specs import SpecError, read_trial_spec


def _spec(tmp_path, **overrides):
    spec, _ = read_trial_spec(write_json(tmp_path / "trial.json", trial_doc(tmp_path, **overrides)))
    return spec


def test_a_spec_without_mode_reads_as_none_and_resolves_to_the_default(tmp_path):
    spec = _spec(tmp_path, runtime="pytorch", source="pytorch")
    assert spec.mode is None
    assert resolve_mode(spec) == DEFAULT_MODES["pytorch"] == "eager"


@pytest.mark.parametrize("runtime", sorted(RUNTIME_MODES))
def test_every_catalogue_mode_passes_the_schema_and_resolves(tmp_path, runtime):
    for mode in RUNTIME_MODES[runtime]:
        spec = _spec(tmp_path, runtime=runtime, source=runtime, mode=mode)
        assert resolve_mode(spec) == mode


def test_an_unknown_mode_is_refused_by_the_schema(tmp_path):
    doc = trial_doc(tmp_path, runtime="tensorflow", source="tensorflow", mode="keras_predict")
    assert any("mode" in p for p in schema_errors("trial-spec", doc))
    with pytest.raises(SpecError, match="mode"):
        read_trial_spec(write_json(tmp_path / "bad.json", doc))


def test_a_mode_of_another_runtime_or_on_an_onnx_runtime_is_refused(tmp_path):
    spec = _spec(tmp_path, runtime="tensorflow", source="tensorflow", mode="eager")
    with pytest.raises(ValueError, match="has no mode 'eager': use one of keras-predict, keras-call, function"):
        resolve_mode(spec)
    onnx = dataclasses.replace(spec, runtime="onnxruntime", mode="eager")
    with pytest.raises(ValueError, match="has no execution modes"):
        resolve_mode(onnx)
