#!/usr/bin/env bash
# The test command (README; .ci/run calls it): installs what the tests need, then format,
# lints and every test, against the shipped model. Corpus-based checks (CoNLL, PolNeAR) run
# when ../shared/data (or WHOSAID_DATA) is there and skip with a message otherwise.
# Then the precision-sensitive tests (the tagger's kernels: reproducible output, the seed
# acceptance across precisions, golden files, HTML pages) again with AVX2 kernels forced in
# OpenBLAS, libtorch and oneDNN, so that they hold on CPUs without AVX512 too.
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
echo "test.sh: the precision-sensitive tests again with AVX2 kernels forced"
OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 \
  cargo test --release --no-fail-fast --test reproducible --test seed_gold --test golden --test html_pages 2>&1
OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 \
  cargo test --release --lib ner:: 2>&1
