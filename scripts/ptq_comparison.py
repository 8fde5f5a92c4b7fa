#!/usr/bin/env python3
"""Octet's post-training quantization next to PyTorch's own, on the random-weight topologies of
scripts/validated_models.py: an independent oracle for whether a low int8 cosine comes from Octet's quantizer
or from the network.

For each topology (classifiers) both quantizers calibrate on the same images: the first N of the 300-image
calibration split (default all 300), and are compared with the fp32 model on the same 10 evaluation images
(cosine of the logits, mean over the images):
  - Octet: `octet quantize` with its defaults, and with each `--variant` (extra quantize flags); the int8 model
    is run with its quantization simulated (`octet run --precision f32`), which the int8 kernels reproduce
    (validated-models.md, `int8 vs fq`);
  - PyTorch: FX graph-mode post-training quantization (torch.ao.quantization, the `onednn` backend's default
    qconfig: HistogramObserver activations, per-channel weights) of the same PyTorch model, run by PyTorch's
    quantized kernels.
The per-image spread of the activations is shown too: the largest activation at the classifier's input on each
calibration image (median and maximum over the images).

With --shared, the real-weight classifiers of ../shared are quantized with the defaults and each variant too,
and their int8 top-1 is measured as scripts/quantization_results.py does: what a variant costs on trained
networks.

Usage: /usr/bin/python3 scripts/ptq_comparison.py --only mobilenet_v3_large,efficientnet_b0 [--shared]
       [--calibration N] [--variant "--estimator mean_minmax --preset mixed" ...] [--work DIR] [--out FILE.md]
The exports are validated_models.py's (WORK/<name>.onnx, made when missing).
"""
import argparse
import datetime
import json
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quantization_results as qr  # noqa: E402
import validated_models as vm  # noqa: E402

EVAL_IMAGES = 10


def cosine_mean(reference, other):
    a, b = reference.reshape(len(reference), -1).astype(np.float64), other.reshape(len(other), -1).astype(np.float64)
    return float(np.mean(np.sum(a * b, 1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))))


def octet_outputs(octet, model, images, prep, extra, folder):
    outputs = []
    for i, image in enumerate(images):
        out = os.path.join(folder, f"{i:03d}")
        subprocess.run([octet, "run", model, "--image", image, "-o", out] + prep + extra, check=True,
                       capture_output=True)
        outputs.append(np.load(os.path.join(out, "output.npy")).reshape(-1))
    return np.stack(outputs)


def torch_ptq(model, calibration, example):
    import torch
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    torch.backends.quantized.engine = "onednn"
    prepared = prepare_fx(model, get_default_qconfig_mapping("onednn"), example_inputs=(example,))
    with torch.no_grad():
        for start in range(0, len(calibration), 25):
            prepared(calibration[start:start + 25])
    return convert_fx(prepared)


def classifier_input_maxima(model, batches):
    """The largest value entering the last Linear layer, per image."""
    import torch

    last = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]
    maxima = []
    hook = last.register_forward_pre_hook(lambda m, inputs: maxima.extend(inputs[0].flatten(1).amax(1).tolist()))
    with torch.no_grad():
        for batch in batches:
            model(batch)
    hook.remove()
    return np.array(maxima)


def compare(topo, args, work):
    import torch

    fp32, _ = vm.export(topo, work)
    model, _ = vm.build_model(topo, work)
    splits = qr.write_splits(vm.IMAGENET, work, labeled=False)
    calibration = vm.read_lines(splits["calibration"])[:args.calibration]
    evaluation = vm.spread_pick(vm.read_lines(splits["evaluation"]), EVAL_IMAGES)

    def tensor(paths):
        return torch.from_numpy(np.stack([vm.preprocess_image(p, topo.prep, topo.size) for p in paths]))

    with tempfile.TemporaryDirectory() as tmp:
        listing = os.path.join(tmp, "calibration.txt")
        with open(listing, "w") as f:
            f.write("\n".join(calibration) + "\n")
        reference = octet_outputs(args.octet, fp32, evaluation, topo.prep, [], os.path.join(tmp, "fp32"))
        row = {"name": topo.name, "calibration": len(calibration), "octet": []}
        for i, variant in enumerate([""] + args.variant):
            int8 = os.path.join(tmp, f"v{i}.onnx")
            subprocess.run([args.octet, "quantize", fp32, "--data", listing, "--out", int8, "--nthreads", "2",
                            "--latency-rounds", "0"] + topo.prep + shlex.split(variant), check=True,
                           capture_output=True)
            simulated = octet_outputs(args.octet, int8, evaluation, topo.prep, ["--precision", "f32"],
                                      os.path.join(tmp, f"v{i}"))
            row["octet"].append((variant or "defaults", cosine_mean(reference, simulated)))
    batches = [tensor(calibration[s:s + 25]) for s in range(0, len(calibration), 25)]
    maxima = classifier_input_maxima(model, batches)
    row["input_max_median"], row["input_max_max"] = float(np.median(maxima)), float(maxima.max())
    quantized = torch_ptq(model, torch.cat(batches), batches[0][:1])
    with torch.no_grad():
        row["torch"] = cosine_mean(reference, quantized(tensor(evaluation)).numpy())
    return row


def shared_row(name, model_file, dataset, prep, labeled, args, work):
    """A real-weight model of ../shared: top-1 (or agreement with fp32 when unlabeled) on the evaluation split of
    scripts/quantization_results.py, Octet quantized with its defaults and with each variant."""
    model = os.path.join(qr.SHARED, "models", model_file)
    splits = qr.write_splits(dataset, work, labeled=labeled)
    row = {"name": name, "labeled": labeled, "octet": []}
    for i, variant in enumerate([""] + args.variant):
        int8 = os.path.join(work, f"{name}.variant{i}.onnx")
        subprocess.run([args.octet, "quantize", model, "--data", splits["calibration"], "--out", int8, "--nthreads",
                        "2", "--latency-rounds", "0"] + prep + shlex.split(variant), check=True, capture_output=True)
        subprocess.run([args.octet, "accuracy", model, "--compare", int8, "--data", splits["evaluation"], "--nthreads",
                        "2", "--json", int8 + ".json"] + prep, check=True, capture_output=True)
        with open(int8 + ".json") as f:
            result = json.load(f)
        if labeled:
            row["fp32"] = result["results"][0]["top1"]
            row["octet"].append((variant or "defaults", result["results"][1]["top1"]))
        else:
            row["octet"].append((variant or "defaults", result["top1_agreement"]))
    return row


def shared_table(args, work):
    rows = []
    for models, labeled in ((qr.MODELS, True), (qr.UNLABELED_MODELS, False)):
        for name, model_file, dataset, prep in models:
            print(f"=== {name}", flush=True)
            rows.append(shared_row(name, model_file, dataset, prep, labeled, args, work))
            print(rows[-1], flush=True)
    variants = [label for label, _ in rows[0]["octet"]]
    lines = [f"Real-weight models of `../shared` (`--shared`), {datetime.date.today()}: int8 top-1 in % on the "
             "evaluation split of `scripts/quantization_results.py` (unlabeled: top-1 agreement with fp32).", "",
             "| model | fp32 top-1 | " + " | ".join(f"Octet `{v}`" for v in variants) + " |",
             "|---|---|" + "---|" * len(variants)]
    for r in rows:
        fp32 = f"{100 * r['fp32']:.2f}" if r["labeled"] else "–"
        cells = " | ".join(f"{100 * v:.2f}" + ("" if r["labeled"] else " agr.") for _, v in r["octet"])
        lines.append(f"| {r['name']} | {fp32} | {cells} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated classifiers of validated_models.py")
    parser.add_argument("--shared", action="store_true",
                        help="also the real-weight models of ../shared: int8 top-1 with the defaults and each variant")
    parser.add_argument("--calibration", type=int, default=300, help="first N calibration images (default 300)")
    parser.add_argument("--variant", action="append", default=[], help="extra octet quantize flags (repeatable)")
    parser.add_argument("--work", default=vm.DEFAULT_WORK)
    parser.add_argument("--octet", default=qr.OCTET)
    parser.add_argument("--out", help="write the table here too")
    args = parser.parse_args()
    pool = {t.name: t for t in vm.TOPOLOGIES if t.task == "classification"}
    names = args.only.split(",") if args.only else []
    if not names and not args.shared:
        parser.error("nothing to do: give --only, --shared or both")
    unknown = [n for n in names if n not in pool]
    if unknown:
        parser.error(f"not a classifier of validated_models.py: {', '.join(unknown)}")
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    rows = []
    for name in names:
        print(f"=== {name}", flush=True)
        rows.append(compare(pool[name], args, work))
        print(rows[-1], flush=True)
    text = topology_table(rows, args) if rows else ""
    if args.shared:
        text += ("\n" if text else "") + shared_table(args, work)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            shown = [a for i, a in enumerate(sys.argv[1:]) if not a.startswith("--octet") and
                     not (i > 0 and sys.argv[i] == "--octet")]  # the binary is this machine's
            command = "/usr/bin/python3 scripts/ptq_comparison.py " + shlex.join(shown)
            f.write("# Post-training quantization: Octet next to PyTorch\n\n" + text +
                    f"\nReproduce (about 15 minutes on 2 cores):\n\n```\n{command}\n```\n")
    return 0


def topology_table(rows, args):
    variants = [label for label, _ in rows[0]["octet"]]
    lines = [f"Generated by `scripts/ptq_comparison.py` on {datetime.date.today()} ({qr.cpu_name()}): cosine of the "
             f"int8 model's logits with fp32's, mean over {EVAL_IMAGES} evaluation images; both quantizers "
             f"calibrated on the first {args.calibration} calibration images.", "",
             "| model | per-image max at the classifier input: median / max | "
             + " | ".join(f"Octet `{v}`" for v in variants) + " | PyTorch PTQ (onednn) |",
             "|---|---|" + "---|" * len(variants) + "---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['input_max_median']:.3f} / {r['input_max_max']:.3f} | "
                     + " | ".join(f"{c:.4f}" for _, c in r["octet"]) + f" | {r['torch']:.4f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
