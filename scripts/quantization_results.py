#!/usr/bin/env python3
"""Quantizes every labeled classifier in ../shared with `octet quantize` and writes docs/quantization-results.md.

For each model: calibrate on a fixed split of its dataset (ImageNet sample: 300 of 1000 images; CIFAR-10:
500 of 5000), evaluate fp32 and int8 with `octet accuracy --compare` on the other images (never seen by the
calibration), and take the fp32/int8 latency the quantizer measured (interleaved rounds, batch 1). Then the same
with accuracy control (`--max-drop 0.002`, i.e. 0.2 top-1 points), which measures the drop on the evaluation
images (`--eval-data`, as NNCF's quantize_with_accuracy_control does with its validation dataset) while
calibration still sees only the calibration split.

Usage: scripts/quantization_results.py [--only NAME ...] [--out docs/quantization-results.md] [--work DIR]
Every command it runs is printed, so each row can be reproduced by hand.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
OCTET = os.path.join(ROOT, "build", "octet")

IMAGENET = os.path.join(SHARED, "data", "imagenet-sample")
CIFAR = os.path.join(SHARED, "data", "cifar10")
MOBILENET_PREP = ["--mean", "128,128,128", "--std", "128,128,128", "--label-offset", "1"]
RESNET_CIFAR_PREP = ["--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375"]

# name, model file, dataset folder, preprocessing flags (../shared/README.md, sections 1.1 and 1.2)
MODELS = [
    ("mobilenet_v2_1.0_224", "imagenet/mobilenet_v2_1.0_224.fp32.onnx", IMAGENET,
     ["--resize", "256", "--crop", "224"] + MOBILENET_PREP),
    ("mobilenet_v1_0.5_160", "imagenet/mobilenet_v1_0.5_160.fp32.onnx", IMAGENET,
     ["--resize", "183", "--crop", "160"] + MOBILENET_PREP),
    ("mobilenet_v1_0.25_128", "imagenet/mobilenet_v1_0.25_128.fp32.onnx", IMAGENET,
     ["--resize", "146", "--crop", "128"] + MOBILENET_PREP),
    ("resnet20_cifar10", "cifar10/resnet20_cifar10.onnx", CIFAR, RESNET_CIFAR_PREP),
    ("resnet56_cifar10", "cifar10/resnet56_cifar10.onnx", CIFAR, RESNET_CIFAR_PREP),
    ("resnet8_mlperf_tiny", "cifar10/pretrainedResnet.fp32.onnx", CIFAR, []),
]
# Classifiers without labeled data in ../shared: measured by top-1 agreement with the fp32 model (what
# `octet quantize --max-drop` uses when the data has no labels). VWW (person / no person, section 1.3): the
# whole image squashed to 96x96 (our default resize to the input's H, W), v = x / 255.
UNLABELED_MODELS = [
    ("vww_96_mobilenet_v1_0.25", "vww/vww_96_float.fp32.onnx", IMAGENET, ["--std", "255,255,255"]),
]


def write_splits(dataset, work, labeled=True):
    """Calibration: 3 of every 10 images for ImageNet (300), 1 of every 10 for CIFAR-10 (500); evaluation: the rest.
    Unlabeled: the same images, paths only."""
    with open(os.path.join(dataset, "labels.txt")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    calibration_slots = {0, 3, 6} if len(rows) <= 1000 else {0}
    name = os.path.basename(dataset) + ("" if labeled else ".unlabeled")
    paths = {}
    for split in ("calibration", "evaluation"):
        paths[split] = os.path.join(work, f"{name}.{split}.txt")
        with open(paths[split], "w") as out:
            for i, (path, label) in enumerate(rows):
                if (i % 10 in calibration_slots) == (split == "calibration"):
                    out.write(f"{os.path.join(dataset, path)}\t{label}\n" if labeled
                              else f"{os.path.join(dataset, path)}\n")
    return paths


def run(cmd):
    print("+ " + shlex.join(cmd), flush=True)
    subprocess.run(cmd, check=True, stdout=sys.stdout, stderr=sys.stderr)


def quantize(model, prep, splits, out, extra):
    report = out + ".report.json"
    run([OCTET, "quantize", model, "--data", splits["calibration"], "--out", out, "--report", report, "--nthreads",
         "2"] + prep + extra)
    with open(report) as f:
        return json.load(f)


def compare(fp32, int8, prep, splits, json_path, agreement=False):
    run([OCTET, "accuracy", fp32, "--compare", int8, "--data", splits["evaluation"], "--nthreads", "2", "--json",
         json_path] + prep)
    with open(json_path) as f:
        result = json.load(f)
    return result["top1_agreement"] if agreement else result["results"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="model names to run (default: all)")
    parser.add_argument("--out", help="default: docs/quantization-results.md, or WORK/quantization-results.md with --only")
    parser.add_argument("--work", default="/tmp/octet-quantization-results")
    parser.add_argument("--table-from", metavar="LOG",
                        help="only rewrite the table from the JSON row lines of an earlier run's output")
    args = parser.parse_args()
    if args.table_from:
        with open(args.table_from) as f:
            rows = [json.loads(line) for line in f if line.startswith("{")]
        write_table(rows, args.out or os.path.join(ROOT, "docs", "quantization-results.md"))
        return
    if not os.path.isdir(SHARED):
        sys.exit(f"error: {SHARED} not found (the models and images come from ../shared)")
    os.makedirs(args.work, exist_ok=True)
    if not args.out:
        docs = os.path.join(ROOT, "docs", "quantization-results.md")
        args.out = os.path.join(args.work, "quantization-results.md") if args.only else docs

    rows = []
    for name, model_file, dataset, prep in MODELS:
        if args.only and name not in args.only:
            continue
        model = os.path.join(SHARED, "models", model_file)
        splits = write_splits(dataset, args.work)
        row = {"name": name, "model": os.path.relpath(model, ROOT), "prep": prep}
        default_out = os.path.join(args.work, f"{name}.int8.onnx")
        report = quantize(model, prep, splits, default_out, [])
        fp32, int8 = compare(model, default_out, prep, splits, default_out + ".accuracy.json")
        row.update(count=fp32["count"], fp32=fp32["top1"], int8=int8["top1"], latency=report["latency_ms"],
                   calibration=report["calibration"], saturation_safe=report["saturation_safe_weights"],
                   quantized=sum(1 for layer in report["layers"] if layer["quantized"]), layers=len(report["layers"]))
        controlled_out = os.path.join(args.work, f"{name}.int8.maxdrop.onnx")
        controlled = quantize(model, prep, splits, controlled_out,
                              ["--max-drop", "0.002", "--eval-data", splits["evaluation"]])
        _, int8_controlled = compare(model, controlled_out, prep, splits, controlled_out + ".accuracy.json")
        row.update(controlled=int8_controlled["top1"], controlled_latency=controlled["latency_ms"],
                   reverted=[layer["node"] for layer in controlled["accuracy_control"]["reverted"]])
        rows.append(row)
        print(json.dumps(row), flush=True)
    for name, model_file, dataset, prep in UNLABELED_MODELS:
        if args.only and name not in args.only:
            continue
        model = os.path.join(SHARED, "models", model_file)
        splits = write_splits(dataset, args.work, labeled=False)
        row = {"name": name, "model": os.path.relpath(model, ROOT), "prep": prep, "metric": "agreement"}
        default_out = os.path.join(args.work, f"{name}.int8.onnx")
        report = quantize(model, prep, splits, default_out, [])
        row.update(count=len(open(splits["evaluation"]).read().splitlines()),
                   agreement=compare(model, default_out, prep, splits, default_out + ".accuracy.json", True),
                   latency=report["latency_ms"], calibration=report["calibration"],
                   quantized=sum(1 for layer in report["layers"] if layer["quantized"]), layers=len(report["layers"]))
        controlled_out = os.path.join(args.work, f"{name}.int8.maxdrop.onnx")
        controlled = quantize(model, prep, splits, controlled_out,
                              ["--max-drop", "0.002", "--eval-data", splits["evaluation"]])
        row.update(controlled=compare(model, controlled_out, prep, splits, controlled_out + ".accuracy.json", True),
                   reverted=[layer["node"] for layer in controlled["accuracy_control"]["reverted"]])
        rows.append(row)
        print(json.dumps(row), flush=True)

    write_table(rows, args.out)
    print(f"wrote {args.out}")


def points(value):
    return f"{100 * value:.2f}"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def int8_isa():
    """What oneDNN's int8 kernels run on here (ONEDNN_MAX_CPU_ISA=AVX2 caps an AVX-512 machine to AVX2)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next(line for line in f if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return "unknown ISA"
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA", "").upper()
    if "avx512_vnni" in flags and cap in ("", "ALL", "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX512_CORE_AMX"):
        return "int8 on AVX-512 VNNI"
    if "avx2" in flags:
        return "int8 on AVX2 without VNNI" + (f" (ONEDNN_MAX_CPU_ISA={cap})" if cap else "")
    return "int8 on " + (cap or "an ISA below AVX2")


def cpu_name():
    """The CPU's model name from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"


def write_table(rows, path):
    cpu = cpu_name()
    lines = [
        "# Post-training quantization results",
        "",
        f"Generated by `scripts/quantization_results.py` on {datetime.date.today()} ({cpu}, {int8_isa()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; load average at the end "
        f"{load_average()}). Calibration and evaluation use disjoint images: "
        "ImageNet models calibrate on 300 of `../shared/data/imagenet-sample` (3 of every 10 in `labels.txt` "
        "order) and are evaluated on the other 700; CIFAR-10 models calibrate on 500 of `../shared/data/cifar10` "
        "(1 of every 10) and are evaluated on the other 4500. Default settings: `performance` preset (symmetric "
        "per-tensor activations, min/max ranges; per-channel symmetric weights), fast bias correction, "
        "cross-layer equalization where the model has depthwise convolutions, saturation-safe weights on CPUs without VNNI (adjacent |q0| + |q1| <= 128, see `docs/int8.md`). "
        "Latency: batch 1, 2 threads, medians of the quantizer's interleaved fp32/int8 rounds. Drops are in "
        "top-1 points; a drop of one image is 100/700 = 0.14 points on ImageNet, 0.02 on CIFAR-10. "
        "The `--max-drop 0.002` columns (0.2 points; `--max-drop` takes fractions of 1, as POT's maximal_drop "
        "does) come from a second quantization whose accuracy control measures the drop on the evaluation "
        "images (`--eval-data`, like the validation dataset of NNCF's quantize_with_accuracy_control), so "
        "those drops are not held out; calibration never sees the evaluation images.",
        "",
        "| model | images | fp32 top-1 | int8 top-1 | drop | int8 layers | calib. time | fp32 ms | int8 ms | speed-up "
        "| `--max-drop 0.002` top-1 | drop | layers reverted |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    labeled = [r for r in rows if r.get("metric") != "agreement"]
    unlabeled = [r for r in rows if r.get("metric") == "agreement"]
    for r in labeled:
        lines.append(
            f"| {r['name']} | {r['count']} | {points(r['fp32'])} | {points(r['int8'])} | "
            f"{points(r['fp32'] - r['int8'])} | {r['quantized']}/{r['layers']} | {r['calibration']['seconds']:.1f} s | "
            f"{r['latency']['fp32']:.2f} | {r['latency']['int8']:.2f} | {r['latency']['fp32'] / r['latency']['int8']:.2f}x | "
            f"{points(r['controlled'])} | {points(r['fp32'] - r['controlled'])} | "
            f"{', '.join(r['reverted']) if r['reverted'] else 'none'} |")
    if unlabeled:
        lines += ["", "Classifiers without labeled data in `../shared` are measured by top-1 agreement with their "
                  "fp32 model on the evaluation images (the metric `octet quantize --max-drop` uses on unlabeled "
                  "data; 100% means every prediction is the fp32 one). The VWW model (person / no person) takes "
                  "the ImageNet sample's 300 / 700 split without labels.", "",
                  "| model | images | int8 agreement | int8 layers | calib. time | fp32 ms | int8 ms | speed-up "
                  "| `--max-drop 0.002` agreement | layers reverted |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in unlabeled:
            lines.append(
                f"| {r['name']} | {r['count']} | {points(r['agreement'])}% | {r['quantized']}/{r['layers']} | "
                f"{r['calibration']['seconds']:.1f} s | {r['latency']['fp32']:.2f} | {r['latency']['int8']:.2f} | "
                f"{r['latency']['fp32'] / r['latency']['int8']:.2f}x | {points(r['controlled'])}% | "
                f"{', '.join(r['reverted']) if r['reverted'] else 'none'} |")
    lines += ["", "The `.tflite` originals in `../shared` wait for the TFLite frontend."]
    lines += ["", "Reproduce one row (the script prints every command it runs):", "", "```"]
    for r in rows:
        lines.append(f"scripts/quantization_results.py --only {r['name']}")
    lines += ["```", "", "Preprocessing flags per model (`../shared/README.md`):", ""]
    for r in rows:
        lines.append(f"- {r['name']} (`{r['model']}`): `{shlex.join(r['prep']) or '(raw 0..255 pixels)'}`")
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
