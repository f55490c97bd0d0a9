#!/usr/bin/env bash
# Benchmark of the Spark stage against the direct CLI on the same articles: words/s of
# `whosaid extract DIR --threads 2` and of scripts/spark_extract.py under
# `spark-submit --master local[2]` (2 partitions, one whosaid --threads 1 each), and the peak
# memory of each: the sum over the whole process tree (JVM, Python workers, whosaid processes),
# sampled every 0.2 s, as RSS (shared pages counted in every process) and as PSS (shared pages
# split between processes, the fairer sum).
# Articles: the PolNeAR dev texts (84 real news articles, ~67k words) read from
# ${WHOSAID_DATA:-../shared/data}; never copied into the repo. Falls back to fixtures/ x 40.
# Usage: scripts/bench_spark.sh [MODEL_DIR] [N_COPIES] [RUNS]
#   Needs .venv-spark with pyspark (scripts/test_spark.sh makes it) and Java.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
model=${1:-${WHOSAID_MODEL:-models/whosaid-joint-en}}
copies=${2:-1}
runs=${3:-1}
data=${WHOSAID_DATA:-../shared/data}
bin=${WHOSAID_BIN:-target/release/whosaid}
py=$root/.venv-spark/bin/python
[ -x "$py" ] && "$py" -c 'import pyspark' 2>/dev/null || { echo "bench_spark: no .venv-spark with pyspark: run scripts/test_spark.sh first" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench_spark: $bin missing: cargo build --release" >&2; exit 1; }
export PATH="$root/.venv-spark/bin:$PATH" PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYTHONPATH
work=$(mktemp -d "${TMPDIR:-/tmp}/whosaid-bench-spark-XXXXXX")
trap 'rm -rf "$work"' EXIT
. scripts/bench-input.sh
echo "bench_spark: $label, $docs documents, $words words, model $model, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" scripts/spark_extract.py bundle --binary "$bin" --model "$model" --level 1 -o "$work/bundle.tar.gz" 2>/dev/null

# Runs a command (its stdout to stderr) and samples the memory and CPU time of its process
# tree; writes "seconds rss_mib pss_mib cpu_seconds" and then the peaks per program to the
# file given first. CPU seconds (user + system, summed over the tree) say what the work cost
# even when other jobs share the cores.
cat > "$work/sample.py" <<'EOF'
import os, subprocess, sys, time

def tree(root):
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out

TICK = os.sysconf("SC_CLK_TCK")

def cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    except (OSError, IndexError, ValueError):
        return None

def mem(pid):
    rss = pss = 0
    name = "?"
    try:
        with open(f"/proc/{pid}/comm") as f:
            name = f.read().strip()
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return name, rss, pss

peaks_file, cmd = sys.argv[1], sys.argv[2:]
t0 = time.time()
proc = subprocess.Popen(cmd, stdout=sys.stderr)
peak_rss = peak_pss = 0
by_name = {}
cpu_by_pid = {}  # the last CPU seconds seen of every process of the tree
while proc.poll() is None:
    total_rss = total_pss = 0
    now = {}
    for pid in tree(proc.pid):
        name, rss, pss = mem(pid)
        total_rss += rss
        total_pss += pss
        now[name] = now.get(name, 0) + rss
        c = cpu(pid)
        if c is not None:
            cpu_by_pid[pid] = max(cpu_by_pid.get(pid, 0), c)
    peak_rss, peak_pss = max(peak_rss, total_rss), max(peak_pss, total_pss)
    for k, v in now.items():
        by_name[k] = max(by_name.get(k, 0), v)
    time.sleep(0.2)
secs = time.time() - t0
with open(peaks_file, "w") as f:
    f.write(f"{secs:.2f} {peak_rss / 1024:.0f} {peak_pss / 1024:.0f} {sum(cpu_by_pid.values()):.1f}\n")
    f.write(" ".join(f"{k}={v / 1024:.0f}MiB" for k, v in sorted(by_name.items(), key=lambda kv: -kv[1]) if v > 10240) + "\n")
sys.exit(proc.returncode if proc.returncode in (0, 2) else 1)
EOF

report() {  # label (reads $work/peaks)
  read -r secs rss pss cpus < "$work/peaks"
  awk -v l="$1" -v s="$secs" -v r="$rss" -v p="$pss" -v c="$cpus" -v w="$words" \
    'BEGIN { printf "  %-40s %6.1f s %6.0f words/s   %6.1f CPU s %5.0f words/CPU s   peak memory %5.0f MiB PSS (%5.0f MiB RSS sum)\n", l, s, w / s, c, w / c, p, r }'
  echo "      peak RSS by program: $(sed -n 2p "$work/peaks")"
}
for run in $(seq 1 "$runs"); do
  "$py" "$work/sample.py" "$work/peaks" \
    "$bin" extract "$work/in" --model "$model" --threads 2 -o "$work/direct.jsonl" 2> "$work/direct.log" \
    || { tail -20 "$work/direct.log" >&2; exit 1; }
  report "direct: whosaid extract --threads 2"
  rm -rf "$work/out"
  "$py" "$work/sample.py" "$work/peaks" \
    spark-submit --master 'local[2]' --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
      --archives "$work/bundle.tar.gz#whosaid" scripts/spark_extract.py run "$work/in" -o "$work/out" \
      2> "$work/spark.log" || { tail -40 "$work/spark.log" >&2; exit 1; }
  report "spark-submit local[2] (end to end)"
  job=$(grep -o 'quotes in [0-9.]*s' "$work/spark.log" | grep -o '[0-9.]*s$' | tr -d s)
  awk -v s="$job" -v w="$words" 'BEGIN { printf "  %-40s %6.1f s %6.0f words/s   (listing + job, without JVM start)\n", "spark job alone", s, w / s }'
  n_direct=$(wc -l < "$work/direct.jsonl")
  n_spark=$(cat "$work"/out/part-* | wc -l)
  [ "$n_direct" -eq "$docs" ] && [ "$n_spark" -eq "$docs" ] || { echo "bench_spark: $n_direct / $n_spark output lines for $docs documents" >&2; exit 1; }
done
