#!/usr/bin/env bash
# Exports the benchmark topologies (ResNet-50, MobileNet v2, SSD-style, UNet-style; random weights, opset 13)
# with Debian's PyTorch, and their int8 QDQ twins (scripts/quantize_qdq.py; --no-qdq skips them):
#   scripts/export_models.sh [OUT] [--models a,b] [--check] [--octet build/octet] [--no-qdq]
# OUT defaults to bench/models/. Installs Debian's PyTorch, onnx, numpy and PIL if missing
# (scripts/install_torch.sh: a no-op without network when they are there). Run as root, or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_torch.sh
# Debian's interpreter on purpose: a python3 earlier in PATH (pyenv, venv) would not see python3-torch.
exec /usr/bin/python3 scripts/export_models.py "$@"
