//! Test helpers shared by the integration tests that load the shipped models.

use std::path::PathBuf;

use whosaid::ner::{NerModel, NerOptions, Precision};

/// The default model (`extract` without `--model`), with its attribution head and chooser.
pub const DEFAULT: &str = "models/whosaid-joint-en";
/// The NER model alone: the rule layer attributes quotes (the fallback, and `--rules-only`).
pub const RULES: &str = "models/whosaid-ner-en";

/// A shipped model folder (relative to the project) at `precision`, on two inference threads,
/// with its attribution head and speaker chooser where `learned`, as `extract` runs it.
pub fn shipped(dir: &str, precision: Precision, learned: bool) -> NerModel {
    let concurrent = whosaid::ner::threads::set_inference_threads(2);
    let options = NerOptions {
        precision,
        concurrent,
        attribution: learned,
        chooser: learned,
        ..Default::default()
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let m = NerModel::load(&root.join(dir), options).expect("the shipped model loads");
    assert_eq!(m.attribution().is_some(), learned, "{dir}");
    m
}
