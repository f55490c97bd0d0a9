//! whosaid: who is mentioned in news articles, and who said what.
//!
//! The library is the pipeline; its stages are the top-level modules, in order:
//! 1. [`input`]: read files, folders, stdin and JSON Lines into raw documents.
//! 2. [`clean`]: repair Markdown/HTML/PDF-extraction text, keeping an offset map to the
//!    original ([`Span`]s are byte ranges into the cleaned text).
//!    [`language`] tells English from other languages (a warning and the output's
//!    `language`).
//! 3. [`segment`]: paragraphs and [`Sentence`]s.
//! 4. [`tagging`]: what a tagger hands to the stages above ([`tagging::Tagger`],
//!    [`tagging::Tagged`], [`tagging::LearnedAttribution`]), so that they never import it.
//! 5. [`ner`]: the transformer tags words as PER/ORG/LOC/MISC [`Mention`]s; the model, its
//!    windows, decoding, the attribution head over the same encoder states
//!    ([`ner::attr_head`], [`ner::attr_decode`]), the own float/int8 forward
//!    ([`ner::fastbert`], [`ner::quant`]), CoNLL reading, scoring and training live there.
//! 6. [`entities`]: mentions merged into [`Entity`]s ("Putin" = "Vladimir Putin"), and the
//!    cross-document [`entities::entity_key`].
//! 7. [`quotes`]: direct, partial and reported speech ([`Quote`]s), attributed to
//!    [`Speaker`]s.
//! 8. [`pipeline`]: the one runner. A [`pipeline::Document`] carries a document's text,
//!    format, given metadata and input hash, and each stage's results; [`pipeline::run_chunk`]
//!    takes a batch through the stages (rayon, one batched tagger call), [`pipeline::run_one`]
//!    and [`pipeline::analyze`] one document, [`pipeline::run_stream`] a stream (`extract`);
//!    [`pipeline::Document::to_output`] builds the [`output`] JSON, with each speaker's and
//!    entity's [`identity`] (kind, display name, batch-wide id; `export`, `report` and `who`
//!    recompute it over the whole batch).
//!
//! Around the pipeline:
//! - [`analyst`]: what analysts read from finished output: CSV/JSON [`analyst::export`], the
//!   HTML [`analyst::report`], and [`analyst::who`] ("what did X say?").
//! - [`eval`]: measuring: quote attribution against PolNeAR or a gold file
//!   ([`eval::quotes`]), NER against CoNLL-2003 ([`eval::ner`], which is [`ner::score`]),
//!   and fitting the learned speaker chooser on PolNeAR ([`eval::chooser`]).
//! - [`attribution`]: PolNeAR reading, exact-match scoring, training of the attribution
//!   head, and joint training of the encoder on NER and attribution ([`attribution::joint`]).
//!
//! Imports go one way, down the stages; `tests/layering.rs` fails on an import cycle.
//!
//! The `whosaid` binary (`src/main.rs`, `src/cli/`) is one module per command over these.
//! Fuzzing support (`fuzzing`) is compiled only with the `fuzzing` feature.

pub mod span;

pub mod tagging;

pub mod input;

pub mod clean;

pub mod language;

pub mod segment;

pub mod ner;

pub mod entities;

pub mod quotes;

pub mod pipeline;

pub mod output;

pub mod identity;

pub mod analyst;

pub mod eval;

pub mod attribution;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

pub use entities::{Entity, EntityType, Mention};
pub use quotes::{Quote, QuoteKind, ResolvedBy, Speaker};
pub use segment::Sentence;
pub use span::Span;
