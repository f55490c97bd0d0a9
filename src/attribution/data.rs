//! PolNeAR attributions (brat standoff) → per-word BIO labels in three layers.
//!
//! An `.ann` file has text-bound annotations `T<n>\tRole START END[;START END]\tTEXT` with
//! code point offsets into the article (a discontinuous span lists several ranges) and events
//! `E<n>\tAttribution:T.. Content:T.. Cue:T.. Source:T..` that tie them together. Each
//! article may have several annotators' files (the stem plus `_<suffix>`): the first in sorted
//! order is used, as the evaluation does.
//!
//! Labels are per word (the words the tagger sees, [`crate::ner::words`] over the cleaned
//! text's sentences), one BIO layer per role ([`Role`]), because spans of different roles
//! overlap (a Source inside another attribution's Content). Each range of a discontinuous span
//! starts with its own `B`. Within one layer, a span that would overwrite words already
//! labelled by another span is skipped (12 of 19,892 Content spans of PolNeAR train).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The three span layers the tagger predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Content = 0,
    Cue = 1,
    Source = 2,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Content, Role::Cue, Role::Source];

    pub fn name(self) -> &'static str {
        match self {
            Role::Content => "Content",
            Role::Cue => "Cue",
            Role::Source => "Source",
        }
    }
}

/// BIO tags of one layer.
pub use crate::ner::attr_decode::{B, I, O};

/// One annotated attribution: character (code point) ranges, end exclusive, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub content: Vec<(usize, usize)>,
    pub cue: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
}

impl Attribution {
    pub fn role(&self, r: Role) -> &[(usize, usize)] {
        match r {
            Role::Content => &self.content,
            Role::Cue => &self.cue,
            Role::Source => &self.source,
        }
    }
}

/// Reads the attributions of a brat `.ann` file. `n_chars` (the article's length in code
/// points) clamps bad offsets; attributions without Content are dropped.
pub fn read_brat(ann: &str, n_chars: usize) -> Vec<Attribution> {
    let mut spans: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in ann.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() < 2 {
            continue;
        }
        if parts[0].starts_with('T') {
            let Some((_, ranges)) = parts[1].split_once(' ') else {
                continue;
            };
            let mut rs: Vec<(usize, usize)> = ranges
                .split(';')
                .filter_map(|r| {
                    let mut it = r.split_whitespace().map(|x| x.parse::<usize>());
                    match (it.next(), it.next()) {
                        (Some(Ok(a)), Some(Ok(b))) if a < b && a < n_chars => {
                            Some((a, b.min(n_chars)))
                        }
                        _ => None,
                    }
                })
                .collect();
            rs.sort_unstable();
            spans.insert(parts[0], rs);
        } else if parts[0].starts_with('E') {
            events.push(
                parts[1]
                    .split_whitespace()
                    .filter_map(|a| a.split_once(':'))
                    .collect(),
            );
        }
    }
    let mut out = Vec::new();
    for ev in events {
        let mut a = Attribution::default();
        for (key, t) in ev {
            let role = key.trim_end_matches(|c: char| c.is_ascii_digit());
            let Some(s) = spans.get(t) else { continue };
            match role {
                "Content" => a.content.extend(s),
                "Cue" => a.cue.extend(s),
                "Source" => a.source.extend(s),
                _ => {}
            }
        }
        a.content.sort_unstable();
        a.cue.sort_unstable();
        a.source.sort_unstable();
        if !a.content.is_empty() {
            out.push(a);
        }
    }
    out
}

/// The articles of a PolNeAR split folder (`text/*.txt`, `attributions/*.ann`): (name, text
/// path, annotation path), the first annotator file in sorted order for each article.
pub fn split_files(dir: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>> {
    let ann_dir = dir.join("attributions");
    let text_dir = dir.join("text");
    let mut anns: Vec<PathBuf> = std::fs::read_dir(&ann_dir)
        .with_context(|| format!("reading {}", ann_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    anns.sort();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for ann in anns {
        let stem = ann
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let name = match stem.rsplit_once('_') {
            Some((n, _)) if text_dir.join(format!("{n}.txt")).exists() => n.to_string(),
            _ => stem.clone(),
        };
        let text = text_dir.join(format!("{name}.txt"));
        if !text.exists() || !seen.insert(name.clone()) {
            continue;
        }
        out.push((name, text, ann));
    }
    Ok(out)
}

/// Per-word BIO labels of the three layers for words given as character ranges (code points,
/// end exclusive, in text order). A word belongs to a range when at least half of it lies
/// inside.
pub fn word_labels(words: &[(usize, usize)], attrs: &[Attribution]) -> [Vec<u8>; 3] {
    let mut layers = [
        vec![O; words.len()],
        vec![O; words.len()],
        vec![O; words.len()],
    ];
    for role in Role::ALL {
        let layer = &mut layers[role as usize];
        // Longer spans first within a layer, so that a rare nested span does not cut an outer one.
        let mut spans: Vec<&[(usize, usize)]> = attrs
            .iter()
            .map(|a| a.role(role))
            .filter(|s| !s.is_empty())
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.iter().map(|r| r.1 - r.0).sum::<usize>()));
        for ranges in spans {
            let mut idx: Vec<Vec<usize>> = Vec::new();
            for &(a, b) in ranges {
                let ws: Vec<usize> = words
                    .iter()
                    .enumerate()
                    .filter(|(_, &(s, e))| {
                        let ov = e.min(b).saturating_sub(s.max(a));
                        ov > 0 && ov * 2 >= e - s
                    })
                    .map(|(i, _)| i)
                    .collect();
                if !ws.is_empty() {
                    idx.push(ws);
                }
            }
            if idx.iter().flatten().any(|&i| layer[i] != O) {
                continue;
            }
            for ws in idx {
                for (k, &i) in ws.iter().enumerate() {
                    // A range whose words follow the previous range's words directly (a cue
                    // split only by white space) still starts with B.
                    layer[i] = if k == 0 { B } else { I };
                }
            }
        }
    }
    layers
}

/// Byte offset → code point offset table for `text` (one entry per byte, plus the end).
pub fn char_index(text: &str) -> Vec<usize> {
    let mut out = vec![0; text.len() + 1];
    let mut c = 0;
    for (b, ch) in text.char_indices() {
        for k in 0..ch.len_utf8() {
            out[b + k] = c;
        }
        c += 1;
    }
    out[text.len()] = c;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: &str =
        "T1\tSource 0 5\tAnnie\nT2\tCue 6 10\tsaid\nT3\tContent 11 25\tthe sky is red\n\
T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
T5\tContent 27 36;46 57\tWe will go home\nT6\tCue 38 40\the\nT7\tCue 41 45\tsaid\n\
E2\tAttribution:T6 Content:T5 Cue:T7 Source:T6\n\
T8\tContent 60 70\tno content\nE3\tAttribution-no-source:T10 Content:T8 Cue:T9\n\
T9\tCue 200 210\tout of range\n";

    #[test]
    fn reads_discontinuous_spans_and_events() {
        let a = read_brat(ANN, 80);
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].source, vec![(0, 5)]);
        assert_eq!(a[0].cue, vec![(6, 10)]);
        assert_eq!(a[0].content, vec![(11, 25)]);
        assert_eq!(a[1].content, vec![(27, 36), (46, 57)]);
        // A span past the end of the text is dropped, the attribution without source is kept.
        assert!(a[2].cue.is_empty() && a[2].source.is_empty());
        assert_eq!(a[2].content, vec![(60, 70)]);
    }

    #[test]
    fn labels_three_layers_with_a_b_per_range() {
        // "Annie said the sky is red. We will, he said, go home"
        //  0    5 6  10  14  18 21 25
        let words = vec![
            (0, 5),   // Annie
            (6, 10),  // said
            (11, 14), // the
            (15, 18), // sky
            (19, 21), // is
            (22, 25), // red
            (25, 26), // .
            (27, 29), // We
            (30, 34), // will
            (34, 35), // ,
            (36, 38), // he
            (39, 43), // said
            (43, 44), // ,
            (45, 47), // go
            (48, 52), // home
        ];
        let attrs = vec![
            Attribution {
                source: vec![(0, 5)],
                cue: vec![(6, 10)],
                content: vec![(11, 25)],
            },
            Attribution {
                source: vec![(36, 38)],
                cue: vec![(39, 43)],
                content: vec![(27, 34), (45, 52)],
            },
        ];
        let [content, cue, source] = word_labels(&words, &attrs);
        assert_eq!(content, vec![0, 0, 1, 2, 2, 2, 0, 1, 2, 0, 0, 0, 0, 1, 2]);
        assert_eq!(cue, vec![0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(source, vec![1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn nested_span_of_one_layer_does_not_cut_the_outer_one() {
        let words: Vec<(usize, usize)> = (0..6).map(|i| (i * 2, i * 2 + 1)).collect();
        let attrs = vec![
            Attribution {
                content: vec![(4, 7)],
                ..Default::default()
            },
            Attribution {
                content: vec![(0, 11)],
                ..Default::default()
            },
        ];
        let [content, _, _] = word_labels(&words, &attrs);
        assert_eq!(content, vec![1, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn char_index_counts_code_points() {
        let t = "a“b”";
        let ci = char_index(t);
        assert_eq!(ci[0], 0);
        assert_eq!(ci[1], 1);
        assert_eq!(ci[4], 2);
        assert_eq!(ci[t.len()], 4);
    }
}
