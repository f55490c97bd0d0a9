#!/usr/bin/env bash
# The test command (README; .ci/run calls it): installs what the tests need, then format,
# lints and every test, against the shipped model. Corpus-based checks (CoNLL, PolNeAR) run
# when ../shared/data (or WHOSAID_DATA) is there and skip with a message otherwise.
# Then the precision-sensitive tests (the tagger's kernels: reproducible output, the seed
# acceptance across precisions, golden files, HTML pages, the unit tests of the int8 kernels
# and the own BERT forward) again with AVX2 kernels forced in
# OpenBLAS, libtorch and oneDNN, so that they hold on CPUs without AVX512 too.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
[ -x scripts/install-test-deps.sh ] && ./scripts/install-test-deps.sh
# Cargo caches its probes of rustc in target/.rustc_info.json. One report had a cached failed
# probe there on a fresh clone (not reproduced since), which made every later cargo command
# fail with "failed to run `rustc` to learn about target-specific information". The file is a
# cache: a failed entry in it is dropped, and cargo probes again.
if [ -f target/.rustc_info.json ] && grep -q '"success":false' target/.rustc_info.json; then
  echo "test.sh: target/.rustc_info.json caches a failed rustc probe; removing the cache" >&2
  rm -f target/.rustc_info.json
fi
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
[ -f target/.rustc_info.json ] && grep -q '"success":false' target/.rustc_info.json \
  && rm -f target/.rustc_info.json
cargo test --release --no-fail-fast 2>&1
# The fuzz crate (fuzz/, the model-free modules through symlinks) must keep building; fuzzing
# itself is by hand (fuzz/README.md).
(cd fuzz && cargo build --quiet)
echo "test.sh: the precision-sensitive tests again with AVX2 kernels forced"
OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 cargo test --release \
  --no-fail-fast --lib --test reproducible --test seed_gold --test golden --test html_pages \
  --test joint_model 2>&1
