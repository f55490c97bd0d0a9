//! Measuring the pipeline: [`quotes`] (quote extraction and attribution against PolNeAR or a
//! gold file) and [`ner`] (entity-level F1 on CoNLL-2003).

pub mod ner;
pub mod quotes;
