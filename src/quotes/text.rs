//! Tokens, paragraphs and sentences of the cleaned text, as the quote rules see them.
//!
//! The rules do not depend on [`crate::segment`]: they tokenise the text themselves, so that
//! quote marks, apostrophes and abbreviations are treated the way the rules need.

use crate::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters/digits, with internal apostrophes, hyphens and abbreviation periods ("U.S.").
    Word,
    /// One punctuation character.
    Punct,
    /// A run of quote characters (`"`, `“`, `''`, `'"`, ...).
    Mark,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub span: Span,
    pub kind: Kind,
    pub para: usize,
}

pub(crate) fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '\'' | '‘' | '’' | '‹' | '›' | '`' | '″'
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘')
}

/// Abbreviations whose final period belongs to the word.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "st", "jr", "sr", "jan",
    "feb", "aug", "sept", "sep", "oct", "nov", "dec", "inc", "corp", "co", "no", "vs", "etc",
    "prof", "rev", "capt", "sgt", "maj", "adm", "ft", "mt", "ltd", "dept", "gov", "supt", "det",
    "messrs", "rs", "del", "ind", "calif", "fla", "mass", "penn", "wash", "ariz", "colo", "conn",
    "ga", "ill", "kan", "ky", "la", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev",
    "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wis", "wyo",
];

/// The tokens of `text`; paragraphs are separated by one or more newlines.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| -> Option<char> { chars.get(i).map(|&(_, c)| c) };
    let byte = |i: usize| -> usize { chars.get(i).map(|&(b, _)| b).unwrap_or(text.len()) };
    let mut toks = Vec::new();
    let mut para = 0usize;
    let mut i = 0usize;
    let mut seen_in_para = false;
    while i < n {
        let c = chars[i].1;
        if c == '\n' {
            if seen_in_para {
                para += 1;
                seen_in_para = false;
            }
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        seen_in_para = true;
        let start = i;
        if c.is_alphanumeric() {
            i += 1;
            while i < n {
                let c = chars[i].1;
                let next = at(i + 1);
                if c.is_alphanumeric() {
                    i += 1;
                } else if matches!(c, '-' | '&' | '.' | ',' | '/')
                    || is_apostrophe(c)
                    || c == '\u{00AD}'
                {
                    // Internal only: followed by a letter/digit ("U.S", "non-interference",
                    // "we've", "1,000"); a comma or slash only between digits.
                    let ok = match c {
                        ',' | '/' => {
                            chars[i - 1].1.is_ascii_digit()
                                && next.is_some_and(|x| x.is_ascii_digit())
                        }
                        '.' => {
                            (next.is_some_and(|x| x.is_alphanumeric())
                                && !chars[i - 1].1.is_lowercase())
                                || (next.is_some_and(|x| x.is_ascii_digit())
                                    && chars[i - 1].1.is_ascii_digit())
                        }
                        _ => next.is_some_and(|x| x.is_alphanumeric()),
                    };
                    if ok {
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            // A final period of an abbreviation or initial belongs to the word.
            if at(i) == Some('.') {
                let w = &text[byte(start)..byte(i)];
                let lw = w.to_lowercase();
                let initial = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
                if w.contains('.') || initial || ABBREVIATIONS.contains(&lw.as_str()) {
                    i += 1;
                }
            }
            toks.push(Tok {
                span: Span::new(byte(start), byte(i)),
                kind: Kind::Word,
                para,
            });
        } else if is_quote_char(c) {
            i += 1;
            while i < n && is_quote_char(chars[i].1) {
                i += 1;
            }
            // An apostrophe before digits ("'90s") is part of the word.
            toks.push(Tok {
                span: Span::new(byte(start), byte(i)),
                kind: Kind::Mark,
                para,
            });
        } else {
            i += 1;
            toks.push(Tok {
                span: Span::new(byte(start), byte(i)),
                kind: Kind::Punct,
                para,
            });
        }
    }
    toks
}

/// Lowercased word, with curly apostrophes folded.
pub(crate) fn lower(text: &str, t: &Tok) -> String {
    t.span.slice(text).to_lowercase().replace('’', "'")
}

pub(crate) fn is_capitalized(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}
