//! whosaid: who is mentioned in news articles, and who said what.
//!
//! The library is the pipeline; its stages are the top-level modules, in order:
//! 1. [`input`]: read files, folders, stdin and JSON Lines into raw documents.
//! 2. [`clean`]: repair Markdown/HTML/PDF-extraction text, keeping an offset map to the
//!    original ([`Span`]s are byte ranges into the cleaned text).
//! 3. [`segment`]: paragraphs and [`Sentence`]s.
//! 4. [`ner`]: the transformer tags words as PER/ORG/LOC/MISC [`Mention`]s; the model, its
//!    windows, decoding, CoNLL reading and training live together there.
//! 5. [`entities`]: mentions merged into [`Entity`]s ("Putin" = "Vladimir Putin"), and the
//!    cross-document [`entities::entity_key`].
//! 6. [`quotes`]: direct, partial and reported speech ([`Quote`]s), attributed to
//!    [`Speaker`]s.
//! 7. [`pipeline`]: runs the stages over one document and over a batch (rayon), and builds
//!    the [`output`] JSON, with each speaker's and entity's [`identity`] (kind, display
//!    name, batch-wide id; `export`, `report` and `who` recompute it over the whole batch).
//!
//! Around the pipeline:
//! - [`analyst`]: what analysts read from finished output: CSV/JSON [`analyst::export`], the
//!   HTML [`analyst::report`], and [`analyst::who`] ("what did X say?").
//! - [`eval`]: measuring: quote attribution against PolNeAR or a gold file
//!   ([`eval::quotes`]), NER against CoNLL-2003 ([`eval::ner`]).
//!
//! The `whosaid` binary (`src/main.rs`, `src/cli/`) is one module per command over these.
//! Fuzzing support (`fuzzing`) is compiled only with the `fuzzing` feature.

pub mod attribution;
pub mod span;

pub mod input;

pub mod clean;

pub mod segment;

pub mod ner;

pub mod entities;

pub mod quotes;

pub mod pipeline;

pub mod output;

pub mod identity;

pub mod analyst;

pub mod eval;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

pub use entities::{Entity, EntityType, Mention};
pub use quotes::{Quote, QuoteKind, Speaker};
pub use segment::Sentence;
pub use span::Span;
