#!/usr/bin/env bash
# Retrains the default model (models/fashion_mnist_cnn.onnx) with Debian's PyTorch on one CPU core, a few
# minutes. Installs python3-torch if needed; the data set comes from install_deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_deps.sh
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends python3-torch python3-numpy
fi
# Debian's interpreter on purpose: a python3 earlier in PATH (pyenv, venv) would not see python3-torch.
exec /usr/bin/python3 scripts/train_default_model.py "$@"
