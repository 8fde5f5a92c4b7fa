#!/usr/bin/env bash
# CI smoke test of the validated topologies (docs/validated-models.md): runs the fast subset of
# scripts/validated_models.py (--small: ResNet-18 64x64, MobileNet v3 small 96x96, SqueezeNet 1.1 64x64,
# ShuffleNet v2 64x64, tiny YOLOv3 128x128, UNet2D 64x64, NCF; random weights, a few ImageNet-sample images) and
# fails if a row does not run in int8 or if its fp32 / int8 output cosine similarity is below its bound.
#   scripts/validated_models_smoke.sh [WORK]        (WORK defaults to /tmp/octet-validated-smoke)
# Needs build/octet (scripts/build.sh) and ../shared/data/imagenet-sample. Installs Debian's PyTorch,
# onnx, numpy and PIL if missing (scripts/install_torch.sh; a no-op without network when they are there).
# Run as root, or with sudo.
#
# Bounds on the mean fp32 / int8 output cosine (measured on AVX-512 VNNI, 2026-11-29, 1.3 min for the whole run):
#   0.95 by default: ResNet-18 0.994, SqueezeNet 1.1 1.000, UNet2D 0.989, tiny YOLOv3 0.979, NCF 1.000. A broken
#        int8 path (wrong scale, layout, zero point or saturation) gives far less; the margin covers AVX2
#        machines (saturation-safe weights are coarser) and the 16-image calibration. 0.98 would be too tight for
#        tiny YOLOv3 at 128x128.
#   lower for the two random networks whose int8 cosine is low although the int8 kernels do what the quantized
#        model says (its fake-quant simulation, `octet run --precision f32`, scores the same):
#        MobileNet v3 small 0.73, bound 0.55 (per-tensor symmetric ranges on hardswish / SE tensors cost that
#        much; --preset mixed gives 0.87); ShuffleNet v2 0.88, bound 0.75 (this random network amplifies small
#        errors: 1% noise after every conv already gives 0.79).
# Known engine gaps go into KNOWN_GAPS below (expected to fail, reported as XFAIL; XPASS once fixed). None now:
# NCF's two-input calibration (`--data user=DIR,item=DIR`) works since the 2026-11-29 08:32 build.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-/tmp/octet-validated-smoke}"

./scripts/install_torch.sh

mkdir -p "$WORK"
LOG="$WORK/smoke.log"
start=$SECONDS
# Debian's interpreter on purpose: a python3 earlier in PATH (pyenv, venv) would not see python3-torch.
/usr/bin/python3 scripts/validated_models.py --small --work "$WORK" --out "$WORK/validated-models.md" | tee "$LOG"
echo "validated_models_smoke: run took $((SECONDS - start)) s; table: $WORK/validated-models.md"

/usr/bin/python3 - "$LOG" <<'EOF'
import json
import sys

DEFAULT_BOUND = 0.95
BOUNDS = {"mobilenet_v3_small_96": 0.55, "shufflenet_v2_x1_0_64": 0.75}
KNOWN_GAPS = {}  # name: why (an engine gap being fixed)

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith('{"name"')]
failures = 0
for row in rows:
    name = row["name"]
    cosine = (row.get("agreement") or {}).get("cosine_mean")
    bound = BOUNDS.get(name, DEFAULT_BOUND)
    problems = [f"{e['stage']}: {e['message']}" for e in row["errors"]]
    if not row.get("int8_runs"):
        problems.append("does not run in int8")
    elif cosine is None or cosine < bound:
        problems.append(f"cosine {cosine} < {bound}")
    if name in KNOWN_GAPS:
        verdict = "XFAIL" if problems else "XPASS (fixed? remove it from KNOWN_GAPS)"
        print(f"{verdict:6} {name}: known gap: {KNOWN_GAPS[name]}" + (f"; {problems[0]}" if problems else ""))
        continue
    if problems:
        failures += 1
        print(f"FAIL   {name}: " + "; ".join(problems))
    else:
        print(f"ok     {name}: int8, cosine {cosine:.4f} >= {bound}")
if len(rows) == 0:
    print("FAIL   no rows in the log")
    failures += 1
sys.exit(1 if failures else 0)
EOF
