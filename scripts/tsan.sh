#!/usr/bin/env bash
# The concurrency tests under ThreadSanitizer: scripts/tsan.sh [GTEST_FILTER]
# Builds build-tsan/ (scripts/build.sh tsan: the engine and octet_concurrency_tests only) and runs
# ConcurrencyTest.* and InferRequestTest.* (requests from several threads, start_async on several streams).
# Any report fails the run.
#
# OpenMP: Debian's libgomp is not built with TSan, so TSan cannot see the barriers of an OpenMP team and would
# report every hand-over of data between team threads as a race (false positives). The run therefore caps every
# OpenMP team at one thread (OMP_THREAD_LIMIT=1, which also overrides the runtime's omp_set_num_threads; and
# OCTET_CONCURRENCY_THREADS_PER_STREAM=1 compiles the test models that way): no team is ever spawned,
# while our own threads, streams (stream_executor.cpp), queues and per-request state are fully checked.
# No suppressions: a report in our code is a bug to fix, not to hide. (GCC's target_clones is left out under
# TSan: src/kernels/target_clones.h.)
# OCTET_TSAN_NO_BUILD=1 uses build-tsan/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

filter="${1:-ConcurrencyTest.*:InferRequestTest.*}"
if [ "${OCTET_TSAN_NO_BUILD:-0}" != 1 ]; then scripts/build.sh tsan; fi

export OMP_THREAD_LIMIT=1 OMP_NUM_THREADS=1 OCTET_CONCURRENCY_THREADS_PER_STREAM=1
export OCTET_CONCURRENCY_ROUNDS="${OCTET_CONCURRENCY_ROUNDS:-16}"
export TSAN_OPTIONS="halt_on_error=1 abort_on_error=0 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
OCTET_CLI="" build-tsan/tests/octet_concurrency_tests --gtest_filter="$filter"
