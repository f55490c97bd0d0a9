//! NER evaluation: entity-level precision, recall and F1 counted as conlleval / seqeval do.

use std::collections::BTreeMap;

use anyhow::Result;

use super::conll::{doc_words, ConllDoc};
use super::{NerModel, Tag, Word};

/// Entity spans `(sentence, start, end, type)` of BIO label sequences, as conlleval counts them.
pub fn spans_of(labels: &[Vec<String>]) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    for (si, sent) in labels.iter().enumerate() {
        let mut cur: Option<(usize, String)> = None;
        for (i, l) in sent.iter().enumerate() {
            let (p, t) = match l.split_once('-') {
                Some((p, t)) => (p, t.to_string()),
                None => ("O", String::new()),
            };
            let continues = p == "I" && cur.as_ref().is_some_and(|(_, ct)| *ct == t);
            if !continues {
                if let Some((s, ct)) = cur.take() {
                    out.push((si, s, i, ct));
                }
                if p != "O" {
                    cur = Some((i, t));
                }
            }
        }
        if let Some((s, ct)) = cur {
            out.push((si, s, sent.len(), ct));
        }
    }
    out
}

/// Precision, recall, F1 per type and micro-averaged.
#[derive(Debug, Clone, Default)]
pub struct NerScores {
    /// type → (true positives, predicted, gold)
    pub counts: BTreeMap<String, (usize, usize, usize)>,
}

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = if pred == 0 {
        0.0
    } else {
        tp as f64 / pred as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        tp as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

impl NerScores {
    /// Scores predicted against gold label sequences (exact span and type match).
    pub fn score(gold: &[Vec<String>], pred: &[Vec<String>]) -> NerScores {
        let g = spans_of(gold);
        let p = spans_of(pred);
        let gset: std::collections::HashSet<_> = g.iter().cloned().collect();
        let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for s in &g {
            counts.entry(s.3.clone()).or_default().2 += 1;
        }
        for s in &p {
            let c = counts.entry(s.3.clone()).or_default();
            c.1 += 1;
            if gset.contains(s) {
                c.0 += 1;
            }
        }
        NerScores { counts }
    }

    /// Micro precision, recall, F1 (percent).
    pub fn micro(&self) -> (f64, f64, f64) {
        let (tp, p, g) = self
            .counts
            .values()
            .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        prf(tp, p, g)
    }
}

impl std::fmt::Display for NerScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<6} {:>9} {:>9} {:>9} {:>7} {:>7}",
            "type", "precision", "recall", "f1", "pred", "gold"
        )?;
        for (t, &(tp, p, g)) in &self.counts {
            let (pp, rr, ff) = prf(tp, p, g);
            writeln!(f, "{t:<6} {pp:>9.2} {rr:>9.2} {ff:>9.2} {p:>7} {g:>7}")?;
        }
        let (tp, p, g) = self
            .counts
            .values()
            .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        let (pp, rr, ff) = prf(tp, p, g);
        write!(
            f,
            "{:<6} {pp:>9.2} {rr:>9.2} {ff:>9.2} {p:>7} {g:>7}",
            "micro"
        )
    }
}

/// Runs the model over CoNLL documents and scores it.
pub fn evaluate(model: &NerModel, docs: &[ConllDoc]) -> Result<NerScores> {
    let mut gold = Vec::new();
    let mut pred = Vec::new();
    let tags = model.tags().to_vec();
    for chunk in docs.chunks(8) {
        let words: Vec<Vec<Word>> = chunk.iter().map(doc_words).collect();
        let labels = model.tag_words(&words)?;
        for (doc, labels) in chunk.iter().zip(labels) {
            let mut k = 0;
            for s in &doc.sentences {
                gold.push(s.iter().map(|(_, l)| l.clone()).collect());
                pred.push(
                    s.iter()
                        .map(|_| {
                            let l = label_name(tags[labels[k].0]);
                            k += 1;
                            l
                        })
                        .collect(),
                );
            }
        }
    }
    Ok(NerScores::score(&gold, &pred))
}

fn label_name(tag: Tag) -> String {
    match tag {
        Tag::O => "O".into(),
        Tag::B(t) => format!("B-{}", t.as_str()),
        Tag::I(t) => format!("I-{}", t.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn scores_count_exact_spans_like_conlleval() {
        let gold = vec![v("B-PER I-PER O B-LOC"), v("B-ORG O")];
        let pred = vec![v("B-PER O O B-LOC"), v("B-ORG O")];
        let s = NerScores::score(&gold, &pred);
        // PER span differs (0..1 vs 0..2): 2 of 4 predicted right... LOC and ORG right.
        assert_eq!(s.counts["PER"], (0, 1, 1));
        assert_eq!(s.counts["LOC"], (1, 1, 1));
        let (p, r, f) = s.micro();
        assert!((p - 200.0 / 3.0).abs() < 1e-9);
        assert!((r - 200.0 / 3.0).abs() < 1e-9);
        assert!((f - 200.0 / 3.0).abs() < 1e-9);
        // An I- continuing nothing starts a span, as conlleval does.
        assert_eq!(
            spans_of(&[v("O I-PER I-PER")]),
            vec![(0, 1, 3, "PER".to_string())]
        );
    }
}
