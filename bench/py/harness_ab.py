"""A/B driver, run inside one pytorch container: alternates the bare loop (bare_loop.py) and the greenrt
entrypoint (python3 -m greenrt_harness run) on the same model, batch, threads and iterations. Each run
is a fresh process (as a trial is). The order flips every round (AB, BA, ...) so drift cancels. With --cpu N
every run is pinned to that CPU (inherited affinity): on a VM whose vCPUs run at different speeds, an unpinned
process lands on either, and a paired round would compare two coin flips instead of the two loops.
Prints one JSON line: {runs: [{round, model, kind, latenciesNs, windowNs, processMs}]}."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path("/tmp/greenrt-bench")


def run_bare(model: str, model_dir: str, a: argparse.Namespace, iters: int, warmup: int) -> dict:
    cmd = [sys.executable, "/bench/bare_loop.py", "--model", model, "--model-dir", model_dir, "--batch", str(a.batch),
           "--threads", str(a.threads), "--warmup", str(warmup), "--iters", str(iters), "--seed", str(a.seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"latenciesNs": result["latenciesNs"], "windowNs": result["windowNs"]}


def run_harness(model: str, model_dir: str, a: argparse.Namespace, iters: int, warmup: int, rnd: int) -> dict:
    trial_id = f"bench.{model}.r{rnd}"
    spec = {"schemaVersion": 1, "trialId": trial_id, "runtime": "pytorch", "source": "pytorch", "model": model,
            "provider": "cpu", "batchSize": a.batch, "warmupIterations": warmup, "measuredIterations": iters,
            "seed": a.seed, "threads": a.threads, "sequenceLength": 128, "modelDir": model_dir,
            "outputPath": str(OUT / f"{trial_id}.json")}
    spec_path = OUT / f"{trial_id}.spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "greenrt_harness", "run", str(spec_path)], capture_output=True, text=True, check=True)
    output = json.loads(Path(spec["outputPath"]).read_text(encoding="utf-8"))
    measure = output["phases"]["measure"]
    return {"latenciesNs": [round(ms * 1e6) for ms in output["latenciesMs"]],
            "windowNs": int(measure["endNs"]) - int(measure["startNs"])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True, help="name=dir:iters:warmup[:rounds],...")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of a model whose spec names none")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cpu", type=int, default=None, help="pin this process and every run to this CPU")
    a = parser.parse_args()
    if a.cpu is not None:
        os.sched_setaffinity(0, {a.cpu})
    OUT.mkdir(parents=True, exist_ok=True)
    models = []
    for item in a.models.split(","):
        name, rest = item.split("=", 1)
        model_dir, iters, warmup, *rounds = rest.split(":")
        models.append((name, model_dir, int(iters), int(warmup), int(rounds[0]) if rounds else a.rounds))
    runs = []
    for rnd in range(max(m[4] for m in models)):
        for name, model_dir, iters, warmup, model_rounds in models:
            if rnd >= model_rounds:
                continue
            order = ["bare", "harness"] if rnd % 2 == 0 else ["harness", "bare"]
            for kind in order:
                started = time.perf_counter_ns()
                if kind == "bare":
                    result = run_bare(name, model_dir, a, iters, warmup)
                else:
                    result = run_harness(name, model_dir, a, iters, warmup, rnd)
                result.update({"round": rnd, "model": name, "kind": kind, "processMs": (time.perf_counter_ns() - started) / 1e6})
                runs.append(result)
                print(f"round {rnd} {name} {kind}: {result['processMs']:.0f} ms", file=sys.stderr, flush=True)
    print(json.dumps({"runs": runs, "pinnedCpu": a.cpu}))


if __name__ == "__main__":
    main()
