//! Merging mentions into entities within one document.
//!
//! "Putin" = "Vladimir Putin" = "Putin's" = "Russian President Vladimir Putin": possessives and
//! leading titles are stripped from person names (the title words are kept as a description
//! of the entity: "russian president"), a surname alone joins the most recent full name with
//! that last word, and every name gets one type within the document (majority vote of its
//! mentions' types).
//!
//! Its rooms: `lexicon` (title, nationality and role word lists), `names` (which names are
//! usable: [`name_defect`]), `normalize` (a mention reduced to its name) and `merge`
//! ([`merge()`]).

use serde::{Deserialize, Serialize};

use crate::span::Span;

mod lexicon;
mod merge;
mod names;
mod normalize;

pub(crate) use lexicon::{is_title_word, NATIONALITIES, ROLE_NOUNS};
pub use merge::merge;
pub(crate) use names::NON_AGENT_NOUNS;
pub use names::{is_honorific, name_defect, NameDefect};
pub(crate) use normalize::possessive_len;

/// The cross-document key of an entity name: lowercased, punctuation dropped, spaces collapsed.
pub fn entity_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Named entity type (CoNLL-2003 classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    PER,
    ORG,
    LOC,
    MISC,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::PER => "PER",
            EntityType::ORG => "ORG",
            EntityType::LOC => "LOC",
            EntityType::MISC => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::PER),
            "ORG" => Some(EntityType::ORG),
            "LOC" => Some(EntityType::LOC),
            "MISC" => Some(EntityType::MISC),
            _ => None,
        }
    }
}

/// One mention of a named entity found by the tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub etype: EntityType,
    /// Mean probability of the mention's word labels.
    pub score: f32,
}

/// Mentions merged into one entity within a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Index of the entity in the document's entity list (output id is `E{index+1}`).
    pub index: usize,
    pub etype: EntityType,
    /// Canonical name: the longest proper form seen ("Vladimir Putin").
    pub name: String,
    /// Mentions, sorted by span start.
    pub mentions: Vec<Mention>,
    /// Descriptions learned from the article ("the Russian leader", "Russia's top diplomat"),
    /// lowercased, without the leading determiner.
    pub descriptions: Vec<String>,
}

#[cfg(test)]
mod tests;
