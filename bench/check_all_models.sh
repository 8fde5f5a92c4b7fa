#!/usr/bin/env bash
# `octet benchmark -pc --json` on every model of ../shared/models (ONNX and OpenVINO IR) and every export in
# bench/models (fp32 and .qdq.onnx): each must run, write per-layer counters and a positive median latency.
# Prints one line per model and a summary; exit status 1 if any failed. Outputs go to ${OUT:-/tmp/octet_pc}.
#   bench/check_all_models.sh [build/octet]
set -uo pipefail
cd "$(dirname "$0")/.."
octet="${1:-build/octet}"
out="${OUT:-/tmp/octet_pc}"
mkdir -p "$out"
ok=0
failed=0
while IFS= read -r model; do
  shape=()
  case "$model" in
    *ch_PP-OCR*) shape=(-shape "x[1,3,640,640]") ;;  # dynamic spatial dims
    *cifar10*) shape=(-shape "[1,3,32,32]") ;;
  esac
  name="$(basename "$model")"
  if timeout 600 "$octet" benchmark -m "$model" "${shape[@]}" -niter 3 -nthreads 2 -hint latency -pc \
       --json "$out/$name.json" >"$out/$name.log" 2>&1 &&
     /usr/bin/python3 -c "import json, sys; j = json.load(open(sys.argv[1])); \
assert j['per_layer'] and j['latency_ms']['median'] > 0" "$out/$name.json"; then
    ok=$((ok + 1))
    echo "ok   $model ($(grep -c EXECUTED "$out/$name.log") executed rows)"
  else
    failed=$((failed + 1))
    echo "FAIL $model: $(tail -1 "$out/$name.log")"
  fi
done < <(find ../shared/models -name '*.xml' -o -name '*.onnx' | sort; ls bench/models/*.onnx 2>/dev/null)
echo "ok $ok, failed $failed"
[ "$failed" -eq 0 ]
