"""The harness's own cost per inference, without a model's noise: the harness's measure_loop calling
the real PyTorch adapter's run_once/synchronize on a model that does nothing (nn.Identity), against
the bare loop (inference_mode around the loop, the module called directly). The difference is what
the harness adds to every timed inference. Prints one JSON line with the medians over repeats, ns."""

from __future__ import annotations

import json
import time

import torch
from greenrt_adapter import TorchAdapter
from greenrt_harness.trial import measure_loop

N = 20000
REPEATS = 7


def bare(model: torch.nn.Module, x: torch.Tensor, latencies: list[int]) -> None:
    perf = time.perf_counter_ns
    with torch.inference_mode():
        for i in range(len(latencies)):
            t0 = perf()
            model(x)
            latencies[i] = perf() - t0


def main() -> None:
    torch.set_num_threads(1)
    model = torch.nn.Identity().eval()
    x = torch.zeros(1, 3, 8, 8)
    adapter = TorchAdapter()
    adapter.model = model
    inputs = {"pixel_values": x}
    results: dict[str, list[float]] = {"bareNs": [], "harnessNs": []}
    for _ in range(REPEATS):
        for kind in ("bare", "harness"):
            lat = [0] * N
            start = time.perf_counter_ns()
            if kind == "bare":
                bare(model, x, lat)
            else:
                measure_loop(adapter.run_once, adapter.synchronize, inputs, lat)
            results[f"{kind}Ns"].append((time.perf_counter_ns() - start) / N)
    best = {k: min(v) for k, v in results.items()}  # least disturbed repeat: the cost itself
    print(json.dumps({**best, "overheadNsPerInference": best["harnessNs"] - best["bareNs"], "iterations": N,
                      "repeats": REPEATS, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
