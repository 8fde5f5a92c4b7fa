#!/usr/bin/python3
"""Stands in for `octet benchmark` to check compare_onnxruntime.py's plumbing before the runtime exists:
    /usr/bin/python3 bench/compare_onnxruntime.py --octet bench/testing/fake_octet.py --time 1 --rounds 2 ...
It writes the JSON fields `octet benchmark --json` writes, with made-up latencies (so never publish its
table), and fails like a real run would for models whose path contains one of the comma-separated strings of
$FAKE_OCTET_FAIL. With `-infer_precision model` (an int8 run) its conv layer reports `jit_avx2_I8`. When
$FAKE_OCTET_LOG names a file, every call appends "<tool> <model file> <precision or ->" to it."""
import json
import os
import random
import sys


def main(argv):
    # Also plays `node ort_benchmark.js ...` when given as --node (testing/test_compare.py does that).
    if len(argv) < 2 or not (argv[1] == "benchmark" or argv[1].endswith("ort_benchmark.js")):
        print("fake_octet: only 'benchmark' is faked", file=sys.stderr)
        return 1
    flags = {}
    args = argv[2:]
    i = 0
    while i < len(args):
        if args[i] == "-pc":
            flags["-pc"] = True
            i += 1
        else:
            flags[args[i]] = args[i + 1]
            i += 2
    tool = "ort" if argv[1].endswith("ort_benchmark.js") else "octet"
    precision = flags.get("-infer_precision", "-")
    if os.environ.get("FAKE_OCTET_LOG"):
        with open(os.environ["FAKE_OCTET_LOG"], "a") as f:
            f.write(f"{tool} {os.path.basename(flags['-m'])} {precision}{' -pc' if '-pc' in flags else ''}\n")
    fails = [s for s in os.environ.get("FAKE_OCTET_FAIL", "").split(",") if s]
    if any(s in flags["-m"] for s in fails):
        print("octet: error: node 'fake_0' (FakeOp): unsupported op\nsecond line", file=sys.stderr)
        return 1
    rng = random.Random(flags["-m"])
    latencies = sorted(rng.uniform(1.0, 2.0) for _ in range(50))
    conv_type = "jit_avx2_I8" if precision == "model" else "jit_avx2_FP32"
    layers = [{"name": "conv1", "status": "EXECUTED", "layer_type": "Conv", "exec_type": conv_type,
               "real_time_us": 12.0, "cpu_time_us": 11.0, "fused_into": ""},
              {"name": "relu1", "status": "OPTIMIZED_OUT", "layer_type": "Relu", "exec_type": "undef",
               "real_time_us": 0.0, "cpu_time_us": 0.0, "fused_into": "conv1"},
              {"name": "gather", "status": "EXECUTED", "layer_type": "Gather", "exec_type": "ref_FP32",
               "real_time_us": 3.0, "cpu_time_us": 3.0, "fused_into": ""}]
    report = {"model": flags["-m"], "api": flags.get("-api", "sync"), "precision": "f32",
              "nthreads": int(flags.get("-nthreads", 2)), "nstreams": 1, "nireq": 1, "batch": 1,
              "iterations": len(latencies), "duration_s": sum(latencies) / 1000, "load_ms": 1.0,
              "compile_ms": rng.uniform(10, 20), "first_inference_ms": 3.0, "throughput_fps": 600.0,
              "latency_ms": {"median": latencies[25], "average": sum(latencies) / 50, "min": latencies[0],
                             "max": latencies[-1], "p90": latencies[44], "p99": latencies[49]},
              "per_layer": layers if "-pc" in flags else []}
    with open(flags["--json"], "w") as f:
        json.dump(report, f)
    print(f"fake_octet: median {latencies[25]:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
