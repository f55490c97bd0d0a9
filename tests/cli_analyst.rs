//! The analyst features, through the built binary: `extract --format jsonl|json|csv` and
//! `--entities-csv`, `export`, `report`, `extract --resume` after a crash (abort hook and a real
//! `kill -9`), and hostile inputs (empty, binary, invalid UTF-8, 10 MB, unbalanced and 500
//! nested quotes, a 1 MB line without punctuation) that must never panic the process.
//!
//! The model: `$WHOSAID_MODEL`, else the shipped `models/whosaid-ner-en`, else a tiny random
//! model written by the test (the contracts tested here do not depend on the model's quality).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use whosaid::analyst::export::{parse_csv, ENTITY_COLUMNS, QUOTE_COLUMNS};
use whosaid::output::DocOutput;

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

fn model() -> &'static Path {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        if let Some(p) = std::env::var_os("WHOSAID_MODEL") {
            return PathBuf::from(p);
        }
        let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en");
        if shipped.join("config.json").exists() {
            return shipped;
        }
        let dir = tmp("random-model");
        whosaid::ner::write_random_model(&dir, "bert", true, false, &[("O", 2.0)]).unwrap();
        eprintln!("no shipped model: using a random one in {}", dir.display());
        dir
    })
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_analyst-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds")
}

/// `whosaid extract --model M --threads 1 ARGS...`, at the default precision: these tests
/// compare the output of separate runs, which is the same bit for bit (tests/reproducible.rs).
fn extract(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("extract")
        .arg("--model")
        .arg(model())
        .args(["--threads", "1"])
        .args(args);
    c
}

fn run(mut c: Command) -> Output {
    let out = c.output().expect("whosaid runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "whosaid panicked: {err}"
    );
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_jsonl(path: &Path) -> Vec<DocOutput> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "{} ends in a partial line",
        path.display()
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

#[test]
fn csv_json_and_jsonl_of_the_fixtures_agree() {
    let d = tmp("formats");
    let fx = fixtures();
    let fx = fx.to_str().unwrap();
    let (jsonl, csv, ents) = (
        d.join("out.jsonl"),
        d.join("quotes.csv"),
        d.join("mentions.csv"),
    );
    let o = run({
        let mut c = extract(&[fx, "-o"]);
        c.arg(&jsonl);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_jsonl(&jsonl);
    assert!(docs.len() >= 2);
    let o = run({
        let mut c = extract(&[fx, "--format", "csv", "-o"]);
        c.arg(&csv)
            .arg("--entities-csv")
            .arg(&ents)
            .env("WHOSAID_STATS", "1");
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let quotes: usize = docs.iter().map(|d| d.quotes.len()).sum();
    let mentions: usize = docs
        .iter()
        .flat_map(|d| &d.entities)
        .map(|e| e.mentions.len())
        .sum();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.ends_with("\r\n"));
    let rows = parse_csv(&text);
    assert_eq!(rows[0], QUOTE_COLUMNS);
    assert_eq!(rows.len() - 1, quotes, "one row per quote");
    assert!(rows.iter().all(|r| r.len() == QUOTE_COLUMNS.len()));
    let all_quotes: Vec<(&DocOutput, &whosaid::output::QuoteOut)> = docs
        .iter()
        .flat_map(|d| d.quotes.iter().map(move |q| (d, q)))
        .collect();
    let col = |c: &str| QUOTE_COLUMNS.iter().position(|x| *x == c).unwrap();
    for (row, (d, q)) in rows[1..].iter().zip(&all_quotes) {
        assert_eq!(row[col("document")], d.id);
        assert_eq!(row[col("quote_id")], q.id);
        assert_eq!(row[col("kind")], q.kind);
        assert_eq!(
            row[col("text")],
            q.text,
            "the quote text survives CSV quoting"
        );
        assert_eq!(row[col("start")], q.start.to_string());
        let sp = q.speaker.as_ref();
        assert_eq!(
            row[col("speaker")],
            sp.map(|s| s.name.clone()).unwrap_or_default()
        );
        assert_eq!(
            row[col("speaker_id")],
            sp.map(|s| s.id.clone()).unwrap_or_default()
        );
        assert_eq!(
            row[col("speaker_kind")],
            sp.map(|s| s.kind.clone()).unwrap_or_default()
        );
        // Every speaker of extract's output has an identity.
        assert!(
            sp.is_none_or(|s| !s.id.is_empty() && !s.kind.is_empty()),
            "{sp:?}"
        );
    }
    let erows = parse_csv(&std::fs::read_to_string(&ents).unwrap());
    assert_eq!(erows[0], ENTITY_COLUMNS);
    assert_eq!(erows.len() - 1, mentions, "one row per entity mention");
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{quotes} quote rows written, {mentions} entity mention rows"
        )),
        "{err}"
    );
    eprintln!(
        "fixtures: {} documents, {quotes} quote rows, {mentions} entity mention rows",
        docs.len()
    );

    // One JSON array holds the same documents.
    let o = run(extract(&[fx, "--format", "json"]));
    assert!(o.status.success());
    let arr: Vec<DocOutput> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(arr, docs);

    // `export` makes the same CSV from the JSON Lines.
    let o = run({
        let mut c = Command::new(BIN);
        c.arg("export").arg(&jsonl);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout).unwrap(), text);
}

/// Writes `n` small articles (a.txt ... ) with quotes and returns their folder.
fn articles(dir: &Path, n: usize) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let people = [
        "Anna Berg",
        "John Smith",
        "Maria Lopez",
        "Ali Khan",
        "Li Wei",
    ];
    for i in 0..n {
        let p = people[i % people.len()];
        let text = format!(
            "Talks resume, part {i}\n\n{p}, the minister of trade, said on Monday that the talks \
             would go on. \"We are ready to sign number {i},\" {p} told reporters in Geneva.\n\n\
             Officials said the deal was close. \"Not yet,\" said a spokesman for the ministry. \
             According to {p}, the text is {i} pages long.\n"
        );
        std::fs::write(input.join(format!("doc{i:03}.txt")), text).unwrap();
    }
    input
}

fn assert_each_once(docs: &[DocOutput], n: usize) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        *seen.entry(d.id.as_str()).or_default() += 1;
    }
    assert_eq!(seen.len(), n, "every document present");
    let dup: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    assert!(dup.is_empty(), "documents written twice: {dup:?}");
}

#[test]
fn resume_after_a_crash_keeps_every_document_once() {
    let d = tmp("resume-abort");
    let input = articles(&d, 40);
    let out = d.join("out.jsonl");
    let args = |c: &mut Command| {
        c.arg(&input)
            .arg("-o")
            .arg(&out)
            .args(["--resume", "--chunk-size", "4"]);
    };
    // The test hook aborts the process (no unwinding, no flush: as a crash) after 7 documents.
    let o = run({
        let mut c = extract(&[]);
        args(&mut c);
        c.env("WHOSAID_TEST_ABORT_AFTER", "7");
        c
    });
    assert!(!o.status.success(), "the hook aborts");
    let first = read_jsonl(&out);
    assert_eq!(
        first.len(),
        7,
        "every document written before the crash is there"
    );
    // A torn write: half a line at the end.
    let mut bytes = std::fs::read(&out).unwrap();
    let line = serde_json::to_string(&first[0]).unwrap();
    bytes.extend_from_slice(&line.as_bytes()[..line.len() / 2]);
    std::fs::write(&out, &bytes).unwrap();

    let o = run({
        let mut c = extract(&[]);
        args(&mut c);
        c.env("WHOSAID_STATS", "1");
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("7 documents already written"), "{err}");
    assert!(err.contains("partial last line"), "{err}");
    assert!(
        err.contains("33 documents (0 failed, 7 skipped as already written)"),
        "{err}"
    );
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 40);
    assert_each_once(&docs, 40);
    assert_eq!(
        docs[..7],
        first[..],
        "the first lines are kept as they were"
    );

    // Nothing left to do: the file stays as it is.
    let before = std::fs::read(&out).unwrap();
    let o = run({
        let mut c = extract(&[]);
        args(&mut c);
        c
    });
    assert!(o.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn resume_after_kill_9_loses_nothing_reported() {
    let d = tmp("resume-kill");
    let input = articles(&d, 40);
    let out = d.join("out.jsonl");
    let mut child = {
        let mut c = extract(&[]);
        c.arg(&input)
            .arg("-o")
            .arg(&out)
            .args(["--resume", "--chunk-size", "1", "--progress"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    // Progress lines are "\r\x1b[K<n> documents, ...": the count reported written so far.
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stderr);
        let mut buf = Vec::new();
        while r
            .read_until(b'\r', &mut buf)
            .map(|n| n > 0)
            .unwrap_or(false)
        {
            let s = String::from_utf8_lossy(&buf);
            if let Some(n) = s
                .trim_start_matches("\x1b[K")
                .split(" documents")
                .next()
                .and_then(|n| n.trim().parse().ok())
            {
                let _ = tx.send(n);
            }
            buf.clear();
        }
    });
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut reported = 0;
    let killed = loop {
        if let Ok(n) = rx.recv_timeout(Duration::from_millis(50)) {
            reported = reported.max(n);
        }
        if reported >= 5 {
            child.kill().unwrap(); // SIGKILL
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
    };
    let status = child.wait().unwrap();
    while let Ok(n) = rx.try_recv() {
        if !killed {
            reported = reported.max(n);
        }
    }
    let after_kill = read_jsonl(&out);
    eprintln!(
        "kill -9: killed={killed} ({status}) after {reported} documents reported; {} complete lines in the file",
        after_kill.len()
    );
    assert!(
        after_kill.len() >= reported,
        "{reported} reported written, {} in the file",
        after_kill.len()
    );
    let o = run({
        let mut c = extract(&[]);
        c.arg(&input).arg("-o").arg(&out).arg("--resume");
        c
    });
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = read_jsonl(&out);
    assert_each_once(&docs, 40);
    assert_eq!(docs[..after_kill.len()], after_kill[..]);
}

#[test]
fn resume_needs_a_jsonl_output_file() {
    for (args, msg) in [
        (vec!["x.txt", "--resume"], "--resume needs -o FILE"),
        (
            vec!["x.txt", "--resume", "-o", "o.csv", "--format", "csv"],
            "--format jsonl only",
        ),
    ] {
        let o = run(extract(&args));
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains(msg), "{}", stderr(&o));
    }
    // Not extract output: refused, and left as it was.
    let d = tmp("resume-refuse");
    let f = d.join("notes.jsonl");
    std::fs::write(&f, "my notes\nno newline at the end").unwrap();
    let o = run({
        let mut c = extract(&["x.txt", "--resume", "-o"]);
        c.arg(&f);
        c
    });
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "my notes\nno newline at the end"
    );
}

/// Runs extract over `files` (name, bytes) in one batch; returns the documents by id, the
/// exit code and stderr.
fn batch(
    name: &str,
    files: Vec<(&str, Vec<u8>)>,
) -> (HashMap<String, DocOutput>, Option<i32>, String, Duration) {
    let d = tmp(name);
    let input = d.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = files.len();
    for (f, bytes) in files {
        std::fs::write(input.join(f), bytes).unwrap();
    }
    let out = d.join("out.jsonl");
    let t = Instant::now();
    let o = run({
        let mut c = extract(&[]);
        c.arg(&input).arg("-o").arg(&out);
        c
    });
    let took = t.elapsed();
    let docs = read_jsonl(&out);
    assert_eq!(
        docs.len(),
        n,
        "one line per input, none lost: {}",
        stderr(&o)
    );
    for d in &docs {
        for e in &d.errors {
            assert!(
                !e.contains("failed") && !e.contains("panic"),
                "{}: a stage broke: {e}",
                d.id
            );
        }
    }
    let by_id = docs.into_iter().map(|d| (d.id.clone(), d)).collect();
    (by_id, o.status.code(), stderr(&o), took)
}

#[test]
fn hostile_inputs_never_panic_and_the_batch_goes_on() {
    let nested: String = {
        let (open, close) = whosaid::fuzzing::nested_quotes(500);
        format!(
            "Anna Berg said {open}deep{close} and left. \"{}\" said John Smith.",
            "\"'".repeat(250)
        )
    };
    let mut binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    binary[10] = 0;
    let big = "The minister said \"yes\" again. ".repeat(10 * 1024 * 1024 / 32 + 1);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("a-normal.txt", b"\"We are ready,\" said Anna Berg, the minister.".to_vec()),
        ("b-empty.txt", Vec::new()),
        ("c-blank.txt", b" \n\t\n ".to_vec()),
        ("d-binary.txt", binary),
        ("e-latin1.txt", b"Caf\xe9 owner Jos\xe9 said \xabnon\xbb.".to_vec()),
        ("f-ten-mb.txt", big.into_bytes()),
        (
            "g-unbalanced.txt",
            "\"This never closes, said Anna Berg.\n\nAnother \u{201c}quote \u{201d}\u{201d} ends twice, he said. \u{2019}Stray \u{ab}open\n\n\" \" \"\" '''"
                .repeat(50)
                .into_bytes(),
        ),
        ("h-nested.txt", nested.into_bytes()),
        ("i-html.html", b"<html><body><p>\"<b>x</p></i>\" said <a href='".to_vec()),
        ("j-bom-only.txt", "\u{feff}".as_bytes().to_vec()),
    ];
    let (docs, code, err, took) = batch("hostile", files);
    assert_eq!(code, Some(2), "failed documents give exit code 2: {err}");
    let error_of = |id: &str| docs[id].errors.join("; ");
    assert!(docs["a-normal"].errors.is_empty());
    assert!(!docs["a-normal"].quotes.is_empty());
    assert!(error_of("b-empty").contains("empty"));
    assert!(error_of("c-blank").contains("empty"));
    assert!(error_of("d-binary").contains("UTF-8") || error_of("d-binary").contains("binary"));
    assert!(error_of("e-latin1").contains("not valid UTF-8 at byte 3"));
    assert!(
        error_of("f-ten-mb").contains("over the limit"),
        "{}",
        error_of("f-ten-mb")
    );
    assert!(error_of("j-bom-only").contains("empty"));
    for id in ["g-unbalanced", "h-nested", "i-html"] {
        assert!(docs[id].errors.is_empty(), "{id}: {}", error_of(id));
    }
    for id in ["b-empty", "d-binary", "f-ten-mb"] {
        assert!(err.contains(id), "stderr names {id}: {err}");
    }
    eprintln!(
        "hostile batch: {} documents in {:.1}s",
        docs.len(),
        took.as_secs_f64()
    );

    // The same on stdin: invalid UTF-8 and binary give an error line, not a panic.
    for bytes in [&b"caf\xe9 said"[..], b"\x00\x01\x02\xff", b""] {
        let mut c = extract(&["-"]);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(bytes).unwrap();
        }
        let o = child.wait_with_output().unwrap();
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "{e}");
        assert_eq!(o.status.code(), Some(2), "{e}");
        let d: DocOutput = serde_json::from_slice(&o.stdout).unwrap();
        assert!(!d.errors.is_empty());
    }
}

/// Runs `whosaid extract --threads 1 FILE` and returns the CPU seconds (user + system) the
/// process used: a measure of its own work that other tests running at the same time do not
/// inflate the way they inflate wall time.
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its rusage
fn extract_cpu_seconds(path: &Path) -> (DocOutput, f64) {
    let out = path.with_extension("out.jsonl");
    let child = extract(&[path.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("whosaid runs");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with pointers to live locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{status}"
    );
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let mut docs = read_jsonl(&out);
    assert_eq!(docs.len(), 1);
    (docs.remove(0), secs(usage.ru_utime) + secs(usage.ru_stime))
}

#[test]
fn a_one_megabyte_line_without_punctuation_runs_at_the_normal_speed() {
    // Sentences over 400 words are cut at safe points for tagging and the rules, so a page
    // without punctuation costs what the same number of words of ordinary news costs: at least
    // half the normal words per CPU second.
    let dir = tmp("one-line");
    let words = [
        "alpha", "Bravo", "charlie", "Delta", "echo", "foxtrot", "Golf", "hotel",
    ];
    let mut line = String::with_capacity(1 << 20);
    let mut i = 0usize;
    while line.len() < 1_000_000 {
        line.push_str(words[(i * 7 + i / 3) % words.len()]);
        line.push(' ');
        i += 1;
    }
    let line_path = dir.join("line.txt");
    std::fs::write(&line_path, &line).unwrap();
    // Ordinary news: the fixture articles (plain text) repeated to about 20,000 words.
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles");
    let mut news = String::new();
    for f in ["harbor-bridge.txt", "trade-talks-pdf.txt"] {
        news.push_str(&std::fs::read_to_string(articles.join(f)).expect("fixture article"));
        news.push_str("\n\n");
    }
    let news: String = news.repeat(20_000 / news.split_whitespace().count() + 1);
    let news_path = dir.join("news.txt");
    std::fs::write(&news_path, &news).unwrap();

    let (news_doc, news_cpu) = extract_cpu_seconds(&news_path);
    assert!(news_doc.errors.is_empty() && !news_doc.quotes.is_empty());
    let (line_doc, line_cpu) = extract_cpu_seconds(&line_path);
    assert!(line_doc.errors.is_empty(), "{:?}", line_doc.errors);
    assert!(!line_doc.entities.is_empty(), "the tagger saw the line");
    let rate = |text: &str, cpu: f64| text.split_whitespace().count() as f64 / cpu.max(1e-3);
    let (news_rate, line_rate) = (rate(&news, news_cpu), rate(&line, line_cpu));
    eprintln!(
        "news: {news_rate:.0} words per CPU second; 1 MB line: {line_rate:.0} ({line_cpu:.1}s)"
    );
    assert!(
        line_rate >= 0.5 * news_rate,
        "1 MB line at {line_rate:.0} words/CPU s, news at {news_rate:.0}"
    );
}

#[test]
fn report_from_extract_output() {
    let d = tmp("report");
    let out = d.join("out.jsonl");
    let o = run({
        let mut c = extract(&[fixtures().to_str().unwrap(), "-o"]);
        c.arg(&out);
        c
    });
    assert!(o.status.success());
    let docs = read_jsonl(&out);
    let quotes: usize = docs.iter().map(|d| d.quotes.len()).sum();
    let html_path = d.join("report.html");
    let o = run({
        let mut c = Command::new(BIN);
        // The articles are outside the output's folder: allowed by name.
        c.arg("report")
            .arg(&out)
            .arg("--articles")
            .arg(fixtures())
            .arg("-o")
            .arg(&html_path);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{} with their text", docs.len())));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for d in &docs {
        assert!(html.contains(&format!("<h3>{}</h3>", d.id)));
    }
    // Every quote of these articles is highlighted in its text (none overlap here) and
    // listed; nothing is fetched from anywhere.
    let highlighted = html.matches("<mark class=\"q").count();
    assert!(highlighted > 0 && highlighted <= quotes);
    assert!(html.matches("<li").count() >= quotes);
    for bad in [
        "src=\"http",
        "href=\"http",
        "<link",
        "@import",
        "url(",
        "<img",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "external resource {bad}");
    }
    assert!(html.contains("<svg id=\"speaker-chart\""));

    // Without the text: quotes only, no highlight.
    let o = run({
        let mut c = Command::new(BIN);
        c.arg("report").arg(&out).arg("--no-text");
        c
    });
    let html = String::from_utf8(o.stdout).unwrap();
    assert_eq!(html.matches("<mark").count(), 0);
    assert!(html.contains("<ol class=\"quotes\">"));

    // Output of stdin input: the text was not kept, and the page says so.
    let text = std::fs::read(fixtures().join("000_588d7ed966db3646.txt")).unwrap();
    let mut c = extract(&["-"]);
    c.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&text).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let mut c = Command::new(BIN);
    c.arg("report").stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&o.stdout).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("Article text not shown: read from standard input"));
}

/// Runs `extract ARGS` with `input` on stdin; the parsed output lines and stderr.
fn extract_stdin(args: &[&str], input: &str) -> (Vec<DocOutput>, String, Option<i32>) {
    let mut c = extract(args);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let docs = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (docs, stderr(&o), o.status.code())
}

#[test]
fn input_format_jsonl_keeps_a_stream_whose_first_line_is_garbage() {
    let input = "garbage, not JSON\n{\"id\": \"a\", \"text\": \"Ann Lee said it rained.\"}\n{\"id\": \"b\", \"text\": \"Bo Ray said no.\"}\n";
    // Auto: the first line decides, so the whole stream is one plain-text document.
    let (docs, _, _) = extract_stdin(&["-"], input);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, "stdin");
    // Forced JSON Lines: the bad line is reported with its line number, the rest is read.
    let (docs, err, code) = extract_stdin(&["--input-format", "jsonl", "-"], input);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["stdin:1", "a", "b"]);
    assert!(docs[0].errors[0].contains("-:1"), "{:?}", docs[0].errors);
    assert!(err.contains("-:1: not a JSON object"), "{err}");
    assert_eq!(code, Some(2));
    assert!(docs[1].errors.is_empty() && docs[2].errors.is_empty());
    // A bad value is refused with the accepted ones named.
    let (_, err, code) = extract_stdin(&["--input-format", "xml", "-"], "x");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("expected auto, jsonl, text, markdown or html"),
        "{err}"
    );
}

#[test]
fn run_on_reported_speech_grows_linearly() {
    // "A said ... and B said ... and ..." in one sentence: each reported statement ends where
    // the next attribution starts, so the output grows with the input, not with its square.
    let names = ["Smith", "Jones", "Brown", "Lee", "Garcia"];
    let n = 400;
    let text: String = (0..n)
        .map(|i| format!("{} said the plan failed and ", names[i % names.len()]))
        .collect::<String>()
        + "that was all.";
    let dir = tmp("run-on");
    let path = dir.join("run-on.txt");
    std::fs::write(&path, &text).unwrap();
    let o = run(extract(&[path.to_str().unwrap()]));
    let d: DocOutput = serde_json::from_slice(&o.stdout).unwrap();
    let longest = d.quotes.iter().map(|q| q.text.len()).max().unwrap_or(0);
    let total: usize = d.quotes.iter().map(|q| q.text.len()).sum();
    assert!(d.quotes.len() >= n * 9 / 10, "{} quotes", d.quotes.len());
    assert!(
        longest < 60,
        "a quote of {longest} bytes runs over the next attribution"
    );
    assert!(
        total < text.len(),
        "{total} bytes of quotes from {} of text",
        text.len()
    );
    assert!(
        o.stdout.len() < 30 * text.len(),
        "{} bytes out",
        o.stdout.len()
    );
}
