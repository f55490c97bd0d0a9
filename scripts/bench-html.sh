#!/usr/bin/env bash
# HTML throughput: `whosaid extract` over the pages of fixtures/html (copied N times, default
# 20), before and after a change, run alternately R times (default 3) to even out a shared CPU.
# Prints the extraction time (model load excluded, from WHOSAID_STATS) and pages/s of each run
# and the medians. Usage: scripts/bench-html.sh BEFORE_BINARY AFTER_BINARY [N] [R] [-- extract args]
# Example: scripts/bench-html.sh /tmp/whosaid-old target/release/whosaid 20 3 -- --precision f32
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 copies=${3:-20} rounds=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
[ "${1:-}" = "--" ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
for i in $(seq 1 "$copies"); do
  for f in fixtures/html/*.html; do cp "$f" "$work/in/$(basename "$f" .html)-$i.html"; done
done
pages=$(ls "$work/in" | wc -l)
echo "bench-html: $pages pages ($(cat "$work"/in/* | wc -c) bytes), extract --threads 2 $*"
declare -A secs
for r in $(seq 1 "$rounds"); do
  for which in before after; do
    bin=$before; [ "$which" = after ] && bin=$after
    WHOSAID_STATS=1 "$bin" extract "$work/in" --threads 2 "$@" -o "$work/out-$which.jsonl" 2> "$work/err"
    s=$(grep -o ' in [0-9.]*s (' "$work/err" | grep -o '[0-9.]*')
    secs[$which]="${secs[$which]:-} $s"
    awk -v w="$which" -v s="$s" -v p="$pages" -v r="$r" 'BEGIN { printf "  round %d %-6s %6.2f s  %6.1f pages/s\n", r, w, s, p / s }'
  done
done
for which in before after; do
  echo "${secs[$which]}" | tr ' ' '\n' | grep . | sort -g | awk -v w="$which" -v p="$pages" \
    '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "median %-6s %6.2f s  %6.1f pages/s\n", w, m, p / m }'
done
