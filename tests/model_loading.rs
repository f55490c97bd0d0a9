//! Loading token-classification checkpoints: the project's own format (shape features) and
//! Hugging Face BERT / DistilBERT layouts (config.json + model.safetensors or rust_model.ot +
//! vocab.txt), created here as tiny random models. Checks that windows, subword merging and
//! BIO decoding give mentions on word boundaries, in bounds, with offsets that slice right.

use std::path::PathBuf;

use whosaid::clean::Format;
use whosaid::ner::{write_random_model, NerModel, NerOptions};
use whosaid::pipeline::{analyze, Tagger};
use whosaid::segment;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("whosaid-model-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

const TEXT: &str =
    "🙂 Vladimir Putin met “Sergei Lavrov” in Moscow.\r\n\r\nThey talked. Lavrov said: \"Yes.\"";

#[test]
fn bert_with_shape_features_loads_and_tags_whole_words() {
    let dir = tmp("bert");
    // Strongly prefer I-PER: constrained decoding must open with B-PER, then continue.
    write_random_model(
        &dir,
        "bert",
        true,
        false,
        &[("I-PER", 20.0), ("B-PER", 10.0)],
    )
    .unwrap();
    let model = NerModel::load(&dir, NerOptions::default()).unwrap();
    let sentences = segment::sentences(TEXT);
    let mentions = model.tag(TEXT, &sentences).unwrap();
    assert!(!mentions.is_empty());
    // One mention per run of words: it starts at the first word and ends at the last one.
    let first = &mentions[0];
    assert_eq!(&TEXT[first.span.start..first.span.start + "🙂".len()], "🙂");
    let last = mentions.last().unwrap();
    assert!(
        TEXT[..last.span.end].ends_with("\"Yes.\""),
        "{:?}",
        &TEXT[last.span.start..last.span.end]
    );
    for m in &mentions {
        assert!(TEXT.is_char_boundary(m.span.start) && TEXT.is_char_boundary(m.span.end));
        assert!(m.score > 0.5, "{}", m.score);
    }
}

#[test]
fn hf_bert_layout_without_tokenizer_json_maps_words_back() {
    let dir = tmp("hfbert");
    // Prefer B-LOC for every word: each word becomes its own mention.
    write_random_model(&dir, "bert", false, false, &[("B-LOC", 20.0)]).unwrap();
    let model = NerModel::load(
        &dir,
        NerOptions {
            max_len: 16,
            ..Default::default()
        },
    )
    .unwrap();
    let text = "Putin's Pact With The U.S. In 2020, Non-Interference.";
    let a = analyze(text, Format::Text, &model).unwrap();
    let got: Vec<&str> = a
        .mentions
        .iter()
        .map(|m| &a.cleaned.text[m.span.start..m.span.end])
        .collect();
    // Windows of 14 subwords over a longer sentence: every word still labelled exactly once;
    // words without a capital or digit ('s , .) are not names.
    assert_eq!(
        got,
        vec![
            "Putin",
            "Pact",
            "With",
            "The",
            "U.S.",
            "In",
            "2020",
            "Non-Interference"
        ]
    );
}

#[test]
fn distilbert_ot_checkpoint_loads() {
    let dir = tmp("distil");
    write_random_model(&dir, "distilbert", false, true, &[("O", 20.0)]).unwrap();
    let model = NerModel::load(&dir, NerOptions::default()).unwrap();
    let s = segment::sentences(TEXT);
    // Everything O: no mentions, and no error.
    assert!(model.tag(TEXT, &s).unwrap().is_empty());
}

#[test]
fn missing_or_broken_model_dir_gives_clear_errors() {
    let err = NerModel::load(&tmp("nothing"), NerOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
    let dir = tmp("broken");
    write_random_model(&dir, "bert", false, false, &[]).unwrap();
    std::fs::write(dir.join("model.safetensors"), b"not weights").unwrap();
    let err = format!(
        "{:#}",
        NerModel::load(&dir, NerOptions::default()).err().unwrap()
    );
    assert!(err.contains("model.safetensors"), "{err}");
}
