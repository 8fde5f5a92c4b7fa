#!/usr/bin/env bash
# Configures and builds Octet: scripts/build.sh [Release|Debug|asan]
#   Release (default) and Debug -> build/, asan -> build-asan/ (Debug + AddressSanitizer/UBSan).
# Parallelism: $OCTET_JOBS, default the number of cores.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-Release}"
case "$mode" in
  Release | Debug) dir=build; flags=(-DCMAKE_BUILD_TYPE="$mode" -DOCTET_SANITIZE=OFF) ;;
  # -O1 keeps the sanitized reference kernels fast enough for the model tests while keeping stacks readable;
  # -g1 (line tables only: sanitizer reports still show file:line) compiles ~20% faster than Debug's full -g.
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DOCTET_SANITIZE=ON) ;;
  *) echo "usage: $0 [Release|Debug|asan]" >&2; exit 1 ;;
esac

cmake -S . -B "$dir" -G Ninja "${flags[@]}"
cmake --build "$dir" -j "${OCTET_JOBS:-$(nproc)}"
