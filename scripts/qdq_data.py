"""Calibration and validation inputs for scripts/quantize_qdq.py: real ImageNet images preprocessed the way
each model expects (../shared/README.md sections 1.1 and 3.1), or seeded random normal tensors where no image
data fits. Needs numpy; PIL (Debian python3-pil) only for the image sets.

The 1000 images of ../shared/data/imagenet-sample (one per class) are split by position in sorted order:
calibration takes indices 0, 10, 20, ... (then 1, 11, ... if more are asked for), validation takes 5, 15,
25, ... (then 6, 16, ...), so the two sets never share an image and both spread over all classes."""
import os

import numpy as np

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class Recipe:
    """How a model's input is made from an image.

    size:   the square input side S.
    resize: 'shorter' = shorter side to round(S / 0.875), then centre crop S x S (ImageNet evaluation);
            'squash'  = the whole image to S x S (detectors, no crop).
    scale:  'imagenet' = x / 255 then per-channel mean/std (torchvision); 'tflite' = (x - 128) / 128 (the
            TFLite-converted MobileNets of ../shared).
    """

    def __init__(self, size, resize="shorter", scale="imagenet"):
        if resize not in ("shorter", "squash") or scale not in ("imagenet", "tflite"):
            raise ValueError(f"bad recipe {resize}/{scale}")
        self.size, self.resize, self.scale = size, resize, scale

    def __repr__(self):
        return f"Recipe({self.size}, {self.resize}, {self.scale})"


def recipe_for(name, input_shape):
    """The preprocessing of a known model, or None (random inputs) when its input is not one RGB image."""
    if len(input_shape) != 4 or input_shape[1] != 3 or input_shape[2] != input_shape[3]:
        return None
    size = input_shape[2]
    if not isinstance(size, int) or size <= 0:
        return None
    if name.startswith("mobilenet_v1_") or name.startswith("mobilenet_v2_1.0_224"):
        return Recipe(size, "shorter", "tflite")
    if name.startswith("ssd"):
        return Recipe(size, "squash", "imagenet")
    return Recipe(size, "shorter", "imagenet")  # torchvision classifiers, unet


def image_list(data_dir):
    """(file name, class index 0..999) of imagenet-sample, sorted by file name."""
    labels = os.path.join(data_dir, "labels.txt")
    with open(labels) as f:
        pairs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return sorted((name, int(label)) for name, label in pairs)


def split_indices(total, count, offset):
    """`count` indices of 0..total-1 spread every 10th, starting at offset, then offset+1, ...; two calls with
    offsets 0 and 5 and counts up to total / 2 never overlap."""
    picked = []
    for start in range(offset, offset + 5):
        picked += list(range(start % 10, total, 10))
        if len(picked) >= count:
            break
    return sorted(picked[:count])


def load_image(path, recipe):
    """One preprocessed image as float32 [3, S, S] (RGB), following ../shared/README.md exactly: PIL bilinear
    (antialiased) resize, integer-floor centre crop."""
    from PIL import Image  # noqa: PLC0415 (only the image sets need PIL)

    with Image.open(path) as img:
        img = img.convert("RGB")
        s = recipe.size
        if recipe.resize == "squash":
            if img.size != (s, s):
                img = img.resize((s, s), Image.BILINEAR)
        else:
            r = round(s / 0.875)
            w, h = img.size
            short, long = (w, h) if w <= h else (h, w)
            new_long = round(long * r / short)
            new_size = (r, new_long) if w <= h else (new_long, r)
            if img.size != new_size:
                img = img.resize(new_size, Image.BILINEAR)
            w, h = img.size
            left, top = (w - s) // 2, (h - s) // 2
            img = img.crop((left, top, left + s, top + s))
        x = np.asarray(img, dtype=np.float32)  # [S, S, 3]
    if recipe.scale == "tflite":
        x = (x - 128.0) / 128.0
    else:
        x = (x / 255.0 - np.array(IMAGENET_MEAN, np.float32)) / np.array(IMAGENET_STD, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)


def image_batch(data_dir, recipe, count, offset):
    """[count, 1, 3, S, S] float32 and the class labels of the chosen images."""
    images = image_list(data_dir)
    chosen = [images[i] for i in split_indices(len(images), count, offset)]
    batch = np.stack([load_image(os.path.join(data_dir, name), recipe)[None] for name, _ in chosen])
    return batch, [label for _, label in chosen]


def random_batch(shape, count, seed):
    """[count, *shape] float32 standard normal, seeded: the fallback where no real data fits."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((count, *shape), dtype=np.float32)
