#!/usr/bin/env bash
# Benchmark of `whosaid extract` (NER + quotes): words/s with --threads 1 and 2, peak memory,
# model load time; and tagging throughput alone (`whosaid bench-tag`).
# Articles: the PolNeAR dev texts (84 real news articles, ~67k words) read from
# ${WHOSAID_DATA:-../shared/data}; never copied. Falls back to fixtures/ repeated 40 times.
# Usage: scripts/bench.sh [MODEL_DIR] [N_COPIES]   (N_COPIES duplicates the set for longer runs)
# PRECISION=f32|bf16|auto (default auto) picks the number format of the forward passes.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/whosaid-ner-en}
copies=${2:-1}
data=${WHOSAID_DATA:-../shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
. scripts/bench-input.sh
echo "bench: $label, $docs documents, $words words, model $model"
for t in 1 2; do
  /usr/bin/time -f "%e %M" -o "$work/time" \
    env WHOSAID_STATS=1 ./target/release/whosaid extract "$work/in" --model "$model" --threads "$t" --precision "${PRECISION:-auto}" -o "$work/out.jsonl" 2> "$work/err"
  read -r secs kb < "$work/time"
  grep -o "model loaded in [0-9.]*s, [a-z0-9]*" "$work/err" | head -1 | sed "s/^/  threads $t: /"
  awk -v w="$words" -v s="$secs" -v k="$kb" -v t="$t" \
    'BEGIN { printf "  extract --threads %d: %.1f s, %.0f words/s, peak RSS %.0f MiB\n", t, s, w / s, k / 1024 }'
done
./target/release/whosaid bench-tag "$work/in" --model "$model" --threads 2 --precision "${PRECISION:-auto}"
