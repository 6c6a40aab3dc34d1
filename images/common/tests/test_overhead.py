"""The measured loop must cost almost nothing beyond the inference (benchmarked: within 2% of a
bare loop). A no-op inference isolates the per-iteration overhead of the harness."""

from __future__ import annotations

import time

from greenrt_harness.trial import measure_loop

ITERATIONS = 20000


def _noop(_x):
    return _x


def _sync(_x):
    return None


def _bare_ns() -> int:
    start = time.perf_counter_ns()
    for _ in range(ITERATIONS):
        out = _noop(1)
        _sync(out)
    return time.perf_counter_ns() - start


def _harness_ns() -> int:
    latencies = [0] * ITERATIONS
    start = time.perf_counter_ns()
    measure_loop(_noop, _sync, 1, latencies)
    return time.perf_counter_ns() - start


def test_harness_overhead_per_inference_is_under_two_microseconds():
    # Best of 5 on both sides: shared CI cores are noisy. 2 us is 2% of a 0.1 ms inference,
    # far below the fastest model here (MobileNetV2 on CPU, about 5 ms).
    overhead_ns = (min(_harness_ns() for _ in range(5)) - min(_bare_ns() for _ in range(5))) / ITERATIONS
    assert overhead_ns < 2000, f"harness adds {overhead_ns:.0f} ns per inference"
