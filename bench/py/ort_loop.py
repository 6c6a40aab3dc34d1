"""Python onnxruntime throughput on one model, with the session options greenrt's embedded runtime uses
(graph optimisation all, intra-op threads T, inter-op 1, sequential). Prints one JSON line:
{throughputPerS, latenciesNs, windowNs, version}. With --input-file, the one float32 input is read from
that file (raw float32, the input's shape at batch 1), the bytes ort-node-loop.mjs feeds."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import onnxruntime as ort


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iters", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--input-file")
    args = parser.parse_args()

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(args.model, sess_options=options, providers=["CPUExecutionProvider"])
    meta = session.get_inputs()[0]
    shape = [1 if not isinstance(d, int) or d <= 0 else d for d in meta.shape]
    if args.input_file:
        data = np.fromfile(args.input_file, dtype=np.float32)
        if data.size != int(np.prod(shape)):
            raise SystemExit(f"{args.input_file}: {data.size} float32 values, the input {meta.name} needs {shape}")
        feeds = {meta.name: data.reshape(shape)}
    else:
        feeds = {meta.name: np.random.default_rng(args.seed).standard_normal(shape, dtype=np.float32)}
    for _ in range(args.warmup):
        session.run(None, feeds)
    perf = time.perf_counter_ns
    latencies = [0] * args.iters
    start = perf()
    for i in range(args.iters):
        t0 = perf()
        session.run(None, feeds)
        latencies[i] = perf() - t0
    window = perf() - start
    print(json.dumps({"throughputPerS": args.iters / (window / 1e9), "latenciesNs": latencies, "windowNs": window,
                      "version": ort.__version__}))


if __name__ == "__main__":
    main()
