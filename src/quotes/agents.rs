//! A speaker is an agent: the last pass over a document's attributions.
//!
//! The rules find the words at the attribution site; this pass keeps only those that name
//! someone who can speak, and otherwise leaves the quote without speaker (a miss, never a
//! wrong person):
//! - a pronoun with no antecedent ("you", "it") names nobody, except in a transcript (a
//!   speaker label);
//! - a first person outside quote marks is the writer: "I" is the byline's author when the
//!   document has a byline of one author (`resolved_by: "byline"`), else the unnamed
//!   "author"; "we" is the unnamed "authors" (an editorial, a column); both
//!   `resolved_by: "author"`. In the answer of a Q&A interview ("A: I think ...") "I" is
//!   the person interviewed: the one person the headline names (`resolved_by:
//!   "transcript"`), else no speaker;
//! - a number ("31 percent", "10 voters") is no speaker;
//! - a fragment ("our worst", "his early-morning", "Trump's videotaped": a modifier with no
//!   noun) is no speaker;
//! - a place used as a location ("in Ohio, ...") is no speaker;
//! - a reporter named only as the writer (the byline's author, "X reports:", "X contributed
//!   reporting") is not the speaker of the people they quote: a pronoun, a title or a
//!   carried-over paragraph that leads to them names nobody;
//! - a headline "X: Y" is no quote with the cue ":".
//!
//! It also mentions a speaker named right before a relative clause that holds the cue by the
//! relative pronoun ("Ivanka Trump, who spoke ..."), as the rules do.

use crate::entities::{name_defect, Entity, EntityType, NameDefect};
use crate::span::Span;

use super::words::{
    ed_form, ADJECTIVE_SUFFIXES, AFTER_VERB_PHRASE, ARTICLES, AUTHORS_AND, BYLINE_PREFIXES,
    BYLINE_VERBS, CONTRIBUTED, DANGLING_RELATIVES, FIRST_PERSON, FIRST_PERSON_PLURAL,
    LOCATIVE_PREPS, OF_RELATIVES, PARTITIVE_OF, RELATIVE_WHO, SHARE_WORDS, TEXT_BYLINE_PREFIXES,
};
use super::{Quote, ResolvedBy, Speaker};

/// Words that end a phrase as a modifier, not a noun ("our worst", "their own").
#[rustfmt::skip]
const NOT_HEADS: &[&str] = &[
    "worst", "best", "own", "most", "least", "latest", "last", "first", "next", "only", "very",
    "much", "many", "more", "less", "early", "late", "new", "old", "recent", "former",
];

/// Nouns ending like a participle or a superlative ("-ing", "-ed", "-est") that are nouns.
#[rustfmt::skip]
const NOUN_EXCEPTIONS: &[&str] = &[
    "king", "thing", "ring", "wing", "sibling", "offspring", "viking", "darling", "ding",
    "ed", "fred", "ted", "reed", "creed", "breed", "seed", "steed", "need", "feed", "bed",
    "priest", "guest", "interest", "forest", "contest", "protest", "tempest", "behest",
    "inquest", "request", "conquest", "crest", "chest", "nest", "pest", "vest", "west", "test",
    "manifest", "arrest", "unrest", "bequest", "briefing", "hearing", "meeting", "ruling",
    "filing", "building", "spending", "funding", "polling", "reporting", "ranking", "offering",
    "warning", "finding", "reading", "posting", "recording", "opening", "gathering",
    "undead", "hundred", "kindred", "newlywed",
];

/// Participles that name people on their own after "those" ("those surveyed").
const PEOPLE_PARTICIPLES: &[&str] = &["surveyed", "polled", "questioned", "interviewed", "asked"];

/// Whether a lowercase word reads as a modifier with no noun after it.
fn modifier_word(w: &str) -> bool {
    // "46-year-old" names a person.
    if w.ends_with("year-old") || PEOPLE_PARTICIPLES.contains(&w) {
        return false;
    }
    let w = w.rsplit('-').next().unwrap_or(w);
    if NOT_HEADS.contains(&w) {
        return true;
    }
    if NOUN_EXCEPTIONS.contains(&w) {
        return false;
    }
    ed_form(w) || (w.len() > 5 && w.ends_with("ing")) || (w.len() > 5 && w.ends_with("est"))
}

/// Whether an unnamed speaker's words are a fragment, not a phrase naming someone: a modifier
/// at its end ("our worst", "his early-morning", "Trump's videotaped").
pub fn is_fragment(name: &str) -> bool {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let Some(last) = words.last() else {
        return true;
    };
    // A verb phrase, not a noun phrase: "performed well among voters".
    if words.len() >= 2
        && words[0].len() > 4
        && words[0].ends_with("ed")
        && AFTER_VERB_PHRASE.contains(&words[1].as_str())
    {
        return true;
    }
    // A relative pronoun left without its antecedent ("most of whom"); "whose aides" names
    // the aides.
    if DANGLING_RELATIVES.contains(&last.as_str())
        || words
            .windows(2)
            .any(|w| w[0] == PARTITIVE_OF && OF_RELATIVES.contains(&w[1].as_str()))
    {
        return true;
    }
    // An article and one adjective ("an aggressive", "a strong").
    let adjective = |w: &str| {
        ADJECTIVES.contains(&w)
            || ADJECTIVE_SUFFIXES
                .iter()
                .any(|suf| w.len() > suf.len() + 2 && w.ends_with(suf))
    };
    // A noun that names a source, a group, a role or a document anywhere in the phrase
    // ("a source involved", "the report published") makes it no fragment.
    let noun = words
        .iter()
        .any(|w| crate::identity::is_speaker_noun(w) || crate::entities::is_title_word(w));
    if noun {
        return false;
    }
    let article_adjective =
        words.len() == 2 && ARTICLES.contains(&words[0].as_str()) && adjective(last);
    article_adjective || (words.len() <= 4 && modifier_word(last))
}

/// Adjectives that end a fragment ("a strong", "the nonstop").
#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "strong", "weak", "big", "small", "great", "good", "bad", "nonstop", "whole", "full",
    "same", "different", "such", "certain", "major", "minor", "key", "broad", "narrow",
];

/// Whether a speaker name is a number or a share ("31 percent", "10 voters", "63%").
pub fn is_number(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    n.chars().next().is_some_and(|c| c.is_ascii_digit())
        || SHARE_WORDS.iter().any(|w| n.contains(w))
}

/// The one author of a byline ("By Jane Doe", "Jane Doe, Reuters"), `None` for several
/// authors or none.
pub fn byline_author(byline: &str) -> Option<String> {
    let b = byline.trim();
    let b = BYLINE_PREFIXES
        .iter()
        .find_map(|p| b.strip_prefix(p))
        .unwrap_or(b);
    let first = b.split([',', '|', '\n']).next()?.trim();
    if first.contains(AUTHORS_AND) || first.contains('&') {
        return None;
    }
    let words: Vec<&str> = first.split_whitespace().collect();
    let name_like = (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        });
    name_like.then(|| words.join(" "))
}

/// The byline of a plain text: a line "By Jane Doe" among its first lines.
pub fn text_byline(text: &str) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .map(str::trim)
        .find(|l| {
            TEXT_BYLINE_PREFIXES.iter().any(|p| l.starts_with(p))
                && l.split_whitespace().count() <= 8
                && !l.ends_with('.')
        })
        .and_then(byline_author)
}

/// Whether an entity is a writer of the article rather than someone in it: the byline's
/// author, a mention introducing what the writer reports ("X reports:", "X writes:"), or a
/// line "X contributed reporting". A reporter who is a subject of the story ("Fox News
/// correspondent X tweeted") is no writer.
fn is_writer(text: &str, e: &Entity, author: Option<&str>) -> bool {
    author.is_some_and(|a| e.etype == EntityType::PER && e.name == a)
        || e.mentions.iter().any(|m| {
            let rest = &text[m.span.end..];
            let line = rest.split('\n').next().unwrap_or("").trim_start();
            let verb = line.split_whitespace().next().unwrap_or("");
            line.starts_with(CONTRIBUTED) || BYLINE_VERBS.contains(&verb)
        })
}

/// A speaker named right before a relative clause that holds the cue ("Ivanka Trump, who
/// spoke passionately about ...") is mentioned there by the relative pronoun, as the rules
/// mention it: the mention becomes "who", the speaker stays. Not when the clause closes
/// before the cue ("Weld, who signed the bill, struggled to ...").
fn relative_mention(text: &str, q: &mut Quote) {
    let (Some(s), Some(cue)) = (q.speaker.as_mut(), q.cue) else {
        return;
    };
    if s.entity.is_none() || cue.start <= s.mention.end {
        return;
    }
    let after = &text[s.mention.end..cue.start];
    let lead = after.len() - after.trim_start_matches([',', ' ']).len();
    let rest = &after[lead..];
    let Some(tail) = rest.strip_prefix(RELATIVE_WHO) else {
        return;
    };
    if !tail.starts_with(char::is_whitespace)
        || tail.contains([',', '.', ';', '!', '?', '(', ')', '"', '“', '”', '\n'])
        || tail.split_whitespace().count() > 8
    {
        return;
    }
    let start = s.mention.end + lead;
    s.mention = Span::new(start, start + RELATIVE_WHO.len());
}

/// Whether `pos` is in the answer of a question-and-answer interview: a line starting "A:",
/// whose "I" is the person interviewed, not the writer.
fn in_answer(text: &str, pos: usize) -> bool {
    let line = text[..pos].rfind('\n').map_or(0, |k| k + 1);
    answer_line(&text[line..])
}

/// Whether a line is an interview's answer: it starts with the label "A:".
fn answer_line(line: &str) -> bool {
    line.trim_start().starts_with("A:")
}

/// The person a question-and-answer interview is with: in a text with at least two answer
/// lines ("A: ..."), the one person its first line (the headline) names ("Q&A with Vice
/// President Joe Biden", "Laura Bush sees hope ...").
fn interviewee<'a>(text: &str, entities: &'a [Entity]) -> Option<&'a Entity> {
    let answers = text.lines().filter(|l| answer_line(l)).take(2).count();
    if answers < 2 {
        return None;
    }
    let lead = text.len() - text.trim_start().len();
    let end = text[lead..].find('\n').map_or(text.len(), |k| lead + k);
    if text[lead..end].split_whitespace().count() > 25 {
        return None;
    }
    let mut named = entities
        .iter()
        .filter(|e| e.etype == EntityType::PER && e.mentions.iter().any(|m| m.span.start < end));
    let one = named.next()?;
    named.next().is_none().then_some(one)
}

/// Whether the words before `start` put a place there as a location ("in Ohio").
fn locative(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let w = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    LOCATIVE_PREPS.contains(&w.as_str())
}

/// The end of the document's headline: its first line, when more text follows and the line
/// reads as a headline (at most 25 words, no sentence-final punctuation); 0 when it has none.
fn headline_end(text: &str) -> usize {
    let lead = text.len() - text.trim_start().len();
    let Some(end) = text[lead..].find('\n').map(|k| lead + k) else {
        return 0;
    };
    let line = text[lead..end].trim_end();
    let sentence = line.ends_with(['.', '?', '!', '"', '”', '’', '\'', ':', ';']);
    let more = !text[end..].trim().is_empty();
    if more && !sentence && line.split_whitespace().count() <= 25 {
        end
    } else {
        0
    }
}

/// The agent pass (see the module docs) over the quotes of one document. `byline` is the
/// document's byline when it has one (else one is looked for in the text).
pub fn check_agents(
    text: &str,
    entities: &[Entity],
    quotes: &mut Vec<Quote>,
    byline: Option<&str>,
) {
    // A headline of the form "X: Y" is no quote.
    let head = headline_end(text);
    quotes.retain(|q| {
        let colon = q
            .speaker
            .as_ref()
            .is_some_and(|s| s.resolved_by == ResolvedBy::Colon)
            || q.cue.is_some_and(|c| c.slice(text).trim() == ":");
        !(colon && q.content.start < head)
    });
    for q in quotes.iter_mut() {
        relative_mention(text, q);
    }
    let author = byline.and_then(byline_author).or_else(|| text_byline(text));
    let interviewee = interviewee(text, entities);
    let quoted: Vec<Span> = quotes
        .iter()
        .filter(|q| q.kind != super::QuoteKind::Indirect)
        .map(|q| q.content)
        .collect();
    let writers: Vec<bool> = entities
        .iter()
        .map(|e| is_writer(text, e, author.as_deref()))
        .collect();
    for q in quotes.iter_mut() {
        let Some(s) = q.speaker.as_ref() else {
            continue;
        };
        if s.resolved_by == ResolvedBy::Transcript {
            continue;
        }
        let keep = match s.entity {
            Some(e) => {
                let ent = entities.get(e);
                let writer = writers.get(e).copied().unwrap_or(false)
                    && matches!(
                        s.resolved_by,
                        ResolvedBy::Pronoun
                            | ResolvedBy::Title
                            | ResolvedBy::Role
                            | ResolvedBy::CarryOver
                    );
                let place = ent.is_some_and(|x| x.etype == EntityType::LOC)
                    && locative(text, s.mention.start);
                !(writer || place || is_number(&s.name))
            }
            None => {
                let word = s.mention.slice(text).trim().to_lowercase();
                let singular = FIRST_PERSON.contains(&word.as_str());
                let plural = FIRST_PERSON_PLURAL.contains(&word.as_str());
                let inside = quoted
                    .iter()
                    .any(|c| c.start <= s.mention.start && s.mention.end <= c.end);
                // Asked only of a first person outside quotes.
                let answer = (singular || plural) && !inside && in_answer(text, s.mention.start);
                if singular && answer {
                    if let Some(e) = interviewee {
                        q.speaker = Some(Speaker {
                            name: e.name.clone(),
                            entity: Some(e.index),
                            mention: s.mention,
                            resolved_by: ResolvedBy::Transcript,
                        });
                        continue;
                    }
                }
                if (singular || plural) && !inside && !answer {
                    let (name, entity, resolved_by) = match &author {
                        Some(a) if singular => (
                            a.clone(),
                            entities
                                .iter()
                                .find(|e| e.etype == EntityType::PER && e.name == *a)
                                .map(|e| e.index),
                            ResolvedBy::Byline,
                        ),
                        _ => (
                            if singular { "author" } else { "authors" }.to_string(),
                            None,
                            ResolvedBy::Author,
                        ),
                    };
                    q.speaker = Some(Speaker {
                        name,
                        entity,
                        mention: s.mention,
                        resolved_by,
                    });
                    continue;
                }
                let pronoun = matches!(name_defect(&s.name, true), Some(NameDefect::Pronoun));
                !(pronoun || is_number(&s.name) || is_fragment(&s.name))
            }
        };
        if !keep {
            q.speaker = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_numbers_and_bylines() {
        for f in [
            "our worst",
            "his early-morning",
            "Trump's videotaped",
            "their own",
        ] {
            assert!(is_fragment(f), "{f}");
        }
        for f in [
            "an aggressive",
            "a strong",
            "most of whom",
            "performed well among New York primary voters",
        ] {
            assert!(is_fragment(f), "{f}");
        }
        for n in [
            "officials",
            "a source",
            "the New York businessman",
            "the king",
            "a priest",
            "those surveyed",
            "the 46-year-old",
            "a source involved",
            "The report published",
        ] {
            assert!(!is_fragment(n), "{n}");
        }
        for n in ["31 percent", "10 voters", "63%"] {
            assert!(is_number(n), "{n}");
        }
        assert!(!is_number("two officials"));
        assert_eq!(byline_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            byline_author("Jane Doe, Reuters").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(byline_author("By Jane Doe and John Roe"), None);
        assert_eq!(
            text_byline("A headline\n\nBy Ann Lee\n\nI went there.").as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(text_byline("By then, he had left."), None);
        let text = "Ivanka Trump, who spoke about her father, praised him. Weld, who signed \
                    the bill, struggled to win.";
        let at = |w: &str| {
            let k = text.find(w).unwrap();
            Span::new(k, k + w.len())
        };
        let quote = |name: &str, cue: &str| Quote {
            kind: super::super::QuoteKind::Indirect,
            content: at("her father"),
            speaker: Some(Speaker {
                name: name.into(),
                entity: Some(0),
                mention: at(name),
                resolved_by: ResolvedBy::Name,
            }),
            cue: Some(at(cue)),
            clause: None,
            confidence: 1.0,
        };
        let mention = |mut q: Quote| {
            relative_mention(text, &mut q);
            q.speaker.unwrap().mention.slice(text).to_string()
        };
        assert_eq!(mention(quote("Ivanka Trump", "spoke about")), "who");
        assert_eq!(mention(quote("Ivanka Trump", "praised")), "Ivanka Trump");
        assert_eq!(mention(quote("Weld", "struggled")), "Weld");
        let qa = "Q: Why?\n\nA: I think so.\nI left.";
        assert!(in_answer(qa, qa.find("I think").unwrap()));
        assert!(!in_answer(qa, qa.find("I left").unwrap()));
        assert!(!in_answer(qa, 0));
    }
}
