"""`run`: phases, seeded inputs, synchronisation, failure output, exit codes."""

from __future__ import annotations

import json

import greenrt_fake_adapter as fake
import numpy as np
import pytest
from conftest import run_cli, trial_doc, write_json

from greenrt_harness.schemas import schema_errors
from greenrt_harness.specs import read_trial_spec
from greenrt_harness.trial import run_trial, write_trial_output


def _spec(tmp_path, **overrides):
    spec, _ = read_trial_spec(write_json(tmp_path / "in" / "trial.json", trial_doc(tmp_path, **overrides)))
    return spec


def test_ok_trial_has_ordered_phases_and_one_latency_per_inference(tmp_path):
    spec = _spec(tmp_path)
    output = run_trial(spec, fake.create_adapter)
    assert output["status"] == "ok" and output["error"] is None
    assert schema_errors("trial-output", output) == []
    assert len(output["latenciesMs"]) == 5 and all(x >= 0 for x in output["latenciesMs"])
    marks = [int(output["phases"][p][k]) for p in ("load", "warmup", "measure") for k in ("startNs", "endNs")]
    assert marks == sorted(marks)
    assert output["environment"]["framework"] == "fake" and output["environment"]["threads"] == 1


def test_inputs_are_made_once_before_warmup_and_each_inference_is_synchronised(tmp_path):
    run_trial(_spec(tmp_path), fake.create_adapter)
    assert fake.EVENTS[:2] == ["load", "inputs"]
    assert fake.EVENTS.count("inputs") == 1
    assert fake.EVENTS[2:] == ["run", "sync"] * 8  # 3 warm-up + 5 measured


def test_no_warmup_synchronises_before_the_window(tmp_path):
    output = run_trial(_spec(tmp_path, warmupIterations=0, measuredIterations=2), fake.create_adapter)
    assert output["status"] == "ok"
    assert fake.EVENTS[2:] == ["sync", "run", "sync", "run", "sync"]


def test_same_seed_gives_same_inputs_and_checksum(tmp_path):
    a = run_trial(_spec(tmp_path, seed=11), fake.create_adapter)
    b = run_trial(_spec(tmp_path, seed=11), fake.create_adapter)
    c = run_trial(_spec(tmp_path, seed=12), fake.create_adapter)
    np.testing.assert_array_equal(fake.INPUTS[0]["pixel_values"], fake.INPUTS[1]["pixel_values"])
    assert a["outputChecksum"] == b["outputChecksum"] != c["outputChecksum"]
    expected = np.random.default_rng(11).standard_normal((2, 3, 224, 224), dtype=np.float32)
    np.testing.assert_array_equal(fake.INPUTS[0]["pixel_values"], expected)


def test_latencies_measure_the_inference(tmp_path):
    fake.CONFIG["work_s"] = 0.005
    output = run_trial(_spec(tmp_path, warmupIterations=0, measuredIterations=3), fake.create_adapter)
    assert all(4.5 <= ms < 500 for ms in output["latenciesMs"])
    window_ms = (int(output["phases"]["measure"]["endNs"]) - int(output["phases"]["measure"]["startNs"])) / 1e6
    assert window_ms >= sum(output["latenciesMs"])


@pytest.mark.parametrize("fail,phases", [("load", []), ("inputs", ["load"]), ("run", ["load", "warmup"]),
                                         ("create", [])])
def test_adapter_failure_becomes_a_failed_output(tmp_path, fail, phases):
    fake.CONFIG["fail"] = fail
    output = run_trial(_spec(tmp_path), fake.create_adapter)
    assert output["status"] == "failed"
    assert sorted(output["phases"]) == phases
    assert output["error"]["message"] and "Traceback" in output["error"]["traceback"]
    assert schema_errors("trial-output", output) == []


def test_non_finite_checksum_is_written_as_null(tmp_path):
    fake.CONFIG["fail"] = "checksum-nan"
    spec = _spec(tmp_path)
    output = run_trial(spec, fake.create_adapter)
    assert output["status"] == "ok" and output["outputChecksum"] is None
    write_trial_output(spec, output)
    assert json.loads(spec.output_path.read_text())["outputChecksum"] is None


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    spec = _spec(tmp_path)
    write_trial_output(spec, run_trial(spec, fake.create_adapter))
    assert [p.name for p in spec.output_path.parent.iterdir()] == ["trial-output.json"]


def test_cli_run_ok_writes_a_valid_output(tmp_path):
    spec_path = write_json(tmp_path / "in" / "trial.json", trial_doc(tmp_path, model="bert_base_uncased"))
    result = run_cli(["run", str(spec_path)])
    assert result.returncode == 0, result.stderr
    output = json.loads((tmp_path / "out" / "trial-output.json").read_text())
    assert output["status"] == "ok" and schema_errors("trial-output", output) == []


def test_cli_run_failure_exits_3_with_failed_output(tmp_path):
    spec_path = write_json(tmp_path / "in" / "trial.json", trial_doc(tmp_path))
    result = run_cli(["run", str(spec_path)], {"GREENRT_FAKE_FAIL": "load"})
    assert result.returncode == 3
    output = json.loads((tmp_path / "out" / "trial-output.json").read_text())
    assert output["status"] == "failed" and output["error"]["type"] == "RuntimeError"
    assert "provider 'cuda' is not available" in result.stderr


def test_cli_missing_adapter_module_exits_3(tmp_path):
    spec_path = write_json(tmp_path / "in" / "trial.json", trial_doc(tmp_path))
    result = run_cli(["run", str(spec_path)], {"GREENRT_ADAPTER": "greenrt_no_such_adapter"})
    assert result.returncode == 3
    output = json.loads((tmp_path / "out" / "trial-output.json").read_text())
    assert output["error"]["type"] == "ModuleNotFoundError"


def test_cli_bad_spec_exits_2_listing_every_problem(tmp_path):
    doc = trial_doc(tmp_path, batchSize=0, provider="tpu")
    del doc["seed"]
    result = run_cli(["run", str(write_json(tmp_path / "trial.json", doc))])
    assert result.returncode == 2
    assert "/batchSize" in result.stderr and "/provider" in result.stderr and "'seed'" in result.stderr


def test_cli_missing_or_non_json_spec_exits_2(tmp_path):
    assert run_cli(["run", str(tmp_path / "absent.json")]).returncode == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run_cli(["run", str(bad)])
    assert result.returncode == 2 and "not JSON" in result.stderr


def test_cli_unwritable_output_exits_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    doc = trial_doc(tmp_path, outputPath=str(blocker / "sub" / "out.json"))
    assert run_cli(["run", str(write_json(tmp_path / "t.json", doc))]).returncode == 1


def test_engine_build_is_timed_first_in_warmup_and_never_in_the_window(tmp_path):
    class EngineAdapter(fake.FakeAdapter):
        def build_engine(self, inputs):
            fake.EVENTS.append("build")
            self.run_once(inputs)
            return True

    output = run_trial(_spec(tmp_path, warmupIterations=0, measuredIterations=2), EngineAdapter)
    assert output["status"] == "ok" and schema_errors("trial-output", output) == []
    phases = output["phases"]
    marks = [int(phases[p][k]) for p in ("load", "warmup", "measure") for k in ("startNs", "endNs")]
    assert marks == sorted(marks)
    build = [int(phases["engineBuild"][k]) for k in ("startNs", "endNs")]
    assert int(phases["warmup"]["startNs"]) <= build[0] <= build[1] <= int(phases["warmup"]["endNs"])
    assert fake.EVENTS[2:4] == ["build", "run"] and len(output["latenciesMs"]) == 2


def test_an_adapter_without_an_engine_step_reports_no_engine_build(tmp_path):
    output = run_trial(_spec(tmp_path), fake.create_adapter)
    assert "engineBuild" not in output["phases"]
