//! docs/OUTPUT.md is the one output contract: every field a document line can have and every
//! column of the quote and entity tables is listed there, in the order written.

use std::path::Path;

use serde_json::Value;
use whosaid::analyst::export::{ENTITY_COLUMNS, QUOTE_COLUMNS};
use whosaid::output::{DocOutput, SCHEMA};

fn contract() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/OUTPUT.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names in the first cell of the table rows of `section` (`start`, `end` gives two).
fn table_names(section: &str) -> Vec<String> {
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| {
            let cell = l.split('|').nth(1).unwrap_or("");
            cell.split(',')
                .map(|n| n.trim().trim_matches('`').to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The text of the markdown section that starts with `heading`, up to the next heading.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/OUTPUT.md has no {heading:?}"));
    let rest = &doc[start + heading.len()..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    &rest[..end]
}

/// A document line with every optional part present.
fn full_line() -> DocOutput {
    serde_json::from_value(serde_json::json!({
        "id": "d", "source": "d.txt", "input_sha256": "00", "title": "T",
        "published": "2025-03-14", "byline": "B", "url": "https://x.example/d", "outlet": "O",
        "language": "eng",
        "entities": [{"id": "E1", "type": "PER", "name": "Ann Lee", "key": "ann lee",
                      "identity": "person:ann-lee", "display": "Ann Lee", "titles": ["mayor"],
                      "mentions": [{"start": 0, "end": 7, "text": "Ann Lee", "score": 0.9}]}],
        "quotes": [{"id": "Q1", "kind": "direct", "text": "Hi", "start": 9, "end": 11,
                    "speaker": {"name": "Ann Lee", "id": "person:ann-lee", "kind": "person",
                                "entity": "E1",
                                "mention": {"start": 0, "end": 7, "text": "Ann Lee"},
                                "resolved_by": "name"},
                    "cue": {"start": 13, "end": 17, "text": "said"},
                    "clause": {"start": 8, "end": 12, "text": "\"Hi\""}, "confidence": 0.9}],
        "errors": ["a warning"],
        "text": "Ann Lee: \"Hi\" said"
    }))
    .unwrap()
}

/// The keys of the outermost object of `value`'s JSON, in the order written.
fn keys(value: &impl serde::Serialize) -> Vec<String> {
    let json = serde_json::to_string(value).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut current = String::new();
    for c in json.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            if in_string && depth == 1 {
                current.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.clear();
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            ':' if depth == 1 => out.push(current.clone()),
            _ => {}
        }
    }
    let mut sorted = out.clone();
    sorted.sort();
    let mut want: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    want.sort();
    assert_eq!(sorted, want, "the key scan of {json}");
    out
}

#[test]
fn every_json_field_is_in_the_contract_in_order() {
    let doc = contract();
    let line = full_line();
    let written = serde_json::to_string(&line).unwrap();
    assert!(
        written.starts_with(&format!("{{\"schema\":\"{SCHEMA}\",")),
        "{written}"
    );
    let e = &line.entities[0];
    let q = &line.quotes[0];
    let speaker = q.speaker.as_ref().unwrap();
    for (heading, fields) in [
        ("## Document line", keys(&line)),
        ("### entity", keys(e)),
        ("### mention", keys(&e.mentions[0])),
        ("### quote", keys(q)),
        ("### speaker", keys(speaker)),
        ("### span", keys(q.cue.as_ref().unwrap())),
        ("### span", keys(&speaker.mention)),
        ("### span", keys(q.clause.as_ref().unwrap())),
    ] {
        let listed = table_names(section(&doc, heading));
        assert_eq!(
            listed, fields,
            "{heading}: docs/OUTPUT.md lists {listed:?}, the output has {fields:?}"
        );
    }
    assert!(doc.contains(&format!("\"schema\": \"{SCHEMA}\"")));
}

#[test]
fn every_csv_column_is_in_the_contract_in_order() {
    let doc = contract();
    let quotes = table_names(section(&doc, "## Quote table"));
    assert_eq!(quotes, QUOTE_COLUMNS);
    let entities = table_names(section(&doc, "## Entity table"));
    assert_eq!(entities, ENTITY_COLUMNS);
}
