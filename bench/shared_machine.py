#!/usr/bin/python3
"""Latency on a machine where another process takes one core: Octet (libgomp's default waiting policy and
OMP_WAIT_POLICY=passive) and onnxruntime-node, each idle and next to a busy loop pinned to nothing (the kernel
places it), interleaved over rounds. Prints the median of the round medians and the spread per configuration.

Why: OpenMP teams split each layer statically, so a thread that loses its core stalls the whole layer; this
measures how much, against onnxruntime's thread pool on the same model and thread count.

Usage: /usr/bin/python3 bench/shared_machine.py [MODEL] [--rounds 3] [--time 3] [--nthreads 2]
Default MODEL: bench/models/mobilenet_v2.qdq.onnx (bench/run.sh writes it). Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def busy_loop():
    """A process that keeps one core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def run_engine(engine, model, seconds, nthreads, json_path):
    env = dict(os.environ)
    if engine == "ort":
        cmd = ["node", os.path.join(REPO, "bench", "ort_benchmark.js"), "-m", model, "-nthreads", str(nthreads),
               "-t", str(seconds), "--json", json_path]
    else:
        cmd = [os.path.join(REPO, "build", "octet"), "benchmark", "-m", model, "-nthreads", str(nthreads),
               "-hint", "latency", "-api", "sync", "-t", str(seconds), "--json", json_path]
        env.pop("OMP_WAIT_POLICY", None)
        if engine == "octet_passive":
            env["OMP_WAIT_POLICY"] = "passive"
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with open(json_path) as f:
        result = json.load(f)
    return result["latency_ms"]["median"], result["latency_ms"]["max"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?", default=os.path.join(REPO, "bench", "models", "mobilenet_v2.qdq.onnx"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--time", type=float, default=3)
    parser.add_argument("--nthreads", type=int, default=2)
    args = parser.parse_args()
    engines = ["octet", "octet_passive", "ort"]
    medians = {(e, load): [] for e in engines for load in ("idle", "busy")}
    maxima = {key: [] for key in medians}
    with tempfile.TemporaryDirectory(prefix="shared_machine.") as work:
        for round_index in range(args.rounds):
            order = engines if round_index % 2 == 0 else engines[::-1]
            for load in ("idle", "busy"):
                hog = busy_loop() if load == "busy" else None
                try:
                    for engine in order:
                        median, peak = run_engine(engine, args.model, args.time, args.nthreads,
                                                  os.path.join(work, f"{engine}.json"))
                        medians[(engine, load)].append(median)
                        maxima[(engine, load)].append(peak)
                        print(f"round {round_index + 1} {load:4} {engine:13} median {median:8.3f} ms  max "
                              f"{peak:8.1f} ms", flush=True)
                finally:
                    if hog:
                        hog.kill()
                        hog.wait()
    print(f"\n{os.path.basename(args.model)}, {args.nthreads} threads, {args.rounds} rounds x {args.time} s, "
          "median of round medians (spread), largest single latency:")
    for engine in engines:
        for load in ("idle", "busy"):
            values = medians[(engine, load)]
            print(f"  {engine:13} {load:4}: {statistics.median(values):8.3f} ms ({min(values):.3f}..{max(values):.3f})"
                  f"  max {max(maxima[(engine, load)]):.1f} ms")


if __name__ == "__main__":
    main()
