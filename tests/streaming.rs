//! The streaming contract of `whosaid extract -` (what a Spark `RDD.pipe` stage relies on):
//! JSON Lines in on stdin, one output line per input line on stdout, written as it goes (the
//! test writes one line and reads its answer before writing the next, with stdin still open),
//! output order = input order, a malformed line gives a line with `errors` filled and the
//! stream goes on, blank lines give nothing, and memory stays bounded however long the stream.
//!
//! The binary runs with a tiny random model written by the test (the contract does not depend
//! on the model's quality), so this test needs neither the shipped model nor the corpus.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long one answer may take (a debug build on a loaded 2-core machine is slow).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(180);

fn random_model(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-stream-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    whosaid::ner::write_random_model(&dir, "bert", true, false, &[("O", 20.0)]).unwrap();
    dir
}

/// A running `whosaid extract -` with its stdout lines arriving on a channel.
struct Stream {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Stream {
    fn start(model: &PathBuf, extra: &[&str]) -> Stream {
        let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
            .args(["extract", "-", "--threads", "1", "--model"])
            .arg(model)
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("whosaid starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Stream {
            child,
            stdin,
            lines,
        }
    }

    fn send(&mut self, line: &str) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\n").unwrap();
        w.flush().unwrap();
    }

    /// The next output line, parsed; fails the test when none comes in time.
    fn answer(&self, what: &str) -> Value {
        let line = self
            .lines
            .recv_timeout(ANSWER_TIMEOUT)
            .unwrap_or_else(|e| panic!("no output line for {what} while stdin is open: {e}"));
        serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("output for {what} is not JSON ({e}): {line}"))
    }

    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Closes stdin; returns the lines still to come and the exit code.
    fn finish(mut self) -> (Vec<String>, Option<i32>) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        let rest: Vec<String> = self.lines.iter().collect();
        (rest, status.code())
    }
}

fn doc(id: &str, text: &str) -> String {
    json!({ "id": id, "text": text }).to_string()
}

fn seed_texts() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn one_line_out_per_line_in_as_it_goes_in_order_and_errors_do_not_stop_it() {
    let model = random_model("contract");
    let mut s = Stream::start(&model, &[]);
    let said = "\u{201c}We will win,\u{201d} Anna Novak said on Monday. She added: \"It is done.\"";
    // (input line, expected id, expected to carry errors)
    let mut cases: Vec<(String, String, bool)> = vec![
        // A malformed line first: the stream must still be read as JSON Lines and go on.
        ("{not json".into(), "stdin:1".into(), true),
        (doc("a", said), "a".into(), false),
        (r#"{"id": "no-text"}"#.into(), "no-text".into(), true),
        (
            json!({"id": 7, "text": said}).to_string(),
            "7".into(),
            false,
        ),
        (doc("empty", "   "), "empty".into(), true),
        (
            r#"{"id": "bad-format", "text": "Hi.", "format": "pdf"}"#.into(),
            "bad-format".into(),
            true,
        ),
        (
            json!({"text": "No id here, said Bob."}).to_string(),
            "stdin:7".into(),
            false,
        ),
        (
            json!({"id": "md", "text": "# Title\n\n\"Yes,\" she said.", "format": "markdown"})
                .to_string(),
            "md".into(),
            false,
        ),
        ("[1, 2, 3]".into(), "stdin:9".into(), true),
    ];
    for (id, text) in seed_texts() {
        cases.push((doc(&id, &text), id, false));
    }
    let mut seen = Vec::new();
    for (n, (line, id, has_errors)) in cases.iter().enumerate() {
        s.send(line);
        let t0 = Instant::now();
        let out = s.answer(&format!("line {} ({id})", n + 1));
        assert_eq!(
            out["id"],
            json!(id),
            "output {} is for another input: {out}",
            n + 1
        );
        assert_eq!(out["source"], json!("-"));
        let errors = out["errors"].as_array().expect("errors is an array");
        assert_eq!(!errors.is_empty(), *has_errors, "errors of {id}: {out}");
        for key in ["entities", "quotes"] {
            assert!(out[key].is_array(), "{key} of {id}: {out}");
        }
        seen.push(format!(
            "{id} ({:.2}s{})",
            t0.elapsed().as_secs_f64(),
            if *has_errors { ", error" } else { "" }
        ));
    }
    // A blank line gives no output: the next answer is for the line after it.
    s.send("");
    s.send("   ");
    s.send(&doc("after-blank", said));
    assert_eq!(
        s.answer("the line after blank lines")["id"],
        json!("after-blank")
    );
    // Several lines at once: answers in input order.
    let burst: Vec<String> = (0..40).map(|i| format!("burst-{i}")).collect();
    for id in &burst {
        s.send(&doc(id, &format!("{said} Line {id}.")));
    }
    for id in &burst {
        assert_eq!(s.answer(id)["id"], json!(id));
    }
    let (rest, code) = s.finish();
    assert!(rest.is_empty(), "lines after the last answer: {rest:?}");
    // Some documents failed: exit code 2, as documented.
    assert_eq!(code, Some(2));
    let _ = writeln!(
        std::io::stderr(),
        "streaming: {} lines answered one by one with stdin open, in order: {}; 2 blank lines gave none; a burst of {} came back in order; exit code 2",
        cases.len(),
        seen.join(", "),
        burst.len()
    );
}

#[test]
fn memory_stays_bounded_on_a_long_stream() {
    let model = random_model("memory");
    let mut s = Stream::start(&model, &["--chunk-size", "8"]);
    let text = "\u{201c}We will win,\u{201d} Anna Novak said in Warsaw on Monday. ".repeat(40);
    let mut rss = Vec::new();
    let (rounds, per_round) = (5, 200);
    for r in 0..rounds {
        // Write a round ahead of reading (as a pipe producer does), then read it all back.
        let writer_lines: Vec<String> = (0..per_round)
            .map(|i| doc(&format!("d{r}-{i}"), &text))
            .collect();
        for line in &writer_lines {
            s.send(line);
        }
        for i in 0..per_round {
            let out = s.answer(&format!("d{r}-{i}"));
            assert_eq!(out["id"], json!(format!("d{r}-{i}")));
        }
        rss.push(s.rss_kib().unwrap_or(0));
    }
    let (rest, code) = s.finish();
    assert!(rest.is_empty());
    assert_eq!(code, Some(0));
    let first = rss[0].max(1);
    let last = *rss.last().unwrap();
    let _ = writeln!(
        std::io::stderr(),
        "streaming memory: {} documents ({} KiB each), RSS after each {per_round}: {:?} KiB",
        rounds * per_round,
        text.len() / 1024,
        rss
    );
    // After the first round the process is warm; 4 more rounds must not grow it much.
    if rss.iter().all(|&k| k > 0) {
        assert!(
            last < first + 64 * 1024,
            "RSS grew from {first} to {last} KiB over {} documents: memory is not bounded",
            (rounds - 1) * per_round
        );
    }
}
