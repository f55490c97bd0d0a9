"""spaCy on the same articles as scripts/bench.sh: words/s of the full pipeline.

python bench_spacy.py MODEL DIR N_PROCESS [WORDS]
MODEL: a model folder (spacy.load(path)) or an installed package name.
WORDS: the word count to divide by (bench.sh passes `wc -w`'s, the one it divides whosaid's
time by); by default the whitespace-separated words of the texts.
The time includes loading the model, as whosaid's does.
"""
import glob
import os
import sys
import time

t0 = time.perf_counter()
import spacy  # noqa: E402

model, folder, n_process = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = []
for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
    with open(path, encoding="utf-8") as f:
        texts.append(f.read())
words = int(sys.argv[4]) if len(sys.argv) > 4 else sum(len(t.split()) for t in texts)
t1 = time.perf_counter()
nlp = spacy.load(model)
t2 = time.perf_counter()
ents = 0
for doc in nlp.pipe(texts, n_process=n_process, batch_size=4):
    ents += len(doc.ents)
t3 = time.perf_counter()
name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}"
print(
    f"{name} spacy-{spacy.__version__} ({'+'.join(nlp.pipe_names)}), {n_process} processes: "
    f"{words} words, {ents} entities, load {t2 - t1:.2f}s, pipe {t3 - t2:.1f}s, "
    f"{words / (t3 - t1):.0f} words/s with load ({words / (t3 - t2):.0f} without)"
)
