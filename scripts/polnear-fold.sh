#!/usr/bin/env bash
# Builds a PolNeAR-shaped folder of symbolic links (text/, attributions/) holding the articles
# of the train folds named, for `whosaid eval quotes` and training on folds. The corpus stays
# where it is; nothing is copied into the repository.
#   scripts/polnear-fold.sh POLNEAR_TRAIN_DIR OUT_DIR FOLD [FOLD...]
#   e.g. scripts/polnear-fold.sh ../shared/data/polnear/train /tmp/polnear-fold1 1
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 POLNEAR_TRAIN_DIR OUT_DIR FOLD [FOLD...]" >&2; exit 2; }
src=$(cd "$1" && pwd); out=$2; shift 2
folds="$(cd "$(dirname "$0")" && pwd)/folds"
[ -d "$src/text" ] && [ -d "$src/attributions" ] || { echo "$src: no text/ and attributions/" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out/text" "$out/attributions"
n=0
for k in "$@"; do
  list="$folds/polnear-train-fold-$k.txt"
  [ -f "$list" ] || { echo "no fold list $list" >&2; exit 1; }
  while IFS= read -r name; do
    case "$name" in ''|'#'*) continue ;; esac
    [ -f "$src/text/$name.txt" ] || { echo "$src/text/$name.txt: missing (fold $k)" >&2; exit 1; }
    ln -s "$src/text/$name.txt" "$out/text/$name.txt"
    for a in "$src/attributions/$name".ann "$src/attributions/$name"_*.ann; do
      [ -e "$a" ] && ln -s "$a" "$out/attributions/$(basename "$a")"
    done
    n=$((n + 1))
  done < "$list"
done
echo "$out: $n articles (folds $*)" >&2
