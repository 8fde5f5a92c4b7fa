#!/usr/bin/env bash
# The main job: set up a fresh Debian 12 machine, build Octet (Release), and run the default model on the
# Fashion-MNIST test set (build/octet demo). Extra arguments go to `octet demo` (e.g. --limit 1000).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_deps.sh
./scripts/build.sh Release
./build/octet demo "$@"
