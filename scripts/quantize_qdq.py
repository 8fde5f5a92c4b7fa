#!/usr/bin/python3
"""Writes the QDQ model onnxruntime's static quantization writes (QDQ format, u8 activations, s8 per-channel
weights, MinMax calibration; see scripts/qdq_quantizer.py for what exactly is mirrored), without onnxruntime's
Python package: calibration runs the float model on onnxruntime-node (bench/ort_batch.js) with a ReduceMin and
a ReduceMax output added for every tensor to calibrate, as onnxruntime's MinMaxCalibrater does.

Calibration data: --calib images of ../shared/data/imagenet-sample, preprocessed as the model expects
(scripts/qdq_data.py), or seeded standard-normal tensors when the input is not one square RGB image (said in
the notes). Then the sanity check on --check other images: the float model against the QDQ model, both on
onnxruntime, the QDQ model twice: with graph optimizations off ("simulated": Q/DQ computed in fp32, exactly
the numbers the file defines) and with all of them ("ORT int8": onnxruntime fuses the Q/DQ units into its int8
kernels; on AVX2 without VNNI its u8 x s8 kernels use vpmaddubsw, whose i16 saturation onnxruntime's docs warn
about, so this can be worse than the model itself). Classifiers get top-1 agreement (and top-1 accuracy
against the labels), every output its signal-to-quantization-noise ratio. The verdict ("ok" at >= 95%) uses
the agreement that counts a tie for the QDQ maximum (a quantized Softmax output ties close classes) as kept.
The results and everything else about the run go to the notes, OUT with .json instead of .onnx, and into the
model's doc_string.

Usage: /usr/bin/python3 scripts/quantize_qdq.py MODEL.onnx OUT.qdq.onnx [--name NAME] [--calib 100]
           [--check 100] [--reduce-range]
       /usr/bin/python3 scripts/quantize_qdq.py --standard bench/models [--force]
   --standard: bench/models/{resnet50,mobilenet_v2,ssd_mobilenet,unet}.onnx and the fp32 ImageNet MobileNets
   of ../shared/models/imagenet, each to bench/models/<stem without .fp32>.qdq.onnx (one newer than its
   float model is kept unless --force), always with --reduce-range: 7-bit weights, onnxruntime's advice for x86
   without VNNI, so that neither engine's vpmaddubsw kernels can saturate on the bench models."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qdq_data  # noqa: E402
import qdq_quantizer  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
IMAGES = os.path.join(SHARED, "data", "imagenet-sample")
ORT_BATCH = os.path.join(REPO, "bench", "ort_batch.js")
EXPORTED = ["resnet50", "mobilenet_v2", "ssd_mobilenet", "unet"]
SHARED_IMAGENET = ["mobilenet_v1_0.25_128.fp32", "mobilenet_v1_0.5_160.fp32", "mobilenet_v2_1.0_224.fp32"]
CALIB_OFFSET, CHECK_OFFSET = 0, 5  # qdq_data.split_indices: disjoint image sets
RANDOM_SEED = 20261128
MIN_AGREEMENT = 95.0  # % top-1 agreement under which the check says LOW


def qdq_path(folder, stem):
    """bench/models/<stem>.qdq.onnx, with a trailing '.fp32' of the stem dropped."""
    return os.path.join(folder, re.sub(r"\.fp32$", "", stem) + ".qdq.onnx")


def standard_jobs(out_dir, shared_models=os.path.join(SHARED, "models", "imagenet")):
    """(name, float model, QDQ output) of the models the bench has int8 columns for."""
    jobs = [(n, os.path.join(out_dir, n + ".onnx"), qdq_path(out_dir, n)) for n in EXPORTED]
    jobs += [(n, os.path.join(shared_models, n + ".onnx"), qdq_path(out_dir, n)) for n in SHARED_IMAGENET]
    return jobs


def up_to_date(dst, src):
    """Whether dst exists and is not older than src (a re-export makes its twin stale)."""
    return os.path.isfile(dst) and os.path.getmtime(dst) >= os.path.getmtime(src)


def single_input(model):
    """(name, shape) of the model's only input; a dynamic leading dim becomes 1."""
    inits = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    if len(inputs) != 1:
        raise ValueError(f"expected one input, the model has {len(inputs)}")
    dims = inputs[0].type.tensor_type.shape.dim
    shape = [d.dim_value if d.HasField("dim_value") else (1 if k == 0 else None) for k, d in enumerate(dims)]
    if any(d is None for d in shape):
        raise ValueError(f"input '{inputs[0].name}' has dynamic dims {shape}")
    return inputs[0].name, shape


def make_inputs(name, shape, count, offset, images=IMAGES):
    """([count, *shape] float32, labels or None, description) of real images where they fit, else random."""
    recipe = qdq_data.recipe_for(name, shape)
    if recipe is not None and shape[0] == 1 and os.path.isdir(images):
        batch, labels = qdq_data.image_batch(images, recipe, count, offset)
        return batch, labels, f"{count} images of {os.path.relpath(images, REPO)} ({recipe})"
    batch = qdq_data.random_batch(shape, count, RANDOM_SEED + offset)
    return batch, None, f"{count} random standard-normal inputs (no image data fits this input)"


def npy_name(output_name):
    """The file name bench/ort_batch.js gives an output."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", output_name) + ".npy"


def run_batch(node, model_path, input_name, batch, work, opt, nthreads):
    """Runs every sample of batch through the model on onnxruntime-node; {output name: [N, ...]}."""
    out_dir = tempfile.mkdtemp(dir=work)
    in_path = os.path.join(out_dir, "input.batch.npy")
    np.save(in_path, batch)
    command = [node, ORT_BATCH, model_path, "--input", f"{input_name}={in_path}", "--output-dir", out_dir,
               "-opt", opt, "-nthreads", str(nthreads)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip() or f"{command[1]} failed")
    names = [o.name for o in onnx.load(model_path, load_external_data=False).graph.output]
    outputs = {n: np.load(os.path.join(out_dir, npy_name(n))) for n in names}
    shutil.rmtree(out_dir)
    return outputs


def calibrate(model, input_name, batch, work, node, nthreads):
    """MinMax ranges {tensor: (min, max)} over all samples, as MinMaxCalibrater computes them (optimizations
    disabled, min of the per-sample minima, max of the maxima)."""
    names = qdq_quantizer.tensors_to_calibrate(model)
    augmented = onnx.ModelProto()
    augmented.CopyFrom(model)
    graph = augmented.graph
    del graph.output[:]
    for k, name in enumerate(names):
        for op in ("ReduceMin", "ReduceMax"):
            out = f"calib_{k}_{op[-3:].lower()}"
            graph.node.append(helper.make_node(op, [name], [out], f"calib_{k}_{op}", keepdims=0))
            graph.output.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, []))
    path = os.path.join(work, "augmented.onnx")
    onnx.save(augmented, path)
    outputs = run_batch(node, path, input_name, batch, work, "disabled", nthreads)
    os.remove(path)
    return {name: (float(outputs[f"calib_{k}_min"].min()), float(outputs[f"calib_{k}_max"].max()))
            for k, name in enumerate(names)}


def sqnr_db(reference, test):
    noise = float(np.sum((reference.astype(np.float64) - test) ** 2))
    signal = float(np.sum(reference.astype(np.float64) ** 2))
    return float("inf") if noise == 0 else 10 * np.log10(max(signal, 1e-30) / noise)


def compare(float_outputs, qdq_outputs, labels):
    """The check's numbers: classifiers (one [1, K] output) get top-1 agreement and accuracies, every output
    its SQNR in dB."""
    result = {"sqnr_db": {n: round(sqnr_db(float_outputs[n], qdq_outputs[n]), 2) for n in float_outputs}}
    if len(float_outputs) == 1:
        ref = next(iter(float_outputs.values()))
        test = next(iter(qdq_outputs.values()))
        if ref.ndim == 3 and ref.shape[1] == 1 and ref.shape[2] >= 2:
            top_ref, top_test = ref[:, 0].argmax(axis=1), test[:, 0].argmax(axis=1)
            result["top1_agreement_pct"] = round(100.0 * float(np.mean(top_ref == top_test)), 2)
            # A quantized Softmax output often ties the two best classes (same u8 value); argmax then takes
            # the lower index. Counting the fp32 answer as kept when it ties for the QDQ maximum separates
            # that artifact of the output quantization from real changes.
            best = test[:, 0].max(axis=1)
            kept = test[np.arange(len(top_ref)), 0, top_ref] == best
            result["top1_agreement_ties_pct"] = round(100.0 * float(np.mean(kept)), 2)
            # A random-weight export tends to answer one class for every image, which makes agreement easy.
            result["distinct_top1_classes"] = len(set(top_ref.tolist()))
            if labels is not None and ref.shape[2] in (1000, 1001):
                shift = 1 if ref.shape[2] == 1001 else 0  # output 0 of the TFLite MobileNets is background
                truth = np.array(labels) + shift
                result["top1_float_pct"] = round(100.0 * float(np.mean(top_ref == truth)), 2)
                result["top1_qdq_pct"] = round(100.0 * float(np.mean(top_test == truth)), 2)
    return result


def check_line(result, label):
    """One line of the check for one way of running the QDQ model."""
    sqnr = ", ".join(f"{n} {v:.1f} dB" for n, v in result["sqnr_db"].items())
    if "top1_agreement_pct" not in result:
        return f"{label}: SQNR {sqnr}"
    agreement = result["top1_agreement_ties_pct"]
    text = f"{label}: top-1 agreement with fp32 {agreement:.1f}% counting ties, " \
        f"{result['top1_agreement_pct']:.1f}% strict ({result['distinct_top1_classes']} distinct fp32 " \
        "answers)"
    if "top1_float_pct" in result:
        text += f" (top-1 vs labels: fp32 {result['top1_float_pct']:.1f}%, QDQ {result['top1_qdq_pct']:.1f}%)"
    verdict = "ok" if agreement >= MIN_AGREEMENT else f"LOW (< {MIN_AGREEMENT:.0f}%)"
    return f"{text}, SQNR {sqnr}: {verdict}"


def quantize_file(src, dst, name=None, calib=100, check=100, node="node", nthreads=2, reduce_range=False):
    """Quantizes src into dst and writes the notes next to it; returns the notes."""
    start = time.monotonic()
    name = name or os.path.basename(src)[: -len(".onnx")]
    model = onnx.load(src)
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    if opset < qdq_quantizer.MIN_OPSET:
        raise ValueError(f"opset {opset} < {qdq_quantizer.MIN_OPSET}: per-channel DequantizeLinear needs 13")
    notes = {"model": name, "source": os.path.relpath(src, REPO), "recipe": "onnxruntime quantize_static, "
             "QDQ, activation QUInt8 asymmetric, weight QInt8 symmetric per-channel, MinMax calibration" +
             (", reduce_range (7-bit weights)" if reduce_range else "")}
    notes["steps"] = qdq_quantizer.preprocess(model)
    input_name, shape = single_input(model)
    with tempfile.TemporaryDirectory(prefix="quantize_qdq.") as work:
        batch, _, notes["calibration"] = make_inputs(name, shape, calib, CALIB_OFFSET)
        ranges = calibrate(model, input_name, batch, work, node, nthreads)
        summary = qdq_quantizer.quantize(model, ranges, reduce_range)
        notes.update(summary)
        model.doc_string = f"QDQ by scripts/quantize_qdq.py from {notes['source']}; calibration: " \
            f"{notes['calibration']}"
        onnx.checker.check_model(model)
        onnx.save(model, dst)
        if check > 0:
            val, labels, described = make_inputs(name, shape, check, CHECK_OFFSET)
            float_out = run_batch(node, src, input_name, val, work, "all", nthreads)
            notes["check"] = {"inputs": described}
            summary = []
            ways = (("simulated", "disabled", "QDQ simulated"), ("ort_int8", "all", "ORT int8"))
            for key, opt, label in ways:
                qdq_out = run_batch(node, dst, input_name, val, work, opt, nthreads)
                notes["check"][key] = compare(float_out, qdq_out, labels)
                summary.append(check_line(notes["check"][key], label))
            notes["check_summary"] = summary
    notes["seconds"] = round(time.monotonic() - start, 1)
    with open(dst[: -len(".onnx")] + ".json", "w") as f:
        json.dump(notes, f, indent=1)
    return notes


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", nargs="?", help="float ONNX model")
    parser.add_argument("out", nargs="?", help="QDQ model to write")
    parser.add_argument("--standard", metavar="DIR", help="the bench set: DIR/<name>.qdq.onnx")
    parser.add_argument("--force", action="store_true", help="--standard: redo existing QDQ models")
    parser.add_argument("--name", help="model name for the preprocessing choice (default: file stem)")
    parser.add_argument("--calib", type=int, default=100, help="calibration samples")
    parser.add_argument("--check", type=int, default=100, help="validation samples for the check (0: none)")
    parser.add_argument("--node", default="node")
    parser.add_argument("--nthreads", type=int, default=2)
    parser.add_argument("--reduce-range", action="store_true",
                        help="7-bit weights (onnxruntime's reduce_range; --standard always uses it)")
    args = parser.parse_args()
    if args.calib < 1 or args.check < 0 or args.nthreads < 1:
        parser.error("--calib and --nthreads must be positive, --check >= 0")
    if bool(args.standard) == bool(args.model and args.out):
        parser.error("give MODEL OUT, or --standard DIR")
    jobs = standard_jobs(args.standard) if args.standard else [(args.name, args.model, args.out)]
    failures = 0
    for name, src, dst in jobs:
        if not os.path.isfile(src):
            print(f"quantize_qdq: {src} missing, skipped")
            failures += 1
            continue
        if args.standard and not args.force and up_to_date(dst, src):
            print(f"quantize_qdq: {dst} is up to date (--force redoes it)")
            continue
        try:
            notes = quantize_file(src, dst, name, args.calib, args.check, args.node, args.nthreads,
                                  args.reduce_range or bool(args.standard))
        except (RuntimeError, ValueError, OSError, onnx.checker.ValidationError) as e:
            print(f"quantize_qdq: {src}: error: {e}")
            failures += 1
            continue
        print(f"quantize_qdq: {dst}: {notes['activation_qdq_pairs']} Q/DQ pairs, "
              f"{notes['weights_per_channel']} per-channel weights, {notes['activations_removed']} Relu/Clip "
              f"folded, fp32 ops: "
              f"{' '.join(notes['ops_left_fp32']) or 'none'} ({notes['seconds']} s)")
        print(f"  calibration: {notes['calibration']}")
        for warning in notes["warnings"]:
            print(f"  warning: {warning}")
        if "check_summary" in notes:
            print(f"  check on {notes['check']['inputs']}:")
            for line in notes["check_summary"]:
                print(f"    {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
