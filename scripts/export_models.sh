#!/usr/bin/env bash
# Exports the benchmark topologies (ResNet-50, MobileNet v2, SSD-style, UNet-style; random weights, opset 13)
# with Debian's PyTorch, and their int8 QDQ twins (scripts/quantize_qdq.py; --no-qdq skips them):
#   scripts/export_models.sh [OUT] [--models a,b] [--check] [--octet build/octet] [--no-qdq]
# OUT defaults to bench/models/. Installs python3-torch, python3-torchvision and python3-onnx if missing
# (idempotent: does nothing and needs no network when they are there). Run as root, or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-pil: scripts/quantize_qdq.py decodes the calibration images with it.
PACKAGES=(python3-torch python3-torchvision python3-onnx python3-numpy python3-pil)
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "export_models: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Debian's interpreter on purpose: a python3 earlier in PATH (pyenv, venv) would not see python3-torch.
exec /usr/bin/python3 scripts/export_models.py "$@"
