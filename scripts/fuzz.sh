#!/usr/bin/env bash
# Fuzzes Octet's readers of untrusted files with libFuzzer (fuzz/, docs/robustness.md).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   default: 60 s, every target
#   scripts/fuzz.sh --smoke [TARGET...]                CI: 10 s per target
# Env: OCTET_FUZZ_BUILD (build folder, default build-fuzz), OCTET_JOBS (ninja -j), OCTET_FUZZ_IR_MAX_LEN (the
# IR target's input size cap in bytes, default 262144; 8192 fuzzes only the small IR seeds).
# OCTET_FUZZ_MAX_LEN (every target's input size cap; big inputs such as whole photos make each execution slow),
# OCTET_FUZZ_SEEDS (where the seed corpora are built, default build-fuzz/seeds: give two runs at once their own).
# Configures and builds a clang ASan/UBSan build in build-fuzz/ (only the fuzzers and the engine parts they
# reach), builds the seed corpora in build-fuzz/seeds/ (from ../shared, the ONNX test data package, the repo's
# models and test data, and the small seeds checked in under fuzz/seeds/), replays fuzz/regressions/<target>/ (every past
# finding), then fuzzes each target and prints executions, corpus size, coverage and findings. New inputs go
# to build-fuzz/corpus/<target>/ (kept between runs), crash/leak/OOM/timeout inputs to
# build-fuzz/findings/<target>/. Exit status 0 only when no target found anything.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
if [[ "${1:-}" == "--smoke" ]]; then
  seconds=10
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi
all_targets=(onnx_reader ir_reader npy_reader tensor_proto_reader image_decoder quantize_config)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")

build="${OCTET_FUZZ_BUILD:-build-fuzz}"
shared=../shared
testdata=/usr/share/libonnx-testdata/data
# Seeds larger than this are left out (IR: its .bin is dropped, so the XML is still a seed): a big seed makes
# every execution slow, and the readers' size checks are reached by mutation of small files as well.
max_seed_bytes=$((2 * 1024 * 1024))

./scripts/install_deps.sh
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed (apt-get install clang)"; exit 1; }

start=$SECONDS
echo "=== fuzz: build ($build) ==="
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz -DOCTET_BUILD_FUZZERS=ON \
  >/dev/null
ninja -C "$build" ${OCTET_JOBS:+-j "$OCTET_JOBS"} >/dev/null
echo "build: $((SECONDS - start)) s"

# --- seed corpora -----------------------------------------------------------------------------------------
seeds="${OCTET_FUZZ_SEEDS:-$build/seeds}"
rm -rf "$seeds"
mkdir -p "$seeds"/{onnx_reader,ir_reader,npy_reader,tensor_proto_reader,image_decoder,quantize_config}
small_files() {  # small_files DIR PATTERN...: files under DIR matching any pattern, <= max_seed_bytes
  local dir="$1"
  shift
  [[ -d "$dir" ]] || return 0
  local args=()
  for pattern in "$@"; do args+=(${args[0]:+-o} -name "$pattern"); done
  find "$dir" -type f \( "${args[@]}" \) -size -"$max_seed_bytes"c | sort
}
copy_seeds() {  # copy_seeds TARGET: file names on stdin, each copied under a unique name
  local target="$1" n=0
  while read -r file; do
    n=$((n + 1))
    cp "$file" "$seeds/$target/$n-$(basename "$file")"
  done
}
{
  small_files models '*.onnx'
  small_files "$shared/models" '*.onnx'
  # Every third single-op model of the ONNX backend tests (one per op family is plenty of shapes).
  small_files "$testdata/node" model.onnx | awk 'NR % 3 == 1'
  small_files "$testdata" model.onnx | grep -v "/node/" || true
} | copy_seeds onnx_reader
{
  small_files tests/io/data '*.npy'
  small_files "$shared" "*.npy" | head -50 || true
} | copy_seeds npy_reader
{
  small_files "$shared/models" '*.pb'
  small_files "$testdata/node" '*.pb' | awk 'NR % 10 == 1'
} | copy_seeds tensor_proto_reader
{
  small_files tests/io/data '*.jpg' '*.png'
  small_files tests/evaluation/data '*.png'
  small_files "$shared/data/images" '*.png' '*.jpg'
  # A few of the real photos: the smallest ones (decoding time grows with the pixels).
  if [[ -d "$shared/data" ]]; then
    find "$shared/data" -type f \( -name '*.jpg' -o -name '*.JPEG' \) -size -40k | sort | head -20 || true
  fi
} | copy_seeds image_decoder
# IR: 4-byte little-endian XML length, the XML, the .bin (fuzz/fuzz_ir_reader.cpp).
# Real IRs are slow to fuzz whole (31 executions/s with 2 MB seeds): seeds are kept to ir_max_len, the .bin
# dropped where XML + .bin would pass it (the XML is still a seed), XMLs past it left out.
ir_max_len="${OCTET_FUZZ_IR_MAX_LEN:-$((256 * 1024))}"
/usr/bin/python3 - "$shared/models" "$seeds/ir_reader" "$ir_max_len" <<'EOF'
import pathlib, struct, sys
root, out, limit = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
for n, xml in enumerate(sorted(root.rglob("*.xml")) if root.is_dir() else []):
    text = xml.read_bytes()
    if len(text) + 4 > limit:
        continue
    bin_path = xml.with_suffix(".bin")
    data = bin_path.read_bytes() if bin_path.exists() else b""
    if len(text) + 4 + len(data) > limit:
        data = b""
    (out / f"{n}-{xml.stem}").write_bytes(struct.pack("<I", len(text)) + text + data)
EOF
# Quantization options: the keys options_from_json knows, valid and not.
/usr/bin/python3 - "$seeds/quantize_config" <<'EOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
examples = [
    {},
    {"preset": "performance", "estimator": "minmax"},
    {"preset": "mixed", "estimator": "percentile", "percentile": 99.9},
    {"estimator": "kl", "bias_correction": False, "cle": "on", "saturation_safe_weights": "auto"},
    {"estimator": "mse", "ignored_names": ["conv1", "fc"], "ignored_types": ["Softmax"],
     "ignored_patterns": ["^block_[0-9]+/.*"]},
    {"estimator": "mean_minmax", "max_drop": 0.01, "drop_type": "relative", "ranking_subset": 50,
     "max_reverted": 3},
    {"max_drop": 1, "drop_type": "absolute", "cle": "off"},
    {"preset": "fast"}, {"percentile": "high"}, {"ignored_patterns": ["("]}, [1, 2], "text", None,
]
for n, example in enumerate(examples):
    (out / f"{n}.json").write_text(json.dumps(example, indent=1))
EOF
for target in "${targets[@]}"; do
  printf 'seeds %-20s %5d files\n' "$target" "$(find "$seeds/$target" -type f | wc -l)"
done

# --- fuzzing ------------------------------------------------------------------------------------------------
# -malloc_limit_mb: one allocation past 1 GB is a finding (a small file must not ask for gigabytes);
# -rss_limit_mb: so is a process past 2.5 GB. -timeout: one input taking more than 30 s is a finding.
options=(-rss_limit_mb=2560 -malloc_limit_mb=1024 -timeout=30 -print_final_stats=1)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
summary=()
for target in "${targets[@]}"; do
  binary="$build/fuzz/fuzz_$target"
  [[ -x "$binary" ]] || { echo "fuzz.sh: no target $target"; exit 1; }
  corpus="$build/corpus/$target"
  findings="$build/findings/$target"
  log="$build/logs/$target.log"
  mkdir -p "$corpus" "$findings" "$build/logs"
  echo "=== fuzz: $target ($seconds s) ==="
  result="ok"
  # Every past finding first: each must now be rejected cleanly.
  regressions=(fuzz/regressions/"$target"/*)
  if [[ -e "${regressions[0]}" ]]; then
    if ! "$binary" "${options[@]}" "${regressions[@]}" >"$build/logs/$target.regressions.log" 2>&1; then
      result="REGRESSION (see $build/logs/$target.regressions.log)"
      status=1
    fi
  fi
  target_start=$SECONDS
  extra=()
  [[ "$target" == ir_reader ]] && extra=(-max_len="$ir_max_len")
  [[ -n "${OCTET_FUZZ_MAX_LEN:-}" ]] && extra=(-max_len="$OCTET_FUZZ_MAX_LEN")
  dirs=("$corpus" "$seeds/$target")
  [[ -d "fuzz/seeds/$target" ]] && dirs+=("fuzz/seeds/$target")
  [[ -d "fuzz/regressions/$target" ]] && dirs+=("fuzz/regressions/$target")
  if ! "$binary" "${options[@]}" "${extra[@]}" -max_total_time="$seconds" -artifact_prefix="$findings/" "${dirs[@]}" \
    >"$log" 2>&1; then
    result="FINDING (see $log and $findings/)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1 || true)
  time_s=$((SECONDS - target_start))
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | awk '{print $2}' || true)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | awk '{print $2}' || true)
  corp=$(grep -o 'corp: [0-9]*/[0-9A-Za-z]*' <<<"$last" | awk '{print $2}' || true)
  seed_count=$( (find "$seeds/$target" fuzz/seeds/"$target" -type f 2>/dev/null || true) | wc -l)
  line=$(printf '%-20s execs %9s  time %4ss  seeds %5s  corpus %-12s cov %6s  ft %6s  %s' "$target" \
    "${runs:-?}" "$time_s" "$seed_count" "${corp:-?}" "${cov:-?}" "${ft:-?}" "$result")
  echo "$line"
  summary+=("$line")
done

echo
echo "=== fuzz summary ($((SECONDS - start)) s in all) ==="
printf '%s\n' "${summary[@]}"
exit $status
