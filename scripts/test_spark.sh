#!/usr/bin/env bash
# The Spark stage, end to end in Spark's local mode: runs scripts/spark_extract.py with
# spark-submit --master local[2] (binary + model shipped with --archives, as on a cluster) on
# the fixtures (or the given inputs) plus edge cases made here, and checks that every document's
# output equals that of `whosaid extract` run directly on the same inputs: same documents, same
# id, entities, quotes and errors (`source` differs by design: Spark names files by URI). Also
# checks the Parquet table of quotes row by row.
#
# Usage: scripts/test_spark.sh [--bin WHOSAID] [--model DIR] [INPUT...]
#   WHOSAID defaults to $WHOSAID_BIN, else target/release/whosaid; DIR to $WHOSAID_MODEL, else
#   models/whosaid-joint-en; INPUT to fixtures/ (files, folders, .jsonl files).
# Installs pyspark ($PYSPARK_VERSION, default 3.5.7) from PyPI into .venv-spark (git-ignored,
# reused). Exits non-zero on any mismatch; prints SKIP and exits 0 only when Java or pyspark
# cannot be installed on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
bin=${WHOSAID_BIN:-target/release/whosaid}
model=${WHOSAID_MODEL:-models/whosaid-joint-en}
inputs=()
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) inputs+=("$1"); shift ;;
  esac
done
[ ${#inputs[@]} -gt 0 ] || inputs=(fixtures)
say() { echo "test_spark: $*" >&2; }
skip() { echo "SKIP: test_spark: $* (the Spark stage was not tested)"; exit 0; }
[ -x "$bin" ] || { say "$bin is not an executable (cargo build --release first)"; exit 1; }
[ -f "$model/config.json" ] || { say "$model is not a model folder (pass --model DIR or set WHOSAID_MODEL)"; exit 1; }

# --- Java (Spark 3.5 runs on 8, 11, 17) ---
if ! java -version >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "no java: installing openjdk-17-jre-headless"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; } >/dev/null 2>&1 || true
  fi
  java -version >/dev/null 2>&1 || skip "no Java runtime and it cannot be installed here (apt-get install openjdk-17-jre-headless)"
fi

# --- pyspark in its own virtual environment ---
version=${PYSPARK_VERSION:-3.5.7}
venv=$root/.venv-spark
py=$venv/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$venv" >/dev/null 2>&1 || { rm -rf "$venv"; skip "cannot create a Python virtual environment (python3 -m venv)"; }
fi
if [ "$("$py" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" != "$version" ]; then
  say "installing pyspark==$version into .venv-spark (first run: a few minutes)"
  "$py" -m pip install -q --disable-pip-version-check "pyspark==$version" >&2 \
    || skip "pip cannot install pyspark==$version from PyPI here"
fi
export PATH="$venv/bin:$PATH" PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py" SPARK_LOCAL_IP=127.0.0.1
unset SPARK_HOME PYTHONPATH

work=$(mktemp -d "${TMPDIR:-/tmp}/whosaid-spark-XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- edge cases, made here (nothing from a corpus) ---
mkdir -p "$work/extra"
printf 'caf\xe9 au lait, said Marie.\n' > "$work/extra/latin1.txt"
printf '  \n\n ' > "$work/extra/empty.txt"
cat > "$work/extra/page.html" <<'EOF'
<!doctype html><html><head><title>Council vote</title></head><body>
<h1>Council approves the bridge</h1>
<p>&ldquo;This bridge will change the town,&rdquo; Mayor Anna Novak said on Monday.</p>
<p>Her opponent, Peter Kral, said the project was &quot;a waste of money&quot;.</p>
</body></html>
EOF
cat > "$work/extra/note.md" <<'EOF'
# Harbour reopens

*By Staff*

"We are open again," harbour master **John Reed** told reporters in Gdansk.
He said traffic would return to normal within weeks.
EOF
"$py" - "$work/edge.jsonl" "${inputs[@]}" <<'EOF'
import json, os, sys
out, inputs = sys.argv[1], sys.argv[2:]
texts = []
for inp in inputs:
    for d, _, files in sorted(os.walk(inp)) if os.path.isdir(inp) else [(os.path.dirname(inp), [], [os.path.basename(inp)])]:
        texts += [os.path.join(d, f) for f in sorted(files) if f.endswith((".txt", ".md"))]
said = "\u201cWe will win,\u201d Anna Novak said on Monday. She added: \"It is done.\""
lines = [json.dumps({"id": "jl-said", "text": said}, ensure_ascii=False)]
for p in texts[:2]:
    with open(p, encoding="utf-8", errors="replace") as f:
        lines.append(json.dumps({"id": "jl-" + os.path.basename(p), "text": f.read(), "format": "markdown"}))
lines += [
    "{not json",
    json.dumps({"id": "jl-empty", "text": "   "}),
    "",
    json.dumps({"text": "No id here, said Bob Smith in Paris."}),
    json.dumps({"id": 42, "text": said}),
    "[1, 2]",
    json.dumps({"id": "jl-bad-format", "text": "Hi.", "format": "pdf"}),
    json.dumps({"id": "jl-\u00e9t\u00e9 \U0001F600", "text": "\U0001F600 " + said}, ensure_ascii=False),
]
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
EOF
all_inputs=("${inputs[@]}" "$work/extra" "$work/edge.jsonl")

# --- direct CLI ---
t0=$(date +%s.%N)
rc=0
"$bin" extract "${all_inputs[@]}" --model "$model" --threads 2 > "$work/direct.jsonl" 2> "$work/direct.err" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { cat "$work/direct.err" >&2; say "whosaid extract failed (exit $rc)"; exit 1; }
t1=$(date +%s.%N)

# --- the Spark job, local[2], shipped as on a cluster ---
"$py" scripts/spark_extract.py bundle --binary "$bin" --model "$model" --level 1 -o "$work/whosaid-bundle.tar.gz" 2> "$work/bundle.err" \
  || { cat "$work/bundle.err" >&2; exit 1; }
t2=$(date +%s.%N)
spark-submit --master 'local[2]' --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
  --archives "$work/whosaid-bundle.tar.gz#whosaid" \
  scripts/spark_extract.py run "${all_inputs[@]}" -o "$work/spark-out" --parquet "$work/spark-quotes" \
  > "$work/spark.log" 2>&1 || { tail -60 "$work/spark.log" >&2; say "the Spark job failed"; exit 1; }
t3=$(date +%s.%N)
grep '^spark_extract:' "$work/spark.log" >&2 || true

# --- compare, document by document ---
"$py" - "$work" 2> "$work/compare.err" <<'EOF' || { tail -40 "$work/compare.err" >&2; exit 1; }
import glob, json, os, sys
from collections import defaultdict

work = sys.argv[1]

def load(paths):
    docs = defaultdict(list)
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    # Key: id and file name (the same stem may be in several folders).
                    docs[(d["id"], os.path.basename(d["source"]))].append(d)
    return docs

direct = load([os.path.join(work, "direct.jsonl")])
spark = load(sorted(glob.glob(os.path.join(work, "spark-out", "part-*"))))

def norm_errors(d):
    # Without the leading file name (a path as given vs a file: URI); JSON parser messages differ
    # between serde_json and Python, so "not a JSON object: ..." is compared up to the colon.
    out = []
    for e in d["errors"]:
        rest = e.split(os.path.basename(d["source"]), 1)[-1].lstrip(":0123456789 ")
        out.append(rest.split(":")[0] if rest.startswith("not a JSON object") else rest)
    return out

def same(x, y, key=None):
    # Exactly equal, except scores and confidences: within 0.01 (the NER batches differ between
    # the two runs, and bfloat16 matrix products round differently with the padding).
    if key in ("score", "confidence") and isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return abs(x - y) <= 0.0105
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(same(x[k], y[k], k) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
    return x == y

problems = []
if set(direct) != set(spark):
    problems.append(f"different documents: only direct {sorted(set(direct) - set(spark))}, "
                    f"only spark {sorted(set(spark) - set(direct))}")
n_docs = n_ent = n_quotes = n_err = 0
for key in sorted(set(direct) & set(spark)):
    a, b = direct[key], spark[key]
    if len(a) != len(b):
        problems.append(f"{key}: {len(a)} documents direct, {len(b)} in spark")
        continue
    for x, y in zip(a, b):
        n_docs += 1
        for field in ("entities", "quotes"):
            if not same(x[field], y[field]):
                diff = next((i for i, (p, q) in enumerate(zip(x[field], y[field])) if not same(p, q)), min(len(x[field]), len(y[field])))
                problems.append(f"{key}: {field} differ (first at #{diff}: direct {json.dumps(x[field][diff:diff+1])[:300]} "
                                f"spark {json.dumps(y[field][diff:diff+1])[:300]})")
        for field in ("title", "published", "byline", "url"):
            if x.get(field) != y.get(field):
                problems.append(f"{key}: {field} differs: direct {x.get(field)!r} spark {y.get(field)!r}")
        if norm_errors(x) != norm_errors(y):
            problems.append(f"{key}: errors differ: direct {x['errors']} spark {y['errors']}")
        n_ent += len(x["entities"])
        n_quotes += len(x["quotes"])
        n_err += bool(x["errors"])
        print(f"  {key[0]} ({key[1]}): {len(x['entities'])} entities, {len(x['quotes'])} quotes"
              + (f", errors {norm_errors(x)}" if x["errors"] else ""))

# The Parquet table: one row per quote, the same quotes.
from pyspark.sql import SparkSession
spark_s = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
           .config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark_s.sparkContext.setLogLevel("ERROR")
rows = spark_s.read.parquet(os.path.join(work, "spark-quotes")).collect()
spark_s.stop()
want = sorted((d["id"], q["id"], q["text"], (q["speaker"] or {}).get("name"), q["start"], q["end"],
               d["published"], d["title"], d["byline"], d["url"])
              for docs in direct.values() for d in docs for q in d["quotes"])
got = sorted((r.doc_id, r.quote_id, r.text, r.speaker, r.start, r.end, r.published, r.title, r.byline, r.url)
             for r in rows)
if want != got:
    problems.append(f"Parquet quotes differ: {len(got)} rows for {len(want)} quotes; first difference "
                    f"{next(((w, g) for w, g in zip(want, got) if w != g), None)}")
if problems:
    print("MISMATCH:", *problems, sep="\n  ")
    sys.exit(1)
print(f"test_spark: {n_docs} documents equal (id, title, published, byline, url, entities, quotes, errors; scores within 0.01), spark local[2] vs whosaid extract: "
      f"{n_ent} entities, {n_quotes} quotes, {n_err} documents with errors; Parquet: {len(rows)} quote rows equal")
EOF
t4=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v s="$started" 'BEGIN {
  printf "test_spark: timings: direct extract %.1fs, bundle %.1fs, spark-submit local[2] %.1fs, compare %.1fs; total %.0fs\n",
    b - a, c - b, d - c, e - d, e - s }'
echo "test_spark: PASS"
