//! The command line's manners: the help lists the analyst commands and, apart, the developer
//! ones (by their names); a reader that closes the pipe early ends the command quietly with
//! exit status 0.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

#[test]
fn help_lists_developer_commands_apart_and_each_default_once() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let (analyst, developer) = help
        .split_once("Developer commands")
        .unwrap_or_else(|| panic!("no developer section in:\n{help}"));
    for c in ["extract", "report", "export", "who"] {
        assert!(
            analyst.contains(&format!("  {c} ")),
            "{c} not among the analyst commands:\n{help}"
        );
    }
    for c in ["train", "train-attribution", "bench-tag", "eval"] {
        assert!(
            developer.contains(&format!("  {c} ")),
            "{c} not among the developer commands:\n{help}"
        );
        assert!(
            !analyst.contains(&format!("\n  {c} ")),
            "{c} listed among the analyst commands:\n{help}"
        );
        // Hidden from the list, the command still runs under its name.
        let sub = Command::new(BIN).args([c, "--help"]).output().unwrap();
        assert!(sub.status.success(), "{c} --help failed");
    }
    let extract = Command::new(BIN)
        .args(["extract", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(extract.stdout).unwrap();
    assert!(text.contains("[default: 32]"), "{text}");
    assert!(
        !text.contains("By default 32"),
        "a default said twice:\n{text}"
    );
}

/// One output line of `extract`, written by hand in the output contract's shape (no model
/// needed): 400 quotes, so the CSV is far bigger than a pipe's buffer.
fn big_output() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_help");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("out.jsonl");
    let quotes: Vec<serde_json::Value> = (0..400)
        .map(|i| {
            serde_json::json!({
                "id": format!("Q{i}"), "text": format!("quote number {i} of many"),
                "kind": "direct", "start": i * 10, "end": i * 10 + 5,
                "speaker": null, "cue": null, "confidence": 0.5
            })
        })
        .collect();
    let line = serde_json::json!({
        "id": "doc", "source": "doc.txt", "entities": [], "quotes": quotes, "errors": []
    });
    let mut f = std::fs::File::create(&path).unwrap();
    for _ in 0..20 {
        writeln!(f, "{line}").unwrap();
    }
    path
}

#[test]
fn a_closed_pipe_ends_export_quietly_with_exit_0() {
    let out = big_output();
    for format in ["csv", "jsonl"] {
        let mut child = Command::new(BIN)
            .args(["export", "--format", format])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before reading anything (as `| head -0` would).
        drop(child.stdout.take());
        let done = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(
            done.status.code(),
            Some(0),
            "export --format {format} into a closed pipe: {stderr}"
        );
        assert!(stderr.trim().is_empty(), "said something: {stderr}");
    }
}

#[test]
fn articles_not_in_english_are_flagged_and_the_batch_goes_on() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_help-language");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("de.txt"),
        "Bundeskanzler Olaf Scholz sagte am Dienstag in Berlin, dass die Gespräche mit \
         Frankreich nächste Woche fortgesetzt werden. „Wir sind zuversichtlich“, sagte er.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("en.txt"),
        "The chancellor said on Tuesday in Berlin that the talks with France would resume \
         next week. \"We are confident,\" he said.\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["extract", "--threads", "1"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("de.txt") && stderr.contains("German (deu), not English"),
        "no warning for the German article: {stderr}"
    );
    assert!(
        !stderr.contains("en.txt"),
        "a warning for English: {stderr}"
    );
    let langs: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["language"].as_str().unwrap_or("null").to_string(),
            )
        })
        .collect();
    assert_eq!(
        langs,
        [("de".into(), "deu".into()), ("en".into(), "eng".into())]
    );
}
