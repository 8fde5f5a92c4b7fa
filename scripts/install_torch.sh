#!/usr/bin/env bash
# Installs Debian's PyTorch and what the model scripts import with it (scripts/export_models.py,
# scripts/validated_models.py, scripts/quantize_qdq.py: onnx, numpy, PIL for the calibration images).
# Idempotent: does nothing and needs no network when they are installed. Run as root, or with sudo.
set -euo pipefail

PACKAGES=(python3-torch python3-torchvision python3-onnx python3-numpy python3-pil)
exec "$(dirname "$0")/install_packages.sh" install_torch "${PACKAGES[@]}"
