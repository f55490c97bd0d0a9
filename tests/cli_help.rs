//! The command line's manners: the help lists the analyst commands and, apart, the developer
//! ones (by their names); a reader that closes the pipe early ends the command quietly with
//! exit status 0.

use std::io::Write;
use std::path::{Path, PathBuf};
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

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_help-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_input_without_documents_says_so_with_exit_1() {
    let dir = scratch("no-documents");
    let empty = dir.join("empty");
    let other = dir.join("other");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("table.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(other.join("data.json"), "{}").unwrap();
    std::fs::write(dir.join("empty.jsonl"), "").unwrap();
    for input in [&empty, &other, &dir.join("empty.jsonl")] {
        let out_file = dir.join("out.jsonl");
        let out = Command::new(BIN)
            .args(["extract", "--threads", "1", "-o"])
            .arg(&out_file)
            .arg(input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", input.display());
        assert!(
            stderr.contains("no documents") && stderr.contains(&*input.to_string_lossy()),
            "{}: {stderr}",
            input.display()
        );
        let _ = std::fs::remove_file(&out_file);
    }
}

#[test]
fn pdf_and_word_files_are_named_with_the_fix_and_the_batch_goes_on() {
    let dir = scratch("binary-formats");
    std::fs::write(
        dir.join("report.pdf"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    )
    .unwrap();
    let mut docx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
    docx.extend_from_slice(b"[Content_Types].xml word/document.xml");
    std::fs::write(dir.join("memo.docx"), &docx).unwrap();
    std::fs::write(dir.join("ok.txt"), "\"We will vote,\" Ana Ruiz said.\n").unwrap();
    let out = Command::new(BIN)
        .args(["extract", "--threads", "1"])
        .arg(dir.join("report.pdf"))
        .arg(dir.join("memo.docx"))
        .arg(dir.join("ok.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("report.pdf: a PDF file, not text") && stderr.contains("pdftotext"),
        "{stderr}"
    );
    assert!(
        stderr.contains("memo.docx: a Word document (DOCX), not text"),
        "{stderr}"
    );
    assert!(!stderr.contains("UTF-8"), "{stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per input");
    assert!(lines[2]["errors"].as_array().unwrap().is_empty());
    assert!(!lines[2]["quotes"].as_array().unwrap().is_empty());
}

#[test]
fn extract_without_arguments_on_a_terminal_prints_its_help() {
    if !Path::new("/usr/bin/script").exists() {
        panic!("/usr/bin/script (util-linux) is needed to give the command a terminal");
    }
    // `script` runs the command on a pseudo-terminal, as a user typing it would.
    let out = Command::new("timeout")
        .args(["20", "/usr/bin/script", "-q", "-e", "-c"])
        .arg(format!("{BIN} extract"))
        .arg("/dev/null")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(124), "it waited for input: {text}");
    assert!(text.contains("whosaid extract"), "{text}");
    assert!(text.contains("--resume"), "not the extract help: {text}");
}

#[test]
fn progress_counts_against_the_total_and_quiet_says_nothing() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = [root.join("fixtures/seeds"), root.join("fixtures/articles")];
    let jsonl_docs: usize = std::fs::read_dir(&inputs[1])
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.extension().is_some_and(|e| e == "jsonl") {
                std::fs::read_to_string(&p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .count()
            } else {
                1
            }
        })
        .sum();
    let total = 2 + jsonl_docs;
    let out = Command::new(BIN)
        .args(["extract", "--threads", "1", "--progress"])
        .args(&inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{total}/{total} documents (100%)")),
        "no final progress line against the total {total}: {stderr}"
    );
    assert!(stderr.contains("words/s"), "{stderr}");
    // The summary ends every run, also redirected.
    let plain = Command::new(BIN)
        .args(["extract", "--threads", "1"])
        .args(&inputs)
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&plain.stderr);
    assert!(
        summary.contains(&format!("whosaid: {total} documents (0 failed)")),
        "{summary}"
    );
    let quiet = Command::new(BIN)
        .args(["extract", "--threads", "1", "--quiet"])
        .args(&inputs)
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert_eq!(quiet.stdout, plain.stdout, "--quiet changed the output");
}
