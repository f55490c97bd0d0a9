#!/usr/bin/env bash
# The main job on a fresh machine: install what is needed, build, and run `whosaid extract`
# on fixtures/ with the shipped model. Output: out/fixtures.jsonl (and a summary on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release --quiet
mkdir -p out
WHOSAID_STATS=1 ./target/release/whosaid extract fixtures/seeds fixtures/articles fixtures/html -o out/fixtures.jsonl
echo "wrote out/fixtures.jsonl ($(wc -l < out/fixtures.jsonl) documents)"
./target/release/whosaid who Putin out/fixtures.jsonl | head -20
