#!/usr/bin/env bash
# The main job: set up a fresh Debian 12 machine, build Octet (Release), then
#  1. the default model (models/fashion_mnist_cnn.onnx, shipped in the repo): quantize it on Fashion-MNIST
#     training images, run it in int8 on the test set, print fp32 vs int8 accuracy, speed and per-layer
#     counters (`octet demo`; extra arguments go to it, e.g. --limit 1000);
#  2. when ../shared is there (development and CI machines), a real ImageNet model: quantize MobileNet v2 on
#     300 images, evaluate fp32 vs int8 top-1 on 700 others, benchmark both with per-layer counters.
#     OCTET_SKIP_SHARED=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_deps.sh
./scripts/build.sh Release
./build/octet demo "$@"

shared="$(cd .. && pwd)/shared"
if [[ "${OCTET_SKIP_SHARED:-0}" == 1 || ! -d "$shared/models/imagenet" || ! -d "$shared/data/imagenet-sample" ]]; then
  echo "(no ../shared: the real-model part is skipped)"
  exit 0
fi

echo
echo "=== A real model: MobileNet v2 (ImageNet, $shared/models/imagenet) ==="
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
images="$shared/data/imagenet-sample"
# Calibration: 3 of every 10 images of labels.txt (300); evaluation: the other 700, never seen by calibration.
awk -v dir="$images" -F'\t' 'NR % 10 == 1 || NR % 10 == 4 || NR % 10 == 7 { print dir "/" $1 "\t" $2 }' \
  "$images/labels.txt" >"$work/calibration.txt"
awk -v dir="$images" -F'\t' '!(NR % 10 == 1 || NR % 10 == 4 || NR % 10 == 7) { print dir "/" $1 "\t" $2 }' \
  "$images/labels.txt" >"$work/evaluation.txt"
fp32="$shared/models/imagenet/mobilenet_v2_1.0_224.fp32.onnx"
int8="$work/mobilenet_v2.int8.xml"
# shared/README.md 1.1: shorter side to 256, centre 224 crop, (x - 128) / 128; output 0 is "background".
prep=(--resize 256 --crop 224 --mean 128,128,128 --std 128,128,128 --label-offset 1)

./build/octet quantize "$fp32" --data "$work/calibration.txt" --out "$int8" "${prep[@]}"
echo
./build/octet accuracy "$fp32" --compare "$int8" --data "$work/evaluation.txt" "${prep[@]}"
for model in "$fp32" "$int8"; do
  echo
  echo "--- octet benchmark -m $(basename "$model") -t 10 -nthreads 2 -pc ---"
  ./build/octet benchmark -m "$model" -t 10 -nthreads 2 -pc
done
