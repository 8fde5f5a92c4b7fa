"""Top-1 agreement of Octet's int8 CPU runtime with the reference executor running the same quantized model in
fp32 (quantization simulated), on ImageNet sample images not used for the QDQ models' calibration (indices
5, 15, 25, ... then 6, 16, ...; scripts/quantize_qdq.py calibrates on 0, 10, 20, ...). Also top-1 against the
labels for both. "Tie-aware" also counts as agreeing a top-1 that is tied on either side: the int8 top-1's
reference score equals the reference maximum, or the reference top-1's int8 score equals the int8 maximum (a
quantized classifier output, e.g. a u8 Softmax, often ties close classes, and which of them argmax calls "first"
is arbitrary).
Needs numpy (Debian's /usr/bin/python3); calls build/octet run twice per image.

Usage: /usr/bin/python3 bench/int8_agreement.py MODEL.qdq.onnx [--count 200] [--size 224] [--octet build/octet]
           [--mean 128,128,128 --std 128,128,128] [--label-offset 1]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(REPO, "..", "shared", "data", "imagenet-sample")


def scores(octet, model, image, size, mean, std, engine, work):
    """The model's (single) output for one image, as a flat float array."""
    resize = str(round(size / 0.875))
    out_dir = os.path.join(work, engine)
    cmd = [octet, "run", model, "--image", image, "--resize", resize, "--crop", str(size), "--mean", mean,
           "--std", std, "--top", "0", "--engine", engine, "--output-dir", out_dir]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {out.stderr.strip()}")
    files = sorted(f for f in os.listdir(out_dir) if f.endswith(".npy"))
    if len(files) != 1:
        raise RuntimeError(f"expected one output of {model}, got {files}")
    return np.load(os.path.join(out_dir, files[0])).reshape(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--mean", default="128,128,128")
    parser.add_argument("--std", default="128,128,128")
    parser.add_argument("--label-offset", type=int, default=1, help="output index of label 0")
    parser.add_argument("--octet", default=os.path.join(REPO, "build", "octet"))
    args = parser.parse_args()
    with open(os.path.join(IMAGES, "labels.txt")) as f:
        entries = [line.split() for line in f if line.strip()]
    files = sorted(e for e in os.listdir(IMAGES) if e.lower().endswith((".jpeg", ".jpg", ".png")))
    picked = []
    for start in range(5, 10):
        picked += list(range(start, len(files), 10))
    picked = picked[: args.count]
    labels = {e[0]: int(e[1]) for e in entries if len(e) >= 2 and e[1].lstrip("-").isdigit()}
    agree = tie_aware = correct_cpu = correct_ref = labelled = 0
    with tempfile.TemporaryDirectory(prefix="int8_agreement.") as work:
        for n, index in enumerate(picked, 1):
            path = os.path.join(IMAGES, files[index])
            cpu_scores = scores(args.octet, args.model, path, args.size, args.mean, args.std, "cpu", work)
            ref_scores = scores(args.octet, args.model, path, args.size, args.mean, args.std, "reference", work)
            cpu, ref = int(np.argmax(cpu_scores)), int(np.argmax(ref_scores))
            agree += cpu == ref
            tie_aware += ref_scores[cpu] == ref_scores[ref] or cpu_scores[ref] == cpu_scores[cpu]
            if files[index] in labels:
                labelled += 1
                correct_cpu += cpu == labels[files[index]] + args.label_offset
                correct_ref += ref == labels[files[index]] + args.label_offset
            print(f"\r{n}/{len(picked)} agree {agree}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"{os.path.basename(args.model)}: int8 CPU vs reference (simulated) top-1 agreement "
          f"{agree}/{len(picked)} = {100.0 * agree / len(picked):.1f}% (tie-aware {tie_aware}/{len(picked)} = "
          f"{100.0 * tie_aware / len(picked):.1f}%)")
    if labelled:
        print(f"  top-1 vs labels on {labelled} images: int8 CPU {100.0 * correct_cpu / labelled:.1f}%, "
              f"reference {100.0 * correct_ref / labelled:.1f}%")


if __name__ == "__main__":
    main()
