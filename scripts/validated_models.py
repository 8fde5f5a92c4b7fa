#!/usr/bin/python3
"""Validates the topologies of issue 7 end to end in int8 and writes docs/validated-models.md.

For every topology (random weights, see below):
  1. export it to ONNX (opset 13, batch 1, fixed seed; each BatchNorm's statistics measured on 8 calibration
     images, then perturbed, so that the random network neither dies nor explodes and folding stays
     non-trivial) as WORK/<name>.onnx; an existing file is reused;
  2. `octet quantize` it on real images of ../shared/data/imagenet-sample (the calibration split of
     scripts/quantization_results.py's write_splits: 300 images, of which --calibration are used);
  3. compare fp32 and int8 on held-out images (the other 700): `octet accuracy --compare` (top-1 agreement,
     classifiers), and `octet run` of both models on --cosine images, whose outputs (.npy) give the cosine
     similarity and SQNR of every output, plus per task: detection (SSD, tiny YOLOv3) the agreement of the
     argmax class per anchor and the mean |box delta| difference, segmentation the per-pixel argmax (mask)
     agreement, recommendation (NCF, random user/item indices) the cosine and correlation of the scores;
  4. `octet benchmark` fp32 and int8, latency (sync, interleaved fp32, int8, int8, fp32; medians) with -pc
     (the int8 run's counters give the int8 MAC share, quantize/dequantize steps and fp32 islands with their
     reasons), then throughput (async) once each;
  5. print one JSON line per topology and write the table (docs/validated-models.md, or
     WORK/validated-models.md with --only / --small). A stage that fails is recorded with its command and
     the error message it printed, and the run goes on.

Weights are random (no internet here): fixed seed, the same files on every run of the same torch version.
Random networks have near-tied logits, so top-1 agreement understates int8 quality; cosine similarity and
SQNR of the outputs are the main figures.

Usage: /usr/bin/python3 scripts/validated_models.py [--only a,b] [--small] [--work DIR] [--out FILE.md]
           [--calibration N] [--eval N] [--cosine N] [--time SEC] [--with-shared [NAMES]]
       /usr/bin/python3 scripts/validated_models.py --table-from LOG [--out FILE.md]
Every command it runs is printed; each command's output goes to WORK/logs/.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)
import quantization_results as qr  # noqa: E402 (next to this script: splits, machine description)

ROOT = qr.ROOT
OCTET = qr.OCTET
SHARED = qr.SHARED
IMAGENET = qr.IMAGENET
DEFAULT_WORK = "/tmp/octet-validated"
OPSET = 13
SEED = 20261127  # as scripts/export_models.py

IMAGENET_MEAN_STD = ["--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375"]


def classifier_prep(size):
    """Shorter side to round(size / 0.875) (256 for 224, 342 for 299), central crop, ImageNet mean/std."""
    return ["--resize", str(round(size / 0.875)), "--crop", str(size)] + IMAGENET_MEAN_STD


def squash_prep(size, mean_std=None):
    """The whole image resized to size x size (detection, segmentation)."""
    return ["--resize", f"{size}x{size}"] + (IMAGENET_MEAN_STD if mean_std is None else mean_std)


# ------------------------------------------------------------------------------------------------ the models
# Built lazily (torch is imported only when an export is needed, so --table-from runs without it).
def build_models():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torchvision
    from torchvision.models import detection, segmentation
    from torchvision.models.resnet import Bottleneck, ResNet

    import export_models  # noqa: PLC0415 (next to this script; imports torch, so only when building)

    def kaiming_init(model):
        """torchvision's convention for our own modules: activations keep their scale through depth."""
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 0.01)
                nn.init.zeros_(m.bias)
        return model

    def conv_bn_act(c_in, c_out, k, stride=1, groups=1, act=None):
        return [nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(c_out),
                act or nn.ReLU6(inplace=True)]

    class MobileNetV1(nn.Module):
        """MobileNet v1 1.0 (Howard et al. 2017, TF-slim layout): 3x3/2 conv, 13 depthwise-separable blocks
        (depthwise 3x3 + pointwise 1x1, each conv-BN-ReLU6), global average pool, 1000-way linear."""

        BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2),
                                                                                           (1024, 1)]

        def __init__(self, num_classes=1000):
            super().__init__()
            layers = conv_bn_act(3, 32, 3, 2)
            c = 32
            for c_out, stride in self.BLOCKS:
                layers += conv_bn_act(c, c, 3, stride, groups=c) + conv_bn_act(c, c_out, 1)
                c = c_out
            self.features = nn.Sequential(*layers)
            self.fc = nn.Linear(1024, num_classes)
            kaiming_init(self)

        def forward(self, x):
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))

    class SEBottleneck(Bottleneck):
        """torchvision's ResNeXt bottleneck with a squeeze-and-excitation block (Hu et al. 2018; reduction 16,
        1x1 convs as in the Caffe / pretrainedmodels SE-ResNeXt) on the residual branch before the add."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            c = self.conv3.out_channels
            self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, c // 16, 1), nn.ReLU(inplace=True),
                                    nn.Conv2d(c // 16, c, 1), nn.Sigmoid())

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            return self.relu(out * self.se(out) + identity)

    class UNet2D(export_models.UNetBase):
        """UNet (Ronneberger et al. 2015) with 4 levels: conv-BN-ReLU x2 per level, MaxPool 2x2 down,
        ConvTranspose 2x2/2 up, skip Concat, 1x1 head with 2 classes (foreground / background)."""

        def __init__(self, widths=(32, 64, 128, 256), num_classes=2):
            super().__init__(widths, num_classes,
                             lambda ws: [nn.ConvTranspose2d(2 * w, w, 2, stride=2) for w in reversed(ws)])
            kaiming_init(self)

    class NCF(nn.Module):
        """Neural collaborative filtering / NeuMF (He et al. 2017), MovieLens-1M sizes: user and item
        embeddings; GMF branch (elementwise product of 32-d embeddings) and MLP branch (concat of 64-d
        embeddings, 3 x Linear+ReLU 128 -> 64 -> 32 -> 16); concat, Linear 48 -> 1, Sigmoid. Inputs: int64
        user and item indices of shape [batch]; output: [batch] scores."""

        USERS, ITEMS = 6040, 3706

        def __init__(self, gmf_dim=32, mlp_dim=64, layers=(128, 64, 32, 16)):
            super().__init__()
            self.user_gmf = nn.Embedding(self.USERS, gmf_dim)
            self.item_gmf = nn.Embedding(self.ITEMS, gmf_dim)
            self.user_mlp = nn.Embedding(self.USERS, mlp_dim)
            self.item_mlp = nn.Embedding(self.ITEMS, mlp_dim)
            mlp = []
            for c_in, c_out in zip(layers[:-1], layers[1:]):
                mlp += [nn.Linear(c_in, c_out), nn.ReLU(inplace=True)]
            self.mlp = nn.Sequential(*mlp)
            self.predict = nn.Linear(gmf_dim + layers[-1], 1)
            for m in self.modules():
                if isinstance(m, nn.Embedding):
                    nn.init.normal_(m.weight, 0.0, 0.5)
                elif isinstance(m, nn.Linear):
                    nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
                    nn.init.normal_(m.bias, 0.0, 0.01)

        def forward(self, user, item):
            gmf = self.user_gmf(user) * self.item_gmf(item)
            mlp = self.mlp(torch.cat([self.user_mlp(user), self.item_mlp(item)], dim=-1))
            return torch.sigmoid(self.predict(torch.cat([gmf, mlp], dim=-1))).squeeze(-1)

    class NCFPacked(nn.Module):
        """The same NCF with one int64 input [batch, 2] (user, item): a diagnostic variant that fits
        `octet quantize`'s single-input data path."""

        def __init__(self):
            super().__init__()
            self.ncf = NCF()

        def forward(self, pairs):
            return self.ncf(pairs[:, 0], pairs[:, 1])

    def leaky(c_in, c_out, k):
        return conv_bn_act(c_in, c_out, k, act=nn.LeakyReLU(0.1, inplace=True))

    class DarknetMaxPoolStride1(nn.Module):
        """Darknet's size-2 stride-1 maxpool, which pads one row/column at the bottom/right with -inf: a
        MaxPool with pads 1 on every side whose first row/column is sliced away. export() folds the pair into
        one MaxPool with pads [0, 0, 1, 1], as Darknet / Keras converters write it."""

        def forward(self, x):
            return F.max_pool2d(x, 2, stride=1, padding=1)[:, :, 1:, 1:]

    class TinyYoloV3(nn.Module):
        """tiny-yolov3.cfg: conv-BN-LeakyReLU(0.1) 3x3 16..1024 with 2x2/2 maxpools (the sixth stride 1),
        1x1 256, 3x3 512, 1x1 255 head (13x13 at 416); route back to the 1x1 256, 1x1 128, nearest upsample
        x2, concat with the 26x26 256-channel map, 3x3 256, 1x1 255 head (26x26). Outputs: the raw head
        tensors (3 anchors x (4 box + 1 objectness + 80 classes))."""

        def __init__(self):
            super().__init__()
            self.stage26 = nn.Sequential(
                *leaky(3, 16, 3), nn.MaxPool2d(2, 2), *leaky(16, 32, 3), nn.MaxPool2d(2, 2),
                *leaky(32, 64, 3), nn.MaxPool2d(2, 2), *leaky(64, 128, 3), nn.MaxPool2d(2, 2),
                *leaky(128, 256, 3))
            self.stage13 = nn.Sequential(
                nn.MaxPool2d(2, 2), *leaky(256, 512, 3), DarknetMaxPoolStride1(), *leaky(512, 1024, 3),
                *leaky(1024, 256, 1))
            self.head13 = nn.Sequential(*leaky(256, 512, 3), nn.Conv2d(512, 255, 1))
            self.route = nn.Sequential(*leaky(256, 128, 1), nn.Upsample(scale_factor=2, mode="nearest"))
            self.head26 = nn.Sequential(*leaky(384, 256, 3), nn.Conv2d(256, 255, 1))
            kaiming_init(self)

        def forward(self, x):
            x26 = self.stage26(x)
            x13 = self.stage13(x26)
            return self.head13(x13), self.head26(torch.cat([self.route(x13), x26], dim=1))

    class SsdRaw(nn.Module):
        """torchvision SSD without its transform and post-processing: backbone + head on the normalized
        image; returns the raw cls_logits [1, anchors, classes] and bbox_regression [1, anchors, 4]."""

        def __init__(self, ssd):
            super().__init__()
            self.backbone = ssd.backbone
            self.head = ssd.head

        def forward(self, x):
            out = self.head(list(self.backbone(x).values()))
            return out["cls_logits"], out["bbox_regression"]

    class SegmentationOut(nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, x):
            return self.model(x)["out"]

    tv = torchvision.models
    return {
        "MobileNetV1": MobileNetV1, "NCF": NCF, "NCFPacked": NCFPacked, "UNet2D": UNet2D, "TinyYoloV3": TinyYoloV3,
        "resnet18": lambda: tv.resnet18(weights=None), "resnet50": lambda: tv.resnet50(weights=None),
        "resnet101": lambda: tv.resnet101(weights=None), "resnet152": lambda: tv.resnet152(weights=None),
        "densenet121": lambda: tv.densenet121(weights=None), "densenet161": lambda: tv.densenet161(weights=None),
        "densenet169": lambda: tv.densenet169(weights=None), "densenet201": lambda: tv.densenet201(weights=None),
        "googlenet": lambda: tv.googlenet(weights=None, aux_logits=False, init_weights=True),
        "inception_v3": lambda: tv.inception_v3(weights=None, aux_logits=False, init_weights=True),
        "mobilenet_v2": lambda: tv.mobilenet_v2(weights=None),
        "mobilenet_v3_large": lambda: tv.mobilenet_v3_large(weights=None),
        "mobilenet_v3_small": lambda: tv.mobilenet_v3_small(weights=None),
        "squeezenet1_0": lambda: tv.squeezenet1_0(weights=None), "squeezenet1_1": lambda: tv.squeezenet1_1(weights=None),
        "vgg16": lambda: tv.vgg16(weights=None), "vgg19": lambda: tv.vgg19(weights=None),
        "resnext50_32x4d": lambda: tv.resnext50_32x4d(weights=None),
        "se_resnext50_32x4d": lambda: ResNet(SEBottleneck, [3, 4, 6, 3], groups=32, width_per_group=4),
        "shufflenet_v2_x1_0": lambda: tv.shufflenet_v2_x1_0(weights=None),
        "efficientnet_b0": lambda: tv.efficientnet_b0(weights=None),
        "ssd300_vgg16": lambda: SsdRaw(detection.ssd300_vgg16(weights=None, weights_backbone=None)),
        "ssdlite320_mobilenet_v3_large": lambda: SsdRaw(
            detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)),
        "fcn_resnet50": lambda: SegmentationOut(
            segmentation.fcn_resnet50(weights=None, weights_backbone=None, aux_loss=False)),
        "deeplabv3_mobilenet_v3_large": lambda: SegmentationOut(
            segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, aux_loss=False)),
    }


class Topology:
    """One row: name, task, which builder, input size, preprocessing, per-model image counts (None: the
    defaults), and what it is."""

    def __init__(self, name, task, builder, size, prep, what, outputs=("output",), keep_bn=False, scale=1.0,
                 batch=1):
        self.name, self.task, self.builder, self.size, self.prep, self.what = name, task, builder, size, prep, what
        self.outputs, self.keep_bn, self.scale, self.batch = list(outputs), keep_bn, scale, batch

    def input_shapes(self):
        if self.task == "recommendation":
            if self.builder == "NCFPacked":
                return {"pairs": [self.batch, 2]}
            return {"user": [self.batch], "item": [self.batch]}
        return {"input": [1, 3, self.size, self.size]}


def classifier(name, what, size=224, builder=None, scale=1.0):
    return Topology(name, "classification", builder or name, size, classifier_prep(size), what, scale=scale)


NCF_BATCH = 256
DET_OUTPUTS = ("cls_logits", "bbox_regression")
# `scale` < 1 cuts the image counts of the heaviest models (so that the default run stays near an hour).
TOPOLOGIES = [
    classifier("resnet18", "torchvision ResNet-18"),
    classifier("resnet50", "torchvision ResNet-50"),
    classifier("resnet101", "torchvision ResNet-101", scale=0.5),
    classifier("resnet152", "torchvision ResNet-152", scale=0.5),
    classifier("densenet121", "torchvision DenseNet-121"),
    classifier("densenet161", "torchvision DenseNet-161", scale=0.5),
    classifier("densenet169", "torchvision DenseNet-169"),
    classifier("densenet201", "torchvision DenseNet-201", scale=0.5),
    classifier("googlenet", "Inception v1: torchvision GoogLeNet, aux_logits=False, init_weights=True"),
    classifier("inception_v3", "torchvision Inception v3, 299x299, aux_logits=False", size=299, scale=0.5),
    classifier("mobilenet_v1", "MobileNet v1 1.0 224 (ours: TF-slim layout, ReLU6)", builder="MobileNetV1"),
    classifier("mobilenet_v2", "torchvision MobileNet v2"),
    classifier("mobilenet_v3_large", "torchvision MobileNet v3 large"),
    classifier("mobilenet_v3_small", "torchvision MobileNet v3 small"),
    classifier("squeezenet1_0", "torchvision SqueezeNet 1.0"),
    classifier("squeezenet1_1", "torchvision SqueezeNet 1.1"),
    classifier("vgg16", "torchvision VGG16", scale=0.3),
    classifier("vgg19", "torchvision VGG19", scale=0.3),
    classifier("resnext50_32x4d", "torchvision ResNeXt-50 32x4d"),
    classifier("se_resnext50_32x4d", "SE-ResNeXt-50 32x4d (ours: SE block on torchvision's Bottleneck)",
               scale=0.5),
    classifier("shufflenet_v2_x1_0", "torchvision ShuffleNet v2 x1.0"),
    classifier("efficientnet_b0", "torchvision EfficientNet-B0"),
    Topology("ssd300_vgg16", "detection", "ssd300_vgg16", 300, squash_prep(300),
             "torchvision SSD300-VGG16, backbone + head (raw outputs, 91 classes, 8732 anchors)", DET_OUTPUTS,
             scale=0.3),
    Topology("ssdlite320_mobilenet_v3_large", "detection", "ssdlite320_mobilenet_v3_large", 320, squash_prep(320),
             "torchvision SSDlite320-MobileNet v3 large, backbone + head (raw outputs, 91 classes, 3234 anchors)",
             DET_OUTPUTS),
    Topology("tiny_yolov3", "yolo", "TinyYoloV3", 416, squash_prep(416, ["--std", "255,255,255"]),
             "tiny YOLOv3 (ours: Darknet tiny-yolov3.cfg layout, 80 classes; raw head tensors)",
             ("head13", "head26")),
    Topology("unet2d", "segmentation", "UNet2D", 256, squash_prep(256),
             "UNet2D (ours: 4 levels 32-256 + 512 bottleneck, BatchNormalization kept in the graph, 2 classes)",
             ("logits",), keep_bn=True, scale=0.5),
    Topology("fcn_resnet50", "segmentation", "fcn_resnet50", 224, squash_prep(224),
             "torchvision FCN-ResNet50 (output stride 8, 21 classes), out['out']", ("out",), scale=0.3),
    Topology("deeplabv3_mobilenet_v3_large", "segmentation", "deeplabv3_mobilenet_v3_large", 320, squash_prep(320),
             "torchvision DeepLab v3 MobileNet v3 large (21 classes), out['out']", ("out",)),
    Topology("ncf", "recommendation", "NCF", 0, [],
             f"NCF / NeuMF (ours: GMF + MLP, MovieLens-1M sizes), user and item int64 [{NCF_BATCH}]", ("score",),
             batch=NCF_BATCH),
    Topology("ncf_packed", "recommendation", "NCFPacked", 0, [],
             f"the same NCF with one int64 [{NCF_BATCH}, 2] (user, item) input: a diagnostic variant for the "
             "single-input data path", ("score",), batch=NCF_BATCH),
]

# --small: the CI subset, at small input sizes (names carry the size).
SMALL_TOPOLOGIES = [
    classifier("resnet18_64", "torchvision ResNet-18 at 64x64", size=64, builder="resnet18"),
    classifier("mobilenet_v3_small_96", "torchvision MobileNet v3 small at 96x96", size=96,
               builder="mobilenet_v3_small"),
    classifier("squeezenet1_1_64", "torchvision SqueezeNet 1.1 at 64x64", size=64, builder="squeezenet1_1"),
    classifier("shufflenet_v2_x1_0_64", "torchvision ShuffleNet v2 x1.0 at 64x64", size=64,
               builder="shufflenet_v2_x1_0"),
    Topology("tiny_yolov3_128", "yolo", "TinyYoloV3", 128, squash_prep(128, ["--std", "255,255,255"]),
             "tiny YOLOv3 at 128x128", ("head13", "head26")),
    Topology("unet2d_64", "segmentation", "UNet2D", 64, squash_prep(64), "UNet2D at 64x64", ("logits",),
             keep_bn=True),
    Topology("ncf_small", "recommendation", "NCF", 0, [], f"NCF, user and item int64 [{NCF_BATCH}]", ("score",),
             batch=NCF_BATCH),
]

LOW_COSINE = 0.98
FULL_DEFAULTS = {"calibration": 50, "eval": 50, "cosine": 10, "time": 2.0}
SMALL_DEFAULTS = {"calibration": 16, "eval": 8, "cosine": 3, "time": 0.5}


# ------------------------------------------------------------------------------------------------ export
def fold_sliced_maxpool(model):
    """MaxPool(pads 1 on every side) -> Slice(starts 1 on H and W, to the end) becomes one MaxPool with pads
    [0, 0, 1, 1] (top, left, bottom, right): the same output. Returns how many were folded."""
    from onnx import numpy_helper

    graph = model.graph
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    folded = []
    for maxpool in graph.node:
        attrs = {a.name: a for a in maxpool.attribute}
        if maxpool.op_type != "MaxPool" or "pads" not in attrs or list(attrs["pads"].ints) != [1, 1, 1, 1]:
            continue
        # torch writes x[:, :, 1:, 1:] as one Slice per axis: follow the chain.
        chain, cut, tensor = [], set(), maxpool.output[0]
        while cut != {2, 3}:
            users = consumers.get(tensor, [])
            if len(users) != 1 or users[0].op_type != "Slice":
                break
            values = [constants.get(name) for name in users[0].input[1:]]
            if len(values) < 3 or any(v is None for v in values):
                break
            starts, ends, axes = (list(map(int, v)) for v in values[:3])
            steps = list(map(int, values[3])) if len(values) > 3 else [1] * len(starts)
            if any(a not in (2, 3) or b != 1 or e < 2**31 - 1 or st != 1
                   for a, b, e, st in zip(axes, starts, ends, steps)):
                break
            cut |= set(axes)
            chain.append(users[0])
            tensor = users[0].output[0]
        if cut != {2, 3}:
            continue
        attrs["pads"].ints[:] = [0, 0, 1, 1]
        maxpool.output[0] = tensor
        folded += chain
    for node in folded:
        graph.node.remove(node)
    return len(folded)


_BUILDERS = {}
BN_IMAGES = 8


def preprocess_image(path, prep, size):
    """The preprocessing flags in Python (PIL bilinear; close to octet's, not bit-exact): CHW float32."""
    from PIL import Image

    opts = dict(zip(prep[::2], prep[1::2]))
    img = Image.open(path).convert("RGB")
    resize = opts.get("--resize")
    if resize and "x" in resize:
        img = img.resize(tuple(int(v) for v in resize.split("x")), Image.BILINEAR)
    elif resize:
        scale = int(resize) / min(img.size)
        img = img.resize((round(img.size[0] * scale), round(img.size[1] * scale)), Image.BILINEAR)
    if "--crop" in opts:
        crop = int(opts["--crop"])
        left, top = (img.size[0] - crop) // 2, (img.size[1] - crop) // 2
        img = img.crop((left, top, left + crop, top + crop))
    if img.size != (size, size):
        img = img.resize((size, size), Image.BILINEAR)
    mean = np.array([float(v) for v in opts.get("--mean", "0,0,0").split(",")], np.float32)
    std = np.array([float(v) for v in opts.get("--std", "1,1,1").split(",")], np.float32)
    return ((np.asarray(img, np.float32) - mean) / std).transpose(2, 0, 1).copy()


NOISE = 0.01


def noise_sensitivity(model, batch):
    """How much the fp32 network itself amplifies small errors: the mean cosine (over the images and outputs)
    between its outputs and those with Gaussian noise of NOISE (1%) of each tensor's std added to the output of
    every Conv / Linear, about the size of int8 rounding (per-tensor 8-bit steps over a range of ~6-10 std
    give 0.7-2.3%). Random networks with live activations are often chaotic (small errors grow with depth):
    their int8 cosine is low whatever the engine does."""
    import torch

    def outputs():
        with torch.no_grad():
            y = model(batch)
        return [y] if isinstance(y, torch.Tensor) else list(y)

    clean = outputs()
    noise_generator = torch.Generator().manual_seed(SEED + 4)

    def add_noise(module, inputs, output):
        return output + torch.randn(output.shape, generator=noise_generator) * output.std() * NOISE

    hooks = [m.register_forward_hook(add_noise) for m in model.modules()
             if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear, torch.nn.ConvTranspose2d))]
    noisy = outputs()
    for hook in hooks:
        hook.remove()
    values = []
    for a, b in zip(clean, noisy):
        a, b = a.flatten(1).double(), b.flatten(1).double()
        values += (torch.sum(a * b, 1) / (a.norm(dim=1) * b.norm(dim=1)).clamp_min(1e-300)).tolist()
    return float(np.mean(values))


def measure_batchnorm(model, batch, generator):
    """Running statistics from the activations each BatchNorm really sees on `batch` (real images), then
    perturbed (mean + N(0, 0.1) std, variance x U(0.5, 2)) so that folding stays non-trivial; scale and
    shift stay export_models.randomise_batchnorm's random U(0.5, 1.5) and N(0, 0.1). With fixed random
    statistics (export_models.py) the activations of deep random networks shrink or grow layer by layer until
    the BatchNorm shifts dominate and the output no longer depends on the image (ShuffleNet v2 and MobileNet
    v3 small: input dependence 0.000), which would make the fp32 / int8 comparison vacuous."""
    import torch

    def set_statistics(module, inputs):
        x = inputs[0].detach()
        c = module.num_features
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        var = torch.clamp(var, min=1e-4 * float(var.median()) + 1e-12)
        module.running_mean.copy_(mean + torch.empty(c).normal_(0.0, 0.1, generator=generator) * var.sqrt())
        module.running_var.copy_(var * torch.empty(c).uniform_(0.5, 2.0, generator=generator))

    hooks = [m.register_forward_pre_hook(set_statistics) for m in model.modules()
             if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        model(batch)
    for hook in hooks:
        hook.remove()


def build_model(topo, work):
    """The topology's PyTorch model as export() writes it: random weights from the fixed seed, BatchNorm
    statistics measured and perturbed (measure_batchnorm), eval mode. Returns (model, the generator for what
    comes next)."""
    import torch

    import export_models  # noqa: PLC0415 (next to this script; imports torch)

    if not _BUILDERS:
        torch.set_num_threads(2)
        # torch 1.13's exporter warns about constant folding in PRESERVE mode and prim::Constant shapes.
        warnings.filterwarnings("ignore", category=UserWarning)
        _BUILDERS.update(build_models())
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED + 1)
    model = _BUILDERS[topo.builder]()
    export_models.randomise_batchnorm(model, generator)
    model.eval()
    if topo.task != "recommendation" and any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()):
        images = spread_pick(read_lines(qr.write_splits(IMAGENET, work, labeled=False)["calibration"]), BN_IMAGES)
        batch = torch.from_numpy(np.stack([preprocess_image(path, topo.prep, topo.size) for path in images]))
        measure_batchnorm(model, batch, generator)
    return model, generator


def export(topo, work):
    """WORK/<name>.onnx (kept when it exists); returns (path, note)."""
    path = os.path.join(work, topo.name + ".onnx")
    if os.path.isfile(path):
        return path, "reused"
    import onnx
    import torch

    model, generator = build_model(topo, work)
    if topo.task != "recommendation":
        images = spread_pick(read_lines(qr.write_splits(IMAGENET, work, labeled=False)["calibration"]), BN_IMAGES)
        batch = torch.from_numpy(np.stack([preprocess_image(path, topo.prep, topo.size) for path in images]))
        with open(os.path.join(work, topo.name + ".sensitivity.json"), "w") as f:
            json.dump({"cosine_mean": noise_sensitivity(model, batch), "relative_noise": NOISE}, f)
    shapes = topo.input_shapes()
    if topo.task == "recommendation":
        users = torch.randint(0, 6040, (topo.batch,), generator=generator)
        items = torch.randint(0, 3706, (topo.batch,), generator=generator)
        args = (torch.stack([users, items], dim=1),) if "pairs" in shapes else (users, items)
    else:
        args = (torch.empty(shapes["input"]).uniform_(-1.0, 1.0, generator=generator),)
    tmp = path + ".tmp"
    mode = torch.onnx.TrainingMode.PRESERVE if topo.keep_bn else torch.onnx.TrainingMode.EVAL
    with torch.no_grad():
        torch.onnx.export(model, args, tmp, opset_version=OPSET, input_names=list(shapes),
                          output_names=topo.outputs, training=mode, do_constant_folding=True)
    proto = onnx.load(tmp)
    note = ""
    if fold_sliced_maxpool(proto):
        onnx.save(proto, tmp)
        note = "MaxPool(pads 1) + Slice folded into MaxPool pads [0, 0, 1, 1]"
    onnx.checker.check_model(tmp, full_check=True)
    os.replace(tmp, path)
    return path, note


def model_ops(path):
    import onnx

    return sorted({n.op_type for n in onnx.load(path, load_external_data=False).graph.node})


# ------------------------------------------------------------------------------------------------ commands
class CommandFailed(Exception):
    def __init__(self, stage, cmd, message):
        super().__init__(message)
        self.stage, self.cmd, self.message = stage, cmd, message


def error_message(text):
    """The line a failing command explains itself with: its last `error` line, else its last line."""
    lines = [line.strip() for chunk in text.splitlines() for line in chunk.split("\r") if line.strip()]
    errors = [line for line in lines if re.search(r"error|exception|terminate|what\(\)|Aborted|fault", line,
                                                 re.IGNORECASE)]
    return (errors or lines or ["(no output)"])[-1][:600]


class Runner:
    def __init__(self, work):
        self.logs = os.path.join(work, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.commands = []
        self.seconds = {}  # per stage (first word), to see where the time goes

    def __call__(self, stage, cmd, log_name, record=True, timeout=3600):
        """Runs cmd, its output to WORK/logs/<log_name>.log; raises CommandFailed with the error message."""
        print("+ " + shlex.join(cmd), flush=True)
        if record:
            self.commands.append(cmd)
        log = os.path.join(self.logs, log_name + ".log")
        started = time.time()
        for attempt in range(13):
            try:
                result = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
                break
            except subprocess.TimeoutExpired:
                raise CommandFailed(stage, cmd, f"timed out after {timeout} s") from None
            except OSError as e:  # the binary is being rebuilt (EACCES / ETXTBSY while the linker writes it)
                if attempt == 12:
                    print(f"  failed: cannot execute: {e}", flush=True)
                    raise CommandFailed(stage, cmd, f"cannot execute: {e}") from None
                print(f"  cannot execute ({e}): retrying in 10 s", flush=True)
                time.sleep(10)
        key = stage.split()[0]
        self.seconds[key] = self.seconds.get(key, 0.0) + time.time() - started
        with open(log, "w") as f:
            f.write("$ " + shlex.join(cmd) + "\n" + result.stdout + "\n--- stderr ---\n" + result.stderr)
        if result.returncode != 0:
            message = error_message(result.stderr + "\n" + result.stdout)
            if result.returncode < 0:
                message = f"killed by signal {-result.returncode}; last output: {message}"
            else:
                message = f"exit status {result.returncode}: {message}"
            print(f"  failed: {message} (log: {log})", flush=True)
            raise CommandFailed(stage, cmd, message)
        return result.stdout


# ------------------------------------------------------------------------------------------------ metrics
def cosine(a, b):
    a, b = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    denom = np.linalg.norm(a) * np.linalg.norm(b)
    if denom == 0:
        return 1.0 if np.array_equal(a, b) else 0.0
    return float(np.dot(a, b) / denom)


def sqnr_db(signal, noise_energy):
    energy = float(np.sum(np.square(signal)))
    return float("inf") if noise_energy == 0 else 10.0 * np.log10(max(energy, 1e-300) / noise_energy)


def output_metrics(topo, fp32_runs, int8_runs):
    """fp32_runs / int8_runs: one {output name: array} per input. Per output: mean and min cosine over the
    inputs, SQNR over all of them, and how much the fp32 output depends on the input (the norm of its
    deviation from the mean over inputs, relative to its norm: near 0 means a constant output, for which a
    high cosine proves little). Plus the task's own agreement figures."""
    result = {"outputs": {}}
    for name in fp32_runs[0]:
        f = [r[name].astype(np.float64) for r in fp32_runs]
        q = [r[name].astype(np.float64) for r in int8_runs]
        cos = [cosine(a, b) for a, b in zip(f, q)]
        noise = sum(float(np.sum(np.square(a - b))) for a, b in zip(f, q))
        mean = np.mean(f, axis=0)
        spread = float(np.sqrt(sum(np.sum(np.square(a - mean)) for a in f) / max(sum(np.sum(np.square(a)) for a in f),
                                                                                 1e-300)))
        # The input-dependent part: cosine of both outputs minus the fp32 mean over the inputs.
        centered = [cosine(a - mean, b - mean) for a, b in zip(f, q)] if len(f) > 1 else cos
        result["outputs"][name] = {"cosine_mean": float(np.mean(cos)), "cosine_min": float(np.min(cos)),
                                   "sqnr_db": sqnr_db(np.concatenate([a.ravel() for a in f]), noise),
                                   "input_dependence": spread, "centered_cosine_mean": float(np.mean(centered)),
                                   "shape": list(f[0].shape)}
    worst = min(result["outputs"].values(), key=lambda o: o["cosine_mean"])
    result["cosine_mean"] = worst["cosine_mean"]
    result["cosine_min"] = min(o["cosine_min"] for o in result["outputs"].values())
    result["sqnr_db"] = min(o["sqnr_db"] for o in result["outputs"].values())
    result["centered_cosine_mean"] = min(o["centered_cosine_mean"] for o in result["outputs"].values())
    result["count"] = len(fp32_runs)

    def agreement(fs, qs, axis):
        same = [np.mean(np.argmax(a, axis=axis) == np.argmax(b, axis=axis)) for a, b in zip(fs, qs)]
        return float(np.mean(same))

    if topo.task == "classification":
        result["top1_agreement"] = agreement([r[topo.outputs[0]] for r in fp32_runs],
                                             [r[topo.outputs[0]] for r in int8_runs], -1)
    elif topo.task == "detection":  # cls_logits [1, A, C], bbox_regression [1, A, 4]
        result["class_agreement"] = agreement([r["cls_logits"] for r in fp32_runs],
                                              [r["cls_logits"] for r in int8_runs], -1)
        f = np.stack([r["bbox_regression"] for r in fp32_runs])
        q = np.stack([r["bbox_regression"] for r in int8_runs])
        result["box_mean_abs_diff"] = float(np.mean(np.abs(f - q)))
        result["box_mean_abs"] = float(np.mean(np.abs(f)))
    elif topo.task == "yolo":  # [1, 3 * 85, H, W]: per anchor tx, ty, tw, th, objectness, 80 class logits
        def split(r, name):
            x = r[name].astype(np.float64)
            return x.reshape(3, 85, x.shape[2], x.shape[3])

        fs = [split(r, n) for r in fp32_runs for n in topo.outputs]
        qs = [split(r, n) for r in int8_runs for n in topo.outputs]
        result["class_agreement"] = agreement([a[:, 5:] for a in fs], [b[:, 5:] for b in qs], 1)
        result["box_mean_abs_diff"] = float(np.mean([np.mean(np.abs(a[:, :4] - b[:, :4])) for a, b in zip(fs, qs)]))
        result["box_mean_abs"] = float(np.mean([np.mean(np.abs(a[:, :4])) for a in fs]))
        result["objectness_mean_abs_diff"] = float(np.mean([np.mean(np.abs(a[:, 4] - b[:, 4])) for a, b in zip(fs, qs)]))
    elif topo.task == "segmentation":  # [1, C, H, W]
        result["mask_agreement"] = agreement([r[topo.outputs[0]] for r in fp32_runs],
                                             [r[topo.outputs[0]] for r in int8_runs], 1)
    elif topo.task == "recommendation":
        f = np.concatenate([r[topo.outputs[0]].ravel() for r in fp32_runs]).astype(np.float64)
        q = np.concatenate([r[topo.outputs[0]].ravel() for r in int8_runs]).astype(np.float64)
        result["score_correlation"] = float(np.corrcoef(f, q)[0, 1]) if np.std(f) > 0 and np.std(q) > 0 else 0.0
        result["score_max_abs_diff"] = float(np.max(np.abs(f - q)))
    return result


# ------------------------------------------------------------------------------------------------ one topology
def read_lines(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t")[0] for line in f if line.strip()]


def spread_pick(items, count):
    """count items spread evenly over the list (it is in class order)."""
    if count >= len(items):
        return list(items)
    return [items[int(i)] for i in np.linspace(0, len(items) - 1, count).round()]


def ncf_inputs(topo, folder, count, seed):
    """count random (user, item) batches as .npy: [{input name: path}], one dict per batch."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    batches = []
    for i in range(count):
        users = rng.integers(0, 6040, topo.batch, dtype=np.int64)
        items = rng.integers(0, 3706, topo.batch, dtype=np.int64)
        files = {}
        arrays = {"pairs": np.stack([users, items], axis=1)} if "pairs" in topo.input_shapes() else {
            "user": users, "item": items}
        for name, array in arrays.items():
            files[name] = os.path.join(folder, f"{i:04d}.{name}.npy")
            np.save(files[name], array)
        batches.append(files)
    return batches


def ncf_calibration_data(topo, work, count):
    """`octet quantize --data` for NCF: per input a folder of .npy samples (one file per sample, a whole
    [batch(, 2)] input; the folders pair up by file name). One input: the folder; several: NAME=FOLDER,..."""
    folder = os.path.join(work, f"{topo.name}.calibration")
    batches = ncf_inputs(topo, os.path.join(folder, "all"), count, SEED + 2)
    for name in batches[0]:
        os.makedirs(os.path.join(folder, name), exist_ok=True)
        for i, files in enumerate(batches):
            target = os.path.join(folder, name, f"{i:04d}.npy")
            if os.path.lexists(target):
                os.remove(target)
            os.symlink(files[name], target)
    names = list(batches[0])
    if len(names) == 1:
        return os.path.join(folder, names[0])
    return ",".join(f"{name}={os.path.join(folder, name)}" for name in names)


def median(values):
    return statistics.median(values) if values else None


def benchmark(topo, args, work, fp32, int8, int8_ran, inputs, row, run, fail):
    """Step 4: latency interleaved fp32, int8, int8, fp32 (sync, -pc), then throughput once each. Sets the row's
    latency, throughput and precision-summary fields; returns whether int8 still counts as running."""
    bench_flags = []
    if topo.task == "recommendation":
        bench_flags = [flag for name, path in inputs[0].items() for flag in ("-i", f"{name}={path}")]
    latency = {"fp32": [], "int8": []}
    throughput = {}
    order = ["fp32", "int8", "int8", "fp32"] if int8 else ["fp32", "fp32"]
    models = {"fp32": fp32, "int8": int8}
    int8_bench_failed = False
    for i, tag in enumerate(order):
        if tag == "int8" and int8_bench_failed:
            continue
        json_path = os.path.join(work, f"{topo.name}.bench.{tag}.{i}.json")
        try:
            run(f"benchmark {tag}", [OCTET, "benchmark", "-m", models[tag], "--nthreads", "2", "--api", "sync",
                                     "--hint", "latency", "-t", str(args.time), "--json", json_path, "-pc"]
                + bench_flags, f"{topo.name}.bench.{tag}.{i}", record=(i < 2))
            with open(json_path) as f:
                result = json.load(f)
            latency[tag].append(result["latency_ms"]["median"])
            if tag == "int8" and "precision" not in row:
                summary = result.get("precision_summary") or {}
                row["precision"] = {
                    "int8_mac_share": summary.get("int8_mac_share"), "total_macs": summary.get("total_macs"),
                    "quantize_dequantize_steps": summary.get("quantize_dequantize_steps"),
                    "fp32_layers": [{k: layer.get(k) for k in ("name", "layer_type", "exec_type", "macs", "reason")}
                                    for layer in summary.get("fp32_layers_with_macs", [])]}
            if tag == "fp32" and "fp32_macs" not in row:
                row["fp32_macs"] = (result.get("precision_summary") or {}).get("total_macs")
        except CommandFailed as e:
            fail(e)
            if tag == "int8":
                int8_bench_failed = True
                int8_ran = False
        except (OSError, ValueError, KeyError) as e:
            fail(CommandFailed(f"benchmark {tag}", None, f"json: {e}"))
    for tag in ["fp32"] + (["int8"] if int8 and int8_ran else []):
        json_path = os.path.join(work, f"{topo.name}.bench.{tag}.async.json")
        try:
            run(f"throughput {tag}", [OCTET, "benchmark", "-m", models[tag], "--nthreads", "2", "--api", "async",
                                      "--hint", "throughput", "-t", str(args.time), "--json", json_path]
                + bench_flags, f"{topo.name}.throughput.{tag}")
            with open(json_path) as f:
                result = json.load(f)
            throughput[tag] = result["throughput_fps"]
            throughput[tag + "_streams"] = result.get("nstreams")
        except CommandFailed as e:
            fail(e)
        except (OSError, ValueError, KeyError) as e:
            fail(CommandFailed(f"throughput {tag}", None, f"json: {e}"))
    row["latency_ms"] = {tag: median(values) for tag, values in latency.items() if values}
    row["latency_rounds"] = {tag: values for tag, values in latency.items() if values}
    row["throughput_fps"] = throughput
    return bool(int8_ran and latency["int8"])


def error_recorder(row, work):
    """fail(CommandFailed): records the failure in the row's errors (a row reports, it never raises)."""
    def fail(e):
        row["errors"].append({"stage": e.stage, "command": display(e.cmd, work) if e.cmd else "",
                              "message": e.message})
    return fail


def validate(topo, args, counts, work, splits):
    """Runs every stage for one topology; returns the row (errors recorded, never raised)."""
    start = time.time()
    run = Runner(work)
    row = {"name": topo.name, "task": topo.task, "what": topo.what, "inputs": topo.input_shapes(), "prep": topo.prep,
           "errors": [], "int8_runs": False}
    calibration = max(1, round(counts["calibration"] * topo.scale))
    evaluation = max(1, round(counts["eval"] * topo.scale))
    n_cosine = max(2, round(counts["cosine"] * topo.scale))
    row.update(calibration=calibration)

    fail = error_recorder(row, work)

    # 1. export
    try:
        export_start = time.time()
        fp32, note = export(topo, work)
        run.seconds["export"] = time.time() - export_start
        row["export"] = note or "ok"
        row["ops"] = model_ops(fp32)
    except Exception as e:  # noqa: BLE001 (an exporter failure is a row, not the end of the run)
        fail(CommandFailed("export", None, f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e) else ''}"))
        row["seconds"] = time.time() - start
        return row
    int8 = os.path.join(work, topo.name + ".int8.onnx")
    report = int8 + ".report.json"
    for stale in (int8, report):
        if os.path.exists(stale):
            os.remove(stale)

    # 2. quantize
    if topo.task == "recommendation":
        data = ncf_calibration_data(topo, work, calibration)
    else:
        data = splits["classification" if topo.task == "classification" else "unlabeled"]["calibration"]
    try:
        run("quantize", [OCTET, "quantize", fp32, "--data", data, "--out", int8, "--report", report, "--nthreads", "2",
                         "--subset", str(calibration), "--seed", "1", "--latency-rounds", "0"] + topo.prep,
            f"{topo.name}.quantize")
        with open(report) as f:
            rep = json.load(f)
        row["quantized_layers"] = sum(1 for layer in rep.get("layers", []) if layer.get("quantized"))
        row["layers"] = len(rep.get("layers", []))
        row["calibration_seconds"] = rep.get("calibration", {}).get("seconds")
        row["saturation_safe"] = rep.get("saturation_safe_weights")
    except CommandFailed as e:
        fail(e)
        int8 = None
    except (OSError, ValueError) as e:
        fail(CommandFailed("quantize", None, f"report: {e}"))

    # 3. fp32 vs int8: octet accuracy --compare (classifiers), octet run outputs (all)
    if int8 and topo.task == "classification":
        json_path = int8 + ".accuracy.json"
        try:
            run("accuracy", [OCTET, "accuracy", fp32, "--compare", int8, "--data", splits["classification"]["evaluation"],
                             "--json", json_path, "--nthreads", "2", "--subset", str(evaluation), "--seed", "1"]
                + topo.prep, f"{topo.name}.accuracy")
            with open(json_path) as f:
                acc = json.load(f)
            row["top1_agreement"] = acc["top1_agreement"]
            row["agreement_count"] = acc["results"][0]["count"]
        except CommandFailed as e:
            fail(e)
    inputs = None  # the recommendation models' input files (images for the rest)
    if topo.task == "recommendation":
        inputs = ncf_inputs(topo, os.path.join(work, f"{topo.name}.eval"), n_cosine, SEED + 3)
        input_flags = [[flag for name, path in batch.items() for flag in ("--input", f"{name}={path}")]
                       for batch in inputs]
    else:
        images = spread_pick(read_lines(splits["unlabeled"]["evaluation"]), n_cosine)
        input_flags = [["--image", image] + topo.prep for image in images]
    # sim: the int8 model with its quantization simulated in fp32 (FakeQuantize arithmetic, what the int8
    # kernels should reproduce up to rounding), to tell the cost of the quantization from the int8 execution.
    runs = {"fp32": [], "int8": [], "sim": []}
    precisions = [("fp32", fp32, [])] + ([("int8", int8, []), ("sim", int8, ["--precision", "f32"])] if int8 else [])
    for i, flags in enumerate(input_flags):
        for tag, model, extra in precisions:
            out_dir = os.path.join(work, "runs", topo.name, tag, f"{i:03d}")
            os.makedirs(out_dir, exist_ok=True)
            for old in os.listdir(out_dir):
                os.remove(os.path.join(out_dir, old))
            try:
                run(f"run {tag}", [OCTET, "run", model] + flags + extra + ["-o", out_dir], f"{topo.name}.run.{tag}",
                    record=(i == 0))
                runs[tag].append({n: np.load(os.path.join(out_dir, n + ".npy")) for n in topo.outputs})
            except CommandFailed as e:
                fail(e)
                precisions = [p for p in precisions if p[0] != tag]
            except OSError as e:
                fail(CommandFailed(f"run {tag}", None, f"output: {e}"))
                precisions = [p for p in precisions if p[0] != tag]
    int8_ran = bool(int8) and len(runs["int8"]) == len(input_flags) and len(runs["fp32"]) == len(input_flags)
    if int8_ran:
        row["agreement"] = output_metrics(topo, runs["fp32"], runs["int8"])
    if len(runs["sim"]) == len(input_flags) and len(runs["fp32"]) == len(input_flags):
        simulated = output_metrics(topo, runs["fp32"], runs["sim"])
        row["simulated"] = {"cosine_mean": simulated["cosine_mean"], "sqnr_db": simulated["sqnr_db"]}
        if int8_ran:
            row["simulated"]["int8_cosine_mean"] = output_metrics(topo, runs["sim"], runs["int8"])["cosine_mean"]
    sensitivity = os.path.join(work, topo.name + ".sensitivity.json")
    if os.path.isfile(sensitivity):
        with open(sensitivity) as f:
            row["noise_cosine"] = json.load(f)["cosine_mean"]

    # 4. benchmark
    int8_ran = benchmark(topo, args, work, fp32, int8, int8_ran, inputs, row, run, fail)
    row["int8_runs"] = int8_ran
    row["counts"] = {"calibration": calibration, "evaluation": evaluation, "cosine": len(input_flags)}
    row["commands"] = [display(cmd, work) for cmd in run.commands]
    row["stage_seconds"] = {k: round(v, 1) for k, v in run.seconds.items()}
    row["seconds"] = time.time() - start
    return row


def binary_stamp():
    """The binary's modification time (UTC), to tell whether it was rebuilt during the run."""
    try:
        return datetime.datetime.utcfromtimestamp(os.path.getmtime(OCTET)).strftime("%Y-%m-%d %H:%M:%S UTC")
    except OSError:
        return "missing"


def display(cmd, work):
    """A command as the doc shows it: paths relative to the repo, WORK as $WORK."""
    text = shlex.join(cmd)
    text = text.replace(work.rstrip("/") + "/", "$WORK/").replace(SHARED + "/", "../shared/")
    return text.replace(ROOT + "/", "")


# ------------------------------------------------------------------------------------------------ the doc
def fmt(value, digits=2, suffix=""):
    if value is None:
        return "–"
    if isinstance(value, float) and value == float("inf"):
        return "inf"
    return f"{value:.{digits}f}{suffix}"


def pct(value):
    return "–" if value is None else f"{100 * value:.1f}%"


def short_reason(reason):
    return (reason or "no reason given").strip()


def islands_cell(row):
    p = row.get("precision")
    if not p:
        return "–"
    layers = p["fp32_layers"]
    if not layers:
        return "0"
    reasons = {}
    for layer in layers:
        key = f"{layer['layer_type']}: {short_reason(layer['reason'])}"
        reasons[key] = reasons.get(key, 0) + 1
    return f"{len(layers)} (" + "; ".join(f"{n}x {k}" for k, n in sorted(reasons.items(), key=lambda kv: -kv[1])) + ")"


def task_cell(row):
    a = row.get("agreement") or {}
    task = row["task"]
    if task == "classification":
        if row.get("top1_agreement") is None:
            return "–"
        return f"top-1 agr. {pct(row['top1_agreement'])} ({row['agreement_count']} img)"
    if not a:
        return "–"
    if task in ("detection", "yolo"):
        return (f"class agr. {pct(a['class_agreement'])}; |Δbox| {a['box_mean_abs_diff']:.4f} "
                f"(mean |box| {a['box_mean_abs']:.3f})")
    if task == "segmentation":
        return f"mask agr. {pct(a['mask_agreement'])}"
    if task == "recommendation":
        return f"score corr. {a['score_correlation']:.4f}; max |Δ| {a['score_max_abs_diff']:.4f}"
    return "–"


def noisy(row, tag):
    """A dagger when the rounds of one precision differ by more than 1.5x (another job took the cores)."""
    rounds = row.get("latency_rounds", {}).get(tag, [])
    return " †" if len(rounds) > 1 and min(rounds) > 0 and max(rounds) / min(rounds) > 1.5 else ""


def int8_cell(row):
    if row.get("int8_runs"):
        return "yes"
    stages = sorted({e["stage"] for e in row["errors"]})
    return "**no** (" + ", ".join(stages) + ")" if stages else "**no**"


def binary_note(meta):
    if meta.get("builds"):  # a run in parts with different binaries: which rows each ran
        return "; ".join(f"{', '.join(names)}: {build}" for build, names in meta["builds"].items())
    o = meta.get("octet")
    if not o:
        return "`build/octet` (its log records no build time)"
    if o["built_at_start"] == o["built_at_end"]:
        return f"`{o['path']}` built {o['built_at_start']}"
    return (f"`{o['path']}` built {o['built_at_start']}, **rebuilt during the run** ({o['built_at_end']}): rows "
            "may come from different builds")


def speed_note(meta):
    """Where the speed columns come from when `--bench-only` measured them apart from the rest of the run."""
    speed = meta.get("speed")
    if not speed:
        return ""
    return (f" **The latency and throughput columns were measured again on {speed['date']}** by `--bench-only` "
            f"({speed['minutes']:.0f} min; load average {speed['load_average_at_start']} at the start and "
            f"{speed['load_average_at_end']} at the end; {binary_note(speed)}) on the same exports and int8 "
            "models; the other columns are the run's above.")


def write_doc(rows, meta, shared_rows, path):
    cpu = qr.cpu_name()
    counts = meta.get("counts", {})
    lines = [
        "# Validated topologies",
        "",
        f"Generated by `scripts/validated_models.py` on {meta.get('date', datetime.date.today())} ({cpu}, {qr.int8_isa()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; load average at the end "
        f"{meta.get('load_average', qr.load_average())}; the whole run took {meta.get('minutes', 0):.0f} min"
        f"{' (sum of the rows; run in ' + str(meta['parts']) + ' parts with --only)' if meta.get('parts') else ''}; "
        f"{binary_note(meta)}). "
        "Every topology is exported from PyTorch (opset 13, batch 1) with **random weights** (fixed seed; "
        "BatchNorm statistics measured on 8 calibration images and then perturbed, see below), quantized by "
        "`octet quantize` with its defaults (`performance` preset: symmetric per-tensor activations, min/max "
        f"ranges; per-channel weights; bias correction) on {counts.get('calibration', '?')} real images of "
        "`../shared/data/imagenet-sample` (`--subset N --seed 1` of the 300-image calibration split of "
        "`scripts/quantization_results.py`), and compared with its fp32 model on held-out images of the other "
        f"700: `octet accuracy --compare` (top-1 agreement, classifiers, {counts.get('eval', '?')} images) and the "
        f"outputs of `octet run` on {counts.get('cosine', '?')} images (cosine similarity, SQNR, and per task: "
        "argmax class per anchor and box deltas for detection, argmax per pixel for segmentation). "
        "The heaviest models use fewer images (the `images` column: calibration / top-1 agreement / outputs "
        "compared) to keep the full run near an hour on this 2-core machine.",
        "",
        "**Read cosine and SQNR first.** Random-weight classifiers have near-tied logits (no class stands out), so "
        "a tiny perturbation flips the top-1 and top-1 agreement understates int8 quality; the same holds for "
        "the argmax-based detection and mask agreements. Cosine similarity (mean over the images, and the worst "
        "image) and SQNR (10 log10 of the fp32 output energy over the energy of int8 - fp32, over all images) "
        "measure the whole output; for models with several outputs the worst output is shown (all of them: "
        "*Per-output figures*).",
        "",
        "**Two columns tell the engine from the network.** Random weights give networks that are either dead "
        "or chaotic. With `scripts/export_models.py`'s fixed random BatchNorm statistics, activations shrink "
        "layer by layer until the BatchNorm shifts dominate: ShuffleNet v2 and MobileNet v3 small then give the "
        "same output for every image (the fp32 output's deviation from its mean over the images was 0.000 of its "
        "norm) and any int8 engine would score a cosine of 1. So the script sets each BatchNorm's running mean "
        "and variance from the activations it sees on 8 calibration images, then perturbs them (mean + N(0, 0.1) "
        "std, variance x U(0.5, 2); scale U(0.5, 1.5) and shift N(0, 0.1) as in export_models.py, so folding is "
        "still exercised). The outputs then depend on the image (`in-dep.` in *Per-output figures*), but some of "
        "these random networks amplify small errors much more than trained ones do. `1% noise cos` measures that "
        "in PyTorch: the cosine between the fp32 output and the output with Gaussian noise of 1% of each "
        "tensor's std added after every Conv / Linear (about the size of 8-bit rounding). `fake-quant cos` is "
        "the cosine between fp32 and the int8 model run with its quantization simulated in fp32 (`octet run "
        "--precision f32`: FakeQuantize arithmetic), i.e. what the quantization itself costs; `int8 vs fq` "
        "compares the int8 execution with that simulation. An int8 cosine close to the fake-quant one means the "
        "int8 kernels do what the quantized model says (a low value is then the quantization's or the "
        "network's); an int8 cosine well below it would be an execution problem.",
        "",
        "Latency: `octet benchmark --api sync --hint latency --nthreads 2 -pc`, batch 1, "
        f"{meta.get('time', '?')} s per run, fp32 and int8 interleaved (fp32, int8, int8, fp32), medians; "
        "throughput: `--api async --hint throughput` once each. The int8 MAC share, quantize/dequantize steps "
        "(Q/DQ) and fp32 islands (layers with multiply-accumulates left in fp32, with the reason the passes gave) "
        "come from the int8 run's counters (`precision_summary` in its JSON). The machine is shared with other "
        "jobs (see the load average), so latencies are noisy: † marks a latency whose two rounds differ by more "
        "than 1.5x (the rounds are in the JSON lines of the run's log)." + speed_note(meta),
        "",
        "| model | task | input | images | int8 runs | int8 MACs | Q/DQ | fp32 islands | cosine mean (min) | SQNR dB "
        "| fake-quant cos / int8 vs fq | 1% noise cos | task agreement | fp32 ms | int8 ms | speed-up | fp32 FPS "
        "| int8 FPS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a = r.get("agreement") or {}
        p = r.get("precision") or {}
        lat = r.get("latency_ms", {})
        tput = r.get("throughput_fps", {})
        speed = lat["fp32"] / lat["int8"] if lat.get("fp32") and lat.get("int8") else None
        shape = "; ".join(f"{n} {'x'.join(map(str, s))}" for n, s in r["inputs"].items())
        c = r.get("counts", {})
        images = f"{c.get('calibration', '–')} / {c.get('evaluation', '–') if r['task'] == 'classification' else '–'} / {c.get('cosine', '–')}"
        sim = r.get("simulated") or {}
        fq = f"{fmt(sim.get('cosine_mean'), 4)} / {fmt(sim.get('int8_cosine_mean'), 4)}" if sim else "–"
        lines.append(
            f"| {r['name']} | {r['task']} | {shape} | {images} | {int8_cell(r)} | {pct(p.get('int8_mac_share'))} | "
            f"{p.get('quantize_dequantize_steps', '–')} | {islands_cell(r)} | "
            f"{fmt(a.get('cosine_mean'), 4)} ({fmt(a.get('cosine_min'), 4)}) | {fmt(a.get('sqnr_db'), 1)} | {fq} | "
            f"{fmt(r.get('noise_cosine'), 4)} | "
            f"{task_cell(r)} | {fmt(lat.get('fp32'))}{noisy(r, 'fp32')} | {fmt(lat.get('int8'))}{noisy(r, 'int8')} | "
            f"{fmt(speed, 2, 'x')} | "
            f"{fmt(tput.get('fp32'), 1)} | {fmt(tput.get('int8'), 1)} |")
    failed = [r for r in rows if r["errors"]]
    lines += ["", "## What failed", ""]
    if not failed:
        lines.append("Nothing: every stage of every topology ran.")
    for r in failed:
        lines.append(f"- **{r['name']}**:")
        for e in r["errors"]:
            lines.append(f"  - {e['stage']}: {e['message']}" + (f"  \n    `{e['command']}`" if e["command"] else ""))
    low = [r for r in rows if (r.get("agreement") or {}).get("cosine_mean", 1.0) < LOW_COSINE]
    lines += ["", f"## Low agreement (mean cosine below {LOW_COSINE})", ""]
    if not low:
        lines.append("None.")
    for r in low:
        a, sim = r["agreement"], r.get("simulated") or {}
        verdict = ""
        if sim.get("cosine_mean") is not None:
            if a["cosine_mean"] >= sim["cosine_mean"] - 0.02:
                verdict = ("the int8 execution matches the fake-quant simulation's quality: the cost is the "
                           "quantization (ranges / scheme) on this network")
            else:
                verdict = "**the int8 execution is clearly worse than its fake-quant simulation**"
        lines.append(f"- **{r['name']}**: cosine {a['cosine_mean']:.4f} (worst image {a['cosine_min']:.4f}), SQNR "
                     f"{fmt(a['sqnr_db'], 1)} dB; fake-quant {fmt(sim.get('cosine_mean'), 4)}, int8 vs fake-quant "
                     f"{fmt(sim.get('int8_cosine_mean'), 4)}; 1% noise {fmt(r.get('noise_cosine'), 4)}"
                     + (f": {verdict}." if verdict else "."))
    comparison = os.path.join(ROOT, "docs", "ptq-comparison.md")
    if os.path.isfile(comparison):
        with open(comparison) as f:  # without its title
            table = "\n".join(line for line in f.read().strip().splitlines() if not line.startswith("# ")).strip()
        lines += ["", "### Octet's quantizer next to PyTorch's", "",
                  "In MobileNet v3 and EfficientNet-B0 with these random weights, a few images drive the activations "
                  "far above the rest (the classifier input's largest value per image, in the table below: a median "
                  "under 0.1 against a maximum of 38 on MobileNet v3 large). A range that covers those images leaves "
                  "a typical image a handful of int8 steps. PyTorch's own post-training quantization (FX graph mode, "
                  "onednn backend: histogram observers, per-channel weights), calibrated on the same 300 images, "
                  "fails on MobileNet v3 large and EfficientNet-B0 as well; on MobileNet v3 small its histogram "
                  "ranges do better than Octet's default min/max. Octet's `--estimator mean_minmax` (the mean over "
                  "the images of each one's range, as OpenVINO's POT does by default) brings the three to a cosine "
                  "of 0.74 to 0.98 (0.92 to 0.98 with `--preset mixed`), but on the trained MobileNet v1 models of "
                  "`../shared` it costs 10.6 and 12.6 top-1 points, so min/max stays the default (`--estimator` and "
                  "`--max-drop` accuracy control are the user's levers). Made by `scripts/ptq_comparison.py` (its "
                  "docstring says how):", "", table]
    islands = [r for r in rows if (r.get("precision") or {}).get("fp32_layers")]
    if islands:
        lines += ["", "## fp32 islands", "", "Layers with multiply-accumulates that the int8 model runs in fp32, "
                  "from the int8 benchmark's counters (`octet benchmark -pc`):", ""]
        for r in islands:
            total = r["precision"].get("total_macs") or 0
            lines.append(f"- **{r['name']}**:")
            for layer in r["precision"]["fp32_layers"]:
                share = f", {100 * layer['macs'] / total:.2f}% of MACs" if total and layer.get("macs") else ""
                lines.append(f"  - `{layer['name']}` ({layer['layer_type']}, {layer['exec_type']}{share}): "
                             f"{short_reason(layer['reason'])}")
    lines += ["", "## Per-output figures", "",
              "`in-dep.`: how much the fp32 output depends on the image (norm of its deviation from its mean over the "
              "compared images / its norm; near 0 = a constant output, for which a high cosine proves little); "
              "`c-cos`: the cosine of fp32 and int8 after subtracting that fp32 mean (the image-dependent part).", "",
              "| model | output | shape | cosine mean | cosine min | SQNR dB | in-dep. | c-cos |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for name, o in ((r.get("agreement") or {}).get("outputs") or {}).items():
            lines.append(f"| {r['name']} | {name} | {'x'.join(map(str, o['shape']))} | {o['cosine_mean']:.5f} | "
                         f"{o['cosine_min']:.5f} | {fmt(o['sqnr_db'], 1)} | {o['input_dependence']:.3f} | "
                         f"{o['centered_cosine_mean']:.4f} |")
    lines += [
        "", "## Topologies and post-processing", "",
        "Weights are random (no internet on the build machines), so the outputs mean nothing as predictions; the "
        "graphs are the real ones. Models marked *ours* are written in the script, following the papers / the "
        "reference configurations:", ""]
    for r in rows:
        lines.append(f"- **{r['name']}**: {r['what']}. Preprocessing: `{shlex.join(r['prep']) or 'none (index inputs)'}`"
                     + (f"; export: {r['export']}" if r.get("export") not in (None, "ok", "reused") else ""))
    lines += [
        "",
        "Not in the ONNX graphs (post-processing, done by the application as in torchvision / Darknet):",
        "",
        "- **SSD300-VGG16, SSDlite320**: the graph ends at the head: `cls_logits` [1, anchors, 91] and "
        "`bbox_regression` [1, anchors, 4] (torchvision's `SSD.head` outputs). Post-processing: softmax over "
        "the classes; decode the box deltas against torchvision's `DefaultBoxGenerator` anchors with "
        "`BoxCoder(weights=(10, 10, 5, 5))` (centre offsets / 10 times the anchor size, log-size deltas / 5); "
        "per class drop scores below 0.01, keep the top 400, class-wise NMS at IoU 0.45, keep 200 detections "
        "(`SSD.postprocess_detections`). The image is normalized by the preprocessing flags above instead of "
        "SSD's `GeneralizedRCNNTransform`.",
        "- **tiny YOLOv3**: the graph ends at the two 1x1 detection convolutions, `head13` [1, 255, 13, 13] and "
        "`head26` [1, 255, 26, 26] at 416x416 = 3 anchors x (tx, ty, tw, th, objectness, 80 class logits). "
        "Post-processing (Darknet's YOLO layer): box centre = (sigmoid(t) + cell) / grid size, box size = "
        "anchor * exp(t) / 416 with anchors (81,82), (135,169), (344,319) on the 13x13 map and (10,14), (23,27), "
        "(37,58) on the 26x26 map; score = sigmoid(objectness) * sigmoid(class); threshold and NMS. The "
        "class agreement in the table is over all 3 x (13x13 + 26x26) anchor cells, |Δbox| over the raw "
        "tx, ty, tw, th.",
        "- **Segmentation**: per-pixel argmax of the output (FCN / DeepLab: 21 VOC classes, bilinear-upsampled to "
        "the input size inside the graph; UNet2D: 2 classes at full resolution).",
        "- **NCF**: the scores are the sigmoid outputs; ranking (hit rate) is done by the application.",
    ]
    lines += ["", "## Real-weight models", ""]
    if shared_rows:
        source = ("regenerated by this run (`--with-shared`, which runs `scripts/quantization_results.py`'s flow"
                  if not meta.get("shared_from") else
                  f"from the rows of `scripts/quantization_results.py`'s run of {meta['shared_from']} (`--shared-from`"
                  "; the run that wrote `docs/quantization-results.md`")
        lines += ["fp32 vs int8 top-1 (`octet accuracy`) of the real-weight classifiers in `../shared`, " + source +
                  "; full table, latencies and accuracy control: `docs/quantization-results.md`):", "",
                  "| model | images | fp32 top-1 | int8 top-1 (agreement for unlabeled) | drop |", "|---|---|---|---|---|"]
        for s in shared_rows:
            if s.get("metric") == "agreement":
                lines.append(f"| {s['name']} | {s['count']} | – | {100 * s['agreement']:.2f}% agreement | – |")
            else:
                lines.append(f"| {s['name']} | {s['count']} | {100 * s['fp32']:.2f} | {100 * s['int8']:.2f} | "
                             f"{100 * (s['fp32'] - s['int8']):.2f} |")
    else:
        lines += ["The models in `../shared` have real weights, so their int8 cost is measured as accuracy on "
                  "labeled images: `docs/quantization-results.md` (made by `scripts/quantization_results.py`: "
                  "fp32 vs int8 top-1 from `octet accuracy --compare` on held-out images, with and without accuracy "
                  "control, and latencies). `scripts/validated_models.py --with-shared` regenerates it and adds "
                  "its top-1 figures here."]
    lines += ["", "## Reproduce", "", "```",
              re.sub(r" --out[ =]\S+", "", meta.get("command", "/usr/bin/python3 scripts/validated_models.py"))
              + "   # this table (docs/validated-models.md)",
              "/usr/bin/python3 scripts/validated_models.py --only NAME        # one row (WORK/validated-models.md)",
              "scripts/validated_models_smoke.sh                               # the CI subset (--small) with its checks",
              "/usr/bin/python3 scripts/validated_models.py --bench-only LOG   # speed columns again, rows from LOG",
              "/usr/bin/python3 scripts/ptq_comparison.py --help               # the comparison with PyTorch's PTQ",
              "```", "",
              f"The octet commands of each row (`WORK={meta.get('work', DEFAULT_WORK)}`; the script writes the split "
              "lists, exports the models and, for NCF, the .npy inputs there; `octet run` is shown for the first "
              "image, the benchmark for the first fp32 and int8 round):", ""]
    for r in rows:
        if not r.get("commands"):
            continue
        lines += [f"<details><summary>{r['name']}</summary>", "", "```"] + r["commands"] + ["```", "", "</details>", ""]
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


# ------------------------------------------------------------------------------------------------ main
def run_shared(which, work):
    """scripts/quantization_results.py's flow for its models (it rewrites docs/quantization-results.md when it
    runs them all); returns its JSON rows."""
    cmd = [sys.executable, os.path.join(SCRIPTS, "quantization_results.py"), "--work", os.path.join(work, "shared")]
    if which != "all":
        cmd += ["--only"] + which.split(",")
    print("+ " + shlex.join(cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(work, "logs", "quantization_results.log"), "w") as f:
        f.write(result.stdout + "\n--- stderr ---\n" + result.stderr)
    if result.returncode != 0:
        print(f"  quantization_results.py failed: {error_message(result.stderr + result.stdout)}", flush=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def shared_rows_from(log, meta):
    """The JSON rows of a scripts/quantization_results.py output; notes the log's date in meta."""
    with open(log) as f:
        rows = [json.loads(line) for line in f if line.startswith("{")]
    meta["shared_from"] = datetime.datetime.fromtimestamp(
        os.path.getmtime(log), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return rows


def read_logs(logs):
    """The rows, run description and real-weight rows in the JSON lines of runs' output. Several logs (a run
    continued with --only) merge: a later row replaces an earlier one of the same name, the run times add up,
    the rest of the run description is the last log's."""
    rows, meta, shared_rows = {}, {}, []
    build_of = {}  # row name -> the octet build of the log it comes from (a log's meta line follows its rows)
    for log in logs:
        names = []
        with open(log) as f:
            for line in f:
                if line.startswith("{"):
                    item = json.loads(line)
                    if "meta" in item:
                        meta = item["meta"]
                    elif "shared" in item:
                        shared_rows.append(item["shared"])
                    else:
                        rows[item["name"]] = item
                        names.append(item["name"])
        for name in names:
            build_of[name] = binary_note(meta)
    order = [t.name for t in TOPOLOGIES + SMALL_TOPOLOGIES]
    rows = sorted(rows.values(), key=lambda r: order.index(r["name"]) if r["name"] in order else len(order))
    if len(logs) > 1:  # a run in parts (an interrupted run's log has no meta line): add the rows up
        meta["minutes"] = sum(r.get("seconds", 0.0) for r in rows) / 60
        meta["parts"] = len(logs)
        meta["command"] = "/usr/bin/python3 scripts/validated_models.py"
        # Which binary each row's run used, when the parts used different builds.
        builds = {}
        for r in rows:
            builds.setdefault(build_of.get(r["name"], "`build/octet`"), []).append(r["name"])
        if len(builds) > 1:
            meta["builds"] = builds
    return rows, meta, shared_rows


def counts_for(args):
    """Image counts and seconds per benchmark run: the flags, else the full or --small defaults (sets args.time)."""
    defaults = SMALL_DEFAULTS if args.small else FULL_DEFAULTS
    counts = {k: getattr(args, k) if getattr(args, k) is not None else v for k, v in defaults.items()}
    args.time = counts["time"]
    return counts


def bench_only(args, counts):
    """--bench-only LOG...: the rows of an earlier run (its JSON lines, merged as --table-from does), with the
    latency and throughput columns measured again on the exports and int8 models still in WORK. For refreshing
    the speed figures on a quiet machine without repeating the hour of quantization and comparisons."""
    row_list, meta, shared_rows = read_logs(args.bench_only)
    if args.shared_from:
        shared_rows = shared_rows_from(args.shared_from, meta)
    rows = {r["name"]: r for r in row_list}
    pool = {t.name: t for t in TOPOLOGIES + SMALL_TOPOLOGIES}
    wanted = [n for n in args.only.split(",") if n] if args.only else [n for n in pool if n in rows]
    missing = [n for n in wanted if n not in rows]
    if missing:
        sys.exit(f"error: no row for {', '.join(missing)} in {' '.join(args.bench_only)}")
    globals()["OCTET"] = os.path.abspath(args.octet)
    work = os.path.abspath(args.work)
    started, load_at_start, binary_at_start = time.time(), qr.load_average(), binary_stamp()
    for name in wanted:
        topo, row = pool[name], rows[name]
        print(f"=== {name} (speed only)", flush=True)
        fp32, int8 = (os.path.join(work, topo.name + suffix) for suffix in (".onnx", ".int8.onnx"))
        if not os.path.isfile(fp32):
            sys.exit(f"error: {fp32} not found (--bench-only reuses the earlier run's --work)")
        inputs = None
        if topo.task == "recommendation":
            n_cosine = max(2, round(counts["cosine"] * topo.scale))
            inputs = ncf_inputs(topo, os.path.join(work, f"{topo.name}.eval"), n_cosine, SEED + 3)
        errors = [e for e in row.get("errors", []) if not e["stage"].startswith(("benchmark", "throughput"))]
        row["errors"] = errors
        run = Runner(work)

        int8_model = int8 if row.get("int8_runs") and os.path.isfile(int8) else None
        row["int8_runs"] = benchmark(topo, args, work, fp32, int8_model, bool(int8_model), inputs, row, run,
                                     error_recorder(row, work))
        print(json.dumps(row), flush=True)
    meta["speed"] = {"date": str(datetime.date.today()), "load_average_at_start": load_at_start,
                     "load_average_at_end": qr.load_average(), "minutes": (time.time() - started) / 60,
                     "time": args.time, "octet": {"path": display([OCTET], work), "built_at_start": binary_at_start,
                                                  "built_at_end": binary_stamp()}}
    meta["time"] = args.time
    print(json.dumps({"meta": meta}), flush=True)
    out = args.out or (os.path.join(work, "validated-models.md") if args.only
                       else os.path.join(ROOT, "docs", "validated-models.md"))
    for s in shared_rows:
        print(json.dumps({"shared": s}), flush=True)
    write_doc(row_list, meta, shared_rows, out)
    print(f"wrote {out} ({meta['speed']['minutes']:.1f} min)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [t.name for t in TOPOLOGIES + SMALL_TOPOLOGIES]
    parser.add_argument("--only", help="comma-separated topologies (of: " + ", ".join(names) + ")")
    parser.add_argument("--small", action="store_true", help="the CI subset at small input sizes, tiny counts")
    parser.add_argument("--work", default=DEFAULT_WORK, help=f"exports, quantized models, logs (default {DEFAULT_WORK})")
    parser.add_argument("--out", help="default: docs/validated-models.md, or WORK/validated-models.md with --only / --small")
    parser.add_argument("--calibration", type=int, help="calibration images (default 50; --small 16)")
    parser.add_argument("--eval", type=int, help="images for octet accuracy --compare (default 50; --small 8)")
    parser.add_argument("--cosine", type=int, help="images whose outputs are compared (default 10; --small 3)")
    parser.add_argument("--time", type=float, help="seconds per benchmark run (default 2; --small 0.5)")
    parser.add_argument("--with-shared", nargs="?", const="all", metavar="NAMES",
                        help="also run scripts/quantization_results.py (all its models, or NAMES comma-separated)")
    parser.add_argument("--octet", default=qr.OCTET, help="the octet binary (default build/octet)")
    parser.add_argument("--bench-only", metavar="LOG", nargs="+",
                        help="measure only latency and throughput again, for the rows of these logs (with --work)")
    parser.add_argument("--shared-from", metavar="LOG",
                        help="with --table-from / --bench-only: the real-weight rows from a scripts/"
                             "quantization_results.py output (its JSON lines) instead of running it")
    parser.add_argument("--table-from", metavar="LOG", nargs="+",
                        help="only rewrite the doc from the JSON lines of a run's output (several: merged)")
    args = parser.parse_args()

    if args.bench_only:
        return bench_only(args, counts_for(args))

    if args.table_from:
        rows, meta, shared_rows = read_logs(args.table_from)
        if args.shared_from:
            shared_rows = shared_rows_from(args.shared_from, meta)
        out = args.out or os.path.join(ROOT, "docs", "validated-models.md")
        write_doc(rows, meta, shared_rows, out)
        print(f"wrote {out}")
        return 0

    counts = counts_for(args)
    chosen = SMALL_TOPOLOGIES if args.small else TOPOLOGIES
    if args.only:
        wanted = [n for n in args.only.split(",") if n]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"unknown topology {', '.join(unknown)}; known: {', '.join(names)}")
        pool = {t.name: t for t in TOPOLOGIES + SMALL_TOPOLOGIES}
        chosen = [pool[n] for n in wanted]
    if not os.path.isdir(IMAGENET):
        sys.exit(f"error: {IMAGENET} not found (the calibration and evaluation images come from ../shared)")
    globals()["OCTET"] = os.path.abspath(args.octet)  # every command below runs this binary
    if not os.access(OCTET, os.X_OK):
        sys.exit(f"error: {OCTET} not found: build it first (scripts/build.sh)")
    binary_at_start = binary_stamp()
    args.work = os.path.abspath(args.work)
    os.makedirs(os.path.join(args.work, "logs"), exist_ok=True)
    out = args.out or (os.path.join(args.work, "validated-models.md") if (args.only or args.small)
                       else os.path.join(ROOT, "docs", "validated-models.md"))

    started = time.time()
    splits = {"classification": qr.write_splits(IMAGENET, args.work),
              "unlabeled": qr.write_splits(IMAGENET, args.work, labeled=False)}
    rows = []
    for topo in chosen:
        print(f"=== {topo.name}", flush=True)
        row = validate(topo, args, counts, args.work, splits)
        rows.append(row)
        print(json.dumps(row), flush=True)
    shared_rows = []
    if args.with_shared:
        shared_rows = run_shared(args.with_shared, args.work)
        for s in shared_rows:
            print(json.dumps({"shared": s}), flush=True)
    command = "/usr/bin/python3 scripts/validated_models.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:] if a != "")
    meta = {"date": str(datetime.date.today()), "load_average": qr.load_average(), "counts": counts,
            "time": args.time, "minutes": (time.time() - started) / 60, "work": args.work, "command": command.strip(),
            "octet": {"path": display([OCTET], args.work), "built_at_start": binary_at_start,
                      "built_at_end": binary_stamp()}}
    print(json.dumps({"meta": meta}), flush=True)
    write_doc(rows, meta, shared_rows, out)
    print(f"wrote {out} ({meta['minutes']:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
