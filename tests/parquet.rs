//! `--format parquet` (and `--entities FILE`) read back by pyarrow: the Parquet tables hold
//! exactly the CSV's rows and columns, typed (offsets as int64, confidence and score as double,
//! `published` as a date, the rest as strings, an empty cell as null).
//!
//! pyarrow comes from `.venv-parquet`, which the test command installs
//! (`scripts/install-test-deps.sh`); without it the test fails and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

use whosaid::analyst::export::{parse_csv, ENTITY_COLUMNS, QUOTE_COLUMNS};

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    let py = root().join(".venv-parquet/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run scripts/install-test-deps.sh (it installs pyarrow there)",
        py.display()
    );
    py
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("parquet-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The table as pyarrow reads it: the schema's (name, type) pairs and the rows, each cell as
/// JSON (dates as ISO strings).
fn read_parquet(path: &Path) -> (Vec<(String, String)>, Vec<Vec<serde_json::Value>>) {
    let script = r#"
import json, sys, datetime
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = [[(v.isoformat() if isinstance(v, datetime.date) else v) for v in r.values()]
        for r in t.to_pylist()]
print(json.dumps({"schema": [[f.name, str(f.type)] for f in t.schema], "rows": rows}))
"#;
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pyarrow could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema = v["schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rows = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().clone())
        .collect();
    (schema, rows)
}

/// Each Parquet cell against the CSV cell of the same row and column.
fn same_table(columns: &[&str], csv: &[Vec<String>], pq: &[Vec<serde_json::Value>]) {
    assert_eq!(csv.len(), pq.len(), "row counts differ");
    for (r, (c, p)) in csv.iter().zip(pq).enumerate() {
        for (k, name) in columns.iter().enumerate() {
            let (cell, value) = (&c[k], &p[k]);
            let ok = match value {
                serde_json::Value::Null => cell.is_empty(),
                serde_json::Value::String(s) if *name == "published" => cell.starts_with(s),
                serde_json::Value::String(s) => s == cell,
                serde_json::Value::Number(n) if n.is_i64() => *cell == n.to_string(),
                serde_json::Value::Number(n) => {
                    (cell.parse::<f64>().unwrap() - n.as_f64().unwrap()).abs() < 1e-9
                }
                other => panic!("unexpected cell {other}"),
            };
            assert!(ok, "row {r}, column {name}: CSV {cell:?}, Parquet {value}");
        }
    }
}

fn types(schema: &[(String, String)]) -> std::collections::HashMap<&str, &str> {
    schema
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

#[test]
fn export_parquet_holds_the_csv_rows_typed() {
    let dir = tmp("export");
    let input = dir.join("out.jsonl");
    let doc = |id: &str, published: serde_json::Value| {
        serde_json::json!({
            "id": id, "source": format!("{id}.txt"), "title": "A “curly” title",
            "published": published, "byline": null, "url": "https://example.org/a",
            "entities": [{"id": "E1", "type": "PER", "name": "Ana Ruiz", "key": "ana ruiz",
                "mentions": [{"start": 0, "end": 8, "text": "Ana Ruiz", "score": 0.97}]}],
            "quotes": [
                {"id": "Q1", "kind": "direct", "text": "We will “win”, again", "start": 20,
                 "end": 41, "speaker": {"name": "Ana Ruiz", "entity": "E1",
                 "mention": {"start": 0, "end": 8, "text": "Ana Ruiz"}, "resolved_by": "name"},
                 "cue": {"start": 43, "end": 47, "text": "said"}, "confidence": 0.9},
                {"id": "Q2", "kind": "indirect", "text": "prices rose", "start": 60, "end": 71,
                 "speaker": null, "cue": null, "confidence": 0.25}
            ],
            "errors": []
        })
    };
    let text = format!(
        "{}\n{}\n",
        doc("a", serde_json::json!("2024-03-14T09:30:00Z")),
        doc("b", serde_json::Value::Null)
    );
    std::fs::write(&input, text).unwrap();
    for (format, q, m) in [
        ("parquet", "q.parquet", "m.parquet"),
        ("csv", "q.csv", "m.csv"),
    ] {
        let out = Command::new(BIN)
            .args(["export", "--format", format, "-o"])
            .arg(dir.join(q))
            .arg("--entities")
            .arg(dir.join(m))
            .arg(&input)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "export --format {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let csv = parse_csv(&std::fs::read_to_string(dir.join("q.csv")).unwrap());
    assert_eq!(csv[0], QUOTE_COLUMNS);
    assert_eq!(csv.len(), 5, "four quotes and a header");
    let (schema, rows) = read_parquet(&dir.join("q.parquet"));
    let names: Vec<&str> = schema.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, QUOTE_COLUMNS);
    let t = types(&schema);
    assert_eq!(t["start"], "int64");
    assert_eq!(t["end"], "int64");
    assert_eq!(t["confidence"], "double");
    assert_eq!(t["published"], "date32[day]");
    assert_eq!(t["text"], "string");
    same_table(&QUOTE_COLUMNS, &csv[1..], &rows);
    let published = names.iter().position(|n| *n == "published").unwrap();
    assert_eq!(rows[0][published], "2024-03-14");
    assert!(rows[2][published].is_null());

    let csv = parse_csv(&std::fs::read_to_string(dir.join("m.csv")).unwrap());
    let (schema, rows) = read_parquet(&dir.join("m.parquet"));
    let names: Vec<&str> = schema.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ENTITY_COLUMNS);
    assert_eq!(types(&schema)["score"], "double");
    assert_eq!(rows.len(), 2);
    same_table(&ENTITY_COLUMNS, &csv[1..], &rows);
}

#[test]
fn extract_parquet_equals_extract_csv() {
    let dir = tmp("extract");
    let seeds = root().join("fixtures/seeds");
    for (format, file) in [("parquet", "q.parquet"), ("csv", "q.csv")] {
        let out = Command::new(BIN)
            .args(["extract", "--threads", "1", "--precision", "f32"])
            .args(["--format", format, "-o"])
            .arg(dir.join(file))
            .arg(&seeds)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "extract --format {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let csv = parse_csv(&std::fs::read_to_string(dir.join("q.csv")).unwrap());
    let (_, rows) = read_parquet(&dir.join("q.parquet"));
    assert!(
        rows.len() >= 10,
        "the seed article has quotes: {}",
        rows.len()
    );
    same_table(&QUOTE_COLUMNS, &csv[1..], &rows);
}
