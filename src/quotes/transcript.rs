//! Transcripts: speaker labels (`PENCE: Well, look, ...`, `Q: ...`).

use super::doc::Doc;
use super::marks;
use super::text::Kind;
use super::{Attr, Cand, QuoteKind};

/// Labels that head a paragraph without naming a speaker.
#[rustfmt::skip]
const NOT_LABELS: &[&str] = &[
    "update", "updated", "note", "editor's", "correction", "corrections", "watch", "read",
    "related", "photos", "photo", "video", "source", "sources", "breaking", "exclusive",
    "warning", "disclaimer", "clarification", "advertisement", "tags", "topics", "more",
    "see", "also", "listen", "follow", "contact", "email", "twitter", "subscribe", "share",
    "caption", "credit", "transcript", "partial", "full", "excerpt", "excerpts", "analysis",
    "opinion", "summary", "background", "context", "bottom", "line", "why", "what", "how",
    "the", "a", "an", "this", "here's", "and", "or", "but",
];

/// The speaker label of a transcript line starting at token `t`: one to four words in
/// capitals (`PENCE`, `MR. TRUMP`, `Q`) and a colon, e.g. `PENCE: Well, look, ...`. Returns
/// the first and last token of the label.
pub(super) fn transcript_label(doc: &Doc, t: usize) -> Option<(usize, usize)> {
    let para = doc.toks.get(t)?.para;
    let mut last = t;
    while last < t + 4 && last < doc.toks.len() && doc.is_word(last) {
        last += 1;
    }
    if last == t
        || last >= doc.toks.len()
        || !doc.is_punct(last, ":")
        || doc.toks[last].para != para
    {
        return None;
    }
    // Not a time ("7:25") or a reference ("John 3:16").
    if doc
        .toks
        .get(last + 1)
        .is_some_and(|n| n.span.start == doc.toks[last].span.end && n.kind == Kind::Word)
    {
        return None;
    }
    let words = t..last;
    let caps = words.clone().all(|k| {
        let w = doc.tok_text(k);
        w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
    });
    if !caps
        || words
            .clone()
            .any(|k| NOT_LABELS.contains(&doc.lw[k].as_str()))
    {
        return None;
    }
    Some((t, last - 1))
}

/// Transcript paragraphs without quote marks: `CLINTON: We will ...`, `Q: ...`, or a label on
/// its own line before the paragraph it introduces. Only in a text with two labelled
/// paragraphs or more, so that a lone `UPDATE:`-style heading makes no quote.
pub(super) fn transcript_paragraphs(doc: &Doc, cands: &mut Vec<Cand>) {
    let mut lines: Vec<(usize, (usize, usize))> = Vec::new();
    for (p, &(p0, _)) in doc.paras.iter().enumerate() {
        if p0 == usize::MAX || doc.qid[p0].is_some() {
            continue;
        }
        if let Some(label) = transcript_label(doc, p0) {
            lines.push((p, label));
        }
    }
    if lines.len() < 2 {
        return;
    }
    for &(p, (first, last)) in &lines {
        let (_, p1) = doc.paras[p];
        let colon = last + 1;
        // The content: the rest of the paragraph, or the next paragraph after a label alone.
        let (c0, c1) = if colon < p1 {
            (colon + 1, p1)
        } else {
            let q = p + 1;
            if q >= doc.paras.len() || lines.iter().any(|&(x, _)| x == q) {
                continue;
            }
            doc.paras[q]
        };
        if (c0..=c1).any(|k| doc.qid[k].is_some()) {
            continue;
        }
        let content = marks::trim_content(doc.text, doc.span(c0, c1));
        if content.is_empty() {
            continue;
        }
        cands.push(Cand {
            kind: QuoteKind::Direct,
            content,
            seg: None,
            attr: Some(Attr::transcript(first, last)),
            speaker: None,
            confidence: 0.0,
        });
    }
}
