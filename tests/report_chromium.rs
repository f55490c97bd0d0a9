//! `whosaid report` rendered in a real browser: headless Chromium driven through chromedriver
//! (WebDriver over HTTP on 127.0.0.1, spoken by hand here: no extra crates). The test writes a
//! small corpus of three articles with their extract output, runs `whosaid report`, opens the
//! page and checks what a person would see: the speaker ranking (the same person across
//! articles counted once), the entity ranking by documents, the chart, every quote highlighted
//! in its speaker's colour (computed styles), clicking a speaker dims the others' quotes, no
//! request leaves the page, and a screenshot whose pixels show the speakers' colours.
//!
//! Needs Debian's `chromium` and `chromium-driver` (scripts/install-test-deps.sh installs them);
//! without /usr/bin/chromium the test says so and passes without checking anything.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ARGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--hide-scrollbars",
    "--window-size=1280,2000",
];

// ---- the corpus -------------------------------------------------------------------------

/// Code point span of the first `needle` in `text` at or after code point `from`.
fn span(text: &str, needle: &str, from: usize) -> (usize, usize) {
    let byte_from = text.char_indices().nth(from).map_or(text.len(), |(b, _)| b);
    let b = byte_from
        + text[byte_from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

/// Code point span of `needle` next to the quote `[qs, qe)`: the first after it, else the last
/// before it.
fn near(text: &str, needle: &str, qs: usize, qe: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    let at = |i: usize| chars[i..].starts_with(&n);
    let s = (qe..chars.len())
        .find(|&i| at(i))
        .or_else(|| (0..qs).rev().find(|&i| at(i)))
        .unwrap_or_else(|| panic!("{needle:?} not near the quote"));
    (s, s + n.len())
}

/// (quote, speaker name, entity id, speaker mention, cue)
type Q<'a> = (
    &'a str,
    Option<(&'a str, Option<&'a str>, &'a str)>,
    Option<&'a str>,
);

fn doc(
    dir: &Path,
    id: &str,
    text: &str,
    entities: &[(&str, &str, &str, &[&str])],
    quotes: &[Q],
) -> Value {
    let source = dir.join(format!("{id}.txt"));
    std::fs::write(&source, text).unwrap();
    let ents: Vec<Value> = entities
        .iter()
        .map(|(eid, etype, name, mentions)| {
            let mut from = 0;
            let ms: Vec<Value> = mentions
                .iter()
                .map(|m| {
                    let (s, e) = span(text, m, from);
                    from = e;
                    json!({"start": s, "end": e, "text": m, "score": 0.99})
                })
                .collect();
            json!({"id": eid, "type": etype, "name": name,
                   "key": whosaid::entities::entity_key(name), "mentions": ms})
        })
        .collect();
    let qs: Vec<Value> = quotes
        .iter()
        .enumerate()
        .map(|(i, (q, speaker, cue))| {
            let (s, e) = span(text, q, 0);
            let speaker = speaker.map(|(name, entity, mention)| {
                let (ms, me) = near(text, mention, s, e);
                json!({"name": name, "entity": entity,
                       "mention": {"start": ms, "end": me, "text": mention}, "resolved_by": "name"})
            });
            let cue = cue.map(|c| {
                let (cs, ce) = near(text, c, s, e);
                json!({"start": cs, "end": ce, "text": c})
            });
            json!({"id": format!("Q{}", i + 1), "kind": "direct", "text": q, "start": s, "end": e,
                   "speaker": speaker, "cue": cue, "confidence": 0.9})
        })
        .collect();
    json!({"id": id, "source": source.display().to_string(), "entities": ents, "quotes": qs, "errors": []})
}

fn corpus(dir: &Path) -> PathBuf {
    let a = "Vladimir Putin spoke in Moscow on Friday.\n\n\"We are ready for talks,\" Putin said. \
             \"The West must listen,\" he added.\n\nAnna Berg, the Swedish minister, said: \"Not yet.\"\n";
    let b = "Vladimir Putin met Anna Berg in Geneva.\n\n\"Progress is slow,\" said Anna Berg. \
             \"We will see,\" Putin told reporters. \"No comment,\" a source said.\n";
    let c = "Markets rose as Vladimir Putin and the <Geneva> & \"talks\" went on.\n";
    let docs = [
        doc(
            dir,
            "alpha",
            a,
            &[
                ("E1", "PER", "Vladimir Putin", &["Vladimir Putin", "Putin"]),
                ("E2", "LOC", "Moscow", &["Moscow"]),
                ("E3", "PER", "Anna Berg", &["Anna Berg"]),
            ],
            &[
                (
                    "We are ready for talks,",
                    Some(("Vladimir Putin", Some("E1"), "Putin")),
                    Some("said"),
                ),
                (
                    "The West must listen,",
                    Some(("Vladimir Putin", Some("E1"), "he")),
                    Some("added"),
                ),
                (
                    "Not yet.",
                    Some(("Anna Berg", Some("E3"), "Anna Berg")),
                    Some("said"),
                ),
            ],
        ),
        doc(
            dir,
            "beta",
            b,
            &[
                ("E1", "PER", "Vladimir Putin", &["Vladimir Putin", "Putin"]),
                ("E2", "PER", "Anna Berg", &["Anna Berg", "Anna Berg"]),
                ("E3", "LOC", "Geneva", &["Geneva"]),
            ],
            &[
                (
                    "Progress is slow,",
                    Some(("Anna Berg", Some("E2"), "Anna Berg")),
                    Some("said"),
                ),
                (
                    "We will see,",
                    Some(("Putin", Some("E1"), "Putin")),
                    Some("told"),
                ),
                (
                    "No comment,",
                    Some(("a source", None, "a source")),
                    Some("said"),
                ),
            ],
        ),
        doc(
            dir,
            "gamma",
            c,
            &[
                ("E1", "PER", "Vladimir Putin", &["Vladimir Putin"]),
                ("E2", "LOC", "Geneva", &["Geneva"]),
            ],
            &[("talks", None, None)],
        ),
    ];
    let out = dir.join("out.jsonl");
    let lines: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    out
}

// ---- a minimal WebDriver client ---------------------------------------------------------

struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let _ = self.call("DELETE", &format!("/session/{s}"), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&body[..eol]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[eol + 2 + size + 2..];
    }
    out
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let d = Driver {
            child,
            port,
            session: None,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(v) = d.call("GET", "/status", None) {
                if v["value"]["ready"] == true {
                    return d;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> std::io::Result<Value> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(120)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        // chromedriver keeps the connection open: read the header, then the body it announces.
        let mut resp = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        let split = loop {
            if let Some(p) = resp.windows(4).position(|w| w == b"\r\n\r\n") {
                break p;
            }
            let n = s.read(&mut buf)?;
            if n == 0 {
                return Err(std::io::Error::other("no HTTP header"));
            }
            resp.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&resp[..split]).to_ascii_lowercase();
        let mut payload = resp[split + 4..].to_vec();
        let length = head.lines().find_map(|l| {
            l.strip_prefix("content-length:")
                .and_then(|v| v.trim().parse::<usize>().ok())
        });
        let chunked = head.contains("transfer-encoding: chunked");
        loop {
            let complete = match length {
                Some(n) => payload.len() >= n,
                None if chunked => payload.windows(5).any(|w| w == b"0\r\n\r\n"),
                None => false,
            };
            if complete {
                break;
            }
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            payload.extend_from_slice(&buf[..n]);
        }
        if chunked {
            payload = dechunk(&payload);
        }
        serde_json::from_slice(&payload).map_err(std::io::Error::other)
    }

    /// A call in the session; panics on a WebDriver error.
    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let s = self.session.as_ref().unwrap();
        let v = self
            .call(
                method,
                &format!("/session/{s}{path}"),
                (!body.is_null()).then_some(&body),
            )
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(v["value"]["error"].is_null(), "{path}: {}", v["value"]);
        v["value"].clone()
    }

    fn open_session(&mut self) {
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": ARGS}}}});
        let v = self.call("POST", "/session", Some(&caps)).unwrap();
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        self.session = Some(id);
    }

    fn script(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (val(c) as u32) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

// ---- the test ---------------------------------------------------------------------------

const INSPECT: &str = r#"
const q = s => Array.from(document.querySelectorAll(s));
const bg = el => getComputedStyle(el).backgroundColor;
return {
  ready: document.documentElement.getAttribute('data-ready'),
  title: document.title,
  summary: document.getElementById('summary').textContent,
  speakers: q('#speakers tbody tr[data-sp]').map(r => [r.cells[1].textContent.trim(), r.cells[2].textContent.trim(), r.cells[3].textContent.trim(), r.cells[7].textContent.trim()]),
  swatches: q('#speakers tbody tr[data-sp] .sw').map(bg),
  entities: q('#entities tbody tr').map(r => [r.cells[1].textContent.trim(), r.cells[3].textContent.trim()]),
  bars: q('#speaker-chart rect').map(r => [r.getAttribute('fill'), r.getBBox().width]),
  marks: q('mark.q').map(m => [m.closest('article').id, m.dataset.q, m.dataset.sp || '', bg(m), m.textContent, m.getBoundingClientRect().width]),
  who: q('.text .who').map(w => w.textContent),
  articles: q('article.doc').length,
  resources: performance.getEntriesByType('resource').map(e => e.name),
};
"#;

/// Counts screenshot pixels within 4 of each given `rgb(r, g, b)` colour.
const PIXELS: &str = r#"
const [png, colours, done] = arguments;
const img = new Image();
img.onload = () => {
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const want = colours.map(s => s.match(/\d+/g).slice(0, 3).map(Number));
  const counts = want.map(() => 0);
  for (let i = 0; i < d.length; i += 4) {
    for (let k = 0; k < want.length; k++) {
      const w = want[k];
      if (Math.abs(d[i] - w[0]) <= 4 && Math.abs(d[i+1] - w[1]) <= 4 && Math.abs(d[i+2] - w[2]) <= 4) counts[k]++;
    }
  }
  done({width: img.width, height: img.height, counts});
};
img.onerror = () => done({error: 'screenshot did not load'});
img.src = 'data:image/png;base64,' + png;
"#;

/// Writes `whosaid report ARGS OUT -o DIR/report.html` and opens the page in Chromium.
fn open_report(dir: &Path, out: &Path, args: &[&str]) -> Driver {
    let html = dir.join("report.html");
    let o = Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .arg("report")
        .args(args)
        .arg(out)
        .arg("-o")
        .arg(&html)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut driver = Driver::start();
    driver.open_session();
    driver.cmd(
        "POST",
        "/url",
        json!({"url": format!("file://{}", html.display())}),
    );
    driver
}

#[test]
fn report_renders_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "SKIPPED report_renders_in_chromium: {CHROMIUM} or {CHROMEDRIVER} missing \
             (run scripts/install-test-deps.sh to install chromium and chromium-driver)"
        );
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report_chromium");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = corpus(&dir);
    let driver = open_report(&dir, &out, &["--title", "Test corpus"]);
    let v = driver.script(INSPECT, json!([]));
    assert_eq!(v["ready"], "1", "the page's script ran");
    assert_eq!(v["title"], "Test corpus");
    assert_eq!(v["articles"], 3);
    assert!(
        v["summary"]
            .as_str()
            .unwrap()
            .starts_with("3 documents · 7 quotes · 3 speakers"),
        "{}",
        v["summary"]
    );
    // Putin is "Vladimir Putin" in alpha and "Putin" in beta: one speaker, 3 quotes, 2 docs.
    assert_eq!(
        v["speakers"],
        json!([
            ["Vladimir Putin", "person", "3", "2"],
            ["Anna Berg", "person", "2", "2"],
            ["source", "unnamed", "1", "1"]
        ])
    );
    assert_eq!(v["entities"][0], json!(["Vladimir Putin", "3"]));
    assert_eq!(v["entities"][1], json!(["Anna Berg", "2"]));
    assert_eq!(v["entities"][2], json!(["Geneva", "2"]));
    let bars = v["bars"].as_array().unwrap();
    // The chart shows the named people (the unnamed source is listed under its kind).
    assert_eq!(bars.len(), 2);
    assert!(bars[0][1].as_f64() > bars[1][1].as_f64());
    assert!(
        v["resources"].as_array().unwrap().is_empty(),
        "no request: {}",
        v["resources"]
    );

    // Every quote is highlighted, visible, in its speaker's colour (that of the ranking).
    let swatches: Vec<&str> = v["swatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let marks = v["marks"].as_array().unwrap();
    assert_eq!(marks.len(), 7, "{marks:?}");
    for m in marks {
        let (sp, colour, width) = (
            m[2].as_str().unwrap(),
            m[3].as_str().unwrap(),
            m[5].as_f64().unwrap(),
        );
        assert!(width > 0.0, "visible: {m}");
        assert_ne!(colour, "rgba(0, 0, 0, 0)", "coloured: {m}");
        if let Ok(rank) = sp.parse::<usize>() {
            assert_eq!(colour, swatches[rank], "speaker colour: {m}");
        }
    }
    let texts: Vec<(&str, &str)> = marks
        .iter()
        .map(|m| (m[4].as_str().unwrap(), m[2].as_str().unwrap()))
        .collect();
    assert!(texts.contains(&("We are ready for talks,", "0")));
    assert!(texts.contains(&("We will see,", "0")));
    assert!(texts.contains(&("Progress is slow,", "1")));
    assert!(texts.contains(&("No comment,", "2")));
    assert!(
        texts.contains(&("talks", "-")),
        "an unattributed quote is marked too"
    );
    assert_eq!(swatches.len(), 3);
    assert!(swatches[0] != swatches[1] && swatches[1] != swatches[2]);
    assert!(
        v["who"].as_array().unwrap().contains(&json!("he")),
        "speaker mentions are marked"
    );
    // Markup in an article is shown as text, not run.
    let text_c = driver.script(
        "return document.getElementById('doc-3').querySelector('.text').textContent;",
        json!([]),
    );
    assert!(text_c
        .as_str()
        .unwrap()
        .contains("the <Geneva> & \"talks\" went on"));

    // Clicking a speaker dims every other speaker's quotes; clicking again undoes it.
    let dims = driver.script(
        "const row = document.querySelector('#speakers tbody tr[data-sp=\"1\"]'); row.click();\
         const a = document.querySelectorAll('mark.q.dim').length; row.click();\
         return [a, document.querySelectorAll('mark.q.dim').length];",
        json!([]),
    );
    assert_eq!(
        dims,
        json!([5, 0]),
        "Anna Berg's 2 quotes stay, the other 5 dim"
    );

    // The screenshot shows the colours.
    let png_b64 = driver.cmd("GET", "/screenshot", Value::Null);
    let png_b64 = png_b64.as_str().unwrap().to_string();
    let png = base64_decode(&png_b64);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    let shot = dir.join("report.png");
    std::fs::write(&shot, &png).unwrap();
    let px = driver.cmd(
        "POST",
        "/execute/async",
        json!({"script": PIXELS, "args": [png_b64, swatches]}),
    );
    eprintln!(
        "screenshot {} ({width}x{height}, {} bytes): pixels in the speakers' colours {}",
        shot.display(),
        png.len(),
        px["counts"]
    );
    assert!(width >= 800 && height >= 600);
    let counts: Vec<u64> = px["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert!(
        counts.iter().all(|&c| c > 200),
        "each speaker's colour is on screen: {counts:?}"
    );
    assert!(
        counts[0] > counts[2],
        "the top speaker has the longest bar and most highlights"
    );
}

/// extract output with dates and more speakers than a page of 100 rows: 3 dated articles and
/// one with 120 distinct named speakers.
fn dated_corpus(dir: &Path) -> PathBuf {
    let dated = [
        ("d1", "2025-03-12", "Anna Berg"),
        ("d2", "2025-03-13", "Tom Clarke"),
        ("d3", "2025-03-14", "Anna Berg"),
    ];
    let mut lines = Vec::new();
    for (id, day, who) in dated {
        let text = format!("\"It works,\" {who} said.\n");
        let source = dir.join(format!("{id}.txt"));
        std::fs::write(&source, &text).unwrap();
        let s = text.find(who).unwrap();
        let name_end = s + who.len();
        lines.push(json!({
            "id": id, "source": source.display().to_string(), "published": day,
            "entities": [{"id": "E1", "type": "PER", "name": who, "key": who.to_lowercase(),
                          "mentions": [{"start": s, "end": name_end, "text": who, "score": 0.99}]}],
            "quotes": [{"id": "Q1", "kind": "direct", "text": "It works,", "start": 1, "end": 10,
                        "speaker": {"name": who, "entity": "E1",
                                    "mention": {"start": s, "end": name_end, "text": who},
                                    "resolved_by": "name"},
                        "cue": {"start": name_end + 1, "end": name_end + 5, "text": "said"},
                        "confidence": 0.9}],
            "errors": []}));
    }
    let mut text = String::new();
    let (mut ents, mut quotes) = (Vec::new(), Vec::new());
    for k in 0..120 {
        let who = format!("Speaker Number{k:03}");
        let line = format!("\"Point {k}.\" {who} said.\n");
        let qs = text.chars().count() + 1;
        let ns = text.chars().count() + line.find(&who).unwrap();
        text += &line;
        let e = format!("E{}", k + 1);
        ents.push(
            json!({"id": e, "type": "PER", "name": who, "key": who.to_lowercase(),
            "mentions": [{"start": ns, "end": ns + who.len(), "text": who, "score": 0.99}]}),
        );
        quotes.push(json!({"id": format!("Q{}", k + 1), "kind": "direct",
            "text": format!("Point {k}."), "start": qs, "end": qs + format!("Point {k}.").len(),
            "speaker": {"name": who, "entity": e,
                        "mention": {"start": ns, "end": ns + who.len(), "text": who},
                        "resolved_by": "name"},
            "cue": {"start": ns + who.len() + 1, "end": ns + who.len() + 5, "text": "said"},
            "confidence": 0.9}));
    }
    let source = dir.join("many.txt");
    std::fs::write(&source, &text).unwrap();
    lines.push(json!({"id": "many", "source": source.display().to_string(),
        "entities": ents, "quotes": quotes, "errors": []}));
    let out = dir.join("dated.jsonl");
    let body: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&out, body.join("\n") + "\n").unwrap();
    out
}

/// The rows of a table that are shown, as their cells' text.
const VISIBLE_ROWS: &str = r#"
const t = document.querySelector(arguments[0]);
return Array.from(t.querySelectorAll('tbody tr:not(.kindrow):not(.more)'))
  .filter(r => getComputedStyle(r).display !== 'none')
  .map(r => Array.from(r.cells).map(c => c.textContent.trim()));
"#;

#[test]
fn report_tables_search_sort_and_filter_by_date_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "SKIPPED report_tables_search_sort_and_filter_by_date_in_chromium: {CHROMIUM} or \
             {CHROMEDRIVER} missing (run scripts/install-test-deps.sh)"
        );
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report_chromium-tables");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dated_corpus(&dir);
    let driver = open_report(&dir, &out, &[]);
    let ready = driver.script(
        "return document.documentElement.getAttribute('data-tables');",
        json!([]),
    );
    assert_eq!(ready, "1", "the tables' script ran");
    // All rows: 120 + 2 speakers, no "and N more".
    let rows = driver.script(VISIBLE_ROWS, json!(["#speakers table"]));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 122, "every speaker has a row");
    // Search: only the rows with the words stay.
    let found = driver.script(
        "const box = document.querySelector('#speakers input.filter');\
         box.value = 'anna berg'; box.dispatchEvent(new Event('input'));\
         return null;",
        json!([]),
    );
    assert!(found.is_null());
    let rows = driver.script(VISIBLE_ROWS, json!(["#speakers table"]));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].to_string().contains("Anna Berg"));
    driver.script(
        "const box = document.querySelector('#speakers input.filter');\
         box.value = ''; box.dispatchEvent(new Event('input')); return null;",
        json!([]),
    );
    // Sort by the speaker column, then reverse it.
    let col = driver.script(
        "return Array.from(document.querySelectorAll('#speakers thead th'))\
           .findIndex(th => th.textContent.trim().startsWith('Speaker'));",
        json!([]),
    );
    let col = col.as_u64().expect("a Speaker column") as usize;
    let click =
        format!("document.querySelectorAll('#speakers thead th')[{col}].click(); return null;");
    driver.script(&click, json!([]));
    let asc = driver.script(VISIBLE_ROWS, json!(["#speakers table"]));
    let names: Vec<String> = asc
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[col].as_str().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|a| a.to_lowercase());
    assert_eq!(names.first(), sorted.first(), "ascending");
    assert_eq!(names.last(), sorted.last(), "ascending");
    driver.script(&click, json!([]));
    let desc = driver.script(VISIBLE_ROWS, json!(["#speakers table"]));
    assert_eq!(
        desc.as_array().unwrap()[0][col].as_str().unwrap(),
        sorted.last().unwrap(),
        "a second click reverses"
    );
    // The date range: from the 13th, the 12th's article and day row go.
    let shown = driver.script(
        "const f = document.getElementById('date-from'); f.value = '2025-03-13';\
         f.dispatchEvent(new Event('input'));\
         return Array.from(document.querySelectorAll('article.doc'))\
           .filter(a => getComputedStyle(a).display !== 'none').map(a => a.id);",
        json!([]),
    );
    let shown: Vec<&str> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(shown.len(), 3, "d2, d3 and the undated article: {shown:?}");
    let days = driver.script(VISIBLE_ROWS, json!(["#days table"]));
    let days: Vec<String> = days
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    assert!(!days.contains(&"2025-03-12".to_string()), "{days:?}");
    assert!(days.contains(&"2025-03-14".to_string()), "{days:?}");
}
