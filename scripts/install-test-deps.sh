#!/usr/bin/env bash
# Installs what the tests need beyond cargo (idempotent: does nothing that is already there):
# - headless Chromium and chromedriver (Debian's `chromium` and `chromium-driver`) for
#   tests/report_chromium.rs, which renders `whosaid report` in a real browser (without them
#   that test prints SKIPPED and checks nothing);
# - pyarrow in .venv-parquet (git-ignored), with which tests/parquet.rs reads the Parquet
#   tables back.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-test-deps: chromium and chromedriver already installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  echo "install-test-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
fi
if .venv-parquet/bin/python -c 'import pyarrow' 2>/dev/null; then
  echo "install-test-deps: pyarrow already in .venv-parquet"
else
  python3 -m venv .venv-parquet
  .venv-parquet/bin/pip install -q --disable-pip-version-check pyarrow
  echo "install-test-deps: installed pyarrow $(.venv-parquet/bin/python -c 'import pyarrow; print(pyarrow.__version__)') into .venv-parquet"
fi
