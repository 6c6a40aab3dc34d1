"""The bare PyTorch loop the harness is compared with: same prepared model, same seeded input, same
threads, torch.inference_mode around the loop, one perf_counter_ns pair per inference. Nothing else.
Prints one JSON line: {latenciesNs, windowNs, loadMs}."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from greenrt_harness.inputs import model_inputs  # input generation only, before any timing
from pytorch_models import load_native


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iters", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    started = time.perf_counter_ns()
    model = load_native(args.model, Path(args.model_dir))
    load_ms = (time.perf_counter_ns() - started) / 1e6
    x = torch.from_numpy(model_inputs(args.model, np.random.default_rng(args.seed), args.batch, 128)["pixel_values"])
    latencies = [0] * args.iters
    perf = time.perf_counter_ns
    with torch.inference_mode():
        for _ in range(args.warmup):
            model(x)
        window_start = perf()
        for i in range(args.iters):
            t0 = perf()
            model(x)
            latencies[i] = perf() - t0
        window_ns = perf() - window_start
    print(json.dumps({"latenciesNs": latencies, "windowNs": window_ns, "loadMs": load_ms, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
