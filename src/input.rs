//! Reading documents from files, folders, stdin and JSON Lines.
//!
//! An input is a file, a folder (recursively: `.txt`, `.md`, `.markdown`, `.html`, `.htm`,
//! `.jsonl`, sorted by path, hidden entries skipped) or `-` for stdin. JSON Lines input
//! (`{"id": ..., "text": ...}` per line, optional `"format": "text|markdown|html"`) gives one
//! document per line and is read as a stream, so a producer writing line by line gets its
//! answers line by line. By default ([`InputFormat::Auto`]) a file is JSON Lines when its name
//! ends in `.jsonl` and stdin when its first non-blank character is `{`; otherwise the
//! document's format comes from its extension or a look at its text. `--input-format` forces
//! one reading for every input (so a stream whose first line is garbage is still read as JSON
//! Lines, with that line reported as malformed).
//!
//! Every problem becomes an [`InputError`] naming the file (and line) and the problem; the
//! rest of the input goes on. Offsets in the output are code points into the text exactly as
//! read (a byte order mark, if any, stays in the text and counts as one code point).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::clean::DocMeta;
use crate::clean::{detect_format, Format};

/// One document read from the input.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub id: String,
    pub source: String,
    pub text: String,
    pub format: Format,
    /// `title`, `published`, `byline`, `url` given with the document (JSON Lines fields);
    /// they win over what an HTML page says of itself.
    pub meta: DocMeta,
}

/// A document that could not be read, with a message naming the file and the problem.
#[derive(Debug, Clone)]
pub struct InputError {
    pub id: String,
    pub source: String,
    pub message: String,
}

pub type InputItem = Result<RawDoc, InputError>;

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
}

/// How to read the inputs (`--input-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// JSON Lines for `.jsonl` files and for stdin starting with `{`; otherwise one document
    /// per file with its format detected.
    #[default]
    Auto,
    /// Every input is JSON Lines.
    Jsonl,
    /// Every input is one document in this format.
    Doc(Format),
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(InputFormat::Auto),
            "jsonl" | "json-lines" | "ndjson" => Ok(InputFormat::Jsonl),
            other => Format::parse(other).map(InputFormat::Doc).ok_or_else(|| {
                format!("unknown input format {s:?} (expected auto, jsonl, text, markdown or html)")
            }),
        }
    }
}

/// By default documents over 5 MiB are refused (`--max-bytes` raises the limit).
pub const DEFAULT_MAX_BYTES: usize = 5 * 1024 * 1024;

const EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "html", "htm", "jsonl"];

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError {
                id: stem(dir),
                source: dir.display().to_string(),
                message: format!("{}: cannot read folder: {e}", dir.display()),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // Symlinked folders are not followed (no loops).
        let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if p.is_dir() && !is_link {
            walk(&p, out, errors);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// Expands inputs: files as given, folders recursively (sorted), `-` as stdin.
/// A path that does not exist becomes an error naming it.
pub fn expand_inputs(inputs: &[String]) -> (Vec<InputSource>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input == "-" {
            sources.push(InputSource::Stdin);
            continue;
        }
        let p = PathBuf::from(input);
        if p.is_dir() {
            let mut files = Vec::new();
            walk(&p, &mut files, &mut errors);
            sources.extend(files.into_iter().map(InputSource::File));
        } else if p.exists() {
            sources.push(InputSource::File(p));
        } else {
            errors.push(InputError {
                id: stem(&p),
                source: input.clone(),
                message: format!("{input}: no such file or folder"),
            });
        }
    }
    (sources, errors)
}

/// Checks a document's text: not empty, not binary, not over the limit.
pub fn check_text(text: &str, max_bytes: usize) -> Result<(), String> {
    if text.len() > max_bytes {
        return Err(format!(
            "document is {} bytes, over the limit of {max_bytes}; pass --max-bytes to raise it",
            text.len()
        ));
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err("empty document".into());
    }
    if text.contains('\0') {
        return Err("binary content (NUL bytes), not text".into());
    }
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if control * 10 > text.chars().count() * 3 {
        return Err("binary content (mostly control characters), not text".into());
    }
    Ok(())
}

fn decode(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

fn json_doc(line: &str, stem: &str, source: &str, n: usize, max_bytes: usize) -> InputItem {
    let fallback_id = format!("{stem}:{n}");
    let err = |id: &str, message: String| InputError {
        id: id.to_string(),
        source: source.to_string(),
        message: format!("{source}:{n}: {message}"),
    };
    let v: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| err(&fallback_id, format!("not a JSON object: {e}")))?;
    let id = match v.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(x)) => x.to_string(),
        _ => fallback_id.clone(),
    };
    let text = v
        .get("text")
        .and_then(|t| t.as_str())
        .ok_or_else(|| err(&id, "no \"text\" string field".into()))?
        .to_string();
    check_text(&text, max_bytes).map_err(|m| err(&id, m))?;
    let format = match v.get("format").and_then(|f| f.as_str()) {
        Some("markdown") | Some("md") => Format::Markdown,
        Some("html") => Format::Html,
        Some("text") | Some("txt") => Format::Text,
        Some(other) => {
            return Err(err(
                &id,
                format!("unknown format {other:?} (text, markdown, html)"),
            ))
        }
        None => detect_format("", &text),
    };
    let field = |name: &str| match v.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(err(
            &id,
            format!("\"{name}\" must be a string or null, not {other}"),
        )),
    };
    let meta = DocMeta {
        title: field("title")?,
        published: field("published")?,
        byline: field("byline")?,
        url: field("url")?,
    };
    Ok(RawDoc {
        id,
        source: source.to_string(),
        text,
        format,
        meta,
    })
}

/// JSON Lines from a reader, one document per non-empty line, streamed.
fn jsonl_stream(
    reader: impl BufRead + Send + 'static,
    stem: String,
    source: String,
    max_bytes: usize,
    first: Option<String>,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    let lines = first.into_iter().map(Ok).chain(reader.lines());
    Box::new(lines.enumerate().filter_map(move |(i, line)| {
        let n = i + 1;
        match line {
            Err(e) => Some(Err(InputError {
                id: format!("{stem}:{n}"),
                source: source.clone(),
                message: format!("{source}:{n}: cannot read line: {e}"),
            })),
            Ok(l) if l.trim_start_matches('\u{feff}').trim().is_empty() => None,
            Ok(l) => Some(json_doc(&l, &stem, &source, n, max_bytes)),
        }
    }))
}

/// Reads the documents of one source, streaming (one file = one document, except JSON Lines),
/// with the format detected.
pub fn read_source(
    src: &InputSource,
    max_bytes: usize,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    read_source_as(src, max_bytes, InputFormat::Auto)
}

/// Reads the documents of one source as `how` says.
pub fn read_source_as(
    src: &InputSource,
    max_bytes: usize,
    how: InputFormat,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    match src {
        InputSource::File(path) => {
            let source = path.display().to_string();
            let id = stem(path);
            let is_jsonl = match how {
                InputFormat::Auto => path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("jsonl")),
                InputFormat::Jsonl => true,
                InputFormat::Doc(_) => false,
            };
            if is_jsonl {
                return match std::fs::File::open(path) {
                    Ok(f) => jsonl_stream(BufReader::new(f), id, source, max_bytes, None),
                    Err(e) => Box::new(std::iter::once(Err(InputError {
                        message: format!("{source}: cannot read: {e}"),
                        id,
                        source,
                    }))),
                };
            }
            let item = read_file(path, max_bytes).map_err(|m| InputError {
                message: format!("{source}: {m}"),
                id: id.clone(),
                source: source.clone(),
            });
            Box::new(std::iter::once(item.map(|(text, format)| RawDoc {
                id,
                source,
                text,
                format: match how {
                    InputFormat::Doc(f) => f,
                    _ => format,
                },
                meta: DocMeta::default(),
            })))
        }
        InputSource::Stdin => {
            let mut reader = BufReader::new(std::io::stdin());
            // Peek at the first non-blank line to choose between JSON Lines and plain text.
            let mut first = String::new();
            loop {
                first.clear();
                match reader.read_line(&mut first) {
                    Ok(0) => {
                        return Box::new(std::iter::once(Err(InputError {
                            id: "stdin".into(),
                            source: "-".into(),
                            message: "-: empty input".into(),
                        })))
                    }
                    Ok(_) if first.trim().is_empty() => continue,
                    Ok(_) => break,
                    Err(e) => {
                        return Box::new(std::iter::once(Err(InputError {
                            id: "stdin".into(),
                            source: "-".into(),
                            message: format!("-: cannot read: {e}"),
                        })))
                    }
                }
            }
            let looks_jsonl = first
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .starts_with('{');
            if how == InputFormat::Jsonl || (how == InputFormat::Auto && looks_jsonl) {
                let line = first.trim_end_matches(['\n', '\r']).to_string();
                return jsonl_stream(reader, "stdin".into(), "-".into(), max_bytes, Some(line));
            }
            let mut rest = Vec::new();
            let item = reader
                .take(max_bytes as u64 + 1)
                .read_to_end(&mut rest)
                .map_err(|e| format!("cannot read: {e}"))
                .and_then(|_| decode(rest))
                .and_then(|text| {
                    let text = first + &text;
                    check_text(&text, max_bytes)?;
                    Ok(text)
                })
                .map(|text| RawDoc {
                    id: "stdin".into(),
                    source: "-".into(),
                    format: match how {
                        InputFormat::Doc(f) => f,
                        _ => detect_format("", &text),
                    },
                    text,
                    meta: DocMeta::default(),
                })
                .map_err(|m| InputError {
                    id: "stdin".into(),
                    source: "-".into(),
                    message: format!("-: {m}"),
                });
            Box::new(std::iter::once(item))
        }
    }
}

fn read_file(path: &Path, max_bytes: usize) -> Result<(String, Format), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() as usize > max_bytes {
        return Err(format!(
            "document is {} bytes, over the limit of {max_bytes}; pass --max-bytes to raise it",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = decode(bytes)?;
    check_text(&text, max_bytes)?;
    let format = detect_format(&path.to_string_lossy(), &text);
    Ok((text, format))
}

/// All documents of all sources, in order, streamed, with formats detected.
pub fn read_all(
    sources: Vec<InputSource>,
    max_bytes: usize,
) -> impl Iterator<Item = InputItem> + Send {
    read_all_as(sources, max_bytes, InputFormat::Auto)
}

/// All documents of all sources, in order, streamed, read as `how` says.
pub fn read_all_as(
    sources: Vec<InputSource>,
    max_bytes: usize,
    how: InputFormat,
) -> impl Iterator<Item = InputItem> + Send {
    sources
        .into_iter()
        .flat_map(move |s| read_source_as(&s, max_bytes, how))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("whosaid-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn folders_recurse_in_order_and_skip_other_files() {
        let d = tmpdir("walk");
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("b.txt"), "Bee said hi.").unwrap();
        std::fs::write(d.join("a.md"), "# A\n\nAy said hi.").unwrap();
        std::fs::write(d.join("sub/c.html"), "<p>See said hi.</p>").unwrap();
        std::fs::write(d.join("image.png"), [0u8, 1, 2]).unwrap();
        std::fs::write(d.join(".hidden.txt"), "no").unwrap();
        let (srcs, errs) = expand_inputs(&[d.display().to_string(), "/no/such/path".into()]);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("/no/such/path"));
        let docs: Vec<RawDoc> = read_all(srcs, DEFAULT_MAX_BYTES)
            .map(|r| r.unwrap())
            .collect();
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "c"]);
        assert_eq!(docs[0].format, Format::Markdown);
        assert_eq!(docs[2].format, Format::Html);
    }

    #[test]
    fn jsonl_bad_line_does_not_stop_the_stream() {
        let d = tmpdir("jsonl");
        let p = d.join("batch.jsonl");
        std::fs::write(
            &p,
            "{\"id\": \"one\", \"text\": \"A said hi.\"}\n{not json\n\n{\"id\": 7, \"text\": \"B said no.\"}\n{\"text\": \"\"}\n",
        )
        .unwrap();
        let items: Vec<InputItem> =
            read_source(&InputSource::File(p.clone()), DEFAULT_MAX_BYTES).collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().unwrap().id, "one");
        let e = items[1].as_ref().unwrap_err();
        assert_eq!(e.id, "batch:2");
        assert!(e.message.contains("batch.jsonl:2"), "{}", e.message);
        assert_eq!(items[2].as_ref().unwrap().id, "7");
        assert!(items[3]
            .as_ref()
            .unwrap_err()
            .message
            .contains("empty document"));
    }

    #[test]
    fn jsonl_metadata_fields_are_read() {
        let d = tmpdir("meta");
        let p = d.join("meta.jsonl");
        std::fs::write(
            &p,
            "{\"id\": \"a\", \"text\": \"A said hi.\", \"published\": \"2025-01-02\", \"title\": \"T\", \"url\": null}\n{\"id\": \"b\", \"text\": \"B.\", \"published\": 20250102}\n",
        )
        .unwrap();
        let items: Vec<InputItem> = read_source(&InputSource::File(p), DEFAULT_MAX_BYTES).collect();
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.meta.published.as_deref(), Some("2025-01-02"));
        assert_eq!(a.meta.title.as_deref(), Some("T"));
        assert_eq!((a.meta.byline.clone(), a.meta.url.clone()), (None, None));
        let e = items[1].as_ref().unwrap_err();
        assert!(
            e.message.contains("meta.jsonl:2")
                && e.message.contains("\"published\" must be a string"),
            "{}",
            e.message
        );
    }

    #[test]
    fn input_format_forces_how_files_are_read() {
        let d = tmpdir("forced");
        let p = d.join("notes.txt");
        std::fs::write(&p, "{\"id\": \"x\", \"text\": \"A said hi.\"}\n# Title\n").unwrap();
        let src = InputSource::File(p.clone());
        // Auto: a .txt file is one document; its format comes from the text.
        let items: Vec<InputItem> = read_source(&src, DEFAULT_MAX_BYTES).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].as_ref().unwrap().id, "notes");
        // Forced JSON Lines: one document per line, the Markdown line is an error.
        let how: InputFormat = "jsonl".parse().unwrap();
        let items: Vec<InputItem> = read_source_as(&src, DEFAULT_MAX_BYTES, how).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap().id, "x");
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .message
            .contains("notes.txt:2"));
        // Forced format of a single document.
        let how: InputFormat = "html".parse().unwrap();
        let items: Vec<InputItem> = read_source_as(&src, DEFAULT_MAX_BYTES, how).collect();
        assert_eq!(items[0].as_ref().unwrap().format, Format::Html);
        assert!("xml".parse::<InputFormat>().is_err());
        assert_eq!("auto".parse::<InputFormat>(), Ok(InputFormat::Auto));
    }

    #[test]
    fn bad_files_give_clear_errors() {
        let d = tmpdir("bad");
        std::fs::write(d.join("latin1.txt"), b"caf\xe9 said").unwrap();
        std::fs::write(d.join("empty.txt"), "  \n ").unwrap();
        std::fs::write(d.join("bin.txt"), b"ab\0cd").unwrap();
        std::fs::write(d.join("big.txt"), "word ".repeat(300)).unwrap();
        let get = |name: &str, max: usize| {
            read_source(&InputSource::File(d.join(name)), max)
                .next()
                .unwrap()
                .unwrap_err()
                .message
        };
        assert!(get("latin1.txt", 1000).contains("not valid UTF-8 at byte 3"));
        assert!(get("empty.txt", 1000).contains("empty document"));
        assert!(get("bin.txt", 1000).contains("binary"));
        let big = get("big.txt", 1000);
        assert!(big.contains("1500 bytes, over the limit of 1000"), "{big}");
        assert!(big.contains("big.txt"));
    }
}
