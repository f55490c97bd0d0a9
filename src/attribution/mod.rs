//! The learned attribution tagger: Content, Cue and Source spans as PolNeAR annotates them
//! (speech, speech acts and stances with their source), found by a small branch over the NER
//! encoder's hidden states, so that no second transformer pass runs.
//!
//! - [`data`]: PolNeAR brat files → per-word BIO labels in three layers;
//! - [`decode`]: BIO layers → (content, cue, source) triples;
//! - [`score`]: exact-match figures as in the PolNeAR / CofeNet papers;
//! - [`train`]: the branch over a frozen encoder; [`joint`]: the whole encoder fine-tuned on
//!   NER and attribution together (`whosaid train --polnear`).

pub mod data;
pub mod joint;
pub mod score;
pub mod train;

/// The branch and its decoding are a head of the encoder and live with it in [`crate::ner`].
pub use crate::ner::attr_decode as decode;
pub use crate::ner::attr_decode::decode_words;
pub use crate::ner::attr_head as model;
pub use crate::tagging::LearnedAttribution;
