# Sourced by scripts/bench.sh and scripts/bench_spark.sh: fills $work/in with the benchmark
# articles and sets $label, $words and $docs. Expects $work, $data and $copies.
# Articles: the PolNeAR dev texts (84 real news articles, ~67k words) read from $data, never
# copied into the repository; without the corpus, fixtures/seeds repeated 40 times.
if [ -d "$data/polnear/dev/text" ]; then
  src="$data/polnear/dev/text"; label="PolNeAR dev"
else
  src=fixtures/seeds; label="fixtures (no corpus found)"; copies=$((copies * 40))
fi
mkdir -p "$work/in"
for i in $(seq 1 "$copies"); do
  for f in "$src"/*.txt; do cp "$f" "$work/in/$(basename "$f" .txt)-$i.txt"; done
done
words=$(cat "$work"/in/*.txt | wc -w)
docs=$(ls "$work/in" | wc -l)
