//! Markdown lines to blocks: block markers (headings, lists, quotes, fences, tables) stripped and
//! inline markup (emphasis, links, code) removed, keeping each character's original offset.

use super::html_tokens::decode_entity;
use std::sync::OnceLock;

use regex::Regex;

use super::{is_url_token, text_of, tidy, Block, Line, Tc};

/// Markdown lines to blocks: block markers stripped, inline markup removed.
pub(super) fn markdown_blocks(lines: Vec<Line>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let flush = |cur: &mut Vec<Line>, blocks: &mut Vec<Block>| {
        if !cur.is_empty() {
            blocks.push(Block {
                lines: std::mem::take(cur),
                wrapped: false,
            });
        }
    };
    let mut fence: Option<(char, usize)> = None;
    let mut in_quote = false;
    for line in lines {
        let s = text_of(&line);
        if let Some((fc, len)) = fence {
            let run = s.chars().take_while(|&c| c == fc).count();
            if run >= len && s.chars().skip(run).all(char::is_whitespace) {
                fence = None;
                flush(&mut cur, &mut blocks);
            } else if !line.is_empty() {
                cur.push(line);
            }
            continue;
        }
        if s.is_empty() {
            flush(&mut cur, &mut blocks);
            in_quote = false;
            continue;
        }
        if let Some(f) = fence_open(&s) {
            flush(&mut cur, &mut blocks);
            fence = Some(f);
            continue;
        }
        if is_md_rule(&s) {
            flush(&mut cur, &mut blocks);
            continue;
        }
        if is_md_ref_def(&s) || is_md_table_rule(&s) {
            continue;
        }
        // Blockquote markers.
        let mut body: &[Tc] = &line;
        let mut quoted = false;
        while body.first().is_some_and(|t| t.c == '>') {
            quoted = true;
            body = &body[1..];
            if body.first().is_some_and(|t| t.c == ' ') {
                body = &body[1..];
            }
        }
        if quoted != in_quote {
            flush(&mut cur, &mut blocks);
            in_quote = quoted;
        }
        // Headings: a block of their own.
        let hashes = body.iter().take_while(|t| t.c == '#').count();
        if (1..=6).contains(&hashes) && body.get(hashes).is_none_or(|t| t.c == ' ') {
            flush(&mut cur, &mut blocks);
            let mut h = &body[hashes..];
            let trailing = h.iter().rev().take_while(|t| t.c == '#').count();
            if trailing > 0 && (trailing == h.len() || h[h.len() - trailing - 1].c == ' ') {
                h = &h[..h.len() - trailing];
            }
            let h = tidy(&md_inline(h));
            if !h.is_empty() {
                blocks.push(Block {
                    lines: vec![h],
                    wrapped: false,
                });
            }
            continue;
        }
        // List items start a block.
        if let Some(k) = md_list_marker(body) {
            flush(&mut cur, &mut blocks);
            body = &body[k..];
        }
        let inline = tidy(&md_inline(body));
        if inline.is_empty() {
            flush(&mut cur, &mut blocks);
        } else {
            cur.push(inline);
        }
    }
    flush(&mut cur, &mut blocks);
    blocks
}

/// A code fence opener: the fence char and its length.
fn fence_open(s: &str) -> Option<(char, usize)> {
    let c = s.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let run = s.chars().take_while(|&x| x == c).count();
    (run >= 3 && !(c == '`' && s[run..].contains('`'))).then_some((c, run))
}

/// A thematic break (`---`, `***`, `___`) or a setext heading underline (`===`, `---`).
fn is_md_rule(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(c) = compact.chars().next() else {
        return false;
    };
    matches!(c, '-' | '*' | '_' | '=') && compact.len() >= 3 && compact.chars().all(|x| x == c)
        || (c == '=' && compact.chars().all(|x| x == '='))
}

/// A link reference definition: `[ref]: url`.
fn is_md_ref_def(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\[[^\]]+\]:\s*\S+").expect("valid regex"))
        .is_match(s)
}

/// A table delimiter row: `| --- | :---: |`.
fn is_md_table_rule(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?$").expect("valid regex"))
        .is_match(s)
}

/// The length of a list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start of a line.
fn md_list_marker(l: &[Tc]) -> Option<usize> {
    let first = l.first()?.c;
    let k = if matches!(first, '-' | '*' | '+') {
        1
    } else {
        let digits = l.iter().take_while(|t| t.c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !matches!(l.get(digits).map(|t| t.c), Some('.' | ')')) {
            return None;
        }
        digits + 1
    };
    (l.get(k).is_some_and(|t| t.c == ' ') && l.len() > k + 1).then_some(k + 1)
}

/// The index of the bracket matching `l[open]`, skipping escaped and nested brackets.
fn matching(l: &[Tc], open: usize, o: char, c: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = open;
    while k < l.len() {
        match l[k].c {
            '\\' => k += 1,
            x if x == o => depth += 1,
            x if x == c => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// A link at `l[i] == '['`: `[text](url)` or `[text][ref]`. The index of `]` and the index
/// after the link.
fn md_link(l: &[Tc], i: usize) -> Option<(usize, usize)> {
    let close = matching(l, i, '[', ']')?;
    match l.get(close + 1).map(|t| t.c) {
        Some('(') => Some((close, matching(l, close + 1, '(', ')')? + 1)),
        Some('[') => Some((close, matching(l, close + 1, '[', ']')? + 1)),
        _ => None,
    }
}

/// An autolink or an HTML tag at `l[i] == '<'`: the index after it.
fn md_angle(l: &[Tc], i: usize) -> Option<usize> {
    let close = (i + 1..l.len())
        .take_while(|&k| l[k].c != '<')
        .find(|&k| l[k].c == '>')?;
    let inner: String = l[i + 1..close].iter().map(|t| t.c).collect();
    let first = inner.chars().next()?;
    let autolink = !inner.contains(char::is_whitespace)
        && (is_url_token(&inner) || inner.starts_with("mailto:") || inner.contains('@'));
    let tag = first.is_ascii_alphabetic()
        || first == '!'
        || (first == '/' && inner[1..].starts_with(|c: char| c.is_ascii_alphabetic()));
    (autolink || tag).then_some(close + 1)
}

/// Removes inline Markdown from one line.
fn md_inline(l: &[Tc]) -> Line {
    let n = l.len();
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let t = l[i];
        match t.c {
            '\\' if l.get(i + 1).is_some_and(|x| x.c.is_ascii_punctuation()) => {
                out.push(Tc::new(l[i + 1].c, t.s, l[i + 1].e));
                i += 2;
                continue;
            }
            '`' => {
                let run = l[i..].iter().take_while(|x| x.c == '`').count();
                let close = (i + run..n).find(|&k| {
                    l[k..].iter().take_while(|x| x.c == '`').count() == run
                        && (k == 0 || l[k - 1].c != '`')
                });
                if let Some(k) = close {
                    out.extend_from_slice(&l[i + run..k]);
                    i = k + run;
                } else {
                    out.extend_from_slice(&l[i..i + run]);
                    i += run;
                }
                continue;
            }
            '!' if l.get(i + 1).is_some_and(|x| x.c == '[') => {
                if let Some((_, end)) = md_link(l, i + 1) {
                    i = end;
                    continue;
                }
            }
            '[' => {
                if let Some((close, end)) = md_link(l, i) {
                    out.extend(md_inline(&l[i + 1..close]));
                    i = end;
                    continue;
                }
            }
            '<' => {
                if let Some(end) = md_angle(l, i) {
                    i = end;
                    continue;
                }
            }
            '&' => {
                let chars: Vec<char> = l[i..n.min(i + 12)].iter().map(|x| x.c).collect();
                if let Some((d, len)) = decode_entity(&chars, 0) {
                    out.push(Tc::new(d, t.s, l[i + len - 1].e));
                    i += len;
                    continue;
                }
            }
            '*' | '_' | '~' => {
                let run = l[i..].iter().take_while(|x| x.c == t.c).count();
                let prev = if i > 0 { Some(l[i - 1].c) } else { None };
                let next = l.get(i + run).map(|x| x.c);
                let space_before = prev.is_none_or(char::is_whitespace);
                let space_after = next.is_none_or(char::is_whitespace);
                let intraword = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                let literal = (space_before && space_after)
                    || (t.c == '_' && intraword)
                    || (t.c == '~' && run < 2);
                if literal {
                    out.extend_from_slice(&l[i..i + run]);
                }
                i += run;
                continue;
            }
            _ => {}
        }
        out.push(t);
        i += 1;
    }
    out
}
