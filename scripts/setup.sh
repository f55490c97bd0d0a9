#!/usr/bin/env bash
# Installs what whosaid needs on a fresh Debian machine (idempotent): Debian's libtorch 1.13
# (matches rust-bert 0.20 / tch 0.10) and OpenBLAS (without it a BERT forward pass is ~40x
# slower). Needs root (or sudo) for apt-get. The Rust toolchain must already be there.
set -euo pipefail
need=()
for pkg in libtorch-dev libopenblas0-pthread "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: cargo not found: install Rust (rustup) first" >&2; exit 1; }
