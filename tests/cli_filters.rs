//! The filters that `export`, `report` and `who` share (`--since`, `--until`, `--kind`,
//! `--speaker-kind`, `--min-confidence`, `--speaker`), through the built binary, and
//! `export --excel`.
//!
//! Input: the golden extract outputs in fixtures/expected (twelve documents, four of them
//! dated), as one JSON Lines file; no model is needed. The oracle for each filter is the
//! unfiltered `export` CSV, filtered here by its own columns: every command must keep exactly
//! the quotes the oracle keeps.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use whosaid::analyst::export::parse_csv;

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

/// The id column of the quote CSV.
const QID: &str = "quote_id";

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_filters-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// fixtures/expected/*.json as one JSON Lines file.
fn batch() -> &'static Path {
    static BATCH: OnceLock<PathBuf> = OnceLock::new();
    BATCH.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/expected");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "fixtures/expected holds too few outputs");
        let mut out = String::new();
        for f in files {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            out.push_str(&serde_json::to_string(&v).unwrap());
            out.push('\n');
        }
        let p = tmp("batch").join("batch.jsonl");
        std::fs::write(&p, out).unwrap();
        p
    })
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

type Row = HashMap<String, String>;

/// `export batch.jsonl ARGS` as rows by column name; panics unless it succeeds.
fn export(args: &[&str]) -> Vec<Row> {
    let mut a = vec!["export", batch().to_str().unwrap()];
    a.extend_from_slice(args);
    let o = run(&a);
    assert!(
        o.status.success(),
        "export {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = parse_csv(&String::from_utf8(o.stdout).unwrap());
    let head = &rows[0];
    rows[1..]
        .iter()
        .map(|r| head.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

fn key(r: &Row) -> (String, String) {
    (r["document"].clone(), r[QID].clone())
}

/// The unfiltered quotes.
fn all() -> &'static Vec<Row> {
    static ALL: OnceLock<Vec<Row>> = OnceLock::new();
    ALL.get_or_init(|| export(&[]))
}

/// The quotes of the unfiltered CSV that `keep` keeps.
fn oracle(keep: impl Fn(&Row) -> bool) -> BTreeSet<(String, String)> {
    all().iter().filter(|r| keep(r)).map(key).collect()
}

fn day(r: &Row) -> Option<&str> {
    let p = r["published"].get(..10)?;
    (p.as_bytes()[4] == b'-' && p.as_bytes()[7] == b'-').then_some(p)
}

/// `report batch.jsonl ARGS`: the page's documents and quotes (its summary line), the names
/// in its speaker table, and its stderr.
fn report(args: &[&str]) -> (usize, usize, Vec<String>, String) {
    let mut a = vec!["report", batch().to_str().unwrap(), "--no-text"];
    a.extend_from_slice(args);
    let o = run(&a);
    assert!(
        o.status.success(),
        "report {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = String::from_utf8(o.stdout).unwrap();
    let summary = html
        .split_once("id=\"summary\">")
        .and_then(|(_, s)| s.split_once("</p>"))
        .unwrap()
        .0;
    let n: Vec<usize> = summary
        .split(" · ")
        .map(|p| p.split(' ').next().unwrap().parse().unwrap())
        .collect();
    let speakers = html
        .split_once("<section id=\"speakers\">")
        .and_then(|(_, s)| s.split_once("</section>"))
        .unwrap()
        .0;
    let names = speakers
        .split("<td class=\"name\">")
        .skip(1)
        .map(|s| {
            let s = s.split("</td>").next().unwrap();
            s.rsplit("</span>").next().unwrap().to_string()
        })
        .collect();
    (n[0], n[1], names, String::from_utf8(o.stderr).unwrap())
}

/// `who NAME batch.jsonl ARGS --json`: the exit code and the (document, quote id) found.
fn who(name: &str, args: &[&str]) -> (i32, BTreeSet<(String, String)>) {
    let mut a = vec!["who", name, batch().to_str().unwrap(), "--json"];
    a.extend_from_slice(args);
    let o = run(&a);
    let code = o.status.code().unwrap();
    if code != 0 {
        return (code, BTreeSet::new());
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let found = v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["document"].as_str().unwrap().to_string(),
                f["quote"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (code, found)
}

fn exported(args: &[&str]) -> BTreeSet<(String, String)> {
    export(args).iter().map(key).collect()
}

/// The documents the oracle's quotes come from.
fn docs_of(keys: &BTreeSet<(String, String)>) -> usize {
    keys.iter().map(|k| &k.0).collect::<BTreeSet<_>>().len()
}

#[test]
fn since_and_until_keep_dated_documents_in_the_range() {
    let in_range = |r: &Row| day(r).is_some_and(|d| ("2025-01-01".."2025-04-01").contains(&d));
    let want = oracle(in_range);
    assert!(!want.is_empty() && want.len() < all().len());
    let args = ["--since", "2025-01-01", "--until", "2025-03-31"];
    assert_eq!(exported(&args), want);
    let (docs, quotes, _, stderr) = report(&args);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
    // The undated documents are counted in the summary.
    let undated = all()
        .iter()
        .filter(|r| day(r).is_none())
        .map(|r| &r["document"])
        .collect::<BTreeSet<_>>()
        .len();
    assert!(undated > 0);
    assert!(
        stderr.contains(&format!("{undated} documents without a date excluded")),
        "{stderr}"
    );
    // Only --since, only --until.
    assert_eq!(
        exported(&["--since", "2025-02-03"]),
        oracle(|r| day(r).is_some_and(|d| d >= "2025-02-03"))
    );
    assert_eq!(
        exported(&["--until", "2024-12-31"]),
        oracle(|r| day(r).is_some_and(|d| d <= "2024-12-31"))
    );
    // who: a speaker of a dated article inside and outside the range.
    let dated = all().iter().find(|r| day(r) == Some("2024-11-22")).unwrap();
    let id = dated["speaker_id"].clone();
    let theirs = oracle(|r| r["speaker_id"] == id);
    assert_eq!(who(&id, &["--until", "2024-12-31"]), (0, theirs));
    assert_eq!(who(&id, &["--since", "2025-01-01"]).0, 3);
}

#[test]
fn kind_keeps_quotes_of_the_given_kinds() {
    let want = oracle(|r| r["kind"] == "direct" || r["kind"] == "partial");
    assert!(!want.is_empty() && want.len() < all().len());
    assert_eq!(exported(&["--kind", "direct,partial"]), want);
    assert_eq!(exported(&["--kind", "direct", "--kind", "partial"]), want);
    let (docs, quotes, _, _) = report(&["--kind", "direct,partial"]);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
    let putin = "person:vladimir-putin";
    assert_eq!(
        who(putin, &["--kind", "indirect"]),
        (
            0,
            oracle(|r| r["speaker_id"] == putin && r["kind"] == "indirect")
        )
    );
}

#[test]
fn speaker_kind_keeps_quotes_of_speakers_of_those_kinds() {
    let want = oracle(|r| r["speaker_kind"] == "organisation");
    assert!(!want.is_empty() && want.len() < all().len());
    assert_eq!(exported(&["--speaker-kind", "organisation"]), want);
    // The American spelling is taken too.
    assert_eq!(exported(&["--speaker-kind", "organization"]), want);
    let (docs, quotes, names, _) = report(&["--speaker-kind", "organisation"]);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
    let orgs: BTreeSet<String> = all()
        .iter()
        .filter(|r| r["speaker_kind"] == "organisation")
        .map(|r| r["speaker"].clone())
        .collect();
    assert_eq!(names.into_iter().collect::<BTreeSet<_>>(), orgs);
    let putin = "person:vladimir-putin";
    assert_eq!(who(putin, &["--speaker-kind", "organisation"]).0, 3);
    assert_eq!(
        who(putin, &["--speaker-kind", "person,group"]),
        (0, oracle(|r| r["speaker_id"] == putin))
    );
}

#[test]
fn min_confidence_keeps_quotes_at_or_above_it() {
    let conf = |r: &Row| r["confidence"].parse::<f32>().unwrap();
    let want = oracle(|r| conf(r) >= 0.8);
    assert!(!want.is_empty() && want.len() < all().len());
    assert_eq!(exported(&["--min-confidence", "0.8"]), want);
    let (docs, quotes, _, _) = report(&["--min-confidence", "0.8"]);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
    let putin = "person:vladimir-putin";
    assert_eq!(
        who(putin, &["--min-confidence", "0.8"]),
        (0, oracle(|r| r["speaker_id"] == putin && conf(r) >= 0.8))
    );
    assert_eq!(exported(&["--min-confidence", "0"]).len(), all().len());
}

#[test]
fn speaker_takes_any_form_of_the_name() {
    let putin = "person:vladimir-putin";
    let want = oracle(|r| r["speaker_id"] == putin);
    assert!(!want.is_empty());
    for name in ["Putin", "Vladimir Putin", "vladimir putin", putin] {
        assert_eq!(exported(&["--speaker", name]), want, "--speaker {name}");
    }
    let (docs, quotes, names, stderr) = report(&["--speaker", "Putin"]);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
    assert_eq!(names, ["Vladimir Putin"]);
    assert!(
        stderr.contains(&format!("{} of {} quotes", want.len(), all().len())),
        "{stderr}"
    );
    assert_eq!(who("Putin", &["--speaker", "Vladimir Putin"]), (0, want));
    assert_eq!(who("Putin", &["--speaker", "Sergei Lavrov"]).0, 3);
    // A name that fits nobody is an error naming the option, with near names.
    let o = run(&["export", batch().to_str().unwrap(), "--speaker", "Putn"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--speaker \"Putn\" fits no speaker") && err.contains("Putin"),
        "{err}"
    );
}

#[test]
fn filters_combine() {
    let conf = |r: &Row| r["confidence"].parse::<f32>().unwrap();
    let want = oracle(|r| r["kind"] == "direct" && r["speaker_kind"] == "person" && conf(r) >= 0.9);
    assert!(!want.is_empty());
    let args = [
        "--kind",
        "direct",
        "--speaker-kind",
        "person",
        "--min-confidence",
        "0.9",
    ];
    assert_eq!(exported(&args), want);
    let (docs, quotes, _, _) = report(&args);
    assert_eq!((docs, quotes), (docs_of(&want), want.len()));
}

#[test]
fn invalid_filter_values_name_the_option() {
    let b = batch().to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["--since", "2025-02-30"], "--since"),
        (&["--until", "14/03/2025"], "--until"),
        (
            &["--since", "2025-03-01", "--until", "2025-01-01"],
            "--since",
        ),
        (&["--kind", "quoted"], "--kind"),
        (&["--speaker-kind", "robot"], "--speaker-kind"),
        (&["--min-confidence", "1.5"], "--min-confidence"),
        (&["--min-confidence", "high"], "--min-confidence"),
    ];
    for cmd in ["export", "report", "who"] {
        for (args, option) in cases {
            let mut a = vec![cmd];
            if cmd == "who" {
                a.push("Putin");
            }
            a.push(b);
            a.extend_from_slice(args);
            let o = run(&a);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                matches!(o.status.code(), Some(1 | 2)) && err.contains(option),
                "{cmd} {args:?}: exit {:?}, {err}",
                o.status.code()
            );
            assert!(o.stdout.is_empty(), "{cmd} {args:?} wrote output");
        }
    }
}

#[test]
fn excel_starts_the_csv_with_a_byte_order_mark() {
    let dir = tmp("excel");
    let (q, e) = (dir.join("q.csv"), dir.join("e.csv"));
    let b = batch().to_str().unwrap();
    let o = run(&[
        "export",
        b,
        "--excel",
        "-o",
        q.to_str().unwrap(),
        "--entities",
        e.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plain = run(&["export", b]).stdout;
    let bytes = std::fs::read(&q).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(
        &bytes[3..],
        &plain[..],
        "the rest is the CSV as without --excel"
    );
    assert!(std::fs::read(&e)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFdocument,"));
    // Stdout too; without --excel no BOM.
    assert!(run(&["export", b, "--excel"])
        .stdout
        .starts_with(b"\xEF\xBB\xBFdocument,"));
    assert!(plain.starts_with(b"document,"));
    // Not for JSON or Parquet.
    let o = run(&["export", b, "--excel", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--excel"));
}
