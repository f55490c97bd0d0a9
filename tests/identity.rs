//! Speaker identity (issue 19) over invented fixtures, `fixtures/identity/`: the rules and the
//! batch identity step with a tagger that finds given names (no model), so each case is
//! exact.
//!
//! - `NAME.txt` (one article) or `NAME.jsonl` (a batch, one `{"id", "text", ...}` a line) with
//!   `NAME.json`: `mentions` (`[name, type]` pairs the tagger finds), `quotes` (`text`: a
//!   part of the quote's text; `doc`: the document id in a batch; `speaker`: the display
//!   name, or null for no speaker; and optionally `id`, `kind`, `resolved_by`), `no_quote`
//!   (texts that must be no quote), `not_speaker` (names or mention words no speaker has), `who` (`name`, `answer`: found / several / none, with
//!   `quotes`, `ids` or `suggestions`).
//! - The CSV of `export` pivoted by `speaker_id` gives the report's speaker counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use whosaid::analyst::export::{parse_csv, DocWriter, Format, QUOTE_COLUMNS};
use whosaid::analyst::who::{ask, Answer};
use whosaid::clean::CleanOptions;
use whosaid::input::{expand_inputs, read_all, DEFAULT_MAX_BYTES};
use whosaid::output::DocOutput;
use whosaid::pipeline::{analyze_chunk_with, GivenMentions};
use whosaid::EntityType;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/identity")
}

/// The fixture's documents, run through the pipeline and the batch identity step.
fn run(input: &Path, spec: &serde_json::Value) -> Vec<DocOutput> {
    let names: Vec<(String, EntityType)> = spec["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .map(|m| {
            (
                m[0].as_str().unwrap().to_string(),
                EntityType::parse(m[1].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let (sources, errors) = expand_inputs(&[input.display().to_string()]);
    assert!(errors.is_empty(), "{errors:?}");
    let items: Vec<_> = read_all(sources, DEFAULT_MAX_BYTES).collect();
    let mut docs = analyze_chunk_with(items, &GivenMentions(names), &CleanOptions::default());
    for d in &docs {
        assert!(d.errors.is_empty(), "{}: {:?}", d.id, d.errors);
    }
    whosaid::identity::assign_batch(&mut docs);
    docs
}

fn check(name: &str, docs: &[DocOutput], spec: &serde_json::Value, failures: &mut Vec<String>) {
    let mut fail = |m: String| failures.push(format!("{name}: {m}"));
    for want in spec["quotes"].as_array().expect("quotes") {
        let text = want["text"].as_str().unwrap();
        let found: Vec<_> = docs
            .iter()
            .filter(|d| want["doc"].as_str().is_none_or(|id| d.id == id))
            .flat_map(|d| d.quotes.iter())
            .filter(|q| q.text.contains(text))
            .collect();
        let [q] = found.as_slice() else {
            let all: Vec<(&str, Option<&str>)> = docs
                .iter()
                .flat_map(|d| &d.quotes)
                .map(|q| (q.text.as_str(), q.speaker.as_ref().map(|s| s.name.as_str())))
                .collect();
            fail(format!(
                "{} quotes hold {text:?}; the quotes: {all:?}",
                found.len()
            ));
            continue;
        };
        let sp = q.speaker.as_ref();
        if sp.map(|s| s.name.as_str()) != want["speaker"].as_str() {
            fail(format!(
                "{text:?}: speaker {sp:?}, want {}",
                want["speaker"]
            ));
            continue;
        }
        let Some(sp) = sp else { continue };
        for (field, got) in [
            ("id", &sp.id),
            ("kind", &sp.kind),
            ("resolved_by", &sp.resolved_by),
        ] {
            if let Some(w) = want[field].as_str() {
                if got != w {
                    fail(format!("{text:?}: {field} {got:?}, want {w:?}"));
                }
            }
        }
    }
    for text in spec["no_quote"].as_array().into_iter().flatten() {
        let text = text.as_str().unwrap();
        if docs
            .iter()
            .flat_map(|d| &d.quotes)
            .any(|q| q.text.contains(text))
        {
            fail(format!("{text:?} is a quote"));
        }
    }
    for n in spec["not_speaker"].as_array().into_iter().flatten() {
        let n = n.as_str().unwrap();
        let hit = docs
            .iter()
            .flat_map(|d| &d.quotes)
            .filter_map(|q| q.speaker.as_ref())
            .any(|s| s.name == n || s.mention.text == n);
        if hit {
            fail(format!("{n:?} is a speaker"));
        }
    }
    for w in spec["who"].as_array().into_iter().flatten() {
        let who = w["name"].as_str().unwrap();
        let answer = ask(docs, who);
        let ok = match (&answer, w["answer"].as_str().unwrap()) {
            (Answer::Found { quotes, .. }, "found") => {
                quotes.len() as u64 == w["quotes"].as_u64().unwrap()
            }
            (Answer::Several { speakers }, "several") => {
                let mut got: Vec<&str> = speakers.iter().map(|s| s.id.as_str()).collect();
                got.sort();
                let want: Vec<&str> = w["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect();
                got == want
            }
            (Answer::None { suggestions }, "none") => {
                let want: Vec<&str> = w["suggestions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect();
                suggestions.iter().map(String::as_str).collect::<Vec<_>>() == want
            }
            _ => false,
        };
        if !ok {
            fail(format!("who {who:?}: {answer:?}, want {w}"));
        }
    }
}

#[test]
fn identity_fixtures() {
    let dir = dir();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    // Every case of issue 19 has its fixture: a missing one fails.
    for case in [
        "mr_x",
        "initials",
        "transcript",
        "two_posts",
        "trump_family",
        "numbers",
        "headline",
        "byline",
        "no_byline",
        "qa_interview",
        "reporter",
        "groups",
        "short_forms",
    ] {
        assert!(
            dir.join(format!("{case}.json")).is_file(),
            "fixture {case} is missing"
        );
    }
    let mut failures = Vec::new();
    for spec_path in &specs {
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(spec_path).unwrap()).unwrap();
        let input = ["txt", "jsonl"]
            .iter()
            .map(|x| spec_path.with_extension(x))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{}: no .txt or .jsonl beside it", spec_path.display()));
        let docs = run(&input, &spec);
        let name = spec_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        check(&name, &docs, &spec, &mut failures);
        // No speaker of any fixture is a pronoun, a number or a fragment.
        for q in docs.iter().flat_map(|d| &d.quotes) {
            if let Some(s) = &q.speaker {
                let bad = s.name.is_empty()
                    || !s.name.chars().next().unwrap().is_alphanumeric()
                    || s.name.chars().next().unwrap().is_ascii_digit()
                    || ["i", "you", "we", "he", "she", "it", "they"]
                        .contains(&s.name.to_lowercase().as_str());
                if bad || s.id.is_empty() {
                    failures.push(format!("{name}: unusable speaker {s:?}"));
                }
            }
        }
    }
    eprintln!("{} identity fixtures checked", specs.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A pivot of the quote CSV by `speaker_id` counts what the report counts, speaker by speaker.
#[test]
fn csv_pivot_by_speaker_id_equals_the_report() {
    let mut docs = Vec::new();
    for name in ["trump_family", "two_posts", "groups", "mr_x", "byline"] {
        let spec_path = dir().join(format!("{name}.json"));
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
        let input = ["txt", "jsonl"]
            .iter()
            .map(|x| spec_path.with_extension(x))
            .find(|p| p.is_file())
            .unwrap();
        docs.extend(run(&input, &spec));
    }
    // As `whosaid export` writes it (the batch's identities, applied again: idempotent).
    whosaid::identity::assign_batch(&mut docs);
    let mut w = DocWriter::new(Vec::new(), Format::Csv, true).unwrap();
    for d in &docs {
        w.write(d).unwrap();
    }
    let csv = String::from_utf8(w.finish().unwrap()).unwrap();
    let rows = parse_csv(&csv);
    assert_eq!(rows[0], QUOTE_COLUMNS);
    let col = |c: &str| QUOTE_COLUMNS.iter().position(|x| *x == c).unwrap();
    let mut pivot: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    for r in &rows[1..] {
        if r[col("speaker_id")].is_empty() {
            continue;
        }
        let e = pivot.entry(r[col("speaker_id")].clone()).or_default();
        e.0 += 1;
        e.1 = r[col("speaker")].clone();
        e.2 = r[col("speaker_kind")].clone();
    }
    let corpus = whosaid::analyst::report::corpus(&docs);
    let report: BTreeMap<String, (usize, String, String)> = corpus
        .speakers
        .iter()
        .map(|s| (s.key.clone(), (s.quotes, s.name.clone(), s.kind.clone())))
        .collect();
    assert!(report.len() >= 8, "{report:?}");
    assert_eq!(pivot, report);
    // People first in the report.
    let kinds: Vec<&str> = corpus.speakers.iter().map(|s| s.kind.as_str()).collect();
    let first_other = kinds.iter().position(|k| *k != "person").unwrap();
    assert!(
        kinds[first_other..].iter().all(|k| *k != "person"),
        "{kinds:?}"
    );
}

/// `whosaid who`: one speaker's quotes (exit 0), the people a name fits (exit 4), "did you
/// mean" (exit 3), an error naming the file (exit 1).
#[test]
fn who_answers_with_clear_exit_codes() {
    let spec_path = dir().join("trump_family.json");
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let docs = run(&spec_path.with_extension("jsonl"), &spec);
    let tmp = std::env::temp_dir().join(format!("whosaid-who-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("out.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|d| serde_json::to_string(d).unwrap())
        .collect();
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    let who = |name: &str, file: &Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_whosaid"))
            .arg("who")
            .arg(name)
            .arg(file)
            .output()
            .expect("whosaid runs");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = who("Donald J. Trump", &out);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.starts_with("Donald Trump (person:donald-trump): 3 quotes in 3 documents"),
        "{stdout}"
    );
    let (code, stdout, _) = who("Trump", &out);
    assert_eq!(code, Some(4), "{stdout}");
    for line in [
        "\"Trump\" fits 4 speakers",
        "Donald Trump (person:donald-trump): 3 quotes in 3 documents",
        "Ivanka Trump (person:ivanka-trump): 1 quote in 1 document",
        "Melania Trump (person:melania-trump): 1 quote in 1 document",
        "Trump (person:trump): 1 quote in 1 document",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
    let (code, _, stderr) = who("Ivanca Trump", &out);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("did you mean \"Ivanka Trump\"?"),
        "{stderr}"
    );
    let missing = tmp.join("missing.jsonl");
    let (code, _, stderr) = who("Trump", &missing);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
    std::fs::remove_dir_all(&tmp).ok();
}
