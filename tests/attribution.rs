//! `whosaid train-attribution` on a tiny random BERT and invented articles in PolNeAR's brat
//! format: the same seed gives bit-identical branch weights, the loss goes down, the NER
//! weights are never touched, and the model directory then loads with the branch, whose tags
//! come from the same encoder pass without changing the NER mentions.
//!
//! (The real run, PolNeAR train with the shipped encoder, is in the model card.)

use std::path::{Path, PathBuf};

use whosaid::attribution::train::{train, AttrTrainOptions};
use whosaid::ner::{write_random_model, NerModel, NerOptions, Precision};
use whosaid::pipeline::Tagger;

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("attribution-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Code point offsets of `part` in `text`.
fn offsets(text: &str, part: &str) -> (usize, usize) {
    let b = text.find(part).unwrap();
    let s = text[..b].chars().count();
    (s, s + part.chars().count())
}

/// A split folder of `n` invented articles (`text/`, `attributions/` with an annotator suffix).
fn split(dir: &Path, n: usize, offset: usize) {
    std::fs::create_dir_all(dir.join("text")).unwrap();
    std::fs::create_dir_all(dir.join("attributions")).unwrap();
    let people = ["Anna Berg", "Tom Reed", "Lena Voss", "Omar Khan"];
    let cues = ["said", "argued", "claimed", "warned"];
    let things = [
        "taxes would rise",
        "the bridge was unsafe",
        "rain was coming",
    ];
    for i in 0..n {
        let k = i + offset;
        let (who, cue, what) = (
            people[k % people.len()],
            cues[k % cues.len()],
            things[k % things.len()],
        );
        let text = format!(
            "The council met on Monday in the old hall.\n\n{who} {cue} that {what}. \
             Nobody else spoke. Later, {what}, {who} {cue} again."
        );
        let mut ann = String::new();
        let mut t = 0;
        let first = text.find(cue).unwrap();
        let second = text.rfind(cue).unwrap();
        let spans = [
            (
                offsets(&text, who),
                offsets(&text, cue),
                offsets(&text, &format!("that {what}")),
            ),
            (
                {
                    let b = second - who.len() - 1;
                    let s = text[..b].chars().count();
                    (s, s + who.chars().count())
                },
                {
                    let s = text[..second].chars().count();
                    (s, s + cue.len())
                },
                {
                    let b = text[first..].find(&format!("Later, {what}")).unwrap() + first + 7;
                    let s = text[..b].chars().count();
                    (s, s + what.chars().count())
                },
            ),
        ];
        for (e, (src, cu, con)) in spans.iter().enumerate() {
            let piece =
                |(a, b): (usize, usize)| text.chars().skip(a).take(b - a).collect::<String>();
            ann += &format!("T{}\tSource {} {}\t{}\n", t + 1, src.0, src.1, piece(*src));
            ann += &format!("T{}\tCue {} {}\t{}\n", t + 2, cu.0, cu.1, piece(*cu));
            ann += &format!("T{}\tContent {} {}\t{}\n", t + 3, con.0, con.1, piece(*con));
            ann += &format!(
                "E{}\tAttribution:T{} Content:T{} Cue:T{} Source:T{}\n",
                e + 1,
                t + 2,
                t + 3,
                t + 2,
                t + 1
            );
            t += 3;
        }
        std::fs::write(dir.join(format!("text/art{k:03}.txt")), &text).unwrap();
        std::fs::write(dir.join(format!("attributions/art{k:03}_a1.ann")), &ann).unwrap();
        // A second annotator's file is ignored.
        std::fs::write(dir.join(format!("attributions/art{k:03}_b2.ann")), "").unwrap();
    }
}

struct Run {
    f1: f64,
    weights: Vec<u8>,
    log: String,
}

fn run(model: &Path, data: &Path, out: &Path, seed: u64) -> Run {
    let opt = AttrTrainOptions {
        input_layer: 1,
        branch_layers: 1,
        epochs: 3,
        lr: 1e-2,
        batch_size: 4,
        seed,
        threads: 1,
        cache: data.join("cache"),
        max_docs: None,
    };
    let mut log = Vec::new();
    let f1 = train(
        model,
        &data.join("train"),
        &data.join("dev"),
        out,
        &opt,
        &mut log,
    )
    .unwrap();
    Run {
        f1,
        weights: std::fs::read(out.join("attribution.safetensors")).unwrap(),
        log: String::from_utf8(log).unwrap(),
    }
}

fn losses(log: &str) -> Vec<f64> {
    log.lines()
        .filter_map(|l| l.split(" loss ").nth(1))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn branch_trains_repeatably_and_shares_the_encoder_pass() {
    let model = tmp("model");
    write_random_model(&model, "bert", true, false, &[]).unwrap();
    let ner_weights = std::fs::read(model.join("model.safetensors")).unwrap();
    let data = tmp("data");
    split(&data.join("train"), 24, 0);
    split(&data.join("dev"), 4, 1);
    let (out_a, out_b) = (tmp("a"), tmp("b"));
    let a = run(&model, &data, &out_a, 7);
    // The second run reads the cached encoder states.
    let b = run(&model, &data, &out_b, 7);
    println!("{}", a.log);
    assert!(b.log.contains("cached windows"), "{}", b.log);
    assert_eq!(a.weights, b.weights, "same seed, different weights");
    assert_eq!(a.f1, b.f1);
    assert_eq!(losses(&a.log), losses(&b.log));
    let l = losses(&a.log);
    assert!(
        l.len() >= 2 && l.last().unwrap() < &(l[0] * 0.8),
        "loss: {l:?}"
    );
    assert!((0.0..=100.0).contains(&a.f1));
    // The encoder and the NER head are frozen: their file is untouched.
    assert_eq!(
        std::fs::read(model.join("model.safetensors")).unwrap(),
        ner_weights
    );

    // The branch next to the NER files loads; its tags come with the NER mentions of the same
    // pass, and those mentions are the ones the model gives without the branch.
    for f in ["config.json", "model.safetensors", "vocab.txt"] {
        std::fs::copy(model.join(f), out_a.join(f)).unwrap();
    }
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_a.join("attribution.json")).unwrap())
            .unwrap();
    assert_eq!(config["input_layer"], 1);
    assert_eq!(config["branch_layers"], 1);
    let load = |attribution: bool| {
        NerModel::load(
            &out_a,
            NerOptions {
                precision: Precision::F32,
                attribution,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (with, without) = (load(true), load(false));
    // Off unless asked for.
    let default = NerModel::load(&out_a, NerOptions::default()).unwrap();
    assert!(default.attribution().is_none());
    assert!(with.attribution().is_some() && without.attribution().is_none());
    let text = "Anna Berg said that taxes would rise. Tom Reed warned that rain was coming.";
    let sentences = whosaid::segment::sentences(text);
    let t1 = with
        .tag_batch_full(&[(text, &sentences)])
        .pop()
        .unwrap()
        .unwrap();
    let t0 = without
        .tag_batch_full(&[(text, &sentences)])
        .pop()
        .unwrap()
        .unwrap();
    assert_eq!(t1.mentions, t0.mentions);
    assert!(t0.attributions.is_none());
    let found = t1.attributions.expect("the branch tags");
    for la in &found {
        assert!(!la.content.is_empty());
        assert!(la.content.iter().all(|c| c.end <= text.len()));
    }
}
