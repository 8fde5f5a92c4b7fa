#!/usr/bin/env bash
# Installs Debian's PyTorch and what the model scripts import with it (scripts/export_models.py,
# scripts/validated_models.py, scripts/quantize_qdq.py: onnx, numpy, PIL for the calibration images).
# Idempotent: does nothing and needs no network when they are installed. Run as root, or with sudo.
set -euo pipefail

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
  echo "install_torch: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
