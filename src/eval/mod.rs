//! Measuring the pipeline: [`quotes`] (quote extraction and attribution against PolNeAR or a
//! gold file) and [`ner`] (entity-level F1 on CoNLL-2003).

/// NER scoring lives with the tagger (its trainer scores a held-out set while training).
pub use crate::ner::score as ner;
pub mod chooser;
pub mod quotes;
