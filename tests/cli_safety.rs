//! Issue 21, attack by attack, through the built binary: `report` shows only article files
//! under allowed folders, `--resume` goes by content (kill -9 at fixed and random points,
//! duplicated ids, one folder spelled three ways), inputs are regular files only, `-o` never
//! replaces a FIFO, device or folder, degenerate input costs no more per byte than news, and
//! the lesser fixes (CSV formulas, control characters in `who`, UTF-16, wrongly typed metadata,
//! write errors naming the file).
//!
//! The model: `$WHOSAID_MODEL`, else the shipped `models/whosaid-ner-en`, else a tiny random
//! model written by the test (nothing here depends on the model's quality). Runs that are
//! compared with each other use float32 (`auto` may be int8, whose last digits can move).

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_safety-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `whosaid extract --model M --threads 1 --precision f32 ARGS...`
fn extract(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("extract")
        .arg("--model")
        .arg(model())
        .args(["--threads", "1", "--precision", "f32"])
        .args(args);
    c
}

/// Runs `c` with a time limit (a hang is a failure, not a stuck test).
fn run_for(mut c: Command, limit: Duration) -> Output {
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("whosaid runs");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).unwrap();
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).unwrap();
        v
    });
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("whosaid hung for {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = Output {
        status,
        stdout: o.join().unwrap(),
        stderr: e.join().unwrap(),
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "whosaid panicked: {err}"
    );
    out
}

fn run(c: Command) -> Output {
    run_for(c, Duration::from_secs(300))
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

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
        0,
        "mkfifo {}",
        p.display()
    );
}

/// Small distinct articles `doc000.txt`... in `dir/name`.
fn articles(dir: &Path, name: &str, n: usize) -> PathBuf {
    let input = dir.join(name);
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
        std::fs::write(
            input.join(format!("doc{i:03}.txt")),
            format!("\"We are ready to sign number {i},\" {p} told reporters in Geneva.\n"),
        )
        .unwrap();
    }
    input
}

/// The `.NAME.partial-PID` files beside `out`.
fn partials(out: &Path) -> Vec<PathBuf> {
    let name = format!(".{}.partial-", out.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&name))
        .map(|e| e.path())
        .collect()
}

/// Each input file's document is in `docs` exactly once (by content hash and by source).
fn assert_each_once(docs: &[DocOutput], dir: &Path) {
    let mut want: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| whosaid::input::sha256_hex(&std::fs::read(e.unwrap().path()).unwrap()))
        .collect();
    want.sort();
    let mut got: Vec<String> = docs
        .iter()
        .map(|d| {
            d.input_sha256
                .clone()
                .expect("every line has its input's hash")
        })
        .collect();
    got.sort();
    assert_eq!(got, want, "every document exactly once");
}

// ---------------------------------------------------------------------------------------
// 1. report

fn report_html(out: &Path, extra: &[&str]) -> (String, String) {
    let mut c = Command::new(BIN);
    c.arg("report").arg(out).args(extra);
    let o = run_for(c, Duration::from_secs(60));
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    (String::from_utf8(o.stdout).unwrap(), err)
}

#[test]
fn report_shows_only_article_files_under_the_allowed_folders() {
    let d = tmp("report");
    let arts = d.join("articles");
    std::fs::create_dir_all(&arts).unwrap();
    let secret_dir = d.join("private");
    std::fs::create_dir_all(&secret_dir).unwrap();
    let secret = "root:SECRET-HASH-0123456789:19000:0:99999:7:::\n";
    std::fs::write(secret_dir.join("shadow.txt"), secret).unwrap();
    std::fs::write(arts.join("good.txt"), "Anna Berg said: \"Ready.\"\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", arts.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(secret_dir.join("shadow.txt"), arts.join("inside.txt")).unwrap();
    mkfifo(&arts.join("fifo.txt"));
    let out_dir = d.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("out.jsonl");
    let line = |id: &str, source: &str, mention: bool| {
        let ents = if mention {
            r#"[{"id":"E1","type":"PER","name":"root","key":"root","mentions":[{"start":0,"end":4,"text":"root","score":0.9}]}]"#
        } else {
            "[]"
        };
        // A quote makes the page say why the text is not shown.
        let quotes = if ["passwd", "shadow", "good"].contains(&id) {
            "[]"
        } else {
            r#"[{"id":"Q1","kind":"direct","text":"root","start":0,"end":4,"speaker":null,"cue":null,"confidence":0.5}]"#
        };
        format!(
            "{{\"id\":{id:?},\"source\":{source:?},\"entities\":{ents},\"quotes\":{quotes},\"errors\":[]}}\n"
        )
    };
    let escape = format!("{}/../private/shadow.txt", arts.display());
    let lines = [
        line("passwd", "/etc/passwd", false),
        line("shadow", "/etc/shadow", true),
        line("escape", &escape, true),
        line("link", arts.join("link.txt").to_str().unwrap(), false),
        line("inside", arts.join("inside.txt").to_str().unwrap(), true),
        line("fifo", arts.join("fifo.txt").to_str().unwrap(), false),
        line("good", arts.join("good.txt").to_str().unwrap(), false),
        line("shadow-again", "/etc/shadow", true),
    ];
    std::fs::write(&out, lines.concat()).unwrap();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first_passwd = passwd.lines().next().unwrap_or("root:x:0:0").to_string();
    let shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
    let first_shadow = shadow.lines().next().map(str::to_string);
    let leaked = |html: &str| {
        html.contains(&first_passwd)
            || html.contains("SECRET-HASH")
            || first_shadow.as_deref().is_some_and(|s| html.contains(s))
    };

    // Default root: the output's own folder, which holds no article: nothing is read.
    let (html, err) = report_html(&out, &[]);
    assert!(
        !leaked(&html),
        "a file outside the allowed folders is in the page"
    );
    assert!(err.is_empty() || !err.contains("panicked"));
    assert!(
        html.contains("outside the article folders"),
        "the page says why"
    );
    // The articles' folder allowed: only the regular article file in it is shown.
    let arts_s = arts.to_str().unwrap().to_string();
    let (html, _) = report_html(&out, &["--articles", &arts_s]);
    assert!(!leaked(&html), "a link or `..` escaped the allowed folder");
    assert!(
        html.contains("Anna Berg said: &quot;Ready.&quot;"),
        "the article file is shown"
    );
    assert!(
        html.contains("not a regular file"),
        "the FIFO is named, not opened"
    );
    // Allowing / itself still refuses what is not an article file, even through a link.
    let (html, _) = report_html(&out, &["--articles", "/"]);
    assert!(
        !html.contains(&first_passwd) && first_shadow.as_deref().is_none_or(|s| !html.contains(s))
    );
    assert!(html.contains("a link to a file that is not an article file"));
    let o = {
        let mut c = Command::new(BIN);
        c.arg("report")
            .arg(&out)
            .args(["--articles", &arts_s, "-o"])
            .arg(d.join("r.html"));
        run_for(c, Duration::from_secs(60))
    };
    assert!(o.status.success());
    assert!(stderr(&o).contains("(1 with their text)"), "{}", stderr(&o));
}

#[test]
fn report_shows_text_carried_by_keep_text_without_reading_files() {
    let d = tmp("keep-text");
    let input = d.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = "\"We are ready,\" Anna Berg told reporters in Geneva.\n";
    std::fs::write(input.join("a.txt"), text).unwrap();
    let out_dir = d.join("elsewhere");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("out.jsonl");
    let o = run({
        let mut c = extract(&["--keep-text", "-o"]);
        c.arg(&out).arg(&input);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_jsonl(&out);
    assert_eq!(docs[0].text.as_deref(), Some(text));
    // The input is gone: the page still shows the article, from the output line.
    std::fs::remove_dir_all(&input).unwrap();
    let (html, _) = report_html(&out, &[]);
    assert!(
        html.contains("reporters in Geneva."),
        "the carried text is shown"
    );
    // Without --keep-text the field is absent.
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), text).unwrap();
    let o = run({
        let mut c = extract(&[]);
        c.arg(&input);
        c
    });
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.get("text").is_none(), "no text without --keep-text");
    assert!(v
        .get("input_sha256")
        .is_some_and(|h| h.as_str().is_some_and(|h| h.len() == 64)));
}

#[test]
fn report_reads_a_json_lines_source_as_extract_read_it() {
    // CRLF line ends, a blank line, and two lines with the same id: report finds each
    // document's own text again (by the line's hash, as extract computed it).
    let d = tmp("report-jsonl");
    let arts = d.join("articles");
    std::fs::create_dir_all(&arts).unwrap();
    let input = arts.join("batch.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"same\", \"text\": \"\\\"First text,\\\" Anna Berg said in Oslo.\"}\r\n\r\n\
         {\"id\": \"same\", \"text\": \"\\\"Second text,\\\" Tom Reed said in Lima.\"}\r\n",
    )
    .unwrap();
    let out = d.join("out.jsonl");
    let o = run({
        let mut c = extract(&["-o"]);
        c.arg(&out).arg(&input);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d.text.is_none()));
    let (html, err) = report_html(&out, &["--articles", arts.to_str().unwrap()]);
    // The article view marks each quote inside its own document's text.
    assert!(
        html.contains(">First text</mark>") && html.contains(">Second text</mark>"),
        "both texts shown: {err}"
    );
    assert!(!err.contains("no line with this document"), "{err}");
}

// ---------------------------------------------------------------------------------------
// 2. resume by content

#[test]
fn resume_by_content_with_duplicated_ids() {
    let d = tmp("dup-ids");
    let input = d.join("batch.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"same\",\"text\":\"Anna Berg said the talks went on.\"}\n\
         {\"id\":\"same\",\"text\":\"John Smith said the deal was close.\"}\n\
         {\"id\":\"same\",\"text\":\"Maria Lopez said no.\"}\n\
         {\"id\":\"other\",\"text\":\"Ali Khan said yes.\"}\n",
    )
    .unwrap();
    let out = d.join("out.jsonl");
    let o = run({
        let mut c = extract(&["--resume", "--chunk-size", "1", "-o"]);
        c.arg(&out).arg(&input).env("WHOSAID_TEST_ABORT_AFTER", "1");
        c
    });
    assert!(!o.status.success(), "the hook aborts");
    assert_eq!(read_jsonl(&out).len(), 1);
    let o = run({
        let mut c = extract(&["--resume", "-o"]);
        c.arg(&out).arg(&input);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_jsonl(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["same", "same#2", "same#3", "other"],
        "all four, ids unique"
    );
    assert!(
        stderr(&o).contains("duplicate id \"same\" in this batch; written as \"same#2\""),
        "{}",
        stderr(&o)
    );
    let hashes: std::collections::HashSet<_> =
        docs.iter().map(|d| d.input_sha256.clone()).collect();
    assert_eq!(hashes.len(), 4);
}

#[test]
fn one_folder_spelled_three_ways_gives_each_document_once() {
    let d = tmp("spellings");
    let input = articles(&d, "small3", 3);
    let out = d.join("out.jsonl");
    let abs = input.canonicalize().unwrap();
    for spelling in ["small3", "./small3/", abs.to_str().unwrap()] {
        let o = run({
            let mut c = extract(&["--resume", "-o", "out.jsonl", spelling]);
            c.current_dir(&d);
            c
        });
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 3, "3 documents, not 9");
    assert_each_once(&docs, &input);
    // All three spellings in one run: still once each.
    std::fs::remove_file(&out).unwrap();
    let o = run({
        let mut c = extract(&["--resume", "-o", "out.jsonl", "small3", "./small3/"]);
        c.arg(&abs).current_dir(&d);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    assert_each_once(&read_jsonl(&out), &input);
}

/// Starts `extract` with the test hook that stops it (SIGSTOP) at `point`, waits until it is
/// stopped there, and returns it.
fn stopped_at(mut c: Command, point: &str) -> Child {
    c.env("WHOSAID_TEST_PAUSE_AT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = c.spawn().unwrap();
    let mut status = 0;
    // SAFETY: waitpid on our own child, WUNTRACED: returns when it stops (or exits).
    let pid = unsafe { libc::waitpid(child.id() as i32, &mut status, libc::WUNTRACED) };
    assert_eq!(pid, child.id() as i32);
    assert!(
        libc::WIFSTOPPED(status),
        "stopped at {point} (status {status})"
    );
    child
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as i32, sig) };
}

/// Reaps a child killed or signalled (it may be stopped: continued first).
fn reap(mut child: Child) -> std::process::ExitStatus {
    signal(&child, libc::SIGCONT);
    child.wait().unwrap()
}

#[test]
fn kill_9_at_three_points_then_resume_loses_and_repeats_nothing() {
    let d = tmp("kill-points");
    let input = articles(&d, "in", 6);
    for point in ["start", "3", "end"] {
        let out = d.join(format!("out-{point}.jsonl"));
        let child = stopped_at(
            {
                let mut c = extract(&["--chunk-size", "1", "-o"]);
                c.arg(&out).arg(&input);
                c
            },
            point,
        );
        signal(&child, libc::SIGKILL);
        let status = reap(child);
        assert!(!status.success());
        assert!(!out.exists(), "nothing committed before the end");
        assert_eq!(partials(&out).len(), 1, "the killed run's temporary file");
        let o = run({
            let mut c = extract(&["--resume", "--chunk-size", "1", "-o"]);
            c.arg(&out).arg(&input).env("WHOSAID_STATS", "1");
            c
        });
        assert!(o.status.success(), "{}", stderr(&o));
        let err = stderr(&o);
        let taken = match point {
            "start" => 0,
            "3" => 3,
            _ => 6,
        };
        assert!(
            err.contains(&format!(
                "resuming {}: {taken} documents already written",
                out.display()
            )),
            "{point}: {err}"
        );
        if taken > 0 {
            assert!(
                err.contains(&format!(
                    "({taken} of them from a killed run's temporary file)"
                )),
                "{err}"
            );
        }
        assert!(
            partials(&out).is_empty(),
            "{point}: the temporary file is taken over and removed"
        );
        assert_each_once(&read_jsonl(&out), &input);
    }
    // Without --resume a stale temporary file is removed, with a message.
    let out = d.join("out-plain.jsonl");
    let child = stopped_at(
        {
            let mut c = extract(&["-o"]);
            c.arg(&out).arg(&input);
            c
        },
        "start",
    );
    signal(&child, libc::SIGKILL);
    reap(child);
    assert_eq!(partials(&out).len(), 1);
    let o = run({
        let mut c = extract(&["-o"]);
        c.arg(&out).arg(&input);
        c
    });
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("left by a killed run"),
        "{}",
        stderr(&o)
    );
    assert!(partials(&out).is_empty());
    assert_each_once(&read_jsonl(&out), &input);
}

#[test]
fn sigterm_and_sigint_remove_the_temporary_file() {
    let d = tmp("sigterm");
    let input = articles(&d, "in", 4);
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let out = d.join(format!("out-{sig}.jsonl"));
        let ents = d.join(format!("ents-{sig}.csv"));
        let child = stopped_at(
            {
                let mut c = extract(&["--chunk-size", "1", "-o"]);
                c.arg(&out).arg("--entities-csv").arg(&ents).arg(&input);
                c
            },
            "2",
        );
        assert_eq!(partials(&out).len(), 1);
        assert_eq!(partials(&ents).len(), 1);
        signal(&child, sig);
        let status = reap(child);
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(sig), "it dies of the signal");
        assert!(
            partials(&out).is_empty(),
            "signal {sig}: temporary output removed"
        );
        assert!(
            partials(&ents).is_empty(),
            "signal {sig}: temporary CSV removed"
        );
        assert!(!out.exists());
    }
}

/// A small xorshift generator: the kill times, reproducible from the seed printed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Line breaks in `path` (0 when it does not exist).
fn newlines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

#[test]
fn resume_killed_20_times_at_random_matches_an_uninterrupted_run() {
    let d = tmp("random-kills");
    let input = articles(&d, "in", 60);
    let args = ["--chunk-size", "1"];
    // The uninterrupted run.
    let whole = d.join("whole.jsonl");
    let t = Instant::now();
    let o = run({
        let mut c = extract(&args);
        c.arg("-o").arg(&whole).arg(&input);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let full = t.elapsed();
    let seed = std::env::var("WHOSAID_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill times from WHOSAID_KILL_SEED={seed}; an uninterrupted run takes {full:?}");
    let mut rng = Rng(seed);
    let out = d.join("out.jsonl");
    let mut kills = 0;
    let mut runs = 0;
    let mut lines_after_kill = Vec::new();
    loop {
        runs += 1;
        assert!(runs < 200, "no progress after {runs} runs");
        let mut c = extract(&args);
        c.arg("--resume")
            .arg("-o")
            .arg(&out)
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let before = newlines(&out);
        let mut child = c.spawn().unwrap();
        if kills < 20 {
            // A random point: a third of the kills at a random time early in the run (model
            // load, reading), the others once 0 to 2 more documents are written, plus up to
            // 30 ms (tagging, or in the middle of a write).
            let r = rng.next();
            let deadline = Instant::now() + Duration::from_secs(120);
            if r.is_multiple_of(3) {
                std::thread::sleep(Duration::from_millis(
                    r / 3 % (full.as_millis() as u64 / 4 + 1),
                ));
            } else {
                let more = (r / 3 % 3) as usize;
                while newlines(&out) < before + more
                    && child.try_wait().unwrap().is_none()
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(2));
                }
                std::thread::sleep(Duration::from_millis(r / 9 % 30));
            }
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                child.wait().unwrap();
                kills += 1;
                lines_after_kill.push(newlines(&out));
                continue;
            }
        }
        let status = child.wait().unwrap();
        assert!(status.success());
        if kills >= 20 {
            break;
        }
    }
    eprintln!("{kills} kills in {runs} runs; lines after each kill: {lines_after_kill:?}");
    let got = std::fs::read(&out).unwrap();
    let want = std::fs::read(&whole).unwrap();
    let lines = |b: &[u8]| -> HashMap<String, Vec<u8>> {
        b.split(|&c| c == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                let d: DocOutput = serde_json::from_slice(l).unwrap();
                (d.input_sha256.unwrap(), l.to_vec())
            })
            .collect()
    };
    let (g, w) = (lines(&got), lines(&want));
    assert_eq!(g.len(), 60);
    for (hash, line) in &w {
        assert_eq!(
            g.get(hash).map(|l| String::from_utf8_lossy(l).into_owned()),
            Some(String::from_utf8_lossy(line).into_owned()),
            "document {hash}"
        );
    }
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want, "the same file, in the same order");
}

// ---------------------------------------------------------------------------------------
// 3. inputs

#[test]
fn a_fifo_in_a_folder_is_skipped_and_a_named_one_read_only_when_asked() {
    let d = tmp("fifo-in");
    let input = articles(&d, "in", 2);
    mkfifo(&input.join("zz-pipe.txt"));
    let o = run_for(
        extract(&[input.to_str().unwrap()]),
        Duration::from_secs(120),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("zz-pipe.txt: skipped: a FIFO"),
        "{}",
        stderr(&o)
    );
    let docs: Vec<DocOutput> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);

    // Named without --input-format: a clear error, no hang.
    let pipe = input.join("zz-pipe.txt");
    let o = run_for(extract(&[pipe.to_str().unwrap()]), Duration::from_secs(120));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a FIFO (named pipe), not a regular file; give --input-format"),
        "{}",
        stderr(&o)
    );
    // A device named: refused.
    let o = run_for(
        extract(&["--input-format", "text", "/dev/zero"]),
        Duration::from_secs(120),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero: a device, not a regular file"),
        "{}",
        stderr(&o)
    );

    // Named with --input-format jsonl: read as a stream.
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(&pipe).unwrap();
            f.write_all(b"{\"id\":\"p1\",\"text\":\"Anna Berg said yes.\"}\n{\"id\":\"p2\",\"text\":\"Li Wei said no.\"}\n")
                .unwrap();
        })
    };
    let o = run_for(
        extract(&["--input-format", "jsonl", pipe.to_str().unwrap()]),
        Duration::from_secs(120),
    );
    writer.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let ids: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<DocOutput>(l).unwrap().id)
        .collect();
    assert_eq!(ids, ["p1", "p2"]);
}

// ---------------------------------------------------------------------------------------
// 4. outputs

#[test]
fn output_follows_symlinks_and_refuses_fifos_devices_and_folders() {
    let d = tmp("outputs");
    let input = articles(&d, "in", 1);
    let doc = input.join("doc000.txt");
    let doc = doc.to_str().unwrap();
    // A symlink: the target is written, the link stays.
    let target = d.join("target.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    let link = d.join("link.jsonl");
    std::os::unix::fs::symlink("target.jsonl", &link).unwrap();
    let o = run({
        let mut c = extract(&[doc, "-o"]);
        c.arg(&link);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read_jsonl(&target).len(), 1);
    // export writes through a link too.
    let csv_link = d.join("link.csv");
    std::os::unix::fs::symlink(d.join("quotes.csv"), &csv_link).unwrap();
    let o = run({
        let mut c = Command::new(BIN);
        c.arg("export").arg(&target).arg("-o").arg(&csv_link);
        c
    });
    assert!(o.status.success());
    assert!(std::fs::symlink_metadata(&csv_link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(d.join("quotes.csv"))
        .unwrap()
        .starts_with("document,"));

    // A FIFO (with a reader waiting), a folder, a device: refused, exit 1, left as they were.
    let fifo = d.join("fifo.jsonl");
    mkfifo(&fifo);
    let dir = d.join("folder.jsonl");
    std::fs::create_dir_all(&dir).unwrap();
    let dev = d.join("null.jsonl");
    let c = std::ffi::CString::new(dev.to_str().unwrap()).unwrap();
    // SAFETY: mknod of a character device (1, 3 is /dev/null) at a valid path; root only.
    let have_dev =
        unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } == 0;
    let fifo_link = d.join("fifo-link.jsonl");
    std::os::unix::fs::symlink(&fifo, &fifo_link).unwrap();
    let mut cases = vec![
        (fifo.clone(), "a FIFO"),
        (dir.clone(), "a folder"),
        (fifo_link.clone(), "a FIFO"),
    ];
    if have_dev {
        cases.push((dev.clone(), "a device"));
    } else {
        eprintln!("not root: the device case is left out");
    }
    for (path, what) in &cases {
        for cmd in [
            vec!["extract"],
            vec!["extract", "--resume"],
            vec!["report"],
            vec!["export"],
        ] {
            let mut c = if cmd[0] == "extract" {
                let mut c = extract(&cmd[1..]);
                c.arg(doc);
                c
            } else {
                let mut c = Command::new(BIN);
                c.arg(cmd[0]).arg(&target);
                c
            };
            c.arg("-o").arg(path);
            let o = run_for(c, Duration::from_secs(120));
            assert_eq!(
                o.status.code(),
                Some(1),
                "{cmd:?} -o {}: {}",
                path.display(),
                stderr(&o)
            );
            let err = stderr(&o);
            assert!(
                err.contains(&format!("{} is {what}", path.display())) && err.contains("refusing"),
                "{cmd:?}: {err}"
            );
        }
    }
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(dir.is_dir());
    if have_dev {
        assert!(std::fs::metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // -o -: standard output.
    let o = run(extract(&[doc, "-o", "-"]));
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 1);
    assert!(!d.join("-").exists());
}

// ---------------------------------------------------------------------------------------
// 5. cost per byte

/// Runs `whosaid extract --threads 1 FILE`; the output and the CPU seconds (user + system).
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its rusage
fn extract_cpu_seconds(path: &Path) -> (DocOutput, f64) {
    let out = path.with_extension("out.jsonl");
    let child = extract(&[path.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stderr(Stdio::null())
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
fn quote_marks_and_unbroken_tokens_cost_no_more_per_byte_than_news() {
    let dir = tmp("per-byte");
    // News: the fixture articles repeated to about 128 KB (a megabyte of news would take a
    // minute of CPU; the rate per byte is what is compared).
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/articles");
    let mut one = String::new();
    for f in ["harbor-bridge.txt", "trade-talks-pdf.txt"] {
        one.push_str(&std::fs::read_to_string(articles.join(f)).expect("fixture article"));
        one.push_str("\n\n");
    }
    let news = one.repeat(128 * 1024 / one.len() + 1);
    let news_path = dir.join("news.txt");
    std::fs::write(&news_path, &news).unwrap();
    let (news_doc, news_cpu) = extract_cpu_seconds(&news_path);
    assert!(news_doc.errors.is_empty() && !news_doc.quotes.is_empty());
    let news_rate = news_cpu / news.len() as f64;

    const MB: usize = 1_000_000;
    let fill = |unit: &str| unit.repeat(MB / unit.len());
    let mixed: String = {
        let marks = [
            "\"", "'", "\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}", "\u{ab}", "\u{bb}", "-",
            ".", " ", "\n",
        ];
        let mut s = String::new();
        let mut i = 0usize;
        while s.len() < MB {
            s.push_str(marks[(i * 7 + i / 5) % marks.len()]);
            i += 1;
        }
        s
    };
    let cases = [
        ("straight", fill("\"")),
        ("curly", fill("\u{201c}\u{201d}")),
        ("mixed", mixed),
        ("token", fill("Paris-London-")),
    ];
    let mut report = vec![format!(
        "news {:.2} µs/byte ({news_cpu:.1}s for {} bytes)",
        news_rate * 1e6,
        news.len()
    )];
    for (name, text) in &cases {
        let p = dir.join(format!("{name}.txt"));
        std::fs::write(&p, text).unwrap();
        let (doc, cpu) = extract_cpu_seconds(&p);
        assert!(doc.errors.is_empty(), "{name}: {:?}", doc.errors);
        for e in &doc.entities {
            for m in &e.mentions {
                assert!(
                    m.end - m.start <= 200,
                    "{name}: a mention of {} characters",
                    m.end - m.start
                );
            }
        }
        let rate = cpu / text.len() as f64;
        report.push(format!(
            "{name} {:.2} µs/byte ({cpu:.1}s, {:.2}× news)",
            rate * 1e6,
            rate / news_rate
        ));
        assert!(
            rate <= 2.0 * news_rate,
            "{name}: {:.2} µs of CPU per byte, news {:.2}",
            rate * 1e6,
            news_rate * 1e6
        );
    }
    eprintln!("{}", report.join("; "));
}

// ---------------------------------------------------------------------------------------
// 6. lesser

#[test]
fn csv_cells_that_would_be_formulas_are_neutralised_unless_raw() {
    let d = tmp("csv");
    let out = d.join("out.jsonl");
    let line = r#"{"id":"=HYPERLINK(\"http://x\")","source":"@x.txt","entities":[{"id":"E1","type":"PER","name":"+Anna","key":"anna","mentions":[{"start":0,"end":5,"text":"-Anna","score":0.9}]}],"quotes":[{"id":"Q1","kind":"direct","text":"=1+2","start":0,"end":4,"speaker":null,"cue":null,"confidence":0.5},{"id":"Q2","kind":"direct","text":"\ttab","start":5,"end":9,"speaker":null,"cue":null,"confidence":0.5}],"errors":[]}"#;
    std::fs::write(&out, format!("{line}\n")).unwrap();
    let csv = |raw: bool| {
        let mut c = Command::new(BIN);
        c.arg("export")
            .arg(&out)
            .arg("--entities-csv")
            .arg(d.join(format!("e{raw}.csv")));
        if raw {
            c.arg("--raw-csv");
        }
        let o = run(c);
        assert!(o.status.success(), "{}", stderr(&o));
        let q = whosaid::analyst::export::parse_csv(&String::from_utf8(o.stdout).unwrap());
        let e = whosaid::analyst::export::parse_csv(
            &std::fs::read_to_string(d.join(format!("e{raw}.csv"))).unwrap(),
        );
        (q, e)
    };
    // Columns by name: the CSV's column set is the output contract's, not this test's.
    let col = |header: &[String], name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (q, e) = csv(false);
    let (qt, qs) = (col(&q[0], "text"), col(&q[0], "start"));
    let (en, et) = (col(&e[0], "name"), col(&e[0], "text"));
    assert_eq!(q[1][0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(q[1][1], "'@x.txt");
    assert_eq!(q[1][qt], "'=1+2");
    assert_eq!(q[2][qt], "'\ttab");
    assert_eq!(e[1][en], "'+Anna");
    assert_eq!(e[1][et], "'-Anna");
    assert_eq!(q[1][qs], "0", "numbers untouched");
    let (q, e) = csv(true);
    assert_eq!(q[1][qt], "=1+2");
    assert_eq!(e[1][et], "-Anna");
}

#[test]
fn who_escapes_terminal_control_characters() {
    let d = tmp("who");
    let out = d.join("out.jsonl");
    let line = r#"{"id":"x\u001b]0;owned\u0007","source":"x.txt","entities":[{"id":"E1","type":"PER","name":"Anna Berg","key":"anna berg","mentions":[{"start":0,"end":9,"text":"Anna Berg","score":0.9}]}],"quotes":[{"id":"Q1","kind":"direct","text":"hi\u001b[2J\u001b[31mred\r\u009b","start":20,"end":30,"speaker":{"name":"Anna Berg","entity":"E1","mention":{"start":0,"end":9,"text":"Anna Berg"},"resolved_by":"name"},"cue":null,"confidence":0.5}],"errors":[]}"#;
    std::fs::write(&out, format!("{line}\n")).unwrap();
    let o = run({
        let mut c = Command::new(BIN);
        c.arg("who").arg("Anna Berg").arg(&out);
        c
    });
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(
        text.contains("hi\\u{1b}[2J\\u{1b}[31mred\\r\\u{9b}"),
        "{text:?}"
    );
    assert!(text.contains("x\\u{1b}]0;owned\\u{7}"), "{text:?}");
}

#[test]
fn utf16_and_bom_inputs_are_decoded() {
    let d = tmp("utf16");
    let input = d.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = "\"We are ready,\" Anna Berg told reporters in Z\u{fc}rich.";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    std::fs::write(input.join("le.txt"), le).unwrap();
    std::fs::write(input.join("be.txt"), be).unwrap();
    std::fs::write(input.join("u8.txt"), bom8).unwrap();
    std::fs::write(input.join("plain.txt"), text).unwrap();
    let o = run(extract(&[input.to_str().unwrap()]));
    assert!(o.status.success(), "{}", stderr(&o));
    let docs: Vec<DocOutput> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 4);
    let plain = docs.iter().find(|d| d.id == "plain").unwrap();
    for d in &docs {
        assert!(d.errors.is_empty(), "{}: {:?}", d.id, d.errors);
        assert_eq!(d.quotes.len(), plain.quotes.len(), "{}", d.id);
        for (a, b) in d.quotes.iter().zip(&plain.quotes) {
            assert_eq!(
                (a.start, a.end, &a.text),
                (b.start, b.end, &b.text),
                "{}: offsets without the BOM",
                d.id
            );
        }
    }
}

#[test]
fn a_wrongly_typed_metadata_field_is_dropped_with_a_warning() {
    let d = tmp("meta");
    let input = d.join("batch.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"\\\"We are ready,\\\" Anna Berg said.\",\"title\":5,\"url\":\"https://x.example/a\"}\n",
    )
    .unwrap();
    let o = run(extract(&[input.to_str().unwrap()]));
    let doc: DocOutput = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc.meta.title, None);
    assert_eq!(doc.meta.url.as_deref(), Some("https://x.example/a"));
    assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    assert!(
        doc.errors[0].contains("\"title\" must be a string or null, not 5; dropped"),
        "{:?}",
        doc.errors
    );
    assert!(
        !doc.quotes.is_empty() && !doc.entities.is_empty(),
        "the document is processed"
    );
}

#[test]
fn a_write_error_names_the_file() {
    // The file size limit (ulimit -f) with SIGXFSZ ignored: writes past it fail with EFBIG,
    // as a full disk fails with ENOSPC.
    let d = tmp("write-error");
    let input = articles(&d, "in", 30);
    let out = d.join("out.jsonl");
    let resumed = d.join("resumed.jsonl");
    for (path, resume) in [(&out, false), (&resumed, true)] {
        let script = format!(
            "trap '' XFSZ; ulimit -f 1; exec {BIN} extract --model {} --threads 1 --precision f32 --chunk-size 1 {} -o {} {}",
            model().display(),
            if resume { "--resume" } else { "" },
            path.display(),
            input.display()
        );
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        let o = run(c);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("writing {}", path.display())) && err.contains("too large"),
            "{err}"
        );
        assert!(partials(path).is_empty(), "no temporary file left");
    }
}

/// `eval quotes` on a PolNeAR-shaped folder writes nothing into the current folder unless
/// `--errors FILE` asks for the error list, which it then writes to FILE.
#[test]
fn eval_quotes_writes_an_error_list_only_when_asked() {
    let dir = tmp("eval-errors");
    let split = dir.join("split");
    std::fs::create_dir_all(split.join("text")).unwrap();
    std::fs::create_dir_all(split.join("attributions")).unwrap();
    let text = "The mayor spoke on Monday. \"We will rebuild the bridge,\" Mayor Ann Lee said.\n";
    std::fs::write(split.join("text/a.txt"), text).unwrap();
    let span = |s: &str| {
        let b = text.find(s).unwrap();
        let (cb, ce) = (
            text[..b].chars().count(),
            text[..b + s.len()].chars().count(),
        );
        format!("{cb} {ce}\t{s}")
    };
    let ann = format!(
        "T1\tSource {}\nT2\tCue {}\nT3\tContent {}\nT4\tAttribution {}\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
        span("Mayor Ann Lee"),
        span("said"),
        span("We will rebuild the bridge,"),
        span("said"),
    );
    std::fs::write(split.join("attributions/a_ann1.ann"), ann).unwrap();
    let cwd = dir.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let eval = |extra: &[&str]| {
        let mut c = Command::new(BIN);
        c.current_dir(&cwd)
            .args(["eval", "quotes"])
            .arg(&split)
            .arg("--model")
            .arg(model())
            .args(["--threads", "1"])
            .args(extra);
        run(c)
    };
    let o = eval(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("PolNeAR quote evaluation, 1 articles"));
    let left: Vec<_> = std::fs::read_dir(&cwd).unwrap().collect();
    assert!(left.is_empty(), "eval quotes wrote {left:?} unasked");

    let errors = dir.join("errors.txt");
    let o = eval(&["--errors", errors.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(errors.is_file(), "no error list at {}", errors.display());
    assert!(std::fs::read_dir(&cwd).unwrap().next().is_none());
}
