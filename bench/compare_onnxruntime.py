#!/usr/bin/python3
"""Times Octet against onnxruntime-node on the same ONNX files with the same thread count and writes
bench/RESULTS.md plus the raw JSON of every run under bench/out/<model>/. Standard library only.

For each model, R rounds; each round runs `octet benchmark` and bench/ort_benchmark.js for T seconds each,
Octet first in odd rounds and ORT first in even ones, so that a slow phase of a shared machine hits both. The
table reports the median of the round medians and their min..max. A run that fails shows as "error: <first
line>" in the table; the suite goes on. After the rounds, one short `octet benchmark -pc` run per model
records the per-layer counters (what ran where).

int8: a model with a QDQ twin in --models (<name>.qdq.onnx, the name without a trailing .fp32; written by
scripts/quantize_qdq.py) gets two more engines in every round: Octet on the QDQ file at the model's own
precision (`-infer_precision model`) and ORT on the QDQ file, interleaved with the fp32 runs (round order
Octet fp32, Octet int8, ORT fp32, ORT int8, reversed in even rounds), plus a `-pc` run on the QDQ file for the
share of layers that computed in int8. --no-int8 skips all of that.

Usage: /usr/bin/python3 bench/compare_onnxruntime.py [--rounds 5] [--time 10] [--nthreads 2]
           [--octet build/octet] [--models bench/models] [--shared ../shared/models] [--only resnet,mobilenet]
           [--shape STEM=name[1,3,640,640]] [--no-pc] [--no-int8]
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

import results_report

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
EXPORTED = ["resnet50", "mobilenet_v2", "ssd_mobilenet", "unet"]  # scripts/export_models.py, in table order
# Inputs whose spatial dims the model leaves open; 640x640 is a common PP-OCR detector size (multiple of 32).
DEFAULT_SHAPES = {"ch_PP-OCRv4_det_infer": "x[1,3,640,640]"}
PC_ITERATIONS = 20
QDQ_SUFFIX = ".qdq.onnx"
FP32_ENGINES = ["octet", "ort"]
INT8_ENGINES = ["octet_int8", "ort_int8"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--time", type=float, default=10.0, help="seconds per engine per round")
    parser.add_argument("--nthreads", type=int, default=2)
    parser.add_argument("--octet", default=os.path.join(REPO, "build", "octet"))
    parser.add_argument("--node", default="node")
    parser.add_argument("--models", default=os.path.join(BENCH, "models"), help="exported models folder")
    parser.add_argument("--shared", default=os.path.normpath(os.path.join(REPO, "..", "shared", "models")))
    parser.add_argument("--only", default="", help="comma-separated substrings of model names to keep")
    parser.add_argument("--shape", action="append", default=[],
                        help="STEM=SPEC, e.g. unet=input[1,3,512,512]")
    parser.add_argument("--no-pc", action="store_true", help="skip the per-layer counter runs")
    parser.add_argument("--no-int8", action="store_true", help="skip the QDQ (int8) models")
    parser.add_argument("--out", default=os.path.join(BENCH, "out"))
    parser.add_argument("--results", default=os.path.join(BENCH, "RESULTS.md"))
    parser.add_argument("--notes", default=os.path.join(BENCH, "RESULTS_NOTES.md"),
                        help="hand-written analysis copied into RESULTS.md when the file exists")
    args = parser.parse_args()
    if args.rounds < 1 or args.time <= 0 or args.nthreads < 1:
        parser.error("--rounds, --time and --nthreads must be positive")
    return args


def model_list(args):
    """(name, path) of the exported models (missing ones keep their row), any other .onnx in --models, then
    every .onnx under --shared."""
    models = [(name, os.path.join(args.models, name + ".onnx")) for name in EXPORTED]
    if os.path.isdir(args.models):
        extra = sorted(f[: -len(".onnx")] for f in os.listdir(args.models)
                       if f.endswith(".onnx") and not f.endswith(QDQ_SUFFIX))  # QDQ twins are no rows
        models += [(n, os.path.join(args.models, n + ".onnx")) for n in extra if n not in EXPORTED]
    shared = []
    for root, _, files in os.walk(args.shared):
        shared += [os.path.join(root, f) for f in files if f.endswith(".onnx")]
    models += [(os.path.basename(p)[: -len(".onnx")], p) for p in sorted(shared)]
    keep = [s for s in args.only.split(",") if s]
    return [(n, p) for n, p in models if not keep or any(s in n for s in keep)]


def qdq_model(args, name):
    """The model's QDQ twin in --models, or None (none there, or --no-int8)."""
    path = os.path.join(args.models, re.sub(r"\.fp32$", "", name) + QDQ_SUFFIX)
    return path if not args.no_int8 and os.path.isfile(path) else None


def first_line(text):
    """The first line that reports an error (else the first non-log line), without the 'octet: ' /
    'error: ' prefixes the table adds anyway. benchmark_app-style '[ WARNING ]' lines are skipped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() and not line.startswith("[ INFO ]")]
    others = [line for line in lines if not line.startswith(("[ INFO ]", "[ WARNING ]", "[Step"))]
    line = (errors or others or [""])[0]
    for prefix in ("octet: ", "ort_benchmark: ", "error: "):
        line = line[len(prefix):] if line.startswith(prefix) else line
    return line


def run(command, log_path, timeout):
    """Runs a command, keeps its output in log_path; returns (ok, error message)."""
    start = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:.0f} s"
    except OSError as e:
        return False, str(e)
    with open(log_path, "w") as f:
        f.write(f"$ {shlex.join(command)}\n")
        f.write(f"# exit {result.returncode} after {time.monotonic() - start:.1f} s\n")
        f.write(result.stdout + result.stderr)
    if result.returncode != 0:
        message = first_line(result.stderr) or first_line(result.stdout)
        code = result.returncode
        return False, message or (f"killed by signal {-code}" if code < 0 else f"exit code {code}")
    return True, ""


def input_shape_spec(args, name, path):
    """The -shape flag both engines get: an override, a default, or none for a fully static model."""
    overrides = dict(s.split("=", 1) for s in args.shape if "=" in s)
    if name in overrides:
        return overrides[name]
    command = [args.node, os.path.join(BENCH, "ort_benchmark.js"), "-m", path, "--list-inputs"]
    listing = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if listing.returncode != 0:
        raise RuntimeError(first_line(listing.stderr) or "cannot read the model's inputs")
    inputs = json.loads(listing.stdout)
    if all(isinstance(d, int) and d >= 0 for i in inputs for d in i["shape"]):
        return ""
    if name in DEFAULT_SHAPES:
        return DEFAULT_SHAPES[name]
    specs = []
    for i in inputs:
        dims = [d if isinstance(d, int) and d >= 0 else None for d in i["shape"]]
        if any(d is None for d in dims[1:]):
            raise RuntimeError(f"input '{i['name']}' has dynamic dims: give --shape {name}=...")
        specs.append(f"{i['name']}[{','.join(str(d or 1) for d in dims)}]")
    return ",".join(specs)


def common_flags(args, path, shape, precision="f32"):
    """Flags both runners take; precision None leaves -infer_precision out (ORT on a QDQ file: it runs the
    model as written, and its runner accepts only f32 for the flag)."""
    flags = ["-m", path, "-nthreads", str(args.nthreads), "-nstreams", "1", "-nireq", "1", "-hint", "latency",
             "-api", "sync"] + (["-infer_precision", precision] if precision else [])
    return flags + (["-shape", shape] if shape else [])


def engine_commands(args, path, qdq, shape):
    """engine -> command without --json: the fp32 pair, and the int8 pair when there is a QDQ file."""
    timing = ["-t", f"{args.time:g}"]
    ort = [args.node, os.path.join(BENCH, "ort_benchmark.js")]
    commands = {
        "octet": [args.octet, "benchmark"] + common_flags(args, path, shape) + timing,
        "ort": ort + common_flags(args, path, shape) + timing,
    }
    if qdq:
        commands["octet_int8"] = [args.octet, "benchmark"] + common_flags(args, qdq, shape, "model") + timing
        commands["ort_int8"] = ort + common_flags(args, qdq, shape, None) + timing
    return commands


def round_order(round_index, engines):
    """Octet fp32, Octet int8, ORT fp32, ORT int8 in odd rounds (round_index 0, 2, ...), reversed in even
    ones, keeping only the engines present."""
    order = [e for e in ["octet", "octet_int8", "ort", "ort_int8"] if e in engines]
    return order if round_index % 2 == 0 else order[::-1]


def new_result():
    return {"medians": [], "compile_ms": [], "error": "", "runs": []}


def record(result, ok, error, json_path):
    """Adds one run's median (or its error) to an engine's result."""
    if ok:
        try:
            with open(json_path) as f:
                report = json.load(f)
            if report["iterations"] < 1:
                raise ValueError("no iterations")
            result["medians"].append(float(report["latency_ms"]["median"]))
            result["compile_ms"].append(float(report["compile_ms"]))
            result["runtime"] = report.get("runtime", "")
            result["runs"].append(os.path.basename(json_path))
            return
        except (OSError, ValueError, KeyError, TypeError) as e:
            error = f"bad JSON {os.path.basename(json_path)}: {e}"
    result["error"] = error


def layer_counts(layers):
    """(executed, reference, int8) node counts of a -pc per_layer list: reference = exec type starting with
    'ref', int8 = exec type ending in '_I8' (docs/int8.md)."""
    executed = [layer for layer in layers if layer.get("status") == "EXECUTED"]
    exec_types = [str(layer.get("exec_type", "")) for layer in executed]
    reference = sum(t.startswith("ref") for t in exec_types)
    return len(executed), reference, sum(t.endswith("_I8") for t in exec_types)


def per_layer_summary(args, path, shape, folder, engine="octet", precision="f32"):
    """One short -pc run; returns (executed, reference, int8) node counts, or None when it failed."""
    json_path = os.path.join(folder, f"{engine}.pc.json")
    command = [args.octet, "benchmark"] + common_flags(args, path, shape, precision) + \
        ["-niter", str(PC_ITERATIONS), "-pc", "--json", json_path]
    ok, _ = run(command, os.path.join(folder, f"{engine}.pc.log"), timeout=600)
    if not ok:
        return None
    try:
        with open(json_path) as f:
            return layer_counts(json.load(f)["per_layer"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def benchmark_model(args, name, path):
    qdq = qdq_model(args, name)
    engines = FP32_ENGINES + (INT8_ENGINES if qdq else [])
    row = {"name": name, "path": path, "qdq_path": qdq or "", "shape": ""}
    row.update({engine: new_result() for engine in engines})
    if not os.path.isfile(path):
        message = "model missing (run scripts/export_models.sh)"
        for engine in engines:
            row[engine]["error"] = message
        return row
    try:
        shape = input_shape_spec(args, name, path)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
        for engine in engines:
            row[engine]["error"] = str(e)
        return row
    row["shape"] = shape or "static"
    folder = os.path.join(args.out, name)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):  # a previous run with more rounds must not leave its files in the mix
        if old.startswith(("round", "octet.pc.", "octet_int8.pc.")) and old.endswith((".json", ".log")):
            os.remove(os.path.join(folder, old))
    commands = engine_commands(args, path, qdq, shape)
    timeout = 4 * args.time + 600  # compile and first inference of a large model on a busy machine
    for k in range(args.rounds):
        for engine in round_order(k, commands):
            result = row[engine]
            if result["error"]:
                continue  # a failure repeats every round; do not spend the time again
            json_path = os.path.join(folder, f"round{k + 1}.{engine}.json")
            ok, error = run(commands[engine] + ["--json", json_path], json_path[:-5] + ".log", timeout)
            record(result, ok, error, json_path)
            shown = f"{result['medians'][-1]:.3f} ms" if not result["error"] else "error: " + result["error"]
            print(f"  round {k + 1} {engine:10s} {shown}", flush=True)
    if not args.no_pc and not row["octet"]["error"]:
        counts = per_layer_summary(args, path, shape, folder)
        row["ref_nodes"] = f"{counts[1]}/{counts[0]}" if counts else "?"
    if qdq and not args.no_pc and not row["octet_int8"]["error"]:
        counts = per_layer_summary(args, qdq, shape, folder, "octet_int8", "model")
        row["i8_layers"] = f"{counts[2]}/{counts[0]}" if counts else "?"
    return row


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    settings = {
        "command": shlex.join([sys.executable, os.path.relpath(os.path.abspath(sys.argv[0]), REPO)] +
                              sys.argv[1:]),
        "nthreads": args.nthreads, "rounds": args.rounds, "time": f"{args.time:g}",
        "loadavg": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "octet_version": results_report.git_version(REPO),
    }
    if not os.access(args.octet, os.X_OK):
        print(f"compare_onnxruntime: warning: {args.octet} is not an executable; Octet rows will show errors")
    rows = []
    for name, path in model_list(args):
        print(f"{name}: {path}", flush=True)
        rows.append(benchmark_model(args, name, path))
        with open(os.path.join(args.out, "summary.json"), "w") as f:
            json.dump({"settings": settings, "rows": rows}, f, indent=1)
    notes = ""
    if os.path.isfile(args.notes):
        with open(args.notes) as f:
            notes = f.read()
    results_report.write_results(args.results, rows, settings, notes)
    print(f"compare_onnxruntime: wrote {args.results}")
    for row in rows:
        parts = []
        for engine in FP32_ENGINES + INT8_ENGINES:
            if engine not in row:
                continue
            medians = row[engine]["medians"]
            value = f"{statistics.median(medians):.3f} ms" if medians else "-"
            parts.append(f"{engine} {value}" + (f" (error: {row[engine]['error']})" if row[engine]["error"]
                                                 else ""))
        print(f"  {row['name']:32s} " + "  ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
