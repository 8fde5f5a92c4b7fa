#!/bin/sh
# Builds and runs the x86 int8 kernel benchmark against an existing Release build's engine library.
# Usage: bench/kernels/run.sh [build dir, default build-x86int8] [rounds, default 15]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-x86int8}
out=$build/x86_int8_bench
g++ -std=c++20 -O2 -fopenmp -I"$root/src" -I"$root/include" -I"$root" "$root/bench/kernels/x86_int8_bench.cpp" \
  "$build/src/liboctet_engine.a" -ldnnl -o "$out"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$out" "${2:-15}"
