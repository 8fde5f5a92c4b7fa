#!/usr/bin/env bash
# Retrains the default model (models/fashion_mnist_cnn.onnx) with Debian's PyTorch on one CPU core, a few
# minutes. Installs PyTorch if needed (install_torch.sh); the data set comes from install_deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_deps.sh
./scripts/install_torch.sh
# Debian's interpreter on purpose: a python3 earlier in PATH (pyenv, venv) would not see python3-torch.
exec /usr/bin/python3 scripts/train_default_model.py "$@"
