#!/usr/bin/env bash
# Configures and builds Octet: scripts/build.sh [Release|Debug|asan|tsan]
#   Release (default) and Debug -> build/, asan -> build-asan/ (Debug + AddressSanitizer/UBSan),
#   tsan -> build-tsan/ (ThreadSanitizer; only the concurrency tests, octet_concurrency_tests: scripts/tsan.sh).
# Parallelism: $OCTET_JOBS, default the number of cores.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-Release}"
targets=()
case "$mode" in
  Release | Debug) dir=build; flags=(-DCMAKE_BUILD_TYPE="$mode" -DOCTET_SANITIZE=OFF) ;;
  # -O1 keeps the sanitized reference kernels fast enough for the model tests while keeping stacks readable;
  # -g1 (line tables only: sanitizer reports still show file:line) compiles ~20% faster than Debug's full -g.
  # octet_tests runs as 8 GoogleTest shards there (tests/CMakeLists.txt: OCTET_TEST_SHARDS).
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DOCTET_SANITIZE=ON
                               -DOCTET_TEST_SHARDS=8) ;;
  # No root CMake option needed: the flags go to every target (OpenMP's libgomp stays uninstrumented, see
  # scripts/tsan.sh).
  tsan) dir=build-tsan; targets=(--target octet_concurrency_tests)
        flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DOCTET_SANITIZE=OFF
               -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer"
               -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread") ;;
  *) echo "usage: $0 [Release|Debug|asan|tsan]" >&2; exit 1 ;;
esac

cmake -S . -B "$dir" -G Ninja "${flags[@]}"
cmake --build "$dir" -j "${OCTET_JOBS:-$(nproc)}" "${targets[@]}"
