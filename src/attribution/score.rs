//! Exact-match figures for attribution spans, as the PolNeAR sequence-labelling papers count
//! them (CofeNet, COLING 2022: span-level precision, recall and F1 per role, a span right only
//! when both its ends are).
//!
//! Our protocol (document level, every attribution of the article): for each role (Content,
//! Cue, Source) the distinct spans of a document are compared, gold against predicted; a
//! discontinuous span counts as its ranges (as BIO tagging sees them); both sides are trimmed
//! of white space and punctuation at either end (quote marks, commas, the final period), so
//! that "“We will win.”" and "We will win" are the same span.

use super::data::{Attribution, Role};

/// True positives, predicted and gold spans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.pred += o.pred;
        self.gold += o.gold;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// `a / b`, 0 when `b` is 0.
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn trimmed(c: char) -> bool {
    c.is_whitespace() || (!c.is_alphanumeric() && !matches!(c, '$' | '%' | '€' | '£'))
}

/// A range (code points) trimmed of white space and punctuation at both ends; `None` when
/// nothing is left.
pub fn trim(chars: &[char], (mut a, mut b): (usize, usize)) -> Option<(usize, usize)> {
    b = b.min(chars.len());
    while a < b && trimmed(chars[a]) {
        a += 1;
    }
    while b > a && trimmed(chars[b - 1]) {
        b -= 1;
    }
    (a < b).then_some((a, b))
}

/// The distinct spans the exact-match figures compare: trimmed ([`trim`]), sorted, deduplicated.
pub fn distinct(chars: &[char], spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = spans.iter().filter_map(|&r| trim(chars, r)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact-match counts of one role over one document.
pub fn exact(chars: &[char], gold: &[(usize, usize)], pred: &[(usize, usize)]) -> Counts {
    let (g, p) = (distinct(chars, gold), distinct(chars, pred));
    Counts {
        tp: p.iter().filter(|r| g.binary_search(r).is_ok()).count(),
        pred: p.len(),
        gold: g.len(),
    }
}

/// A predicted attribution in code points of the original text.
#[derive(Debug, Clone, Default)]
pub struct PredSpans {
    pub content: Vec<(usize, usize)>,
    pub cue: Option<(usize, usize)>,
    pub source: Option<(usize, usize)>,
}

/// Code-point ranges.
pub type Ranges = Vec<(usize, usize)>;

/// The gold and predicted spans of one role over one document, as they come.
pub fn role_spans(gold: &[Attribution], pred: &[PredSpans], role: Role) -> (Ranges, Ranges) {
    let g: Vec<(usize, usize)> = gold
        .iter()
        .flat_map(|a| a.role(role).iter().copied())
        .collect();
    let p: Vec<(usize, usize)> = pred
        .iter()
        .flat_map(|a| match role {
            Role::Content => a.content.clone(),
            Role::Cue => a.cue.into_iter().collect(),
            Role::Source => a.source.into_iter().collect(),
        })
        .collect();
    (g, p)
}

/// Exact-match counts for Content, Cue and Source (in [`Role`] order) over one document.
pub fn exact_all(chars: &[char], gold: &[Attribution], pred: &[PredSpans]) -> [Counts; 3] {
    Role::ALL.map(|role| {
        let (g, p) = role_spans(gold, pred, role);
        exact(chars, &g, &p)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_marks_and_punctuation() {
        let c: Vec<char> = " “We will win.” he said".chars().collect();
        assert_eq!(trim(&c, (0, 15)), Some((2, 13)));
        assert_eq!(trim(&c, (0, 2)), None);
        let d: Vec<char> = "up 5% now".chars().collect();
        assert_eq!(trim(&d, (3, 5)), Some((3, 5)));
    }

    #[test]
    fn exact_counts_distinct_trimmed_spans() {
        // "“A b,” he said, “c d.” Ann said e f."
        let t = "“A b,” he said, “c d.” Ann said e f.";
        let c: Vec<char> = t.chars().collect();
        let gold = vec![
            Attribution {
                content: vec![(0, 6), (16, 22)],
                cue: vec![(10, 14)],
                source: vec![(7, 9)],
            },
            Attribution {
                content: vec![(32, 36)],
                cue: vec![(27, 31)],
                source: vec![(23, 26)],
            },
        ];
        // Content ranges without the marks match; the second content is too short; the source
        // "he" twice counts once.
        let pred = vec![
            PredSpans {
                content: vec![(1, 4), (17, 20)],
                cue: Some((10, 14)),
                source: Some((7, 9)),
            },
            PredSpans {
                content: vec![(32, 33)],
                cue: Some((27, 31)),
                source: Some((7, 9)),
            },
        ];
        let [content, cue, source] = exact_all(&c, &gold, &pred);
        assert_eq!(
            content,
            Counts {
                tp: 2,
                pred: 3,
                gold: 3
            }
        );
        assert_eq!(
            cue,
            Counts {
                tp: 2,
                pred: 2,
                gold: 2
            }
        );
        assert_eq!(
            source,
            Counts {
                tp: 1,
                pred: 1,
                gold: 2
            }
        );
        assert!((content.f1() - 2.0 / 3.0).abs() < 1e-9);
    }
}
