//! The model-free modules of whosaid, for fuzzing: each file here is a symlink to the module of
//! the same name in ../../src, so the fuzz target runs exactly the code the binary runs.
//! (`ner` and `eval` need libtorch and are left out; none of these modules uses them.)

pub mod analyst;
pub mod clean;
pub mod entities;
pub mod fuzzing;
pub mod identity;
pub mod input;
pub mod language;
pub mod output;
pub mod pipeline;
pub mod quotes;
pub mod segment;
pub mod span;
pub mod tagging;

pub use entities::{Entity, EntityType, Mention};
pub use quotes::{Quote, QuoteKind, Speaker};
pub use segment::Sentence;
pub use span::Span;
