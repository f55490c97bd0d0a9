//! Paragraphs and sentences of the cleaned text.
//!
//! This module owns where paragraphs and sentences start and end (byte [`Span`]s into the
//! cleaned text, see [`crate::clean`]); it does not look inside quotes: a quote of several
//! sentences is split like any other text, and the quote detector works on the text itself.
//!
//! # Sentence rule
//!
//! A sentence ends after `.`, `?`, `!`, `…` (or a run of them, like `...` or `?!`), with any
//! closing quotes and brackets right after it (`."`, `?”`, `.)`) kept in the sentence, when
//! white space and then the start of a new sentence follow. Never a break:
//!
//! * before a lowercase word (`"Stop," he said.` has no break at all, `the U.S. hosts` none);
//! * after a title (`Mr.`, `Dr.`, `Sen.`, `Gen.`, `St.`, ...), or after `No.`/a month (`Nov. 3`)
//!   before a number, or after `e.g.`/`i.e.`.
//!
//! After a dotted abbreviation (`U.S.`, `a.m.`), an ambiguous one (`Inc.`, `Corp.`, `Ltd.`,
//! `Jr.`, `etc.`, months) or an initial (`J. K. Rowling`), the break is made only when the next
//! word is a usual sentence opener (He, She, It, They, The, This, But, ...):
//! `in the U.S. He said` splits, `the U.S. Senate` does not.

use crate::span::Span;

/// A sentence of the cleaned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph this sentence belongs to.
    pub paragraph: usize,
}

/// The paragraphs of `text`: runs of non-blank lines, separated by blank lines (the cleaned
/// text separates them by `"\n\n"`), each span trimmed of white space.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Span::new(s, end));
            }
        } else {
            let lead = body.len() - body.trim_start().len();
            if start.is_none() {
                start = Some(pos + lead);
            }
            end = pos + body.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(Span::new(s, end));
    }
    out
}

/// The sentences of `text`, in order, each trimmed of white space and tagged with the index of
/// its paragraph (see the module docs for the rule).
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut pieces = Vec::new();
    for (index, para) in paragraphs(text).into_iter().enumerate() {
        for span in split_paragraph(text, para) {
            pieces.clear();
            split_long(text, span, MAX_SENTENCE_WORDS, &mut pieces);
            out.extend(pieces.iter().map(|&span| Sentence {
                span,
                paragraph: index,
            }));
        }
    }
    out
}

/// Longest sentence, in words, that tagging and the quote rules see. A longer one (a page
/// without punctuation, a table flattened into one line) is cut at safe points, so that time
/// grows linearly with its length.
pub const MAX_SENTENCE_WORDS: usize = 400;

/// Pushes `span` cut into pieces of at most `max` words. Each cut is made in the second half
/// of the piece at the best safe point there, the latest of its kind: a line break first, then
/// after a semicolon (or colon), then after a comma, else between any two words.
fn split_long(text: &str, span: Span, max: usize, out: &mut Vec<Span>) {
    let slice = span.slice(text);
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in slice.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, slice.len()));
    }
    if words.len() <= max {
        out.push(span);
        return;
    }
    // How good a cut after word `k` is: the gap after it holds a line break (3), the word ends
    // a clause with `;` or `:` (2) or with `,` (1), or neither (0).
    let rank = |k: usize| -> u8 {
        let (ws, we) = words[k];
        if k + 1 < words.len() && slice[we..words[k + 1].0].contains('\n') {
            3
        } else if slice[ws..we].ends_with([';', ':']) {
            2
        } else if slice[ws..we].ends_with(',') {
            1
        } else {
            0
        }
    };
    let mut first = 0;
    while words.len() - first > max {
        let last = first + max - 1;
        let cut = (first + max / 2..=last)
            .rev()
            .max_by_key(|&k| rank(k))
            .unwrap_or(last);
        out.push(Span::new(
            span.start + words[first].0,
            span.start + words[cut].1,
        ));
        first = cut + 1;
    }
    out.push(Span::new(span.start + words[first].0, span.end));
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«')
}

/// The sentences of one paragraph.
fn split_paragraph(text: &str, para: Span) -> Vec<Span> {
    let base = para.start;
    let chars: Vec<(usize, char)> = para
        .slice(text)
        .char_indices()
        .map(|(i, c)| (base + i, c))
        .collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut start = 0; // index into chars
    let mut k = 0;
    while k < n {
        if !is_terminator(chars[k].1) {
            k += 1;
            continue;
        }
        let mut j = k;
        while j < n && is_terminator(chars[j].1) {
            j += 1;
        }
        let term_end = j;
        while j < n && is_closer(chars[j].1) {
            j += 1;
        }
        if j < n && chars[j].1.is_whitespace() {
            let mut m = j;
            while m < n && chars[m].1.is_whitespace() {
                m += 1;
            }
            if m < n && breaks(&chars, k, term_end, j, m) {
                out.push(Span::new(chars[start].0, chars[j].0));
                start = m;
            }
        }
        k = j.max(k + 1);
    }
    if start < n {
        out.push(Span::new(chars[start].0, para.end));
    }
    out
}

/// Titles before a name: never a sentence end.
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov",
    "Govs", "Gen", "Gens", "Lt", "Col", "Maj", "Capt", "Cmdr", "Cmdt", "Adm", "Sgt", "Cpl", "Pvt",
    "Brig", "Rev", "Fr", "Hon", "Pres", "Supt", "Insp", "Det", "Atty", "Amb", "Sec", "St", "Ste",
    "Mt", "Ft", "vs", "v", "Rt",
];

/// Months: not a sentence end before a number ("Nov. 3").
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

/// Abbreviations that are not a sentence end before a number ("No. 3", "Fig. 2").
const BEFORE_NUMBER: &[&str] = &[
    "No", "Nos", "no", "Art", "Fig", "Vol", "p", "pp", "ch", "Ch", "Para", "Ph",
];

/// Abbreviations that may end a sentence: break only before a sentence opener.
const AMBIGUOUS: &[&str] = &[
    "Inc", "Corp", "Ltd", "Co", "Jr", "Sr", "Bros", "etc", "Univ", "Dept", "Govt", "Assn", "Ave",
    "Blvd", "Rd", "approx", "est", "Calif", "Mass", "Conn", "Fla", "Ill", "Pa", "Va", "Wash",
    "Ariz", "Colo", "Ga", "Ky", "La", "Md", "Mich", "Minn", "Miss", "Mo", "Nev", "Okla", "Ore",
    "Tenn", "Tex", "Wis", "Ala", "Ark", "Del", "Kan", "Neb", "Vt", "Wyo",
];

/// Words that usually open a sentence: after an ambiguous abbreviation they mean a break.
const OPENERS: &[&str] = &[
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "The",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "However",
    "Meanwhile",
    "Still",
    "Also",
    "Now",
    "Then",
    "In",
    "On",
    "At",
    "For",
    "A",
    "An",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "What",
    "When",
    "Where",
    "Why",
    "How",
    "Who",
    "Which",
    "If",
    "As",
    "After",
    "Before",
    "While",
    "Although",
    "Though",
    "Since",
    "Some",
    "Many",
    "Most",
    "Both",
    "Each",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "According",
    "Such",
    "Officials",
    "Critics",
];

/// Whether the terminator at `chars[k..term_end]` (closers up to `j`) followed by the word at
/// `m` ends a sentence.
fn breaks(chars: &[(usize, char)], k: usize, term_end: usize, j: usize, m: usize) -> bool {
    // The next word, past opening quotes and brackets.
    let mut w = m;
    while w < chars.len() && is_opener(chars[w].1) {
        w += 1;
    }
    let next_word: String = chars[w.min(chars.len())..]
        .iter()
        .map(|c| c.1)
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let next_first = chars.get(w).map_or(' ', |c| c.1);
    if next_first.is_lowercase() {
        return false;
    }
    let single_dot = term_end == k + 1 && chars[k].1 == '.';
    if !single_dot || j > term_end {
        // `?`, `!`, an ellipsis, or a closing quote or bracket after the dot.
        return true;
    }
    // The word before the dot, past opening quotes and brackets.
    let mut b = k;
    while b > 0 && !chars[b - 1].1.is_whitespace() && !is_opener(chars[b - 1].1) {
        b -= 1;
    }
    let word: String = chars[b..k].iter().map(|c| c.1).collect();
    if word.is_empty() {
        return true;
    }
    let opener = OPENERS.contains(&next_word.as_str());
    let digit = next_first.is_ascii_digit();
    if TITLES.contains(&word.as_str()) {
        return false;
    }
    if matches!(word.to_lowercase().as_str(), "e.g" | "i.e" | "cf" | "viz") {
        return false;
    }
    if BEFORE_NUMBER.contains(&word.as_str()) {
        return !digit;
    }
    if MONTHS.contains(&word.as_str()) {
        return !digit && opener;
    }
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let dotted = word.contains('.') && word.chars().any(char::is_alphabetic);
    if initial || dotted || AMBIGUOUS.contains(&word.as_str()) {
        return opener;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn long_sentences_are_cut_at_safe_points() {
        // 1,000 words, a comma every 7th word and one line break: pieces of at most 400 words,
        // each cut after a comma (or at the line break), covering every word once, in order.
        let mut text = String::new();
        for i in 0..1000 {
            text.push_str(&format!("w{i}"));
            text.push_str(match i {
                550 => "\n",
                i if i % 7 == 6 => ", ",
                _ => " ",
            });
        }
        let s = sentences(&text);
        assert!(s.len() >= 3, "{}", s.len());
        let mut words = Vec::new();
        for (n, sent) in s.iter().enumerate() {
            let piece = sent.span.slice(&text);
            let w: Vec<&str> = piece.split_whitespace().collect();
            assert!(
                w.len() <= MAX_SENTENCE_WORDS,
                "piece {n}: {} words",
                w.len()
            );
            if n + 1 < s.len() {
                let last = w.last().unwrap();
                let at_break = text[sent.span.end..].starts_with('\n');
                assert!(
                    last.ends_with(',') || at_break,
                    "piece {n} ends with {last:?}"
                );
            }
            words.extend(w.into_iter().map(|w| w.trim_end_matches(',')));
        }
        let want: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        assert_eq!(words, want);
        // The line break wins over commas when it lies in the second half of a piece.
        assert!(s.iter().any(|x| text[x.span.end..].starts_with('\n')));
        // A sentence of exactly the bound stays whole.
        let ok = vec!["word"; MAX_SENTENCE_WORDS].join(" ");
        assert_eq!(sentences(&ok).len(), 1);
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "  One para.\nStill one.\n\nTwo.\n \n\n Three  ";
        let p: Vec<&str> = paragraphs(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(p, ["One para.\nStill one.", "Two.", "Three"]);
        assert!(paragraphs("").is_empty());
        assert!(paragraphs("\n\n  \n").is_empty());
    }

    #[test]
    fn sentences_carry_paragraph_indices() {
        let text = "Putin Proposes Pact With U.S.\n\nIt was late. He left.";
        let s = sentences(text);
        let got: Vec<(&str, usize)> = s
            .iter()
            .map(|x| (x.span.slice(text), x.paragraph))
            .collect();
        assert_eq!(
            got,
            [
                ("Putin Proposes Pact With U.S.", 0),
                ("It was late.", 1),
                ("He left.", 1)
            ]
        );
    }

    #[test]
    fn abbreviations_do_not_split() {
        let text = "U.S. President Donald Trump last week attacked his FBI director Christopher Wray for highlighting the threat posed by Russia in the upcoming Nov. 3 election. Mr. Smith and Dr. Jones met Sen. Warren, Rep. Ryan, Gov. Brown and Gen. Mills at 9 a.m. on Sept. 12 in St. Louis. J. K. Rowling met Donald J. Trump Jr. at Acme Inc. headquarters, e.g. the lobby. The bill No. 5 passed 3.5 to 1.2 votes.";
        assert_eq!(
            texts(text),
            [
                "U.S. President Donald Trump last week attacked his FBI director Christopher Wray for highlighting the threat posed by Russia in the upcoming Nov. 3 election.",
                "Mr. Smith and Dr. Jones met Sen. Warren, Rep. Ryan, Gov. Brown and Gen. Mills at 9 a.m. on Sept. 12 in St. Louis.",
                "J. K. Rowling met Donald J. Trump Jr. at Acme Inc. headquarters, e.g. the lobby.",
                "The bill No. 5 passed 3.5 to 1.2 votes."
            ]
        );
    }

    #[test]
    fn ambiguous_abbreviation_before_opener() {
        assert_eq!(
            texts("Just weeks before the U.S. hosts a vote. He spoke in the U.S. He said so. The U.S. Senate agreed. It was 5 p.m. The end."),
            [
                "Just weeks before the U.S. hosts a vote.",
                "He spoke in the U.S.",
                "He said so.",
                "The U.S. Senate agreed.",
                "It was 5 p.m.",
                "The end."
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        let text = "\"One of today's major challenges is the risk,\" the Russian leader said. \"We agree.\" Putin said. “Is it?” he asked. 'Why?' Smith asked. \"First. Second sentence.\"";
        assert_eq!(
            texts(text),
            [
                "\"One of today's major challenges is the risk,\" the Russian leader said.",
                "\"We agree.\"",
                "Putin said.",
                "“Is it?” he asked.",
                "'Why?'",
                "Smith asked.",
                "\"First.",
                "Second sentence.\""
            ]
        );
    }

    #[test]
    fn ellipses_and_marks() {
        assert_eq!(
            texts("Wait... what is this? It works!! Really… Yes. (He left.) Then 2016. 2017 came."),
            [
                "Wait... what is this?",
                "It works!!",
                "Really…",
                "Yes.",
                "(He left.)",
                "Then 2016.",
                "2017 came."
            ]
        );
    }

    #[test]
    fn headline_without_punctuation_is_one_sentence() {
        let text = "'Disinformation campaign’\n\nLavrov said Friday that over the past few years Russia has been accused of undermining U.S. elections and \"the entire domestic political system.\"";
        let s = sentences(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].span.slice(text), "'Disinformation campaign’");
        assert_eq!(s[1].paragraph, 1);
    }

    #[test]
    fn spans_are_trimmed_and_in_order() {
        let text = "  First one.   Second one.  \n\n  Third  ";
        let s = sentences(text);
        assert_eq!(texts(text), ["First one.", "Second one.", "Third"]);
        assert!(s.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }

    #[test]
    fn seed_sentences() {
        let path = format!(
            "{}/fixtures/seeds/000_588d7ed966db3646.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let original = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let cleaned = crate::clean::clean(&original, crate::clean::Format::Text);
        let text = cleaned.text.as_str();
        let got = texts(text);
        for want in [
            "Putin Proposes Election Non-Interference Pact With U.S.",
            "U.S. intelligence officials have said that Russia is once again manipulating social media in favor of Donald Trump.",
            "Kremlin.ru",
            "Russian President Vladimir Putin proposed Friday concluding a pact with Washington against interfering in one another's elections and internal affairs, just weeks before the U.S. hosts a divisive presidential vote.",
            "U.S. President Donald Trump last week attacked his FBI director Christopher Wray for highlighting the threat posed by Russia in the upcoming Nov. 3 election.",
            "\"As we've repeatedly said, there is no basis for such statements,\" he added.",
            "\"We are in favor of professional and constructive discussion of all existing problems\" through negotiations, Russia's top diplomat said.",
            "Lavrov said Friday that over the past few years Russia has been accused of undermining U.S. elections and \"the entire domestic political system.\"",
            "'Disinformation campaign’",
        ] {
            assert!(got.contains(&want), "missing sentence {want:?} in {got:#?}");
        }
        assert_eq!(got.len(), 26, "{got:#?}");
    }
}
