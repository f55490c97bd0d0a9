//! A development tagger for the rule layer's tests (compiled for tests only).

use super::*;
use crate::{Mention, Sentence};

/// A capitalised-word-sequence tagger: a **development baseline** for iterating on the quote
/// rules before the trained NER model exists (never the default tagger). Runs of capitalised
/// words (with "of"/"de" inside, initials, "U.S.") are mentions; the type comes from a few word
/// lists (organisation words, countries, nationalities), else PER.
pub struct CapsTagger;

#[rustfmt::skip]
const CAPS_SKIP: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "as", "after",
    "before", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "you",
    "his", "her", "their", "our", "my", "its", "there", "here", "what", "who", "why", "how",
    "for", "from", "to", "by", "with", "of", "so", "yet", "still", "also", "now", "then", "not",
    "no", "yes", "mr", "mrs", "ms", "dr", "some", "many", "most", "all", "both", "each", "every",
    "one", "two", "three", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "sept", "oct", "nov", "dec", "jan", "feb",
    "aug", "read", "related", "photo", "image", "according", "asked", "said", "says", "do",
    "does", "did", "is", "are", "was", "were", "be", "being", "just", "even", "only", "like",
    "because", "since", "although", "though", "until", "during", "despite", "about", "over",
    "under", "into", "than", "among", "between", "whether", "would", "could", "should", "will",
    "can", "may", "might", "must", "let", "let's", "don't", "it's", "i'm", "we're", "that's",
];

#[rustfmt::skip]
const CAPS_LOC: &[&str] = &[
    "russia", "moscow", "washington", "china", "iran", "siberia", "germany", "france", "sweden",
    "london", "america", "u.s.", "us", "united states", "britain", "uk", "u.k.", "europe",
    "ukraine", "syria", "iraq", "israel", "mexico", "canada", "japan", "india", "paris", "berlin",
    "beijing", "new york", "california", "texas", "florida", "ohio", "pennsylvania", "virginia",
    "north carolina", "iowa", "michigan", "wisconsin", "nevada", "arizona", "colorado",
    "georgia", "new hampshire", "chicago", "los angeles", "charlotte", "tulsa", "oklahoma",
    "illinois", "missouri", "minnesota", "utah", "alabama", "south carolina", "tennessee",
    "kentucky", "louisiana", "maryland", "massachusetts", "new jersey", "indiana", "mississippi",
    "arkansas", "kansas", "oregon", "connecticut", "d.c.", "afghanistan", "libya", "benghazi",
    "cuba", "venezuela", "korea", "north korea", "south korea", "turkey", "egypt", "saudi arabia",
    "white house", "capitol hill", "wall street", "silicon valley", "manhattan", "brooklyn",
    "philadelphia", "cleveland", "detroit", "miami", "boston", "atlanta", "denver", "dallas",
    "houston", "new orleans", "san francisco", "seattle", "baltimore", "milwaukee", "st. louis",
];

impl Tagger for CapsTagger {
    fn tag(&self, text: &str, _sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
        use crate::entities::NATIONALITIES;
        let mut out = Vec::new();
        // Words with byte spans.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let part = c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-' | '&');
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let clean = |&(s, e): &(usize, usize)| -> (usize, usize) {
            let w = &text[s..e];
            let t = w.trim_end_matches(['.', '\'', '’', '-']);
            // Keep the period of initials and abbreviations ("U.S.", "J.").
            let keep = w.ends_with('.') && (t.contains('.') || t.chars().count() == 1);
            let t = if keep { &w[..t.len() + 1] } else { t };
            let p = crate::entities::possessive_len(t);
            (s, s + t.len() - p)
        };
        let is_cap =
            |&(s, e): &(usize, usize)| text[s..e].chars().next().is_some_and(char::is_uppercase);
        let sentence_start = |s: usize| {
            let before = text[..s].trim_end_matches([' ', '"', '“', '‘', '\'', '(']);
            before.is_empty() || before.ends_with(['.', '?', '!', '\n', ':'])
        };
        let mut i = 0;
        while i < words.len() {
            if !is_cap(&words[i])
                || CAPS_SKIP.contains(
                    &text[clean(&words[i]).0..clean(&words[i]).1]
                        .to_lowercase()
                        .as_str(),
                )
            {
                i += 1;
                continue;
            }
            let mut j = i;
            // Extend over capitalised words, "of"/"de" between capitalised words; stop after a
            // possessive.
            while j + 1 < words.len() {
                let gap = &text[words[j].1..words[j + 1].0];
                let cur = &text[words[j].0..words[j].1];
                let sentence_end = cur.ends_with('.') && {
                    let t = cur.trim_end_matches('.');
                    !(t.contains('.')
                        || t.chars().count() == 1
                        || matches!(
                            t,
                            "Mr" | "Mrs"
                                | "Ms"
                                | "Dr"
                                | "Sen"
                                | "Rep"
                                | "Gov"
                                | "Gen"
                                | "St"
                                | "Jr"
                                | "Sr"
                        ))
                };
                if gap != " " || cur.ends_with("'s") || cur.ends_with("’s") || sentence_end {
                    break;
                }
                let nw = &text[words[j + 1].0..words[j + 1].1];
                if is_cap(&words[j + 1]) && !CAPS_SKIP.contains(&nw.to_lowercase().as_str()) {
                    j += 1;
                } else if matches!(nw, "of" | "de" | "van" | "von" | "al")
                    && j + 2 < words.len()
                    && is_cap(&words[j + 2])
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let (s, _) = clean(&words[i]);
            let (_, e) = clean(&words[j]);
            i = j + 1;
            if e <= s {
                continue;
            }
            let name = &text[s..e];
            let lname = name.to_lowercase();
            let n_words = name.split(' ').count();
            // A lone capitalised word at a sentence start is usually not a name.
            if n_words == 1 && sentence_start(s) && !CAPS_LOC.contains(&lname.as_str()) {
                let next_is_verb = text[e..].trim_start().split(' ').next().is_some_and(|w| {
                    matches!(
                        w.trim_end_matches([',', '.']),
                        "said"
                            | "says"
                            | "told"
                            | "added"
                            | "wrote"
                            | "argued"
                            | "has"
                            | "was"
                            | "is"
                    )
                });
                if !next_is_verb {
                    continue;
                }
            }
            let words_l: Vec<&str> = lname.split(' ').collect();
            let etype = if CAPS_LOC.contains(&lname.as_str()) {
                EntityType::LOC
            } else if n_words == 1
                && (NATIONALITIES.contains(&lname.as_str()) || lname.ends_with("ans"))
            {
                EntityType::MISC
            } else if words_l.iter().any(|w| crate::quotes::is_org_word(w))
                || (n_words == 1
                    && name
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
                    && name.len() >= 2)
            {
                EntityType::ORG
            } else {
                EntityType::PER
            };
            out.push(Mention {
                span: Span::new(s, e),
                etype,
                score: 0.5,
            });
        }
        Ok(out)
    }
}
