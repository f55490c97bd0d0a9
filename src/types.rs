//! Core types shared by every stage.
//!
//! Offsets: every [`Span`] inside the library is a half-open **byte** range into the
//! *cleaned* text of a document (see [`crate::clean`]). Only the JSON output converts
//! spans to Unicode code point offsets into the *original* input, through
//! [`crate::clean::OffsetMap`].

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the cleaned text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
    /// The text this span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// Length of the overlap with `other`, 0 when disjoint.
    pub fn overlap_len(&self, other: Span) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// What is known of a document besides its text: from an HTML page's metadata, or from the
/// fields of a JSON Lines input line. `None` when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// The headline (JSON-LD `headline`, `og:title`, the article's `h1`, `<title>`).
    pub title: Option<String>,
    /// When the article was published, ISO 8601 as the page gives it (JSON-LD
    /// `datePublished`, `article:published_time`, `<time datetime>`).
    pub published: Option<String>,
    /// The author(s) (JSON-LD `author`, `<meta name="author">`, a byline element).
    pub byline: Option<String>,
    /// The canonical URL (`<link rel="canonical">`, `og:url`, JSON-LD `url`).
    pub url: Option<String>,
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

/// A sentence of the cleaned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph this sentence belongs to.
    pub paragraph: usize,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A quoted sentence or more.
    Direct,
    /// Quoted words inside a reported sentence.
    Partial,
    /// Reported speech without quote marks ("X said that ...").
    Indirect,
}

/// Who said a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// Display name: the entity's canonical name, or the mention text for unnamed sources.
    pub name: String,
    /// The entity index, `None` for an unnamed source ("a source").
    pub entity: Option<usize>,
    /// The span naming the speaker at the attribution site ("he", "the Russian leader", "Putin").
    pub mention: Span,
    /// How the speaker was resolved: "name", "pronoun", "title", "carry-over", "according-to",
    /// "organization", "unnamed", "colon".
    pub resolved_by: &'static str,
}

/// A quote or reported speech with its attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub kind: QuoteKind,
    /// The quoted content, without the quote marks.
    pub content: Span,
    pub speaker: Option<Speaker>,
    /// The speech verb or phrase ("said", "according to").
    pub cue: Option<Span>,
    pub confidence: f32,
}
