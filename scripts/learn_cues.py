#!/usr/bin/env python3
"""Learn the speech-cue word list (src/cues.txt) from the PolNeAR train split.

Usage: python3 scripts/learn_cues.py [POLNEAR_DIR] > src/cues.txt

For every annotated Cue span, the head word (first word that is not an auxiliary, adverb,
determiner, preposition or weekday) is counted; a word is kept when it heads at least
MIN_COUNT cues and at least MIN_RATIO of its occurrences in the train texts are cue heads.
Only the word list is written (no corpus text). Several annotator files per article: the
first in sorted order is used.
"""
import collections
import glob
import os
import re
import sys

MIN_COUNT = 3
MIN_RATIO = 0.2
SKIP = set("""
a an the to of on in for about with at by from into out up over as that this it its his her their
has have had having is are was were be been being am will would could can may might must shall
should did does do not also just still again even never only now then later already once first
publicly repeatedly recently previously often widely strongly quickly reportedly long last
monday tuesday wednesday thursday friday saturday sunday week month year today yesterday
more most so all both one new no s - ― — : and or but while
""".split())

def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), '..', '..', 'shared', 'data', 'polnear')
    root = os.path.join(root, 'train')
    first = {}
    for a in sorted(glob.glob(os.path.join(root, 'attributions', '*.ann'))):
        first.setdefault(os.path.basename(a).rsplit('_', 1)[0], a)
    heads = collections.Counter()
    occurrences = collections.Counter()
    word = re.compile(r"[a-z][a-z’'-]*")
    for stem, ann in first.items():
        text = open(os.path.join(root, 'text', stem + '.txt'), encoding='utf-8').read()
        occurrences.update(word.findall(text.lower()))
        for line in open(ann, encoding='utf-8'):
            parts = line.rstrip('\n').split('\t')
            if len(parts) < 2 or not parts[0].startswith('T') or not parts[1].startswith('Cue '):
                continue
            spans = [tuple(map(int, r.split())) for r in parts[1].split(' ', 1)[1].split(';')]
            words = [w for s, e in spans for w in word.findall(text[s:e].lower())]
            for w in words:
                if w not in SKIP:
                    heads[w] += 1
                    break
    # Adverbs ("forcefully"), contractions and clitics are not cue heads.
    def usable(w):
        return len(w) > 2 and not w.endswith('ly') and "'" not in w and '’' not in w
    kept = sorted(w for w, n in heads.items()
                  if usable(w) and n >= MIN_COUNT and n / max(occurrences[w], 1) >= MIN_RATIO)
    print('# Speech and attribution cue words learned from PolNeAR train by scripts/learn_cues.py')
    print(f'# (head of a Cue span in >= {MIN_COUNT} attributions and in >= {int(MIN_RATIO*100)}% of its occurrences).')
    for w in kept:
        print(w)

if __name__ == '__main__':
    main()
