//! The default model and its attribution options on the command line: `extract` without
//! `--model` runs the joint model with its attribution head and speaker chooser, `--rules-only`
//! leaves quotes to the rule layer, and `--attribution-head` and `--speaker-chooser` refuse a
//! model without the head.

use std::path::PathBuf;
use std::process::Output;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn extract(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .current_dir(root())
        .env_remove("WHOSAID_MODEL")
        .arg("extract")
        .args(["--threads", "2", "--quiet"])
        .args(args)
        .arg(root().join("fixtures/seeds"))
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The number of quotes with a reported `clause`, which only the attribution head gives.
fn clauses(out: &str) -> usize {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .flat_map(|d| d["quotes"].as_array().unwrap().clone())
        .filter(|q| q.get("clause").is_some())
        .count()
}

#[test]
fn the_default_is_the_joint_model_with_its_head_and_chooser() {
    let default = ok(&extract(&[]));
    let explicit = ok(&extract(&[
        "--model",
        "models/whosaid-joint-en",
        "--attribution-head",
        "--speaker-chooser",
    ]));
    assert_eq!(default, explicit);
    assert_eq!(default.lines().count(), 2);
    assert!(clauses(&default) > 0, "{default}");

    let rules = ok(&extract(&["--rules-only"]));
    assert_eq!(rules.lines().count(), 2);
    assert_ne!(rules, default);
    assert_eq!(clauses(&rules), 0, "{rules}");
}

#[test]
fn attribution_head_refuses_a_model_without_one() {
    let o = extract(&["--model", "models/whosaid-ner-en", "--attribution-head"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("whosaid-ner-en") && err.contains("no attribution head"),
        "{err}"
    );
    // Without the flag that model runs, with the rules alone.
    let rules = ok(&extract(&["--model", "models/whosaid-ner-en"]));
    assert_eq!(clauses(&rules), 0, "{rules}");
    let o = extract(&["--model", "models/whosaid-ner-en", "--speaker-chooser"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--speaker-chooser"), "{err}");
    let o = extract(&["--rules-only", "--speaker-chooser"]);
    assert!(!o.status.success());
}
