//! Per-word BIO layers (Content, Cue, Source) → attribution triples.
//!
//! Each layer is decoded on its own with constrained Viterbi (`I` only after `B` or `I`), its
//! spans are read off, and the spans are paired around the cues:
//! - each Content span goes to the nearest Cue in its sentence or the next/previous sentence
//!   (word distance, 0 when adjacent), so `"A," he said, "B."` gives one attribution whose
//!   content is A and B, split by the cue;
//! - each cue with content takes the nearest Source span of its sentence that is not inside its
//!   own content ("according to X" puts the source after the cue, "X said" before: nearest
//!   covers both); a source may lie inside another attribution's content;
//! - content with no cue near it, and cues with no content, are dropped.

use crate::tagging::{LearnedAttribution, SourceSpan};
use crate::Span;

/// Per-word labels of one role's layer.
pub const O: u8 = 0;
pub const B: u8 = 1;
pub const I: u8 = 2;

/// Word range, end exclusive.
pub type WordSpan = (usize, usize);

/// One decoded attribution, in word indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triple {
    /// Content ranges in text order (several when the cue or an aside splits it).
    pub content: Vec<WordSpan>,
    pub cue: WordSpan,
    pub source: Option<WordSpan>,
}

/// Constrained BIO Viterbi over per-word log-probabilities `[O, B, I]`.
pub fn viterbi(logp: &[[f32; 3]]) -> Vec<u8> {
    let n = logp.len();
    if n == 0 {
        return vec![];
    }
    let neg = f32::NEG_INFINITY;
    let mut score = vec![[neg; 3]; n];
    let mut back = vec![[0u8; 3]; n];
    score[0] = [logp[0][0], logp[0][1], neg];
    for i in 1..n {
        for c in 0..3 {
            let mut best = (neg, 0u8);
            for (p, &prev) in score[i - 1].iter().enumerate() {
                // I only after B or I.
                if c == I as usize && p == O as usize {
                    continue;
                }
                if prev > best.0 {
                    best = (prev, p as u8);
                }
            }
            score[i][c] = best.0 + logp[i][c];
            back[i][c] = best.1;
        }
    }
    let mut cur = (0..3)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0) as u8;
    let mut out = vec![O; n];
    for i in (0..n).rev() {
        out[i] = cur;
        cur = back[i][cur as usize];
    }
    out
}

/// Spans of a BIO layer: a `B` starts one, `I` continues it (an `I` after `O` starts one too).
pub fn spans(tags: &[u8]) -> Vec<WordSpan> {
    let mut out = Vec::new();
    let mut cur: Option<usize> = None;
    for (i, &t) in tags.iter().enumerate() {
        match t {
            B => {
                if let Some(s) = cur {
                    out.push((s, i));
                }
                cur = Some(i);
            }
            I if cur.is_none() => cur = Some(i),
            I => {}
            _ => {
                if let Some(s) = cur.take() {
                    out.push((s, i));
                }
            }
        }
    }
    if let Some(s) = cur {
        out.push((s, tags.len()));
    }
    out
}

fn gap(a: WordSpan, b: WordSpan) -> usize {
    b.0.saturating_sub(a.1).max(a.0.saturating_sub(b.1))
}

/// A cue without the words it shares with its own content at its ends ("has repeatedly brushed
/// off all" before the content "all allegations ..."): PolNeAR train has no attribution whose
/// cue overlaps its content (0 of 22,457), while the layers are decoded each on its own. A cue
/// that would be left empty stays as it is.
fn trim_cue(mut cue: WordSpan, content: &[WordSpan]) -> WordSpan {
    let held = |w: usize| content.iter().any(|c| c.0 <= w && w < c.1);
    let whole = cue;
    while cue.0 < cue.1 && held(cue.1 - 1) {
        cue.1 -= 1;
    }
    while cue.0 < cue.1 && held(cue.0) {
        cue.0 += 1;
    }
    if cue.0 == cue.1 {
        whole
    } else {
        cue
    }
}

/// Ends a layer's spans at paragraph breaks: an `I` on the first word after a break becomes
/// `B`. For the Cue and Source layers, which name a verb or a phrase and never run from one
/// paragraph into the next in PolNeAR train (0 cues and 2 of 19,561 sources hold a line
/// break); a Content span may (127 of 22,525) and is not cut.
fn cut_at_breaks(tags: &mut [u8], breaks: &[bool]) {
    for (t, &b) in tags.iter_mut().zip(breaks) {
        if b && *t == I {
            *t = B;
        }
    }
}

/// For each word, whether a paragraph break lies between it and the word before: a blank line,
/// or a line break where the sentence changes (a line wrapped inside a sentence is no break).
pub fn paragraph_breaks(text: &str, spans: &[Span], sentence: &[usize]) -> Vec<bool> {
    (0..spans.len())
        .map(|w| {
            if w == 0 {
                return false;
            }
            let gap = text
                .get(spans[w - 1].end..spans[w].start)
                .unwrap_or_default();
            // Nothing but the gap lies between two words: two line breaks are a blank line.
            let lines = gap.matches('\n').count();
            lines >= 2 || lines == 1 && sentence.get(w) != sentence.get(w - 1)
        })
        .collect()
}

/// Pairs the spans of the three layers into attributions. `sentence` gives each word's
/// sentence index (non-decreasing).
pub fn assemble(layers: &[Vec<u8>; 3], sentence: &[usize]) -> Vec<Triple> {
    let contents = spans(&layers[0]);
    let cues = spans(&layers[1]);
    let sources = spans(&layers[2]);
    let sent = |w: usize| sentence.get(w).copied().unwrap_or(0);
    let mut groups: Vec<Vec<WordSpan>> = vec![Vec::new(); cues.len()];
    for &c in &contents {
        let (cs, ce) = (sent(c.0), sent(c.1.saturating_sub(1).max(c.0)));
        let best = cues
            .iter()
            .enumerate()
            .filter(|(_, q)| {
                let qs = sent(q.0);
                qs + 1 >= cs && qs <= ce + 1
            })
            .min_by_key(|(k, q)| (gap(c, **q), *k))
            .map(|(k, _)| k);
        if let Some(k) = best {
            groups[k].push(c);
        }
    }
    let mut out = Vec::new();
    for (k, content) in groups.into_iter().enumerate() {
        if content.is_empty() {
            continue;
        }
        let cue = trim_cue(cues[k], &content);
        let inside = |s: WordSpan| content.iter().any(|c| c.0 <= s.0 && s.1 <= c.1);
        let source = sources
            .iter()
            .copied()
            .filter(|&s| sent(s.0) == sent(cue.0) && !inside(s))
            .min_by_key(|&s| (gap(s, cue), s.0))
            .or_else(|| {
                // A source in the neighbouring sentence only when the cue has none in its own.
                sources
                    .iter()
                    .copied()
                    .filter(|&s| sent(s.0).abs_diff(sent(cue.0)) == 1 && !inside(s))
                    .filter(|&s| gap(s, cue) <= 3)
                    .min_by_key(|&s| gap(s, cue))
            });
        out.push(Triple {
            content,
            cue,
            source,
        });
    }
    out.sort_by_key(|t| t.content[0]);
    out
}

/// Decodes per-word log-probabilities (`[role][word] = [O, B, I]`) into attributions, with the
/// words' byte spans and sentence indices.
/// `breaks` ([`paragraph_breaks`]) ends Cue and Source spans at paragraph breaks.
pub fn decode_words(
    logp: &super::AttrLogp,
    spans: &[Span],
    sentence: &[usize],
    breaks: &[bool],
) -> Vec<LearnedAttribution> {
    let mut layers = [viterbi(&logp[0]), viterbi(&logp[1]), viterbi(&logp[2])];
    cut_at_breaks(&mut layers[1], breaks);
    cut_at_breaks(&mut layers[2], breaks);
    let span = |(s, e): (usize, usize)| Span::new(spans[s].start, spans[e - 1].end);
    // Mean probability of "inside a span" (B or I) over the words of the ranges.
    let inside = |role: usize, ranges: &[(usize, usize)]| {
        let (mut sum, mut n) = (0.0f32, 0);
        for &(s, e) in ranges {
            for w in &logp[role][s..e] {
                sum += 1.0 - w[0].exp();
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            sum / n as f32
        }
    };
    assemble(&layers, sentence)
        .into_iter()
        .map(|t| LearnedAttribution {
            score: inside(0, &t.content).min(inside(1, &[t.cue])),
            content: t.content.into_iter().map(span).collect(),
            cue: span(t.cue),
            source: t.source.map(span),
        })
        .collect()
}

/// Every span of the Source layer (constrained Viterbi), in byte spans: the words naming a
/// source as PolNeAR marks them ("House Speaker Paul Ryan", "Chris Cox, who runs the NRA's
/// lobbying arm"), whether or not the span was paired with a cue.
/// Ended at paragraph breaks (`breaks`, [`paragraph_breaks`]).
pub fn source_spans(logp: &super::AttrLogp, spans: &[Span], breaks: &[bool]) -> Vec<SourceSpan> {
    let mut tags = viterbi(&logp[2]);
    cut_at_breaks(&mut tags, breaks);
    self::spans(&tags)
        .into_iter()
        .map(|(s, e)| SourceSpan {
            span: Span::new(spans[s].start, spans[e - 1].end),
            score: logp[2][s..e].iter().map(|w| 1.0 - w[0].exp()).sum::<f32>() / (e - s) as f32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<u8> {
        s.chars()
            .map(|c| match c {
                'B' => B,
                'I' => I,
                _ => O,
            })
            .collect()
    }

    #[test]
    fn viterbi_repairs_inside_after_outside() {
        let lp = |o: f32, b: f32, i: f32| [o.ln(), b.ln(), i.ln()];
        // O I I: the best path must start the span with B.
        let got = viterbi(&[lp(0.9, 0.05, 0.05), lp(0.2, 0.3, 0.5), lp(0.1, 0.1, 0.8)]);
        assert_eq!(got, vec![O, B, I]);
        assert_eq!(spans(&got), vec![(1, 3)]);
    }

    #[test]
    fn spans_of_a_layer() {
        assert_eq!(
            spans(&tags("BIIOBBI.I")),
            vec![(0, 3), (4, 5), (5, 7), (8, 9)]
        );
        assert!(spans(&[]).is_empty());
    }

    #[test]
    fn content_split_by_the_cue_is_one_attribution() {
        // "We will , he said , go home ."
        //  0  1    2 3  4    5 6  7    8
        let layers = [tags("BI....BI."), tags("....B...."), tags("...B.....")];
        let t = assemble(&layers, &[0; 9]);
        assert_eq!(
            t,
            vec![Triple {
                content: vec![(0, 2), (6, 8)],
                cue: (4, 5),
                source: Some((3, 4)),
            }]
        );
    }

    #[test]
    fn a_cue_gives_up_the_words_of_its_own_content() {
        // "They brushed off all claims ."
        //  0    1       2   3   4      5
        // The Cue layer runs into the content's first word: the cue ends before it.
        let layers = [tags("...BI."), tags(".BII.."), tags("B.....")];
        let t = assemble(&layers, &[0; 6]);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!((t[0].cue, t[0].content.clone()), ((1, 3), vec![(3, 5)]));
        // A cue wholly inside its content stays: there is nothing else to call the cue.
        let layers = [tags(".BIII."), tags("..B..."), tags("B.....")];
        let t = assemble(&layers, &[0; 6]);
        assert_eq!(t[0].cue, (2, 3), "{t:?}");
    }

    #[test]
    fn cue_and_source_spans_end_at_paragraph_breaks() {
        let text =
            "See Kremlin.ru\n\nRussian President Putin proposed a pact with Washington today.";
        let words: Vec<&str> = vec![
            "See",
            "Kremlin",
            ".",
            "ru",
            "Russian",
            "President",
            "Putin",
            "proposed",
            "a",
            "pact",
            "with",
            "Washington",
            "today",
            ".",
        ];
        let mut spans = Vec::new();
        let mut at = 0;
        for w in &words {
            let s = at + text[at..].find(w).expect(w);
            spans.push(Span::new(s, s + w.len()));
            at = s + w.len();
        }
        let sentence = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        let breaks = paragraph_breaks(text, &spans, &sentence);
        assert_eq!(breaks.iter().filter(|&&b| b).count(), 1);
        assert!(breaks[4]);
        // A line wrapped inside a sentence is no break.
        let wrapped = "Lavrov\nsaid it.";
        let ws = [Span::new(0, 6), Span::new(7, 11), Span::new(12, 14)];
        assert_eq!(paragraph_breaks(wrapped, &ws, &[0, 0, 0]), [false; 3]);
        // The head's Source layer runs from "ru" over the break to "Putin".
        let p = |o: f32, b: f32, i: f32| [o.ln(), b.ln(), i.ln()];
        let o = p(0.98, 0.01, 0.01);
        let mut lp: super::super::AttrLogp = [vec![o; 14], vec![o; 14], vec![o; 14]];
        lp[2][3] = p(0.05, 0.9, 0.05);
        lp[2][4..7].fill(p(0.05, 0.05, 0.9));
        lp[1][7] = p(0.05, 0.9, 0.05);
        lp[0][8] = p(0.05, 0.9, 0.05);
        lp[0][9..13].fill(p(0.05, 0.05, 0.9));
        let src: Vec<&str> = source_spans(&lp, &spans, &breaks)
            .iter()
            .map(|s| s.span.slice(text))
            .collect();
        assert_eq!(src, ["ru", "Russian President Putin"]);
        let a = decode_words(&lp, &spans, &sentence, &breaks);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(
            a[0].source.map(|s| s.slice(text)),
            Some("Russian President Putin")
        );
        assert_eq!(a[0].cue.slice(text), "proposed");
        // Without the breaks, the source phrase would be "ru\n\nRussian President Putin".
        let no = vec![false; 14];
        let a = decode_words(&lp, &spans, &sentence, &no);
        assert!(a[0].source.unwrap().slice(text).starts_with("ru"));
    }

    #[test]
    fn two_attributions_and_according_to() {
        // "Annie said the sky is red . According to Bob , rain falls ."
        //  0     1    2   3   4  5   6 7         8  9   10 11   12    13
        let layers = [
            tags("..BIII.....BI."),
            tags(".B.....BI....."),
            tags("B........B...."),
        ];
        let sentence = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
        let t = assemble(&layers, &sentence);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].content, vec![(2, 6)]);
        assert_eq!((t[0].cue, t[0].source), ((1, 2), Some((0, 1))));
        assert_eq!(t[1].content, vec![(11, 13)]);
        assert_eq!((t[1].cue, t[1].source), ((7, 9), Some((9, 10))));
    }

    #[test]
    fn source_inside_another_content_and_no_cue() {
        // "Ann said that Bob claimed rain . Snow ."
        //  0   1    2    3   4       5    6 7    8
        // Ann's content holds Bob and "claimed" (no content of its own: dropped); "Snow" has
        // no cue near it (dropped).
        let layers = [tags("..BIII.B."), tags(".B..B...."), tags("B..B.....")];
        let sentence = [0, 0, 0, 0, 0, 0, 0, 5, 5];
        let t = assemble(&layers, &sentence);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(
            (t[0].content.clone(), t[0].source),
            (vec![(2, 6)], Some((0, 1)))
        );
        // Word 1 is a cue with content 2..8, word 8 a cue with content 9; the source of the
        // second (word 4) lies inside the first one's content.
        let layers = [tags("..BIIIII.B"), tags(".B......B."), tags("B...B.....")];
        let t = assemble(&layers, &[0; 10]);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].source, Some((0, 1)));
        assert_eq!((t[1].cue, t[1].source), ((8, 9), Some((4, 5))));
    }
}
