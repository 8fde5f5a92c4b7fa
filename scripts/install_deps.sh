#!/usr/bin/env bash
# Installs every Debian 12 package Octet needs to build, test and run its demo. Idempotent: when everything is
# already installed it does nothing (and needs no network). Run as root, or as a user with sudo.
# PyTorch is not here: only scripts/train_default_model.sh needs it, and installs it itself.
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build g++ pkg-config clang-format
  # model formats: ONNX protobuf, TFLite flatbuffers, OpenVINO IR xml
  libprotobuf-dev protobuf-compiler libonnx-dev libflatbuffers-dev flatbuffers-compiler libpugixml-dev
  # kernels, CLI, JSON
  # (Debian's dnnl-config.cmake looks for OpenCL, a recommended package that --no-install-recommends skips)
  libdnnl-dev ocl-icd-opencl-dev libcli11-dev nlohmann-json3-dev
  # images and compressed data sets
  libjpeg-dev libpng-dev zlib1g-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libonnx-testdata
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # leak check of the soak (scripts/soak.sh)
  valgrind
  # the demo's data set: /usr/share/datasets/fashion-mnist
  dataset-fashion-mnist
)

exec "$(dirname "$0")/install_packages.sh" install_deps "${PACKAGES[@]}"
