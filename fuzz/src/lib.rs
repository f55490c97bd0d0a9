//! The model-free modules of whosaid, for fuzzing: each file here is a symlink to the module of
//! the same name in ../../src, so the fuzz target runs exactly the code the binary runs.
//! (`ner`, `threads` and `train` need libtorch and are left out; none of these modules uses
//! them.)

pub mod clean;
pub mod entities;
pub mod export;
pub mod fuzzing;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod quotes;
pub mod report;
pub mod segment;
pub mod types;

pub use types::*;
