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
    /// What is known of the document besides its text, written in place: `title`,
    /// `published`, `byline`, `url` (null when unknown) and `outlet` (absent when unknown);
    /// see [`DocMeta`]. Lines without these fields (older ones) read as unknown.
    #[serde(flatten)]
    pub meta: DocMeta,
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
            meta,
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
    /// With the attribution head: the whole reported clause around the content as PolNeAR
    /// marks content (a partial quote's sentence part, an indirect statement's clause), when
    /// the tagger's content span differs from `text`. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<SpanOut>,
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
        assert_eq!(old.meta, DocMeta::default());
    }

    /// The metadata is written in place, between `input_sha256` and `language`: unknown
    /// fields as null, `outlet` only when known; a line reads back to the same bytes.
    #[test]
    fn metadata_is_written_in_place_and_reads_back() {
        let mut out = DocOutput::new(
            "d",
            "d.txt",
            DocMeta {
                title: Some("T".into()),
                url: Some("https://x.example/d".into()),
                ..DocMeta::default()
            },
        );
        let line = serde_json::to_string(&out).unwrap();
        assert_eq!(
            line,
            r#"{"schema":"whosaid/1","id":"d","source":"d.txt","input_sha256":null,"title":"T","published":null,"byline":null,"url":"https://x.example/d","language":null,"entities":[],"quotes":[],"errors":[]}"#
        );
        let back: DocOutput = serde_json::from_str(&line).unwrap();
        assert_eq!(back, out);
        out.meta.outlet = Some("O".into());
        let line = serde_json::to_string(&out).unwrap();
        assert!(
            line.contains(r#""url":"https://x.example/d","outlet":"O","language":null"#),
            "{line}"
        );
        assert_eq!(serde_json::from_str::<DocOutput>(&line).unwrap(), out);
        // A line with some metadata fields and not others.
        let part: DocOutput = serde_json::from_str(
            r#"{"id":"d","source":"-","published":"2025-03-14","entities":[],"quotes":[],"errors":[]}"#,
        )
        .unwrap();
        assert_eq!(part.meta.published.as_deref(), Some("2025-03-14"));
        assert_eq!((part.meta.title, part.meta.outlet), (None, None));
    }
}
