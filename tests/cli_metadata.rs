//! `extract --metadata FILE` (issue 22): a sidecar CSV gives documents `published`, `title`,
//! `byline`, `url` and `outlet` by id or file name, overriding what the documents say; a row
//! that fits nothing is a warning; a malformed file is an error naming the file and line. The
//! `outlet` field is in the JSON only when known, and in the CSV's last column.
//!
//! Input: fixtures/articles (two text articles with headlines, one Markdown, and a JSON Lines
//! file of two), run through the shipped model ($WHOSAID_MODEL, else models/whosaid-ner-en).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use whosaid::analyst::export::{parse_csv, QUOTE_COLUMNS};
use whosaid::output::DocOutput;

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> PathBuf {
    let m = std::env::var_os("WHOSAID_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/whosaid-ner-en"));
    assert!(
        m.join("config.json").exists(),
        "no model at {} (set WHOSAID_MODEL)",
        m.display()
    );
    m
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_metadata-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn extract(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("extract")
        .arg("--model")
        .arg(model())
        .args(["--threads", "1", "--quiet"])
        .args(args)
        .output()
        .unwrap()
}

fn articles() -> String {
    let a = root().join("fixtures/articles");
    assert!(
        a.join("council-vote.md").exists(),
        "fixtures/articles is missing"
    );
    a.display().to_string()
}

fn docs(path: &Path) -> HashMap<String, (DocOutput, serde_json::Value)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let d: DocOutput = serde_json::from_str(l).unwrap();
            (d.id.clone(), (d, serde_json::from_str(l).unwrap()))
        })
        .collect()
}

#[test]
fn sidecar_values_override_the_documents_and_outlet_is_written_when_known() {
    let dir = tmp("override");
    let meta = dir.join("meta.csv");
    // Excel's way: a byte order mark, CRLF; a file row, id rows (one for a JSON Lines
    // document), a quoted comma, and one row that fits nothing.
    std::fs::write(
        &meta,
        "\u{feff}file,id,published,title,outlet,url\r\n\
         harbor-bridge.txt,,2025-03-14,,Harbor Times,\r\n\
         ,council-vote,2025-02-01T08:00:00Z,\"Meals, at last\",,https://x.example/c\r\n\
         ,wire-museum-loan,2025-04-01,,\"Wire, Inc.\",\r\n\
         ,no-such-article,2020-01-01,,,\r\n",
    )
    .unwrap();
    let out = dir.join("out.jsonl");
    let o = extract(&[
        &articles(),
        "--metadata",
        meta.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:5: id \"no-such-article\" fits no document of this run",
            meta.display()
        )),
        "{stderr}"
    );
    let d = docs(&out);
    let (harbor, hv) = &d["harbor-bridge"];
    assert_eq!(harbor.meta.published.as_deref(), Some("2025-03-14"));
    assert_eq!(harbor.meta.outlet.as_deref(), Some("Harbor Times"));
    // An empty cell gives nothing: the headline stays the title.
    assert_eq!(
        harbor.meta.title.as_deref(),
        Some("Harbor bridge reopens after two-year repair")
    );
    assert_eq!(hv["outlet"], "Harbor Times");
    let (council, cv) = &d["council-vote"];
    assert_eq!(council.meta.title.as_deref(), Some("Meals, at last"));
    assert_eq!(council.meta.url.as_deref(), Some("https://x.example/c"));
    assert_eq!(
        council.meta.published.as_deref(),
        Some("2025-02-01T08:00:00Z")
    );
    // Outlet unknown: no key at all.
    assert!(cv.get("outlet").is_none(), "{cv}");
    let (museum, _) = &d["wire-museum-loan"];
    assert_eq!(museum.meta.outlet.as_deref(), Some("Wire, Inc."));
    assert_eq!(museum.meta.published.as_deref(), Some("2025-04-01"));
    let (flood, fv) = &d["wire-flood-defences"];
    assert_eq!(flood.meta.published, None);
    assert!(fv.get("outlet").is_none());

    // The CSV ends with outlet; export keeps it, and the dates filter.
    assert_eq!(QUOTE_COLUMNS.last(), Some(&"outlet"));
    let o = Command::new(BIN)
        .args(["export", out.to_str().unwrap(), "--since", "2025-03-01"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = parse_csv(&String::from_utf8(o.stdout).unwrap());
    assert_eq!(rows[0], QUOTE_COLUMNS);
    let col = |n: &str| rows[0].iter().position(|c| c == n).unwrap();
    let kept: std::collections::BTreeSet<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[col("document")].as_str(), r[col("outlet")].as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            ("harbor-bridge", "Harbor Times"),
            ("wire-museum-loan", "Wire, Inc.")
        ]
        .into_iter()
        .collect()
    );
}

#[test]
fn a_json_lines_outlet_field_passes_through_and_the_sidecar_wins() {
    let dir = tmp("jsonl");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"The mayor, Anna Berg, said the bridge would open.\",\"outlet\":\"Daily A\"}\n\
         {\"id\":\"b\",\"text\":\"The mayor, Anna Berg, said the road would close.\",\"outlet\":\"Daily B\"}\n",
    )
    .unwrap();
    let meta = dir.join("meta.csv");
    std::fs::write(&meta, "id,outlet\nb,Sidecar B\n").unwrap();
    let out = dir.join("out.jsonl");
    let o = extract(&[
        input.to_str().unwrap(),
        "--metadata",
        meta.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d = docs(&out);
    assert_eq!(d["a"].0.meta.outlet.as_deref(), Some("Daily A"));
    assert_eq!(d["b"].0.meta.outlet.as_deref(), Some("Sidecar B"));
}

#[test]
fn a_malformed_sidecar_is_an_error_naming_the_file_and_line() {
    let dir = tmp("malformed");
    let cases = [
        ("id,author\na,b\n", ":1: unknown column \"author\""),
        ("id,title\na,\"x\nb,y\n", ":2: a quoted field is not closed"),
        (
            "id,title\na,x\nb,y,z\n",
            ":3: 3 fields where the header has 2",
        ),
        (
            "file,published\na.txt,March 2025\n",
            ":2: published \"March 2025\"",
        ),
        ("title\nx\n", ":1: no id or file column"),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let meta = dir.join(format!("bad{i}.csv"));
        std::fs::write(&meta, text).unwrap();
        let out = dir.join(format!("out{i}.jsonl"));
        let o = extract(&[
            &articles(),
            "--metadata",
            meta.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{text:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}{want}", meta.display())),
            "{text:?}: {stderr}"
        );
        assert!(!out.exists(), "an output was written for {text:?}");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("partial"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }
    let o = extract(&[&articles(), "--metadata", "/nonexistent/meta.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/meta.csv"));
}
