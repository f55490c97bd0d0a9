#!/usr/bin/env bash
# Installs what the tests need beyond cargo: headless Chromium and chromedriver (Debian's
# `chromium` and `chromium-driver`) for tests/report_chromium.rs, which renders `whosaid report`
# in a real browser. Idempotent: does nothing when both are there. Without them that test
# prints SKIPPED and checks nothing.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-test-deps: chromium and chromedriver already installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium chromium-driver >/dev/null
echo "install-test-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
