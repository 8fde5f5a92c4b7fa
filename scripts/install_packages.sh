#!/usr/bin/env bash
# scripts/install_packages.sh LABEL PACKAGE...: installs the Debian packages of the list that are not installed
# yet, the one apt-get path of install_deps.sh and install_torch.sh. Idempotent: when every package is there it
# does nothing (and needs no network). Run as root, or as a user with sudo.
set -euo pipefail

label="$1"
shift
missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "$label: all $# packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "$label: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
