//! `whosaid train` on a tiny random BERT and a few invented sentences in CoNLL format: the
//! same seed gives bit-identical weights and the same dev F1, another seed does not, the loss
//! goes down, and the written directory loads as a model.
//!
//! (The real run, CoNLL-2003 with the MiniLM base, takes about an hour; its figures are in the
//! model card. This test checks the properties that make those figures repeatable.)

use std::path::{Path, PathBuf};

use whosaid::ner::train::{train, TrainOptions};
use whosaid::ner::{write_random_model, NerModel, NerOptions, Precision};

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("training-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Invented sentences, one token per line (`word POS chunk label`), blank line between.
fn conll(n: usize, offset: usize) -> String {
    let people = [
        ("anna", "berg"),
        ("tom", "reed"),
        ("lena", "voss"),
        ("omar", "khan"),
    ];
    let places = ["oslo", "lima", "kyiv", "perth", "quito"];
    let orgs = ["norsk hydro", "acme corp", "blue bank"];
    let mut out = String::new();
    for i in 0..n {
        let k = i + offset;
        let (first, last) = people[k % people.len()];
        let cap = |w: &str| {
            let mut c = w.chars();
            c.next().unwrap().to_uppercase().collect::<String>() + c.as_str()
        };
        let mut words: Vec<(String, &str)> = vec![
            (cap(first), "B-PER"),
            (cap(last), "I-PER"),
            ("said".into(), "O"),
            ("in".into(), "O"),
            (cap(places[k % places.len()]), "B-LOC"),
            ("that".into(), "O"),
        ];
        for (j, w) in orgs[k % orgs.len()].split(' ').enumerate() {
            words.push((cap(w), if j == 0 { "B-ORG" } else { "I-ORG" }));
        }
        words.push(("would".into(), "O"));
        words.push(("grow".into(), "O"));
        words.push((".".into(), "O"));
        for (w, l) in words {
            out += &format!("{w} X X {l}\n");
        }
        out += "\n";
    }
    out
}

struct Run {
    f1: f64,
    weights: Vec<u8>,
    log: String,
    dir: PathBuf,
}

fn run(base: &Path, data: &Path, name: &str, seed: u64) -> Run {
    let out = tmp(name);
    let opt = TrainOptions {
        epochs: 4,
        batch_size: 4,
        lr: 1e-2,
        seed,
        threads: 1,
        max_steps: Some(60),
        ..Default::default()
    };
    let mut log = Vec::new();
    let f1 = train(
        base,
        &data.join("train.conll"),
        &data.join("dev.conll"),
        &out,
        &opt,
        &mut log,
    )
    .unwrap();
    Run {
        f1,
        weights: std::fs::read(out.join("model.safetensors")).unwrap(),
        log: String::from_utf8(log).unwrap(),
        dir: out,
    }
}

/// The mean losses the log reports, in order.
fn losses(log: &str) -> Vec<f64> {
    log.lines()
        .filter_map(|l| l.split(" loss ").nth(1))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn same_seed_same_model_and_the_model_learns() {
    let base = tmp("base");
    write_random_model(&base, "bert", true, false, &[]).unwrap();
    let data = tmp("data");
    std::fs::write(data.join("train.conll"), conll(60, 0)).unwrap();
    std::fs::write(data.join("dev.conll"), conll(12, 1)).unwrap();

    let a = run(&base, &data, "a", 7);
    let b = run(&base, &data, "b", 7);
    let c = run(&base, &data, "c", 8);
    println!("{}", a.log);
    assert_eq!(a.weights, b.weights, "same seed, different weights");
    assert_eq!(a.f1, b.f1);
    assert_eq!(losses(&a.log), losses(&b.log));
    assert_ne!(a.weights, c.weights, "another seed gave the same weights");

    let l = losses(&a.log);
    assert!(l.len() >= 2, "{}", a.log);
    assert!(
        l.last().unwrap() < &(l[0] * 0.8),
        "loss did not go down: {l:?}"
    );
    // Trivial data: after 60 steps the tiny model finds a good part of the names (44.7 here).
    assert!(a.f1 > 20.0 && a.f1 <= 100.0, "dev F1 {}", a.f1);

    // The written directory is a model: config with the labels and the shape feature,
    // float16 weights, tokenizer; it loads and tags.
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["whosaid_shape_features"], true);
    assert_eq!(config["id2label"].as_object().unwrap().len(), 9);
    assert!(a.dir.join("tokenizer.json").exists());
    let model = NerModel::load(
        &a.dir,
        NerOptions {
            precision: Precision::F32,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(model.tags().len(), 9);
}
