#!/usr/bin/python3
"""Trains Octet's default model: a small CNN on Fashion-MNIST, exported to models/fashion_mnist_cnn.onnx.

Run with Debian's python3-torch (/usr/bin/python3), CPU only, one thread, fixed seeds, so the run is
repeatable on one machine. Reads Debian's dataset-fashion-mnist (idx files, gzip). Prints the test accuracy
that models/README.md quotes.

Preprocessing the model expects (the same the training used): x / 255, then (x - 0.2860) / 0.3530, as
float32 NCHW [N,1,28,28].
"""
import argparse
import gzip
import os
import random
import struct
import time

import numpy as np
import torch
from torch import nn

MEAN = 0.2860  # mean of the Fashion-MNIST training pixels / 255 (rounded)
STD = 0.3530   # their standard deviation (rounded)


def read_idx(path):
    """Reads an idx file (big-endian header: magic, then one u32 per dim) into a uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = (images.astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


class FashionCnn(nn.Module):
    """Conv-BN-ReLU-MaxPool x3, then one Linear: 28 -> 14 -> 7 -> 3 spatially."""

    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                    nn.MaxPool2d(2)]

        self.features = nn.Sequential(*block(1, 16), *block(16, 32), *block(32, 64))
        self.classifier = nn.Linear(64 * 3 * 3, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "..", "models",
                                                         "fashion_mnist_cnn.onnx"))
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)

    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "t10k")
    model = FashionCnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps_per_epoch = (len(train_x) + 127) // 128
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=4e-3, epochs=args.epochs,
                                                    steps_per_epoch=steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(train_x), 128):
            idx = order[i:i + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {evaluate(model, test_x, test_y):.4f}, "
              f"{time.time() - start:.0f} s", flush=True)

    accuracy = evaluate(model, test_x, test_y)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), args.output, opset_version=13, input_names=["image"],
                      output_names=["logits"], dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=False,
                      # PRESERVE (with the model in eval mode) keeps BatchNormalization as its own node instead of
                      # folding it into the Conv: Octet's own folding pass should have something to do.
                      training=torch.onnx.TrainingMode.PRESERVE)
    print(f"final test accuracy {accuracy:.4f} ({round(accuracy * len(test_x))}/{len(test_x)}); "
          f"wrote {args.output} ({os.path.getsize(args.output)} bytes)")


if __name__ == "__main__":
    main()
