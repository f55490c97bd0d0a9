//! Words, word shapes and the subword windows the encoder reads.

use anyhow::{anyhow, Result};
use regex::Regex;
use tokenizers::Tokenizer;

use crate::{Sentence, Span};

/// Number of word-shape ids (0 is reserved for special and padding tokens).
pub const N_SHAPES: i64 = 16;

/// The word shape of `word`: casing class (1..=7) plus 8 when the word starts a sentence.
///
/// This is how the uncased encoder learns casing back: `Putin` and `putin` tokenize the same,
/// their shapes differ.
pub fn word_shape(word: &str, sentence_start: bool) -> i64 {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let has_digit = word.chars().any(|c| c.is_numeric());
    let base = if letters.is_empty() {
        if has_digit {
            2
        } else {
            1
        }
    } else if has_digit {
        6
    } else if letters.iter().all(|c| c.is_lowercase()) {
        3
    } else if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        5
    } else if letters[0].is_uppercase() && letters[1..].iter().all(|c| c.is_lowercase()) {
        4
    } else {
        7
    };
    base + if sentence_start { 8 } else { 0 }
}

/// Splits text into words for tagging, as CoNLL-2003 does: `U.S.` stays whole, `Putin's`
/// becomes `Putin` + `'s`, punctuation stands alone. Spans are bytes into `text`.
pub fn words(text: &str, span: Span) -> Vec<Span> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            \p{L}(?:\.\p{L})+\.?                                # U.S., U.K., a.m.
            | \p{N}+(?:[.,:/]\p{N}+)*                            # 1,000.5  12:30
            | [\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+)*     # words, non-interference
            | [^\s]                                              # any other single char
            ",
        )
        .expect("word regex")
    });
    let mut out = Vec::new();
    for m in re.find_iter(&text[span.start..span.end]) {
        let (s, e) = (span.start + m.start(), span.start + m.end());
        let w = &text[s..e];
        // Split a possessive 's / ’s off a word.
        let poss = ["'s", "’s", "'S", "’S"]
            .iter()
            .find(|p| w.len() > p.len() + 1 && w.ends_with(*p));
        match poss {
            Some(p) => {
                out.push(Span::new(s, e - p.len()));
                out.push(Span::new(e - p.len(), e));
            }
            None => out.push(Span::new(s, e)),
        }
    }
    out
}

/// A word to tag: its text and whether it starts a sentence.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    pub text: &'a str,
    pub sentence_start: bool,
}

/// A document tokenized for the model: subwords with the word each belongs to.
pub struct Tokenized {
    pub ids: Vec<i64>,
    pub shapes: Vec<i64>,
    /// For each subword, the index of its word.
    pub word_of: Vec<usize>,
    /// For each word, the index of its first subword (`None` when the tokenizer dropped it).
    pub first_sub: Vec<Option<usize>>,
    /// Sentence boundaries as subword index ranges.
    pub sentences: Vec<(usize, usize)>,
}

/// One window: a range of subwords, and the core range whose words it labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub core_start: usize,
    pub core_end: usize,
}

/// Cuts a tokenized document into windows of at most `body` subwords (without specials).
/// Cores are whole sentences packed up to `core_budget` subwords (a longer sentence is cut at
/// word boundaries); each core is widened with neighbouring sentences up to `body`.
/// `core_budget == body` means no context.
pub fn windows(tok: &Tokenized, body: usize, core_budget: usize) -> Vec<Window> {
    let core_budget = core_budget.clamp(1, body.max(1));
    let context = core_budget < body;
    // Pieces: sentences, long ones cut at word boundaries.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in &tok.sentences {
        let mut start = s;
        while e - start > core_budget {
            let mut cut = start + core_budget;
            // Move the cut back to a word start.
            while cut > start + 1 && tok.word_of[cut] == tok.word_of[cut - 1] {
                cut -= 1;
            }
            pieces.push((start, cut));
            start = cut;
        }
        if e > start {
            pieces.push((start, e));
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let (cs, mut ce) = pieces[i];
        let mut j = i + 1;
        while j < pieces.len() && pieces[j].1 - cs <= core_budget {
            ce = pieces[j].1;
            j += 1;
        }
        let (mut ws, mut we) = (cs, ce);
        if context {
            let (mut left, mut right) = (i, j);
            loop {
                let mut grew = false;
                if left > 0 && we - pieces[left - 1].0 <= body {
                    left -= 1;
                    ws = pieces[left].0;
                    grew = true;
                }
                if right < pieces.len() && pieces[right].1 - ws <= body {
                    we = pieces[right].1;
                    right += 1;
                    grew = true;
                }
                if !grew {
                    break;
                }
            }
        }
        out.push(Window {
            start: ws,
            end: we,
            core_start: cs,
            core_end: ce,
        });
        i = j;
    }
    out
}

/// The most characters of one word the tokenizer sees: a longer word (a run of text without
/// spaces, such as `Paris-London-Paris-…` over a megabyte) is cut to its first
/// `MAX_WORD_CHARS`, so that no word costs more than a few subwords.
pub const MAX_WORD_CHARS: usize = 50;

/// `word` cut to its first [`MAX_WORD_CHARS`] characters.
pub fn capped_word(word: &str) -> &str {
    match word.char_indices().nth(MAX_WORD_CHARS) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Whether a word has a letter (windows whose words have none are not tagged).
pub fn has_letter(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
}

/// Tokenizes words (with sentence starts) into subwords; a word longer than
/// [`MAX_WORD_CHARS`] is tokenized from its first characters only.
pub fn tokenize_words(tokenizer: &Tokenizer, words: &[Word]) -> Result<Tokenized> {
    let texts: Vec<&str> = words.iter().map(|w| capped_word(w.text)).collect();
    let mut t = Tokenized {
        ids: vec![],
        shapes: vec![],
        word_of: vec![],
        first_sub: vec![None; words.len()],
        sentences: vec![],
    };
    if words.is_empty() {
        return Ok(t);
    }
    let enc = tokenizer
        .encode(texts.as_slice(), false)
        .map_err(|e| anyhow!("tokenizer: {e}"))?;
    for (k, (&id, wid)) in enc.get_ids().iter().zip(enc.get_word_ids()).enumerate() {
        let Some(w) = wid else { continue };
        let w = *w as usize;
        let _ = k;
        if t.first_sub[w].is_none() {
            t.first_sub[w] = Some(t.ids.len());
        }
        t.ids.push(id as i64);
        t.shapes.push(word_shape(texts[w], words[w].sentence_start));
        t.word_of.push(w);
    }
    // Sentence ranges in subwords.
    let mut start = 0;
    for k in 1..=t.ids.len() {
        if k == t.ids.len()
            || (words[t.word_of[k]].sentence_start && t.word_of[k] != t.word_of[k - 1])
        {
            if k > start {
                t.sentences.push((start, k));
            }
            start = k;
        }
    }
    Ok(t)
}

/// Words of a cleaned text as the tagger sees them: spans (bytes of `text`), the words, and
/// each word's sentence index.
pub fn doc_words<'a>(
    text: &'a str,
    sentences: &[Sentence],
) -> (Vec<Span>, Vec<Word<'a>>, Vec<usize>) {
    let (mut spans, mut ws, mut sent) = (Vec::new(), Vec::new(), Vec::new());
    for (si, s) in sentences.iter().enumerate() {
        for (k, sp) in words(text, s.span).into_iter().enumerate() {
            ws.push(Word {
                text: &text[sp.start..sp.end],
                sentence_start: k == 0,
            });
            spans.push(sp);
            sent.push(si);
        }
    }
    (spans, ws, sent)
}
