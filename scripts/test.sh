#!/usr/bin/env bash
# The test command (README; .ci/run calls it): installs what the tests need, then format,
# lints and every test, against the shipped model. Corpus-based checks (CoNLL, PolNeAR) run
# when ../shared/data (or WHOSAID_DATA) is there and skip with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
[ -x scripts/install-test-deps.sh ] && ./scripts/install-test-deps.sh
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release --no-fail-fast 2>&1
# The fuzz crate (fuzz/, the model-free modules through symlinks) must keep building; fuzzing
# itself is by hand (fuzz/README.md).
(cd fuzz && cargo build --quiet)
