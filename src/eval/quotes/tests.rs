//! Tests of the quote evaluation.

use super::caps_tagger::CapsTagger;
use super::*;
use crate::{Mention, Sentence};
use std::path::PathBuf;

fn polnear_dir() -> Option<PathBuf> {
    let d = std::env::var("WHOSAID_POLNEAR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear"));
    d.join("dev").exists().then_some(d)
}

/// WHOSAID_MODEL, else the shipped model.
fn model_path() -> PathBuf {
    std::env::var("WHOSAID_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en"))
}

/// [`model_path`] when it holds a model.
fn model_dir() -> Option<PathBuf> {
    let m = model_path();
    m.join("config.json").exists().then_some(m)
}

fn seed_paths() -> Option<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = [root.join("fixtures/seeds"), root.join("../shared/seeds")]
        .into_iter()
        .find(|d| d.join("001_b6b131d2156dd4a4.txt").exists())?;
    let gold = [
        root.join("fixtures/rules/seed-article.gold.json"),
        root.join("../shared/gold/seed-article.json"),
    ]
    .into_iter()
    .find(|g| g.exists())?;
    Some((docs, gold))
}

#[test]
fn reads_brat_annotations() {
    let text = "He said “yes” today. Officials said it was fine.";
    let ann = "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 13\t“yes”\nE1\tAttribution:T9 Content:T3 Cue:T2 Source:T1\n\
               T4\tContent 36 47\tit was fine\nT5\tCue 31 35\tsaid\nE2\tAttribution:T8 Cue:T5 Content:T4\n";
    let g = read_ann(ann, text);
    assert_eq!(g.len(), 2);
    assert!(g[0].quoted);
    assert_eq!(g[0].source, vec![(0, 2)]);
    assert!(!g[1].quoted);
    assert!(g[1].source.is_empty());
}

#[test]
fn caps_tagger_finds_names() {
    let text = "Russian President Vladimir Putin met officials in Moscow. The FBI said so.";
    let ms = CapsTagger.tag(text, &[]).unwrap();
    let got: Vec<(&str, EntityType)> = ms.iter().map(|m| (m.span.slice(text), m.etype)).collect();
    assert!(got.contains(&("Moscow", EntityType::LOC)), "{got:?}");
    assert!(got.contains(&("FBI", EntityType::ORG)), "{got:?}");
    assert!(
        got.iter()
            .any(|(n, t)| n.ends_with("Vladimir Putin") && *t == EntityType::PER),
        "{got:?}"
    );
}

/// Seed acceptance: with mentions given from the gold entity names, every required gold
/// quote is found with its speaker and nothing outside the gold file is emitted.
#[test]
fn seed_article_gold() {
    let Some((docs, gold)) = seed_paths() else {
        eprintln!("skipping seed acceptance: seeds or gold file not found");
        return;
    };
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold).unwrap()).unwrap();
    let tagger = gold_tagger(&g);
    let report = eval_gold_json(&gold, &docs, &tagger).unwrap();
    if std::env::var("WHOSAID_VERBOSE").is_ok() {
        for d in g["documents"].as_array().unwrap() {
            let name = d.as_str().unwrap();
            let text = std::fs::read_to_string(docs.join(name)).unwrap();
            let fmt = crate::clean::detect_format(name, &text);
            let a = analyze(&text, fmt, &tagger).unwrap();
            for q in &a.quotes {
                eprintln!("{}", describe_quote(&a, q));
            }
        }
    }
    eprintln!("{report}");
    assert!(report.passes(), "{report}");
}

/// Seed acceptance with the trained tagger instead of the gold names (WHOSAID_MODEL,
/// default `models/whosaid-ner-en`).
#[test]
#[ignore]
fn seed_article_gold_model() {
    let Some((docs, gold)) = seed_paths() else {
        eprintln!("skipping seed acceptance: seeds or gold file not found");
        return;
    };
    let Some(model) = model_dir() else {
        eprintln!("skipping: no model in {}", model_path().display());
        return;
    };
    let tagger = crate::ner::NerModel::load(&model, Default::default()).unwrap();
    let report = eval_gold_json(&gold, &docs, &tagger).unwrap();
    println!("{report}");
    assert!(report.passes(), "{report}");
}

/// Prints the PolNeAR dev report with the trained tagger (WHOSAID_MODEL, default
/// `models/whosaid-ner-en`): `cargo test --release --lib quote_eval -- --ignored --nocapture`.
#[test]
#[ignore]
fn polnear_dev_report_model() {
    let Some(dir) = polnear_dir() else {
        eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
        return;
    };
    let Some(model) = model_dir() else {
        eprintln!(
            "skipping PolNeAR model report: no model in {}",
            model_path().display()
        );
        return;
    };
    let tagger = crate::ner::NerModel::load(&model, Default::default()).unwrap();
    let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
    let errors = std::env::temp_dir().join(format!("whosaid-polnear-{split}-model-errors.tsv"));
    let report = eval_polnear(&dir.join(&split), &tagger, Some(&errors)).unwrap();
    println!("{report}");
    println!("errors: {}", errors.display());
}

/// One line for debugging: kind, content, speaker (rule, mention), cue, confidence.
fn describe_quote(a: &crate::pipeline::Document, q: &crate::Quote) -> String {
    let t = &a.cleaned.text;
    let sp = q.speaker.as_ref().map(|s| {
        format!(
            "{} [{} via {:?}]",
            s.name,
            s.resolved_by,
            s.mention.slice(t)
        )
    });
    format!(
        "{:?} {:?} <- {:?} cue={:?} conf={}",
        q.kind,
        q.content.slice(t),
        sp,
        q.cue.map(|c| c.slice(t)),
        q.confidence
    )
}

/// Prints the quotes found in the file named by WHOSAID_DEBUG_FILE (with [`CapsTagger`]).
#[test]
#[ignore]
fn debug_file() {
    let Ok(path) = std::env::var("WHOSAID_DEBUG_FILE") else {
        eprintln!("set WHOSAID_DEBUG_FILE");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let format = crate::clean::detect_format(&path, &text);
    let model: Option<crate::ner::NerModel> = std::env::var("WHOSAID_MODEL")
        .ok()
        .map(|m| crate::ner::NerModel::load(Path::new(&m), Default::default()).unwrap());
    let a = match &model {
        Some(m) => analyze(&text, format, m).unwrap(),
        None => analyze(&text, format, &CapsTagger).unwrap(),
    };
    for e in &a.entities {
        println!(
            "E{} {:?} {:?} {:?} x{}",
            e.index + 1,
            e.etype,
            e.name,
            e.descriptions,
            e.mentions.len()
        );
    }
    for q in &a.quotes {
        println!("{}", describe_quote(&a, q));
    }
}

/// The trained tagger with its mentions cached on disk (in WHOSAID_NER_CACHE, default a
/// folder in the temp dir), keyed by a hash of the text: rule work re-runs in seconds.
struct CachedTagger {
    model: crate::ner::NerModel,
    dir: PathBuf,
}

impl Tagger for CachedTagger {
    fn tag(&self, text: &str, sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let path = self.dir.join(format!("{:016x}.tsv", h.finish()));
        if let Ok(s) = std::fs::read_to_string(&path) {
            let mut out = Vec::new();
            for line in s.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                out.push(Mention {
                    span: Span::new(f[0].parse()?, f[1].parse()?),
                    etype: EntityType::parse(f[2]).context("type")?,
                    score: f[3].parse()?,
                });
            }
            return Ok(out);
        }
        let out = self.model.tag(text, sentences)?;
        let mut s = String::new();
        for m in &out {
            let _ = writeln!(
                s,
                "{}\t{}\t{:?}\t{}",
                m.span.start, m.span.end, m.etype, m.score
            );
        }
        std::fs::create_dir_all(&self.dir)?;
        std::fs::write(&path, s)?;
        Ok(out)
    }
}

/// The PolNeAR report with [`CachedTagger`] (the first run fills the cache):
/// `cargo test --release --lib polnear_cached -- --ignored --nocapture`.
#[test]
#[ignore]
fn polnear_cached() {
    let Some(dir) = polnear_dir() else {
        eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
        return;
    };
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en");
    let tagger = CachedTagger {
        model: crate::ner::NerModel::load(&model, Default::default()).unwrap(),
        dir: std::env::var("WHOSAID_NER_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join("whosaid-ner-cache")),
    };
    let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
    let errors = std::env::var("WHOSAID_ERRORS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join(format!("whosaid-{split}-errors.tsv")));
    let report = eval_polnear(&dir.join(&split), &tagger, Some(&errors)).unwrap();
    println!("{report}");
    println!("errors: {}", errors.display());
    // Extract output (the JSON Lines contract) for `whosaid report`.
    if let Ok(out) = std::env::var("WHOSAID_OUT") {
        let mut lines = String::new();
        for (name, text_path, _) in polnear_articles(&dir.join(&split)).unwrap() {
            let text = std::fs::read_to_string(&text_path).unwrap();
            let source = text_path.to_string_lossy();
            let doc = crate::pipeline::Document::new(&name, &source, text, Format::Text);
            let doc = crate::pipeline::run_one(doc, &tagger).to_output(false);
            lines.push_str(&serde_json::to_string(&doc).unwrap());
            lines.push('\n');
        }
        std::fs::write(out, lines).unwrap();
    }
    // Predictions as JSON Lines for analysis scripts (code point offsets).
    if let Ok(out) = std::env::var("WHOSAID_PRED") {
        let mut lines = String::new();
        for (name, text_path, _) in polnear_articles(&dir.join(&split)).unwrap() {
            let text = std::fs::read_to_string(text_path).unwrap();
            let a = analyze(&text, Format::Text, &tagger).unwrap();
            let map = |s: Span| a.cleaned.map.to_original(s);
            for q in &a.quotes {
                let v = serde_json::json!({
                    "article": name,
                    "kind": q.kind,
                    "content": map(q.content),
                    "speaker": q.speaker.as_ref().map(|s| map(s.mention)),
                    "cue": q.cue.map(map),
                });
                lines.push_str(&v.to_string());
                lines.push('\n');
            }
        }
        std::fs::write(out, lines).unwrap();
    }
}

/// Prints the PolNeAR dev report with the development tagger:
/// `cargo test --release --lib quote_eval -- --ignored --nocapture`.
#[test]
#[ignore]
fn polnear_dev_report() {
    let Some(dir) = polnear_dir() else {
        eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
        return;
    };
    let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
    let errors = std::env::temp_dir().join(format!("whosaid-polnear-{split}-errors.tsv"));
    let report = eval_polnear(&dir.join(&split), &CapsTagger, Some(&errors)).unwrap();
    println!("{report}");
    println!("errors: {}", errors.display());
}
