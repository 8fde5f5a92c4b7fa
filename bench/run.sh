#!/usr/bin/env bash
# One command for the Octet-vs-onnxruntime comparison: installs what is missing (Node.js + npm from
# Debian, onnxruntime-node into bench/node_modules, PyTorch for the exports), exports the topologies into
# bench/models/ if they are not there, writes their int8 QDQ twins (and those of ../shared's ImageNet
# MobileNets) if missing, builds build/octet, then runs bench/compare_onnxruntime.py with the given
# arguments (defaults: 5 rounds x 10 s per engine, 2 threads; the int8 runs double the time of the 7 models
# with a twin).
#   bench/run.sh [--rounds 5] [--time 10] [--only resnet50,mobilenet] ...   (see compare_onnxruntime.py -h)
# BENCH_SKIP_BUILD=1 uses build/octet as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bench: installing nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends nodejs npm
fi

# --ignore-scripts: onnxruntime-node's postinstall only fetches optional GPU binaries (and this machine
# reaches no host but the registries); the CPU binding ships in the package itself.
if ! (cd bench && node -e "require('onnxruntime-node')" 2>/dev/null); then
  echo "bench: npm ci (onnxruntime-node)"
  (cd bench && npm ci --ignore-scripts --no-audit --no-fund)
  (cd bench && node -e "require('onnxruntime-node')")
fi

for model in resnet50 mobilenet_v2 ssd_mobilenet unet; do
  if [ ! -f "bench/models/$model.onnx" ]; then
    ./scripts/export_models.sh bench/models
    break
  fi
done

# The int8 twins (<name>.qdq.onnx) of the exports and of ../shared's ImageNet MobileNets; one newer than its
# float model is kept (scripts/quantize_qdq.py --standard bench/models --force redoes them). A failure only
# empties that model's int8 columns.
int8=1
for arg in "$@"; do
  if [ "$arg" = "--no-int8" ]; then int8=0; fi
done
if [ "$int8" = 1 ]; then
  for package in python3-onnx python3-numpy python3-pil; do  # what quantize_qdq.py imports
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      echo "bench: installing $package"
      $SUDO apt-get install -y --no-install-recommends "$package"
    fi
  done
  /usr/bin/python3 scripts/quantize_qdq.py --standard bench/models ||
    echo "bench: some QDQ models could not be written; their int8 columns stay empty"
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./scripts/install_deps.sh
  ./scripts/build.sh Release
fi

exec /usr/bin/python3 bench/compare_onnxruntime.py "$@"
