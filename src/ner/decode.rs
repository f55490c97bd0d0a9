//! From per-word label scores to BIO-consistent labels and mention chunks.

use crate::EntityType;

/// How a label of the model maps to ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    O,
    B(EntityType),
    I(EntityType),
}

impl Tag {
    /// Parses `O`, `B-PER`, `I-LOC`, also `S-`/`E-` (BIOES as B/I) and `PERSON`-style names.
    pub fn parse(label: &str) -> Tag {
        let (prefix, name) = match label.split_once('-') {
            Some((p, n)) => (p, n),
            None => ("I", label),
        };
        let etype = match name.to_ascii_uppercase().as_str() {
            "PER" | "PERSON" => EntityType::PER,
            "ORG" | "ORGANIZATION" | "ORGANISATION" => EntityType::ORG,
            "LOC" | "LOCATION" | "GPE" => EntityType::LOC,
            "MISC" | "NORP" => EntityType::MISC,
            _ => return Tag::O,
        };
        match prefix {
            "B" | "S" => Tag::B(etype),
            _ => Tag::I(etype),
        }
    }
}

/// Viterbi decoding of per-word label log-probabilities under BIO constraints:
/// `I-X` may only follow `B-X` or `I-X`. Returns one label index per word.
pub fn viterbi_bio(logp: &[Vec<f32>], tags: &[Tag]) -> Vec<usize> {
    let n = logp.len();
    if n == 0 {
        return vec![];
    }
    let l = tags.len();
    let allowed = |prev: Option<usize>, cur: usize| -> bool {
        match tags[cur] {
            Tag::I(t) => match prev.map(|p| tags[p]) {
                Some(Tag::B(pt)) | Some(Tag::I(pt)) => pt == t,
                _ => false,
            },
            _ => true,
        }
    };
    let neg = f32::NEG_INFINITY;
    let mut score = vec![vec![neg; l]; n];
    let mut back = vec![vec![0usize; l]; n];
    for c in 0..l {
        if allowed(None, c) {
            score[0][c] = logp[0][c];
        }
    }
    for i in 1..n {
        for c in 0..l {
            let mut best = (neg, 0);
            for (p, &prev) in score[i - 1].iter().enumerate() {
                if prev > neg && allowed(Some(p), c) && prev > best.0 {
                    best = (prev, p);
                }
            }
            if best.0 > neg {
                score[i][c] = best.0 + logp[i][c];
                back[i][c] = best.1;
            }
        }
    }
    let mut cur = (0..l)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = cur;
        cur = back[i][cur];
    }
    out
}

/// Greedy decoding with BIO repair: an `I-X` that does not continue an `X` becomes `B-X`.
pub fn greedy_bio(logp: &[Vec<f32>]) -> Vec<usize> {
    logp.iter()
        .map(|row| {
            (0..row.len())
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0)
        })
        .collect()
}

/// Turns per-word labels into spans of consecutive words: `(first word, end word, type, score)`.
/// An `I-X` after a different type starts a new mention (BIO repair).
pub fn chunks(labels: &[(usize, f32)], tags: &[Tag]) -> Vec<(usize, usize, EntityType, f32)> {
    let mut out: Vec<(usize, usize, EntityType, f32)> = Vec::new();
    let mut cur: Option<(usize, EntityType, f32)> = None;
    for (i, &(l, p)) in labels.iter().enumerate() {
        let tag = tags.get(l).copied().unwrap_or(Tag::O);
        match (tag, cur) {
            (Tag::I(t), Some((s, ct, sum))) if t == ct => cur = Some((s, ct, sum + p)),
            (Tag::B(t), _) | (Tag::I(t), _) => {
                if let Some((s, ct, sum)) = cur {
                    out.push((s, i, ct, sum / (i - s) as f32));
                }
                cur = Some((i, t, p));
            }
            (Tag::O, _) => {
                if let Some((s, ct, sum)) = cur.take() {
                    out.push((s, i, ct, sum / (i - s) as f32));
                }
            }
        }
    }
    if let Some((s, ct, sum)) = cur {
        let n = labels.len();
        out.push((s, n, ct, sum / (n - s) as f32));
    }
    out
}
