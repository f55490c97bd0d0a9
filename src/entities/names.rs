//! Whether a speaker or entity name is usable: pronouns, bare titles, documents and function
//! words are no names ([`name_defect`], [`is_honorific`]).

use super::lexicon::{norm_word, DETERMINERS, TITLE_WORDS};

/// Why a speaker or entity name is no name an analyst can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameDefect {
    /// "he", "they", "I".
    Pronoun,
    /// A title alone: "Mr.", "Mrs.", "Sen.", "the senator".
    Title,
    /// A document or message, not its issuer: "a statement", "the emails", "the poll".
    NonAgent,
    /// A function word or a broken phrase: "There", "According", "During".
    FunctionWord,
}

/// Pronouns that may stand as a speaker phrase.
pub(super) const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "it", "you", "who", "which", "him", "her", "them", "us", "me",
    "his", "hers", "their", "theirs", "our", "ours", "my", "mine", "its", "whom", "whose", "one",
    "someone", "somebody",
];

/// Documents, messages and other things that are issued or published, not persons: their
/// issuer is the speaker ("X said in a statement", "a statement from X").
pub(crate) const NON_AGENT_NOUNS: &[&str] = &[
    "statement",
    "statements",
    "email",
    "emails",
    "e-mail",
    "e-mails",
    "letter",
    "letters",
    "memo",
    "memos",
    "report",
    "reports",
    "tweet",
    "tweets",
    "post",
    "posts",
    "poll",
    "polls",
    "survey",
    "surveys",
    "study",
    "studies",
    "release",
    "ad",
    "ads",
    "advertisement",
    "spot",
    "video",
    "videos",
    "footage",
    "pitch",
    "piece",
    "article",
    "editorial",
    "op-ed",
    "column",
    "message",
    "messages",
    "note",
    "notes",
    "filing",
    "filings",
    "document",
    "documents",
    "records",
    "data",
    "figures",
    "transcript",
    "speech",
    "remarks",
    "comments",
    "interview",
    "conference",
    "book",
    "website",
    "page",
    "blog",
    "broadcast",
    "episode",
    "show",
    "plan",
    "proposal",
    "bill",
    "law",
    "complaint",
    "lawsuit",
    "suit",
    "ruling",
    "order",
    "finding",
    "findings",
    "analysis",
    "review",
    "disclosure",
    "slide",
    "chart",
    "campaign ad",
];

/// Words that never name a speaker on their own.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "here's",
    "there's",
    "according",
    "during",
    "after",
    "before",
    "while",
    "when",
    "where",
    "if",
    "as",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "still",
    "no",
    "not",
    "calling",
    "saying",
    "asked",
    "said",
    "says",
    "also",
    "then",
    "now",
    "however",
    "meanwhile",
    "furthermore",
    "moreover",
    "indeed",
    "instead",
    "analysis",
    "partial",
    "update",
    "updated",
    "editor's",
    "opinion",
    "related",
    "advertisement",
    "watch",
    "read",
    "more",
    "high",
    "low",
    "breaking",
    "exclusive",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "of",
    "to",
    "about",
    "over",
    "under",
    "into",
    "past",
    "longer",
    "last",
    "first",
    "next",
    "other",
    "others",
    "all",
    "some",
    "both",
];

/// Whether the name is one honorific or title alone, which is never a surname: "Mr.",
/// "Sen.", "President", "Former" (unlike "King" or "Judge", which may be names).
pub fn is_honorific(name: &str) -> bool {
    let name = name.trim();
    if name.contains(' ') {
        return false;
    }
    let w = norm_word(name);
    (name.ends_with('.') && TITLE_WORDS.contains(&w.as_str())) || HONORIFICS.contains(&w.as_str())
}

/// Titles and party adjectives that are never a name on their own.
#[rustfmt::skip]
pub(super) const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "messrs", "dr", "sen", "rep", "gov", "gen", "del", "lt", "col",
    "capt", "sgt", "prof", "rev", "adm", "maj", "det", "sir", "madam", "president", "senator",
    "secretary", "governor", "former", "attorney", "minister", "chairman", "chairwoman",
    "congressman", "congresswoman", "spokesman", "spokeswoman", "republican", "democratic",
];

/// The defect of a speaker or entity name, if it has one: a pronoun, a bare title, a
/// document or message (`unnamed` speakers only: an entity "Statement Co." is fine), a
/// function word. `None` for a usable name ("Vladimir Putin", "a source", "officials").
pub fn name_defect(name: &str, unnamed: bool) -> Option<NameDefect> {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .to_lowercase()
                .replace('’', "'")
        })
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return Some(NameDefect::FunctionWord);
    };
    if words.len() == 1 && PRONOUNS.contains(&first.as_str()) {
        return Some(NameDefect::Pronoun);
    }
    // Titles alone, with at most a determiner: "Mr.", "the senator", "Sen."
    let rest: Vec<&String> = words
        .iter()
        .skip_while(|w| DETERMINERS.contains(&w.as_str()))
        .collect();
    // Place abbreviations ("U.N.", "U.S.") are titles only with a role word: "U.S. senator".
    let role = rest
        .iter()
        .any(|w| !w.contains('.') && !matches!(w.as_str(), "un" | "us" | "uk"));
    if !rest.is_empty()
        && rest.len() <= 2
        && role
        && rest.iter().all(|w| TITLE_WORDS.contains(&w.as_str()))
    {
        // "Mr.", "the senator"; "a senator" and "his lawyer" are unnamed sources. An entity's
        // name is a title only when it is one honorific or role word ("Mr.", "President",
        // "Republican"), not an institution ("Senate", "House").
        let institution = words.len() == 1
            && matches!(
                first.as_str(),
                "senate"
                    | "house"
                    | "congress"
                    | "press"
                    | "security"
                    | "national"
                    | "labor"
                    | "labour"
                    | "homeland"
                    | "interior"
                    | "defense"
                    | "defence"
                    | "finance"
                    | "health"
                    | "justice"
                    | "first"
            );
        let bare = matches!(first.as_str(), "the") || words.len() == rest.len();
        if bare && (unnamed || !institution) {
            return Some(NameDefect::Title);
        }
    }
    if words.len() == 1 && FUNCTION_WORDS.contains(&first.as_str()) {
        return Some(NameDefect::FunctionWord);
    }
    if unnamed {
        // The head: the last word before a prepositional complement.
        let cut = words
            .iter()
            .position(|w| {
                matches!(
                    w.as_str(),
                    "of" | "from" | "to" | "by" | "in" | "on" | "at" | "for" | "with"
                )
            })
            .unwrap_or(words.len());
        if let Some(head) = words[..cut].last() {
            if NON_AGENT_NOUNS.contains(&head.as_str()) {
                return Some(NameDefect::NonAgent);
            }
        }
        if FUNCTION_WORDS.contains(&first.as_str()) && words.len() == 1 {
            return Some(NameDefect::FunctionWord);
        }
    }
    None
}
