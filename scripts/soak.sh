#!/usr/bin/env bash
# Soak test: scripts/soak.sh [SECONDS]   (default 600; CI runs ConcurrencyTest.* for ~1 s instead)
# Runs ConcurrencyTest.DISABLED_Soak from the Release build for SECONDS: threads calling infer() and requests
# started with start_async() on two streams, at once, on the default model (fp32 and int8) and the CIFAR-10
# ResNet from ../shared when present; every output is compared bit for bit with a sequential run. Prints the
# inferences checked, throughput, mismatches, and VmRSS at start / after 1 min / end and VmHWM; fails on a
# mismatch or more than 32 MB of RSS growth. Then a short leak check: the same workload under valgrind
# memcheck (definite leaks are errors; OCTET_SOAK_VALGRIND=0 skips it).
# OCTET_SOAK_NO_BUILD=1 uses build/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
if [ "${OCTET_SOAK_NO_BUILD:-0}" != 1 ]; then
  scripts/install_deps.sh
  scripts/build.sh Release
fi

echo "soak: ${seconds} s"
OCTET_SOAK_SECONDS="$seconds" build/tests/octet_tests --gtest_also_run_disabled_tests \
  --gtest_filter=ConcurrencyTest.DISABLED_Soak

if [ "${OCTET_SOAK_VALGRIND:-1}" = 1 ]; then
  echo "soak: leak check (valgrind memcheck, one round of the fp32 and int8 concurrency tests)"
  # OpenMP's thread pool and oneDNN's primitive cache stay allocated until exit by design ("still
  # reachable"); only memory nothing points to any more is a leak.
  OCTET_CONCURRENCY_ROUNDS=1 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
    build/tests/octet_tests --gtest_filter='ConcurrencyTest.DefaultModelFp32:ConcurrencyTest.DefaultModelInt8'
fi
echo "soak: ok"
