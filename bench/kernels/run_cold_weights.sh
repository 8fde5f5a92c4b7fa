#!/bin/sh
# Builds and runs the warm / cold weights benchmark of oneDNN's int8 1x1 convolutions (ResNet-50 shapes).
# Usage: bench/kernels/run_cold_weights.sh [output dir, default /tmp]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp}/onednn_cold_weights
g++ -std=c++20 -O2 -fopenmp "$root/bench/kernels/onednn_cold_weights.cpp" -ldnnl -o "$out"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$out"
