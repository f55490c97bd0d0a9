//! The JSON output contract: one [`DocOutput`] per document, one JSON line each; every field
//! and CSV column is described in `docs/OUTPUT.md`.
//!
//! All `start`/`end` are Unicode code point offsets, end exclusive, into the ORIGINAL
//! input text (Python's `text[start:end]`), even when cleaning changed the text.
//! These types both serialize (extract) and deserialize (who, report, csv).

use serde::{Deserialize, Serialize};

use crate::clean::DocMeta;

/// The version of this contract, first in every output line (`docs/OUTPUT.md`).
pub const SCHEMA: &str = "whosaid/1";

/// A line written before the `schema` field existed has the fields of version 1.
fn schema_before_the_field() -> String {
    SCHEMA.to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocOutput {
    /// The contract's version, [`SCHEMA`] (`docs/OUTPUT.md`); always the first field.
    #[serde(default = "schema_before_the_field")]
    pub schema: String,
    /// File stem, or the `id` from JSON Lines input.
    pub id: String,
    /// Path of the input file, or `-` for stdin.
    pub source: String,
    /// SHA-256 (lowercase hex) of the document's raw input bytes (the file, or its JSON Lines
    /// line without the line break); null when they could not be read. `extract --resume`
    /// skips the inputs whose hash is already written.
    #[serde(default)]
    pub input_sha256: Option<String>,
    /// The headline, from an HTML page's metadata or a JSON Lines `title` field.
    #[serde(default)]
    pub title: Option<String>,
    /// When the article was published (ISO 8601 from an HTML page; a JSON Lines `published`
    /// field as given).
    #[serde(default)]
    pub published: Option<String>,
    /// The author(s).
    #[serde(default)]
    pub byline: Option<String>,
    /// The canonical URL.
    #[serde(default)]
    pub url: Option<String>,
    /// The publication, when known (a JSON Lines `outlet` field, `extract --metadata`);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The detected language of the text (ISO 639-3, `eng` for English), when the detection
    /// is sure ([`crate::language`]); `null` for short or letterless texts.
    #[serde(default)]
    pub language: Option<String>,
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    /// Problems met with this document; empty when all went well.
    pub errors: Vec<String>,
    /// The original text as read (what the offsets point into), with `extract --keep-text`
    /// only; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl DocOutput {
    /// An output with no entities, quotes or errors yet.
    pub fn new(id: &str, source: &str, meta: DocMeta) -> DocOutput {
        DocOutput {
            schema: SCHEMA.to_string(),
            id: id.to_string(),
            source: source.to_string(),
            input_sha256: None,
            title: meta.title,
            published: meta.published,
            byline: meta.byline,
            url: meta.url,
            outlet: meta.outlet,
            language: None,
            entities: vec![],
            quotes: vec![],
            errors: vec![],
            text: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    /// `E1`, `E2`, ... in order of first mention.
    pub id: String,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub etype: String,
    /// Canonical name ("Vladimir Putin").
    pub name: String,
    /// Cross-document key: the normalised canonical name ("vladimir putin").
    #[serde(default)]
    pub key: String,
    /// Batch-wide id, `kind:slug` of the display name ("person:vladimir-putin"); see
    /// [`crate::identity`].
    #[serde(default)]
    pub identity: String,
    /// The name to show: the canonical name without middle initials, or the one longer name
    /// of the document it stands for ("Clarke" → "Tom Clarke").
    #[serde(default)]
    pub display: String,
    /// Titles and roles the article gives the entity ("russian president", "mr."), lowercase;
    /// omitted when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    pub mentions: Vec<MentionOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionOut {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    /// `Q1`, `Q2`, ... in text order.
    pub id: String,
    /// `direct`, `partial` or `indirect`.
    pub kind: String,
    /// Cleaned quote content, without the quote marks.
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub speaker: Option<SpeakerOut>,
    pub cue: Option<SpanOut>,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerOut {
    /// Display name: the identity's name ("Tom Clarke" for "Mr. Clarke"), or the words of an
    /// unnamed source without determiners ("source", "police").
    pub name: String,
    /// Batch-wide speaker id, `kind:slug` ("person:tom-clarke", "group:police"); see
    /// [`crate::identity`].
    #[serde(default)]
    pub id: String,
    /// `person`, `organisation`, `group`, `unnamed` or `document`.
    #[serde(default)]
    pub kind: String,
    /// `E<n>`, or null for an unnamed source such as "a source".
    pub entity: Option<String>,
    pub mention: SpanOut,
    /// How the speaker was found: name, pronoun, title, carry-over, according-to, ...
    pub resolved_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanOut {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every output line starts with its schema version; a line written before the field
    /// existed reads as version 1.
    #[test]
    fn schema_comes_first_and_old_lines_read_as_version_1() {
        let line = serde_json::to_string(&DocOutput::new("d", "-", DocMeta::default())).unwrap();
        assert!(
            line.starts_with(r#"{"schema":"whosaid/1","id":"d","#),
            "{line}"
        );
        let old: DocOutput = serde_json::from_str(
            r#"{"id":"d","source":"-","entities":[],"quotes":[],"errors":[]}"#,
        )
        .unwrap();
        assert_eq!(old.schema, SCHEMA);
    }
}
