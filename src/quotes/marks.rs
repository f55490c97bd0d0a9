//! Pairing quote marks into quoted segments.
//!
//! Handles straight and curly marks, nested single quotes inside double quotes, multi-paragraph
//! quotes (a paragraph that opens a quote and does not close it continues into the next
//! paragraph when that one reopens with a mark), and PDF damage: runs such as `''`, `""` or
//! `'"` count as one double mark, and a double quote may be closed by a single mark after
//! punctuation (`"..., statements,' he added`).

use super::text::{Kind, Tok};
use crate::Span;

/// One quoted segment: the text between an opening mark and its closing mark (or the end of
/// the paragraph for a quote that continues in the next paragraph).
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index of the closing mark; `None` when the segment runs to the paragraph end.
    pub close: Option<usize>,
    /// The content, without marks, surrounding space and a trailing comma/period.
    pub content: Span,
    pub para: usize,
    /// Segments of one multi-paragraph quote share a chain id (the index of the first segment).
    pub chain: usize,
    /// Position in the chain (0 for the first paragraph).
    pub chain_pos: usize,
    /// Closed by a mismatched or weak mark, or not closed at all.
    pub damaged: bool,
}

#[derive(Debug, Clone, Copy)]
struct MarkInfo {
    double: bool,
    opener: bool,
    closer: bool,
    /// A single mark after punctuation (",'"), which may close a damaged double quote.
    after_punct: bool,
    apostrophe: bool,
}

fn is_double_char(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '″')
}

fn mark_info(text: &str, t: &Tok) -> MarkInfo {
    let run = t.span.slice(text);
    let left = text[..t.span.start]
        .chars()
        .next_back()
        .filter(|&c| c != '\n');
    let right = text[t.span.end..].chars().next().filter(|&c| c != '\n');
    let nchars = run.chars().count();
    let double = run.chars().any(is_double_char) || nchars >= 2;
    let first = run.chars().next().unwrap_or(' ');
    let last = run.chars().next_back().unwrap_or(' ');
    let glyph_open = matches!(first, '“' | '„' | '«' | '‘' | '‹' | '`');
    let glyph_close = matches!(last, '”' | '»' | '’' | '›');
    let left_open = left.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
    let right_space = right.is_none_or(char::is_whitespace);
    let right_punct = right.is_some_and(|c| ",.;:!?)]—–…-".contains(c));
    let can_open = left_open && !right_space && !right_punct;
    let can_close = left.is_some_and(|c| !c.is_whitespace() && !"([{".contains(c))
        && (right_space || right_punct || right.is_some_and(super::text::is_quote_char));
    let (mut opener, mut closer) = (can_open, can_close);
    if opener && closer {
        if glyph_open && !glyph_close {
            closer = false;
        } else if glyph_close && !glyph_open {
            opener = false;
        }
    }
    if !opener && !closer {
        if glyph_open {
            opener = true;
        } else if glyph_close {
            closer = true;
        } else {
            opener = true;
            closer = true;
        }
    }
    let single = !double;
    let apostrophe = single
        && (left.is_some_and(char::is_alphanumeric) && right.is_some_and(char::is_alphanumeric)
            || (can_open && right.is_some_and(|c| c.is_ascii_digit())));
    MarkInfo {
        double,
        opener,
        closer,
        after_punct: left.is_some_and(|c| ",.?!;:".contains(c)),
        apostrophe,
    }
}

struct Open {
    tok: usize,
    double: bool,
    chain: usize,
    chain_pos: usize,
    nested: usize,
    weak: Vec<usize>,
}

/// Pairs the quote marks of the document into segments, in text order.
pub(crate) fn pair(text: &str, toks: &[Tok]) -> Vec<Seg> {
    let infos: Vec<Option<MarkInfo>> = toks
        .iter()
        .map(|t| (t.kind == Kind::Mark).then(|| mark_info(text, t)))
        .collect();
    let npara = toks.last().map_or(0, |t| t.para + 1);
    let mut para_range = vec![(usize::MAX, 0usize); npara];
    for (i, t) in toks.iter().enumerate() {
        let r = &mut para_range[t.para];
        r.0 = r.0.min(i);
        r.1 = i + 1;
    }
    let mut segs: Vec<Seg> = Vec::new();
    let make = |open: &Open, close: Option<usize>, end_tok: usize, damaged: bool| -> Option<Seg> {
        let start = toks[open.tok].span.end;
        let end = match close {
            Some(c) => toks[c].span.start,
            None => toks[end_tok].span.end,
        };
        let content = trim_content(text, Span::new(start, end.max(start)));
        // `rock 'n' roll`
        let tiny = !open.double && content.slice(text).chars().count() <= 1;
        (!content.is_empty() && !tiny).then(|| Seg {
            open: open.tok,
            close,
            content,
            para: toks[open.tok].para,
            chain: open.chain,
            chain_pos: open.chain_pos,
            damaged,
        })
    };
    let mut carried: Option<(usize, usize)> = None; // (chain, chain_pos) to continue
    for (p, &(lo, hi)) in para_range.iter().enumerate() {
        if lo == usize::MAX {
            continue;
        }
        let _ = p;
        let mut state: Option<Open> = None;
        let mut first_mark_used = false;
        if let Some((chain, pos)) = carried.take() {
            if let Some(info) = infos[lo] {
                if info.opener && !info.apostrophe {
                    state = Some(Open {
                        tok: lo,
                        double: info.double,
                        chain,
                        chain_pos: pos + 1,
                        nested: 0,
                        weak: vec![],
                    });
                    first_mark_used = true;
                }
            }
        }
        for i in lo..hi {
            let Some(m) = infos[i] else { continue };
            if first_mark_used && i == lo {
                continue;
            }
            if m.apostrophe {
                continue;
            }
            match state.as_mut() {
                None => {
                    if !m.opener {
                        continue;
                    }
                    if !m.double {
                        // A single opener needs a closer later in the paragraph.
                        let has_closer = (i + 1..hi).any(|j| {
                            infos[j].is_some_and(|x| x.closer && !x.apostrophe && !x.double)
                        });
                        if !has_closer {
                            continue;
                        }
                    }
                    let chain = segs.len();
                    state = Some(Open {
                        tok: i,
                        double: m.double,
                        chain,
                        chain_pos: 0,
                        nested: 0,
                        weak: vec![],
                    });
                }
                Some(st) => {
                    if st.double && !m.double {
                        if m.opener && !m.closer {
                            st.nested += 1;
                        } else if m.closer {
                            if st.nested > 0 {
                                st.nested -= 1;
                            } else if m.after_punct {
                                let s = state.take().expect("open state");
                                segs.extend(make(&s, Some(i), i, true));
                            } else {
                                st.weak.push(i);
                            }
                        }
                        continue;
                    }
                    if m.closer {
                        let s = state.take().expect("open state");
                        let damaged = s.double != m.double;
                        segs.extend(make(&s, Some(i), i, damaged));
                    } else if m.opener && m.double {
                        // A new quote opens before the last one closed: the last one was broken.
                        let s = state.take().expect("open state");
                        if let Some(&w) = s.weak.first() {
                            segs.extend(make(&s, Some(w), w, true));
                        } else if i > s.tok + 1 {
                            segs.extend(make(&s, None, i - 1, true));
                        }
                        let chain = segs.len();
                        state = Some(Open {
                            tok: i,
                            double: true,
                            chain,
                            chain_pos: 0,
                            nested: 0,
                            weak: vec![],
                        });
                    }
                }
            }
        }
        if let Some(s) = state.take() {
            // Multi-paragraph quote: the next paragraph reopens with a mark.
            let next_lo = para_range.get(p + 1).map(|r| r.0).unwrap_or(usize::MAX);
            let reopens = next_lo != usize::MAX
                && infos[next_lo]
                    .is_some_and(|x| x.opener && !x.apostrophe && (x.double || !s.double));
            if reopens && s.weak.is_empty() {
                segs.extend(make(&s, None, hi - 1, false));
                carried = Some((s.chain, s.chain_pos));
            } else if let Some(&w) = s.weak.first() {
                segs.extend(make(&s, Some(w), w, true));
            } else {
                segs.extend(make(&s, None, hi - 1, true));
            }
        }
    }
    // Chains are identified by the index of their first segment.
    let mut first_of_chain = std::collections::HashMap::new();
    for (i, s) in segs.iter_mut().enumerate() {
        let c = *first_of_chain.entry(s.chain).or_insert(i);
        s.chain = c;
    }
    segs
}

/// Content without surrounding space and a trailing comma, period, colon or semicolon.
pub(crate) fn trim_content(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
            .len();
    let mut t = &s[lead..];
    loop {
        let before = t.len();
        t = t.trim_end();
        t = t.trim_end_matches([',', '.', ';', ':']);
        if t.len() == before {
            break;
        }
    }
    Span::new(span.start + lead, span.start + lead + t.len())
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn contents(text: &str) -> Vec<String> {
        let toks = tokenize(text);
        pair(text, &toks)
            .iter()
            .map(|s| s.content.slice(text).to_string())
            .collect()
    }

    #[test]
    fn straight_curly_and_nested() {
        assert_eq!(
            contents("He said \"yes, we can,\" and left."),
            vec!["yes, we can"]
        );
        assert_eq!(
            contents("“I said ‘no’ to him,” she said. It’s the others’ fault."),
            vec!["I said ‘no’ to him"]
        );
        assert_eq!(
            contents("a 'scare' quote and rock 'n' roll in the '90s"),
            vec!["scare"]
        );
    }

    #[test]
    fn pdf_damage() {
        assert_eq!(
            contents("to \"\"exchange in each others' domestic affairs,\" and"),
            vec!["exchange in each others' domestic affairs"]
        );
        assert_eq!(
            contents("\"As we've said, no basis,' he added. \"\"We are in favor\" through"),
            vec!["As we've said, no basis", "We are in favor"]
        );
        assert_eq!(
            contents("of ''unleashing a campaign' over"),
            vec!["unleashing a campaign"]
        );
        assert_eq!(
            contents("accused '\"Russian actors' of seeking"),
            vec!["Russian actors"]
        );
    }

    #[test]
    fn multi_paragraph() {
        let text = "“First part of it.\n\n“Second part,” he said.\n\nNot quoted.";
        let toks = tokenize(text);
        let segs = pair(text, &toks);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].content.slice(text), "First part of it");
        assert_eq!(segs[1].content.slice(text), "Second part");
        assert_eq!(segs[0].chain, segs[1].chain);
        assert_eq!(segs[1].chain_pos, 1);
        assert!(segs[0].close.is_none());
    }
}
