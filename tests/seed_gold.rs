//! Acceptance on the seed article with the shipped model in the loop: both versions (PDF
//! text and Markdown) give every required quote of the hand annotation with the right
//! speaker, nothing outside it, and the same quotes and speakers as each other.

use std::path::PathBuf;

use whosaid::eval::quotes::{eval_gold_json, fold};
use whosaid::input::{expand_inputs, read_all, DEFAULT_MAX_BYTES};
use whosaid::ner::{NerModel, NerOptions, Precision};
use whosaid::pipeline::analyze_chunk;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> NerModel {
    whosaid::ner::threads::set_compute_threads(2);
    NerModel::load(&root().join("models/whosaid-ner-en"), NerOptions::default())
        .expect("the shipped model loads")
}

#[test]
fn seed_article_matches_the_hand_annotation_with_the_shipped_model() {
    let model = model();
    let report = eval_gold_json(
        &root().join("fixtures/rules/seed-article.gold.json"),
        &root().join("fixtures/seeds"),
        &model,
    )
    .unwrap();
    println!("{report}");
    assert_eq!(report.docs.len(), 2);
    for d in &report.docs {
        assert!(
            d.required >= 10,
            "{}: {} required quotes",
            d.doc,
            d.required
        );
    }
    assert!(report.passes(), "{report}");
}

#[test]
fn both_seed_versions_give_the_same_quotes_and_speakers() {
    let model = model();
    let (sources, errors) = expand_inputs(&[root().join("fixtures/seeds").display().to_string()]);
    assert!(errors.is_empty());
    let outs = analyze_chunk(read_all(sources, DEFAULT_MAX_BYTES).collect(), &model);
    assert_eq!(outs.len(), 2);
    let view = |i: usize| -> Vec<(String, String, Option<String>)> {
        outs[i]
            .quotes
            .iter()
            .map(|q| {
                (
                    q.kind.clone(),
                    fold(&q.text),
                    q.speaker.as_ref().map(|s| s.name.clone()),
                )
            })
            .collect()
    };
    let (pdf, md) = (view(0), view(1));
    assert!(pdf.len() >= 10);
    assert_eq!(pdf, md);
}

/// Everything but the scores: entity ids, types, names, mention spans; quote kinds, spans,
/// cues and speakers.
fn without_scores(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("score");
            m.remove("confidence");
            m.values_mut().for_each(without_scores);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(without_scores),
        _ => {}
    }
}

#[test]
fn bfloat16_concurrent_tagging_gives_the_same_output_as_float32() {
    // bfloat16 runs everywhere (emulated without AVX512-BF16, only slower); `auto` picks it
    // where the CPU has it. The seeds must not change in anything but scores.
    let run = |precision: Precision, concurrent: bool| -> Vec<serde_json::Value> {
        if concurrent {
            whosaid::ner::threads::set_inference_threads(2);
        } else {
            whosaid::ner::threads::set_compute_threads(2);
        }
        let options = NerOptions {
            precision,
            concurrent,
            ..Default::default()
        };
        let model = NerModel::load(&root().join("models/whosaid-ner-en"), options).unwrap();
        assert_eq!(model.precision, precision);
        let (sources, _) = expand_inputs(&[root().join("fixtures/seeds").display().to_string()]);
        analyze_chunk(read_all(sources, DEFAULT_MAX_BYTES).collect(), &model)
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).unwrap();
                without_scores(&mut v);
                v
            })
            .collect()
    };
    let f32 = run(Precision::F32, false);
    let bf16 = run(Precision::Bf16, true);
    assert_eq!(f32.len(), 2);
    for (a, b) in f32.iter().zip(&bf16) {
        assert!(a["entities"].as_array().unwrap().len() >= 10);
        assert_eq!(a, b, "bfloat16 output differs from float32");
    }
}
