//! Golden files: the shipped models and the whole pipeline over `fixtures/seeds`,
//! `fixtures/articles` and the web pages of `fixtures/html`, compared with
//! `fixtures/expected-joint/<stem>.json` for the default model (`models/whosaid-joint-en` with
//! its attribution head and speaker chooser) and `fixtures/expected/<stem>.json` for the NER
//! model with the rule layer alone (`models/whosaid-ner-en`, the fallback).
//!
//! `BLESS=1 cargo test --release --test golden` rewrites the expected files (review the diff).
//! `GOLDEN=stem` runs one fixture. All failures are collected before the test fails.

mod common;

use std::path::{Path, PathBuf};

use whosaid::clean::{clean_with, CleanOptions, Format, HtmlMode};
use whosaid::input::{expand_inputs, read_all, DEFAULT_MAX_BYTES};
use whosaid::ner::{NerModel, Precision};
use whosaid::pipeline::{analyze_chunk, BatchItem};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped model in float32 (the golden files must not depend on the CPU's bfloat16
/// support), with its attribution head and chooser where `learned`.
fn model_at(dir: &str, learned: bool) -> NerModel {
    common::shipped(dir, Precision::F32, learned)
}

/// The two shipped models as `extract` runs them, each with its folder of golden files.
fn models() -> [(NerModel, &'static str); 2] {
    [
        (model_at(common::DEFAULT, true), "fixtures/expected-joint"),
        (model_at(common::RULES, false), "fixtures/expected"),
    ]
}

fn fixtures() -> Vec<BatchItem> {
    // A missing fixture folder fails the test: it must never silently test less.
    let dirs: Vec<String> = ["fixtures/seeds", "fixtures/articles", "fixtures/html"]
        .iter()
        .map(|d| root().join(d))
        .inspect(|d| assert!(d.is_dir(), "fixture folder {} is missing", d.display()))
        .map(|d| d.display().to_string())
        .collect();
    let (sources, errors) = expand_inputs(&dirs);
    assert!(errors.is_empty(), "{errors:?}");
    let only = std::env::var("GOLDEN").ok();
    read_all(sources, DEFAULT_MAX_BYTES)
        .filter(|d| {
            only.as_deref()
                .is_none_or(|o| d.as_ref().is_ok_and(|d| d.id == o))
        })
        .collect()
}

fn expected_path(folder: &str, id: &str) -> PathBuf {
    root().join(folder).join(format!("{id}.json"))
}

/// Equal JSON, except that numbers with a fraction (scores, confidences) may differ by 0.01:
/// the last digit of a float can move with the BLAS thread count.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) if x.is_f64() || y.is_f64() => {
            (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= 0.01
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn fixtures_match_golden_files() {
    let mut failures = Vec::new();
    for (model, folder) in models() {
        failures.extend(golden(&model, folder));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The differences from the golden files in `folder` (none when blessing).
fn golden(model: &NerModel, folder: &str) -> Vec<String> {
    let items = fixtures();
    assert!(!items.is_empty(), "no fixtures found");
    let bless = std::env::var_os("BLESS").is_some();
    if bless {
        std::fs::create_dir_all(root().join(folder)).unwrap();
    }
    let mut failures = Vec::new();
    for out in analyze_chunk(items, model) {
        assert!(out.errors.is_empty(), "{}: {:?}", out.id, out.errors);
        // The source path differs between machines: store it relative to the project.
        let mut out = out;
        out.source = Path::new(&out.source)
            .strip_prefix(root())
            .map(|p| p.display().to_string())
            .unwrap_or(out.source);
        let got = serde_json::to_string_pretty(&out).unwrap() + "\n";
        let path = expected_path(folder, &out.id);
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want)
                if same(
                    &serde_json::from_str(&want).unwrap(),
                    &serde_json::from_str(&got).unwrap(),
                ) => {}
            Ok(want) => {
                let line = want
                    .lines()
                    .zip(got.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                failures.push(format!(
                    "{}: differs from {} at line {}:\n  want: {}\n  got:  {}",
                    out.id,
                    path.display(),
                    line + 1,
                    want.lines().nth(line).unwrap_or(""),
                    got.lines().nth(line).unwrap_or("")
                ));
            }
            Err(e) => failures.push(format!(
                "{}: {}: {e} (run with BLESS=1 to create)",
                out.id,
                path.display()
            )),
        }
    }
    failures
}

fn all_text() -> CleanOptions {
    CleanOptions {
        html_mode: HtmlMode::All,
    }
}

/// Every span in the output slices the ORIGINAL text to the reported `text`.
#[test]
fn output_offsets_slice_the_original_text() {
    for (model, _) in models() {
        offsets_slice_the_original_text(&model);
    }
}

fn offsets_slice_the_original_text(model: &NerModel) {
    let items = fixtures();
    let originals: Vec<(String, Format)> = items
        .iter()
        .map(|d| d.as_ref().map(|d| (d.text.clone(), d.format)).unwrap())
        .collect();
    for (out, (original, format)) in analyze_chunk(items, model).iter().zip(&originals) {
        let chars: Vec<char> = original.chars().collect();
        // HTML: the slice of the page, its tags dropped and entities decoded ("&amp;" → "&").
        let slice = |s: usize, e: usize| {
            let raw = chars[s..e].iter().collect::<String>();
            match format {
                Format::Html => clean_with(&raw, Format::Html, &all_text()).text,
                _ => raw,
            }
        };
        // Cleaning may join a word hyphenated at a line end ("Oster-\nlandic"): compare
        // without white space and hyphens.
        let norm = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
        };
        assert!(!out.entities.is_empty(), "{}: no entities", out.id);
        for e in &out.entities {
            for m in &e.mentions {
                assert_eq!(
                    norm(&slice(m.start, m.end)),
                    norm(&m.text),
                    "{} mention",
                    out.id
                );
            }
        }
        // The tagger's phrases (a speaker's source phrase, a clause) may run over quote marks,
        // which cleaning mends (the PDF's doubled `""`, a single mark for a double one), and
        // over Markdown link brackets and emphasis: compared without those.
        let unmarked = |s: &str| {
            norm(s).replace(
                [
                    '"', '\'', '`', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '[', ']', '*',
                    '_',
                ],
                "",
            )
        };
        for q in &out.quotes {
            assert!(q.start < q.end && q.end <= chars.len());
            if let Some(s) = &q.speaker {
                assert_eq!(
                    unmarked(&slice(s.mention.start, s.mention.end)),
                    unmarked(&s.mention.text),
                    "{} speaker",
                    out.id
                );
            }
            if let Some(c) = &q.cue {
                assert_eq!(norm(&slice(c.start, c.end)), norm(&c.text));
            }
            if let Some(c) = &q.clause {
                assert_eq!(
                    unmarked(&slice(c.start, c.end)),
                    unmarked(&c.text),
                    "{} clause",
                    out.id
                );
            }
        }
    }
}
