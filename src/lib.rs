//! whosaid: who is mentioned in news articles, and who said what.
//!
//! The pipeline, in order:
//! 1. [`input`]: read files, folders, stdin and JSON Lines into raw documents.
//! 2. [`clean`]: repair Markdown/HTML/PDF-extraction text, keeping an offset map to the original.
//! 3. [`segment`]: paragraphs and sentences.
//! 4. [`ner`]: the transformer tags words as PER/ORG/LOC/MISC mentions.
//! 5. [`entities`]: mentions merged into entities ("Putin" = "Vladimir Putin").
//! 6. [`quotes`]: direct, partial and reported speech, attributed to speakers.
//! 7. [`pipeline`]: runs the stages over a batch (rayon) and builds [`output`] JSON.

pub mod bench;
pub mod clean;
pub mod entities;
pub mod export;
pub mod fastbert;
pub mod fuzzing;
pub mod input;
pub mod ner;
pub mod output;
pub mod pipeline;
pub mod quant;
pub mod quote_eval;
pub mod quotes;
pub mod report;
pub mod segment;
pub mod threads;
pub mod train;
pub mod types;
pub mod who;

pub use types::*;
