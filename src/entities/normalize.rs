//! A mention reduced to its proper name: words, possessives, leading determiners and titles,
//! the matching key of a name, and appositive descriptions ("Wray, the FBI director,").

use super::lexicon::{is_determiner, is_title_word, norm_word, ROLE_NOUNS, TITLE_WORDS};
use super::{EntityType, Mention};
use crate::span::Span;

/// Words of `text[span]` with their byte spans (split at white space).
pub(super) fn words(text: &str, span: Span) -> Vec<(usize, usize)> {
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((span.start + st, span.start + i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((span.start + st, span.end));
    }
    out
}

/// Length in bytes of a possessive ending ("'s", "’s", or a lone apostrophe after s) of `s`.
pub(crate) fn possessive_len(s: &str) -> usize {
    for suf in ["'s", "’s", "'S", "’S"] {
        if s.len() > suf.len() && s.ends_with(suf) {
            return suf.len();
        }
    }
    for suf in ["s'", "s’"] {
        if s.len() > suf.len() && s.ends_with(suf) {
            return suf.len() - 1;
        }
    }
    0
}

/// A mention reduced to its proper name: the span without determiner, title or possessive.
#[derive(Debug, Clone)]
pub(super) struct Normalized {
    pub(super) span: Span,
    /// Name words, as written.
    pub(super) words: Vec<String>,
    /// Title words found before the name (inside the mention or just before it), lowercased.
    pub(super) title: Option<String>,
}

pub(super) fn normalize(text: &str, m: &Mention) -> Normalized {
    let mut ws = words(text, m.span);
    // Possessive / trailing punctuation on the last word.
    if let Some(last) = ws.last_mut() {
        let mut w = &text[last.0..last.1];
        let trimmed = w.trim_end_matches([',', ';', ':', ')', '"', '”']);
        last.1 -= w.len() - trimmed.len();
        w = &text[last.0..last.1];
        let p = possessive_len(w);
        if p > 0 && w.len() > p {
            last.1 -= p;
        }
    }
    ws.retain(|(a, b)| b > a);
    // Leading punctuation is no part of a name: the tagger may take the period of "Mr." or an
    // opening quote mark with the name (". Clarke", "“Clarke").
    while ws.len() > 1 && !text[ws[0].0..ws[0].1].chars().any(char::is_alphanumeric) {
        ws.remove(0);
    }
    if let Some(w) = ws.first_mut() {
        let lead = text[w.0..w.1]
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(0);
        w.0 += lead;
    }
    let mut first = 0;
    while first + 1 < ws.len() && is_determiner(&text[ws[first].0..ws[first].1]) {
        first += 1;
    }
    let mut title_words: Vec<String> = Vec::new();
    if m.etype == EntityType::PER {
        // Longest prefix of title words that leaves a capitalised name.
        let mut k = first;
        while k + 1 < ws.len() && is_title_word(&text[ws[k].0..ws[k].1]) {
            k += 1;
        }
        // A title after capitalised modifiers that are not title words themselves
        // ("Varnian Trade Minister Lukas Petrov", "Senate Majority Leader Ann Fox"): up to the
        // last title word, when a name remains.
        if k == first {
            let capitalised = |i: usize| {
                text[ws[i].0..ws[i].1]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            };
            if let Some(t) = (first + 1..ws.len().saturating_sub(1))
                .rev()
                .find(|&t| is_title_word(&text[ws[t].0..ws[t].1]))
            {
                if (first..ws.len()).all(capitalised) {
                    k = t + 1;
                }
            }
        }
        while k > first {
            let w = &text[ws[k].0..ws[k].1];
            if w.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            k -= 1;
        }
        for &(a, b) in &ws[first..k] {
            if !is_determiner(&text[a..b]) {
                title_words.push(text[a..b].to_lowercase());
            }
        }
        first = k;
    }
    let ws = &ws[first..];
    let span = match (ws.first(), ws.last()) {
        (Some(f), Some(l)) => Span::new(f.0, l.1),
        _ => m.span,
    };
    // Title words written just before the mention ("Russian President" + "Vladimir Putin",
    // "Russian" + "President Vladimir Putin").
    if m.etype == EntityType::PER {
        let before = &text[..m.span.start];
        // Only within the paragraph.
        let before = before.rsplit('\n').next().unwrap_or("");
        let mut prev: Vec<&str> = Vec::new();
        if before.ends_with(' ') {
            for w in before.trim_end_matches(' ').rsplit(' ').take(5) {
                let bare = w.trim_end_matches('.');
                let ok = is_title_word(w)
                    || (bare.len() >= 2
                        && bare.len() <= 5
                        && bare.chars().all(|c| c.is_ascii_uppercase() || c == '.'));
                if !ok || w.is_empty() || w.contains('\n') {
                    break;
                }
                prev.push(w);
            }
        }
        while prev.last().is_some_and(|w| is_determiner(w)) {
            prev.pop();
        }
        prev.reverse();
        let has_title = !title_words.is_empty()
            || prev.iter().any(|w| {
                let n = norm_word(w);
                TITLE_WORDS.contains(&n.as_str())
                    && !matches!(n.as_str(), "the" | "of" | "former" | "late" | "then")
            });
        if has_title && !prev.is_empty() {
            let mut all: Vec<String> = prev.iter().map(|w| w.to_lowercase()).collect();
            all.append(&mut title_words);
            title_words = all;
        }
    }
    Normalized {
        span,
        words: ws.iter().map(|&(a, b)| text[a..b].to_string()).collect(),
        title: if title_words.is_empty() {
            None
        } else {
            Some(title_words.join(" "))
        },
    }
}

/// The matching key of a name: lowercased words, middle initials dropped.
pub(super) fn name_key(words: &[String]) -> String {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let is_initial = w.trim_end_matches('.').chars().count() == 1 && w.ends_with('.');
            !(is_initial && *i > 0 && *i + 1 < n)
        })
        .map(|(_, w)| w.to_lowercase().replace('’', "'"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An appositive description after a person mention: "Wray, the FBI director," → "fbi director".
pub(super) fn appositive(text: &str, end: usize) -> Option<String> {
    let rest = &text[end..];
    let rest = rest.strip_prefix(", ")?;
    let stop = rest
        .find([',', '.', ';', '"', '“', '”', '\n', '('])
        .unwrap_or(rest.len());
    let phrase = &rest[..stop];
    let ws: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    if ws.len() < 2 || ws.len() > 8 {
        return None;
    }
    let det = ws[0].to_lowercase();
    if !matches!(
        det.as_str(),
        "the" | "a" | "an" | "his" | "her" | "its" | "their"
    ) && possessive_len(ws[0]) == 0
    {
        return None;
    }
    // The role noun is the head, before any "of"/"for" complement.
    let head_end = ws
        .iter()
        .position(|w| matches!(*w, "of" | "for" | "at" | "in" | "to" | "with"))
        .unwrap_or(ws.len());
    let head = ws[..head_end].last()?.to_lowercase();
    if !ROLE_NOUNS.contains(&head.as_str()) {
        return None;
    }
    let start = if possessive_len(ws[0]) > 0 { 0 } else { 1 };
    Some(ws[start..].join(" ").to_lowercase())
}
