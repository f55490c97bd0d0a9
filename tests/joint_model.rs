//! The jointly trained model (`models/whosaid-joint-en`: one encoder, NER and attribution
//! heads) with its attribution head in the loop, at the default precision and in float32:
//! - on the seed article (both versions), every required quote and every reported-speech
//!   attribution of the hand annotation is found with its speaker;
//! - its NER head still tags the seed's people, places and organisations;
//! - the head's output does not depend on which documents share a batch.
//!
//! It is the default model (`extract` without `--model`); `tests/seed_gold.rs` holds it to the
//! whole seed acceptance (nothing spurious, stances with their speakers, both versions alike)
//! at every precision.

use std::path::PathBuf;

use whosaid::eval::quotes::eval_gold_json;
use whosaid::ner::{NerModel, NerOptions, Precision};
use whosaid::EntityType;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model(precision: Precision) -> NerModel {
    model_with(precision, false)
}

fn model_with(precision: Precision, chooser: bool) -> NerModel {
    let concurrent = whosaid::ner::threads::set_inference_threads(2);
    NerModel::load(
        &root().join("models/whosaid-joint-en"),
        NerOptions {
            precision,
            concurrent,
            attribution: true,
            chooser,
            ..Default::default()
        },
    )
    .expect("the joint model loads with its attribution head")
}

/// The speaker chooser (opt-in, with its pair score over the encoder's word states) keeps
/// every required seed quote's speaker and finds every reported statement with its speaker,
/// also the two whose source is a relative phrase ("his intelligence officials who ... say",
/// "Navalny, whose allies say"), which a strong rule's phrase keeps.
#[test]
fn the_speaker_chooser_keeps_the_seed_quotes_speakers() {
    let model = model_with(Precision::Auto, true);
    use whosaid::pipeline::Tagger;
    let w = model
        .chooser()
        .expect("chooser.json is loaded with --speaker-chooser");
    assert_eq!(w.features.len(), whosaid::quotes::chooser::FEATURES.len());
    let pair = w
        .pair
        .as_ref()
        .expect("the shipped chooser has pair weights");
    assert!(
        pair.sizes_agree() && pair.dim == 384,
        "{} {}",
        pair.dim,
        pair.rank
    );
    assert!(
        model.options.word_states,
        "pair weights keep the word states"
    );
    assert!(model_with(Precision::Auto, false).chooser().is_none());
    let report = eval_gold_json(
        &root().join("fixtures/rules/seed-article.gold.json"),
        &root().join("fixtures/seeds"),
        &model,
    )
    .unwrap();
    println!("{report}");
    for d in &report.docs {
        assert_eq!(
            (d.found, d.speaker_ok),
            (d.required, d.required),
            "{report}"
        );
        assert_eq!(
            (d.reported_found, d.reported_speaker_ok),
            (d.reported, d.reported),
            "{report}"
        );
    }
    assert!(report.passes(), "{report}");
}

#[test]
fn seed_quotes_and_reported_speech_with_their_speakers() {
    for precision in [Precision::Auto, Precision::F32] {
        let model = model(precision);
        assert!(model.attribution().is_some(), "the head is loaded");
        let report = eval_gold_json(
            &root().join("fixtures/rules/seed-article.gold.json"),
            &root().join("fixtures/seeds"),
            &model,
        )
        .unwrap();
        println!("{}\n{report}", model.precision.name());
        assert_eq!(report.docs.len(), 2);
        for d in &report.docs {
            assert!(d.required >= 10 && d.reported >= 5, "{report}");
            assert_eq!(
                (d.found, d.speaker_ok),
                (d.required, d.required),
                "{report}"
            );
            assert_eq!(
                (d.reported_found, d.reported_speaker_ok),
                (d.reported, d.reported),
                "{report}"
            );
        }
        // Nothing outside the annotation, and each stance it reports with the stance's speaker.
        assert!(report.passes(), "{report}");
    }
}

/// `extract` with the joint model and its head (and the speaker chooser) over the seeds and
/// the article fixtures.
fn extract(threads: usize, chunk: usize) -> Vec<u8> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .arg("extract")
        .args([
            "--model",
            root().join("models/whosaid-joint-en").to_str().unwrap(),
        ])
        .args(["--attribution-head", "--speaker-chooser"])
        .args(["--threads", &threads.to_string()])
        .args(["--chunk-size", &chunk.to_string()])
        .arg(root().join("fixtures/seeds"))
        .arg(root().join("fixtures/articles"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

#[test]
fn the_heads_give_the_same_output_whatever_the_batch() {
    let one = extract(1, 32);
    assert!(one.len() > 1000 && one.windows(7).any(|w| w == b"\"kind\":"));
    // The head gives partial quotes their clause: "the two countries to exchange ...".
    let text = String::from_utf8_lossy(&one);
    let clause = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .flat_map(|d| d["quotes"].as_array().cloned().unwrap_or_default())
        .filter(|q| {
            q["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("exchange guarantees"))
        })
        .map(|q| q["clause"]["text"].as_str().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert!(!clause.is_empty(), "no partial quote 'exchange guarantees'");
    for c in &clause {
        assert!(
            c.contains("two countries") && c.contains("exchange guarantees"),
            "{c:?}"
        );
    }
    for (t, c) in [(2, 3), (2, 1)] {
        assert!(
            extract(t, c) == one,
            "--threads {t} --chunk-size {c} differs from --threads 1 --chunk-size 32"
        );
    }
}

#[test]
fn the_ner_head_still_finds_the_seed_entities() {
    let model = model(Precision::Auto);
    let text = std::fs::read_to_string(root().join("fixtures/seeds/001_b6b131d2156dd4a4.txt"))
        .expect("seed article");
    let doc = whosaid::pipeline::analyze(&text, whosaid::clean::Format::Text, &model).unwrap();
    let ents = &doc.entities;
    let has = |name: &str, t: EntityType| ents.iter().any(|e| e.name == name && e.etype == t);
    assert!(has("Vladimir Putin", EntityType::PER), "{ents:#?}");
    assert!(has("Kremlin", EntityType::ORG) || has("Kremlin", EntityType::LOC));
    assert!(ents
        .iter()
        .any(|e| e.etype == EntityType::LOC && e.name == "Russia"));
}
