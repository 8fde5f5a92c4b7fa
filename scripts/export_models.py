#!/usr/bin/python3
"""Exports the benchmark topologies to ONNX (opset 13, batch 1, input named `input`) with random weights.

Models (all float32, NCHW, written as OUT/<name>.onnx):
  resnet50      torchvision ResNet-50, 1x3x224x224 -> output [1,1000]
  mobilenet_v2  torchvision MobileNet v2, 1x3x224x224 -> output [1,1000]
  ssd_mobilenet SSD-style detector: MobileNet-v2 (width 0.5) backbone, extra layers down to 1x1, 3x3 conv box
                and class heads on six scales, permute/reshape/concat, softmax over 21 classes (no box
                decoding, no NMS), 1x3x300x300 -> boxes [1,2268,4], scores [1,2268,21]
  unet          UNet-style segmenter: 4 encoder levels (conv-BN-ReLU x2 + MaxPool), decoder upsampling with
                ConvTranspose, Resize(nearest) and Resize(bilinear), skip Concat, final 1x1 conv,
                1x3x256x256 -> logits [1,3,256,256]; its BatchNormalization nodes are kept in the graph

There is no internet here, so weights are random (fixed seed, same file on every run of the same torch
version). BatchNorm statistics are randomised too, so that folding them is not a no-op. Next to every model
goes a test set in the ONNX backend-test layout used by ../shared (OUT/<name>.testdata/test_data_set_0/
input_0.pb, output_<i>.pb): a random input and torch's own outputs for it.

Every export must pass onnx.checker (full check). --check also runs it and compares with torch's outputs
(max |diff| <= 1e-4 * max |torch|): with `octet run` (the reference executor) when --octet points at a
binary, and with onnxruntime-node when bench/node_modules holds it.

Then, unless --no-qdq, each export's int8 twin OUT/<name>.qdq.onnx (scripts/quantize_qdq.py: onnxruntime-style
QDQ, calibrated on ImageNet sample images through onnxruntime-node), and, when all four models are exported,
the twins of the fp32 ImageNet MobileNets of ../shared/models/imagenet too. Without onnxruntime-node in
bench/node_modules this step is skipped with a note.
Usage: /usr/bin/python3 scripts/export_models.py [OUT] [--models a,b] [--check] [--octet build/octet]
           [--no-qdq]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from onnx import numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPSET = 13
SEED = 20261127
# Outputs of a random-weight network vary in scale; tolerances are relative to the output's largest value.
RTOL = 1e-4


def randomise_batchnorm(model, generator):
    """Gives every BatchNorm non-trivial statistics, so that a runtime's BN folding is really exercised."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = torch.empty(c).uniform_(0.5, 1.5, generator=generator)
            m.bias.data = torch.empty(c).normal_(0.0, 0.1, generator=generator)
            m.running_mean = torch.empty(c).normal_(0.0, 0.1, generator=generator)
            m.running_var = torch.empty(c).uniform_(0.5, 2.0, generator=generator)


# ---------------------------------------------------------------------------------------------- SSD-style
class SsdMobileNet(nn.Module):
    """SSD-MobileNet-v2-like detector: heads on the stride-16 and stride-32 backbone maps plus four extras."""

    NUM_CLASSES = 21  # VOC: 20 classes + background
    ANCHORS = [4, 6, 6, 6, 4, 4]  # anchors per location on each of the six maps

    def __init__(self):
        super().__init__()
        features = torchvision.models.mobilenet_v2(weights=None, width_mult=0.5).features
        self.stage16 = features[:14]  # stride 16: 48 channels at width 0.5
        self.stage32 = features[14:]  # stride 32: 1280 channels (the last 1x1 conv is never narrowed)
        channels = [48, 1280]
        self.extras = nn.ModuleList()
        for c_in, c_mid, c_out in [(1280, 256, 512), (512, 128, 256), (256, 128, 256), (256, 64, 128)]:
            self.extras.append(
                nn.Sequential(
                    nn.Conv2d(c_in, c_mid, 1), nn.ReLU6(inplace=True),
                    nn.Conv2d(c_mid, c_out, 3, stride=2, padding=1), nn.ReLU6(inplace=True)))
            channels.append(c_out)
        self.box_heads = nn.ModuleList(
            nn.Conv2d(c, a * 4, 3, padding=1) for c, a in zip(channels, self.ANCHORS))
        self.cls_heads = nn.ModuleList(
            nn.Conv2d(c, a * self.NUM_CLASSES, 3, padding=1) for c, a in zip(channels, self.ANCHORS))

    def forward(self, x):
        maps = [self.stage16(x)]
        maps.append(self.stage32(maps[-1]))
        for extra in self.extras:
            maps.append(extra(maps[-1]))
        boxes, scores = [], []
        for fmap, box_head, cls_head in zip(maps, self.box_heads, self.cls_heads):
            boxes.append(box_head(fmap).permute(0, 2, 3, 1).reshape(1, -1, 4))
            scores.append(cls_head(fmap).permute(0, 2, 3, 1).reshape(1, -1, self.NUM_CLASSES))
        return torch.cat(boxes, dim=1), F.softmax(torch.cat(scores, dim=1), dim=-1)


# ---------------------------------------------------------------------------------------------- UNet-style
def double_conv(c_in, c_out):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class UpByResize(nn.Module):
    """Resize x2 (nearest or bilinear) followed by a 1x1 conv that halves the channels."""

    def __init__(self, c_in, c_out, mode):
        super().__init__()
        self.mode = mode
        self.conv = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x):
        align = False if self.mode == "bilinear" else None
        return self.conv(F.interpolate(x, scale_factor=2.0, mode=self.mode, align_corners=align))


class UNetBase(nn.Module):
    """The UNet data flow, shared with scripts/validated_models.py's UNet2D: per level a double_conv encoder
    followed by 2x2 max pooling, a bottleneck of twice the last width, then deepest first an up-step (2w -> w,
    from make_ups(widths)) concatenated with its skip (w, giving 2w) and a double_conv decoder (2w -> w), and a
    1x1 head. The modules are created in that order, so the random weights of a seed stay the same."""

    def __init__(self, widths, num_classes, make_ups):
        super().__init__()
        self.encoders = nn.ModuleList()
        c_in = 3
        for w in widths:
            self.encoders.append(double_conv(c_in, w))
            c_in = w
        self.bottleneck = double_conv(widths[-1], 2 * widths[-1])
        self.ups = nn.ModuleList(make_ups(widths))
        self.decoders = nn.ModuleList(double_conv(2 * w, w) for w in reversed(widths))
        self.head = nn.Conv2d(widths[0], num_classes, 1)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for up, decoder, skip in zip(self.ups, self.decoders, reversed(skips)):
            x = decoder(torch.cat([up(x), skip], dim=1))
        return self.head(x)


class UNet(UNetBase):
    """Every way up a segmentation network takes: ConvTranspose, nearest and bilinear Resize."""
    NUM_CLASSES = 3

    def __init__(self):
        super().__init__([16, 32, 64, 128], self.NUM_CLASSES, lambda widths: [
            nn.ConvTranspose2d(256, 128, 2, stride=2),
            UpByResize(128, 64, "nearest"),
            UpByResize(64, 32, "bilinear"),
            nn.ConvTranspose2d(32, 16, 2, stride=2),
        ])


# ---------------------------------------------------------------------------------------------- the list
# name -> (constructor, input shape, output names, keep BatchNormalization nodes in the ONNX graph)
MODELS = {
    "resnet50": (lambda: torchvision.models.resnet50(weights=None), [1, 3, 224, 224], ["output"], False),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(weights=None), [1, 3, 224, 224], ["output"],
                     False),
    "ssd_mobilenet": (SsdMobileNet, [1, 3, 300, 300], ["boxes", "scores"], False),
    "unet": (UNet, [1, 3, 256, 256], ["logits"], True),
}


def write_test_set(folder, input_name, x, output_names, outputs):
    set_dir = os.path.join(folder, "test_data_set_0")
    os.makedirs(set_dir, exist_ok=True)
    with open(os.path.join(set_dir, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, input_name).SerializeToString())
    for i, (name, y) in enumerate(zip(output_names, outputs)):
        with open(os.path.join(set_dir, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(y, name).SerializeToString())


def export(name, out_dir):
    build, shape, output_names, keep_bn = MODELS[name]
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED + 1)
    model = build()
    randomise_batchnorm(model, generator)
    model.eval()
    x = torch.empty(shape).uniform_(-1.0, 1.0, generator=generator)
    with torch.no_grad():
        outputs = model(x)
    outputs = [outputs] if isinstance(outputs, torch.Tensor) else list(outputs)
    path = os.path.join(out_dir, name + ".onnx")
    # EVAL folds BatchNorm into the convolutions during export (the usual torch export); PRESERVE keeps it.
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"], output_names=output_names,
                      training=mode, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    arrays = [y.numpy() for y in outputs]
    write_test_set(os.path.join(out_dir, name + ".testdata"), "input", x.numpy(), output_names, arrays)
    ops = sorted({n.op_type for n in onnx.load(path).graph.node})
    print(f"export_models: {path} ({os.path.getsize(path) / 1e6:.1f} MB), ops: {' '.join(ops)}")
    return path, x.numpy(), output_names, arrays


def compare(engine, name, expected, actual):
    """Prints the worst difference relative to the output's scale; returns whether it is within RTOL."""
    ok = True
    for out_name, want in expected.items():
        got = actual.get(out_name)
        if got is None or got.shape != want.shape:
            print(f"  {engine}: {name}/{out_name}: missing or shape {None if got is None else got.shape}"
                  f" != {want.shape}")
            ok = False
            continue
        scale = max(float(np.abs(want).max()), 1e-12)
        worst = float(np.abs(got.astype(np.float64) - want).max()) / scale
        good = worst <= RTOL
        ok = ok and good
        verdict = "ok" if good else "FAIL"
        print(f"  {engine}: {name}/{out_name}: max |diff| / max |torch| = {worst:.2e} {verdict}")
    return ok


def run_octet(octet, path, x):
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "input.npy"), x)
        result = subprocess.run([octet, "run", path, "--input", "input=" + os.path.join(tmp, "input.npy"),
                                 "--output-dir", tmp], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError((result.stderr or result.stdout).strip().splitlines()[0])
        return {f[:-4]: np.load(os.path.join(tmp, f)) for f in os.listdir(tmp) if f.endswith(".npy")
                and f != "input.npy"}


def run_ort(path, x):
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "input.npy"), x)
        script = os.path.join(REPO, "bench", "ort_infer.js")
        result = subprocess.run(["node", script, path, "--input", "input=" + os.path.join(tmp, "input.npy"),
                                 "--output-dir", tmp], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError((result.stderr or result.stdout).strip().splitlines()[0])
        return {f[:-4]: np.load(os.path.join(tmp, f)) for f in os.listdir(tmp) if f.endswith(".npy")
                and f != "input.npy"}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", default=os.path.join(REPO, "bench", "models"))
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated subset of " + ",".join(MODELS))
    parser.add_argument("--check", action="store_true", help="run each export and compare with torch")
    parser.add_argument("--octet", default="", help="octet binary for --check (reference executor)")
    parser.add_argument("--no-qdq", action="store_true", help="do not write the <name>.qdq.onnx int8 twins")
    args = parser.parse_args()

    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)
    # torch 1.13's exporter warns about constant folding with TrainingMode.PRESERVE (harmless in eval mode,
    # and the checks below would catch a wrong parameter) and about prim::Constant shape inference.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
    ort_package = os.path.join(REPO, "bench", "node_modules", "onnxruntime-node")
    have_ort = os.path.isdir(ort_package) and shutil.which("node")

    failures = 0
    for name in names:
        path, x, output_names, arrays = export(name, args.out)
        if not args.check:
            continue
        expected = dict(zip(output_names, arrays))
        engines = []
        if args.octet:
            engines.append(("octet-reference", lambda p=path, v=x: run_octet(args.octet, p, v)))
        if have_ort:
            engines.append(("onnxruntime", lambda p=path, v=x: run_ort(p, v)))
        if not engines:
            print("  (no engine to check with: pass --octet or npm install in bench/)")
        for engine, run in engines:
            try:
                ok = compare(engine, name, expected, run())
            except RuntimeError as e:
                print(f"  {engine}: {name}: error: {e}")
                ok = False
            failures += 0 if ok else 1
    if not args.no_qdq:
        failures += write_qdq_twins(names, args.out, have_ort)
    if failures:
        print(f"export_models: {failures} check(s) failed")
        return 1
    return 0


def write_qdq_twins(names, out_dir, have_ort):
    """The int8 twins of the exports (and of ../shared's ImageNet MobileNets with the full set); returns the
    number of failures."""
    if not have_ort:
        print("export_models: no onnxruntime-node in bench/node_modules: QDQ twins not written "
              "(bench/run.sh installs it, then: scripts/quantize_qdq.py --standard OUT)")
        return 0
    import quantize_qdq  # noqa: PLC0415 (next to this script; needs onnxruntime-node only here)

    full_set = set(names) == set(MODELS)
    failures = 0
    for name, src, dst in quantize_qdq.standard_jobs(out_dir):
        if name not in names and not (full_set and name in quantize_qdq.SHARED_IMAGENET):
            continue
        if not os.path.isfile(src):
            print(f"export_models: {src} missing: no QDQ twin")
            continue
        try:
            notes = quantize_qdq.quantize_file(src, dst, name, reduce_range=True)
        except (RuntimeError, ValueError, OSError, onnx.checker.ValidationError) as e:
            print(f"export_models: QDQ {name}: error: {e}")
            failures += 1
            continue
        print(f"export_models: {dst} ({notes['activation_qdq_pairs']} Q/DQ pairs; calibration: "
              f"{notes['calibration']})")
        for line in notes.get("check_summary", []):
            print(f"  {line}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
