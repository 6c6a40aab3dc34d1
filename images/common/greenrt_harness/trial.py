"""`run`: one trial, load -> seeded inputs -> warm-up -> measured window -> TrialOutput.

The measured loop is kept bare (two perf_counter_ns reads and one list store per inference) because
its overhead is benchmarked against a plain loop. Phase markers use CLOCK_MONOTONIC, which
containers share with the host, so the orchestrator can join them with its power traces.
"""

from __future__ import annotations

import gc
import math
import platform
import time
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from .adapter import RuntimeAdapter, TrialSpec
from .files import atomic_write_json
from .schemas import schema_errors

TRACEBACK_LIMIT_CHARS = 8000


class OutputInvalidError(Exception):
    """The harness built a TrialOutput its schema rejects (a harness bug; exit code 1)."""


def measure_loop(run_once: Callable[[Any], Any], synchronize: Callable[[Any], None], inputs: Any,
                 latencies_ns: list[int]) -> Any:
    """Fill latencies_ns (preallocated, one slot per inference) and return the last outputs."""
    perf = time.perf_counter_ns
    outputs = None
    for i in range(len(latencies_ns)):
        t0 = perf()
        outputs = run_once(inputs)
        synchronize(outputs)
        latencies_ns[i] = perf() - t0
    return outputs


def _window(start_ns: int, end_ns: int) -> dict[str, str]:
    return {"startNs": str(start_ns), "endNs": str(end_ns)}


def _environment(adapter: RuntimeAdapter | None, spec: TrialSpec) -> dict[str, Any]:
    python = platform.python_version()
    try:
        if adapter is None:
            raise RuntimeError("no adapter")
        env = adapter.environment()
        described = {
            "python": python,
            "framework": str(env.framework),
            "frameworkVersion": str(env.framework_version),
            "device": str(env.device),
            "providers": [str(p) for p in env.providers],
            "threads": env.threads,
            "packages": {str(k): str(v) for k, v in env.packages.items()},
        }
        mode = getattr(env, "mode", None)
        if mode is not None:
            described["mode"] = str(mode)
        return described
    except Exception:  # noqa: BLE001 - a failed load may leave no environment to report
        return {"python": python, "framework": spec.runtime, "frameworkVersion": "unknown",
                "device": "unknown", "providers": [], "threads": spec.threads, "packages": {}}


def _finite_or_none(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def run_trial(spec: TrialSpec, create_adapter: Callable[[], RuntimeAdapter]) -> dict[str, Any]:
    """Run every phase and return the TrialOutput document (status ok or failed; never raises for
    adapter errors)."""
    phases: dict[str, dict[str, str]] = {}
    latencies_ms: list[float] = []
    checksum: float | None = None
    adapter: RuntimeAdapter | None = None
    gc_was_enabled = gc.isenabled()
    try:
        adapter = create_adapter()
        start = time.monotonic_ns()
        adapter.load(spec)
        phases["load"] = _window(start, time.monotonic_ns())

        inputs = adapter.make_inputs(spec, np.random.default_rng(spec.seed))
        run_once, synchronize = adapter.run_once, adapter.synchronize

        # Warm-up runs the same loop as the window (sync after each inference), untimed. An adapter
        # with a one-off compile step (TensorRT engine build) does it first, inside warm-up and
        # outside the measured window, timed as its own phase.
        start = time.monotonic_ns()
        outputs = None
        build_engine = getattr(adapter, "build_engine", None)
        if build_engine is not None:
            built = build_engine(inputs)
            if built:
                phases["engineBuild"] = _window(start, time.monotonic_ns())
        for _ in range(spec.warmup_iterations):
            outputs = run_once(inputs)
            synchronize(outputs)
        if spec.warmup_iterations == 0:
            synchronize(None)  # no warm-up: still start the window with an idle device
        phases["warmup"] = _window(start, time.monotonic_ns())

        latencies_ns = [0] * spec.measured_iterations
        gc.collect()
        gc.disable()  # as timeit does: no cyclic collection inside the window
        start = time.monotonic_ns()
        outputs = measure_loop(run_once, synchronize, inputs, latencies_ns)
        end = time.monotonic_ns()
        if gc_was_enabled:
            gc.enable()
        phases["measure"] = _window(start, end)
        latencies_ms = [ns / 1e6 for ns in latencies_ns]

        checksum = _finite_or_none(adapter.output_checksum(outputs))
        return {
            "schemaVersion": 1, "trialId": spec.trial_id, "status": "ok", "error": None,
            "phases": phases, "latenciesMs": latencies_ms, "outputChecksum": checksum,
            "environment": _environment(adapter, spec),
        }
    except Exception as error:  # noqa: BLE001 - a failed trial is data, reported in the output
        if gc_was_enabled:
            gc.enable()
        return {
            "schemaVersion": 1, "trialId": spec.trial_id, "status": "failed",
            "error": {
                "type": type(error).__name__,
                "message": str(error),
                "traceback": traceback.format_exc()[-TRACEBACK_LIMIT_CHARS:],
            },
            "phases": phases, "latenciesMs": latencies_ms, "outputChecksum": checksum,
            "environment": _environment(adapter, spec),
        }


def write_trial_output(spec: TrialSpec, output: dict[str, Any]) -> None:
    """Validate against trial-output.schema.json, then write atomically to spec.output_path."""
    problems = schema_errors("trial-output", output)
    if problems:
        raise OutputInvalidError("TrialOutput for " + spec.trial_id + " is invalid: " + "; ".join(problems))
    atomic_write_json(spec.output_path, output)
