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
//! rest of the input goes on. Offsets in the output are code points into the text as decoded:
//! UTF-8 (a leading byte order mark is dropped) or UTF-16 with a byte order mark.
//!
//! Only regular files are read: a FIFO, socket or device inside a folder is skipped with a
//! message (reading one could hang the batch or never end); named on the command line, a named
//! pipe is read as a stream only when `--input-format` says how and it is the only one (see
//! [`expand_inputs_as`]). Every document carries the SHA-256 of its raw input bytes (the
//! file's, or the JSON Lines line's), which `extract --resume` uses to know what is done.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::clean::DocMeta;
use crate::clean::{detect_format, Format};

pub mod metadata;

/// One document read from the input.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub id: String,
    pub source: String,
    pub text: String,
    pub format: Format,
    /// `title`, `published`, `byline`, `url`, `outlet` given with the document (JSON Lines
    /// fields, or `extract --metadata` through [`metadata::Sidecar::apply`]); they win over what
    /// an HTML page says of itself.
    pub meta: DocMeta,
    /// SHA-256 (lowercase hex) of the document's raw input bytes: the file, or its JSON Lines
    /// line without the line break.
    pub hash: String,
    /// Problems that did not stop the document (a metadata field of the wrong type, dropped);
    /// they go to the output's `errors`.
    pub warnings: Vec<String>,
}

/// A document that could not be read, with a message naming the file and the problem.
#[derive(Debug, Clone)]
pub struct InputError {
    pub id: String,
    pub source: String,
    pub message: String,
    /// SHA-256 of the raw bytes when they could be read (not UTF-8, empty, binary, malformed
    /// JSON), `None` when they could not (missing, unreadable, too large, not a regular file).
    pub hash: Option<String>,
}

impl InputError {
    fn new(id: impl Into<String>, source: impl Into<String>, message: String) -> InputError {
        InputError {
            id: id.into(),
            source: source.into(),
            message,
            hash: None,
        }
    }
}

/// SHA-256 of `bytes`, lowercase hex (the `input_sha256` of the output).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(char::from_digit((b >> 4) as u32, 16).unwrap());
        s.push(char::from_digit((b & 15) as u32, 16).unwrap());
    }
    s
}

pub type InputItem = Result<RawDoc, InputError>;

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    File(PathBuf),
    /// A named pipe given on the command line with `--input-format`: read as a stream, like
    /// stdin.
    Pipe(PathBuf),
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

/// The extensions of input files (what a folder contributes; what `report` re-reads).
pub const EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "html", "htm", "jsonl"];

/// Whether `path` has one of the input [`EXTENSIONS`].
pub fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// What kind of thing is at `path` when it is not a regular file or folder ("a FIFO", "a
/// socket", "a device"), following symlinks; `None` for a regular file, a folder or a path
/// that cannot be examined.
pub fn special_kind(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = std::fs::metadata(path).ok()?.file_type();
    if t.is_file() || t.is_dir() {
        None
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_char_device() || t.is_block_device() {
        Some("a device")
    } else {
        Some("not a regular file")
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<InputError>, notes: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(InputError::new(
                stem(dir),
                dir.display().to_string(),
                format!("{}: cannot read folder: {e}", dir.display()),
            ));
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
            walk(&p, out, errors, notes);
        } else if let Some(kind) = special_kind(&p) {
            notes.push(format!(
                "{}: skipped: {kind}, not a regular file",
                p.display()
            ));
        } else if has_input_extension(&p) {
            out.push(p);
        }
    }
}

/// Expands inputs: files as given, folders recursively (sorted), `-` as stdin.
/// A path that does not exist becomes an error naming it; see [`expand_inputs_as`].
pub fn expand_inputs(inputs: &[String]) -> (Vec<InputSource>, Vec<InputError>) {
    let (sources, errors, notes) = expand_inputs_as(inputs, InputFormat::Auto);
    for n in notes {
        eprintln!("whosaid: {n}");
    }
    (sources, errors)
}

/// Expands inputs as `extract` does, read as `how` says. Only regular files are documents:
/// a FIFO, socket or device inside a folder is skipped, with a note (the third list) for
/// stderr; named on the command line, a named pipe is read as a stream when `how` is not
/// `auto` and it is the only one named, and anything else that is not a regular file is an
/// error naming it.
pub fn expand_inputs_as(
    inputs: &[String],
    how: InputFormat,
) -> (Vec<InputSource>, Vec<InputError>, Vec<String>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let pipes = inputs
        .iter()
        .filter(|i| {
            *i != "-"
                && special_kind(Path::new(i.as_str())).is_some_and(|k| k.starts_with("a FIFO"))
        })
        .count();
    for input in inputs {
        if input == "-" {
            sources.push(InputSource::Stdin);
            continue;
        }
        let p = PathBuf::from(input);
        if p.is_dir() {
            let mut files = Vec::new();
            walk(&p, &mut files, &mut errors, &mut notes);
            sources.extend(files.into_iter().map(InputSource::File));
        } else if let Some(kind) = special_kind(&p) {
            let fifo = kind.starts_with("a FIFO");
            if fifo && how != InputFormat::Auto && pipes == 1 {
                sources.push(InputSource::Pipe(p));
                continue;
            }
            let why = if fifo && pipes > 1 && how != InputFormat::Auto {
                "only one named pipe can be read as a stream"
            } else if fifo {
                "give --input-format (jsonl, text, markdown or html) to read it as a stream, or use - for standard input"
            } else {
                "only regular files are read"
            };
            errors.push(InputError::new(
                stem(&p),
                input.clone(),
                format!("{input}: {kind}, not a regular file; {why}"),
            ));
        } else if p.exists() {
            sources.push(InputSource::File(p));
        } else {
            errors.push(InputError::new(
                stem(&p),
                input.clone(),
                format!("{input}: no such file or folder"),
            ));
        }
    }
    (sources, errors, notes)
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

/// Names a binary document format by its first bytes, with what to do instead: whosaid reads
/// text, and a PDF or a word-processor file read as text would be noise.
pub fn binary_format(bytes: &[u8]) -> Option<String> {
    let zip_has = |name: &[u8]| bytes.windows(name.len()).take(4096).any(|w| w == name);
    let (what, fix) = match bytes {
        [b'%', b'P', b'D', b'F', b'-', ..] => (
            "a PDF file",
            "extract its text first (e.g. `pdftotext -layout FILE.pdf FILE.txt`, from poppler-utils) and give whosaid the .txt: the cleaner repairs PDF-extraction breakage",
        ),
        [b'P', b'K', 3, 4, ..] if zip_has(b"word/") => (
            "a Word document (DOCX)",
            "save or convert it as plain text (e.g. `pandoc FILE.docx -t plain -o FILE.txt` or `libreoffice --headless --convert-to txt FILE.docx`)",
        ),
        [b'P', b'K', 3, 4, ..] if zip_has(b"content.xml") => (
            "an OpenDocument file (ODT)",
            "convert it to plain text (e.g. `libreoffice --headless --convert-to txt FILE.odt`)",
        ),
        [b'P', b'K', 3, 4, ..] => ("a ZIP archive", "unpack it and give whosaid the text files"),
        [0xD0, 0xCF, 0x11, 0xE0, ..] => (
            "an old Microsoft Office file (DOC/XLS)",
            "convert it to plain text (e.g. `libreoffice --headless --convert-to txt FILE.doc`)",
        ),
        [b'{', b'\\', b'r', b't', b'f', ..] => (
            "an RTF document",
            "convert it to plain text (e.g. `pandoc FILE.rtf -t plain -o FILE.txt`)",
        ),
        [0x1F, 0x8B, ..] => ("a gzip archive", "decompress it first (`gunzip`)"),
        [0x89, b'P', b'N', b'G', ..] | [0xFF, 0xD8, 0xFF, ..] | [b'G', b'I', b'F', b'8', ..] => {
            ("an image", "whosaid reads the text of articles, not images")
        }
        _ => return None,
    };
    Some(format!("{what}, not text: {fix}"))
}

/// Decodes a document's bytes: UTF-8 (a leading byte order mark dropped), or UTF-16 little
/// or big endian when the text starts with its byte order mark (dropped too). Binary formats
/// (PDF, DOCX, ...) are named with what to do instead ([`binary_format`]).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(message) = binary_format(&bytes) {
        return Err(message);
    }
    let utf16 = |bytes: &[u8], le: bool| -> Result<String, String> {
        if !bytes.len().is_multiple_of(2) {
            return Err("not valid UTF-16: an odd number of bytes".into());
        }
        let units = bytes.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .enumerate()
            .map(|(i, c)| c.map_err(|_| format!("not valid UTF-16 at byte {}", 2 + 2 * i)))
            .collect()
    };
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).map_err(|e| {
            format!(
                "not valid UTF-8 at byte {}",
                e.utf8_error().valid_up_to() + 3
            )
        }),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8(bytes)
            .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to())),
    }
}

fn json_doc(line: &[u8], stem: &str, source: &str, n: usize, max_bytes: usize) -> InputItem {
    let fallback_id = format!("{stem}:{n}");
    let hash = sha256_hex(line);
    let err = |id: &str, message: String| InputError {
        id: id.to_string(),
        source: source.to_string(),
        message: format!("{source}:{n}: {message}"),
        hash: Some(hash.clone()),
    };
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    let line = std::str::from_utf8(line).map_err(|e| {
        err(
            &fallback_id,
            format!("not valid UTF-8 at byte {} of the line", e.valid_up_to()),
        )
    })?;
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
    // A metadata field of the wrong type is dropped (null) with a warning; the document is
    // still read.
    let mut warnings = Vec::new();
    let mut field = |name: &str| match v.get(name) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => {
            let mut shown = other.to_string();
            if shown.len() > 40 {
                let mut cut = 40;
                while !shown.is_char_boundary(cut) {
                    cut -= 1;
                }
                shown.truncate(cut);
                shown.push('…');
            }
            warnings.push(format!(
                "{source}:{n}: \"{name}\" must be a string or null, not {shown}; dropped"
            ));
            None
        }
    };
    let meta = DocMeta {
        title: field("title"),
        published: field("published"),
        byline: field("byline"),
        url: field("url"),
        outlet: field("outlet"),
    };
    Ok(RawDoc {
        id,
        source: source.to_string(),
        text,
        format,
        meta,
        hash,
        warnings,
    })
}

/// The documents of a JSON Lines file's bytes, read exactly as `extract` reads them (ids,
/// hashes, blank lines), with no size limit; `report` finds a document's text in them.
pub fn jsonl_documents(
    bytes: Vec<u8>,
    stem: &str,
    source: &str,
) -> impl Iterator<Item = InputItem> {
    jsonl_stream(
        std::io::Cursor::new(bytes),
        stem.to_string(),
        source.to_string(),
        usize::MAX,
        None,
    )
}

/// JSON Lines from a reader, one document per non-empty line, streamed.
fn jsonl_stream(
    mut reader: impl BufRead + Send + 'static,
    stem: String,
    source: String,
    max_bytes: usize,
    first: Option<Vec<u8>>,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    let mut first = first;
    let mut n = 0usize;
    let mut done = false;
    Box::new(std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        let mut line = match first.take() {
            Some(l) => l,
            None => {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => {
                        done = true;
                        return None;
                    }
                    Ok(_) => buf,
                    Err(e) => {
                        done = true;
                        n += 1;
                        return Some(Err(InputError::new(
                            format!("{stem}:{n}"),
                            source.clone(),
                            format!("{source}:{n}: cannot read line: {e}"),
                        )));
                    }
                }
            }
        };
        n += 1;
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        let blank = std::str::from_utf8(&line)
            .is_ok_and(|l| l.trim_start_matches('\u{feff}').trim().is_empty());
        if blank {
            continue;
        }
        return Some(json_doc(&line, &stem, &source, n, max_bytes));
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
            if let Some(kind) = special_kind(path) {
                return Box::new(std::iter::once(Err(InputError::new(
                    id,
                    source.clone(),
                    format!("{source}: {kind}, not a regular file; only regular files are read"),
                ))));
            }
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
                    Err(e) => Box::new(std::iter::once(Err(InputError::new(
                        id,
                        source.clone(),
                        format!("{source}: cannot read: {e}"),
                    )))),
                };
            }
            let item = read_file(path, max_bytes).map_err(|(m, hash)| InputError {
                message: format!("{source}: {m}"),
                id: id.clone(),
                source: source.clone(),
                hash,
            });
            Box::new(std::iter::once(item.map(|(text, format, hash)| RawDoc {
                id,
                source,
                text,
                format: match how {
                    InputFormat::Doc(f) => f,
                    _ => format,
                },
                meta: DocMeta::default(),
                hash,
                warnings: vec![],
            })))
        }
        InputSource::Pipe(path) => match std::fs::File::open(path) {
            Ok(f) => read_stream(
                BufReader::new(f),
                stem(path),
                path.display().to_string(),
                max_bytes,
                how,
            ),
            Err(e) => Box::new(std::iter::once(Err(InputError::new(
                stem(path),
                path.display().to_string(),
                format!("{}: cannot read: {e}", path.display()),
            )))),
        },
        InputSource::Stdin => read_stream(
            BufReader::new(std::io::stdin()),
            "stdin".into(),
            "-".into(),
            max_bytes,
            how,
        ),
    }
}

/// Reads a stream (stdin or a named pipe): JSON Lines, streamed, or one document.
fn read_stream(
    mut reader: impl BufRead + Send + 'static,
    id: String,
    source: String,
    max_bytes: usize,
    how: InputFormat,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    // Peek at the first non-blank line to choose between JSON Lines and plain text.
    let mut head = Vec::new();
    let mut first = Vec::new();
    loop {
        first.clear();
        match reader.read_until(b'\n', &mut first) {
            Ok(0) if head.is_empty() => {
                return Box::new(std::iter::once(Err(InputError::new(
                    id,
                    source.clone(),
                    format!("{source}: empty input"),
                ))))
            }
            Ok(0) => break,
            Ok(_) if first.iter().all(u8::is_ascii_whitespace) => head.extend_from_slice(&first),
            Ok(_) => break,
            Err(e) => {
                return Box::new(std::iter::once(Err(InputError::new(
                    id,
                    source.clone(),
                    format!("{source}: cannot read: {e}"),
                ))))
            }
        }
    }
    let looks_jsonl = first
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&first)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'{');
    if how == InputFormat::Jsonl || (how == InputFormat::Auto && looks_jsonl) {
        let first = (!first.is_empty()).then_some(first);
        return jsonl_stream(reader, id, source, max_bytes, first);
    }
    let mut bytes = head;
    bytes.extend_from_slice(&first);
    let item = reader
        .take((max_bytes + 4) as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| (format!("cannot read: {e}"), None))
        .and_then(|_| {
            let hash = sha256_hex(&bytes);
            let text = decode(bytes).map_err(|m| (m, Some(hash.clone())))?;
            check_text(&text, max_bytes).map_err(|m| (m, Some(hash.clone())))?;
            Ok((text, hash))
        })
        .map(|(text, hash)| RawDoc {
            id: id.clone(),
            source: source.clone(),
            format: match how {
                InputFormat::Doc(f) => f,
                _ => detect_format("", &text),
            },
            text,
            meta: DocMeta::default(),
            hash,
            warnings: vec![],
        })
        .map_err(|(m, hash)| InputError {
            id: id.clone(),
            source: source.clone(),
            message: format!("{source}: {m}"),
            hash,
        });
    Box::new(std::iter::once(item))
}

type ReadFile = Result<(String, Format, String), (String, Option<String>)>;

fn read_file(path: &Path, max_bytes: usize) -> ReadFile {
    let meta = std::fs::metadata(path).map_err(|e| (format!("cannot read: {e}"), None))?;
    if meta.len() as usize > max_bytes.saturating_add(3) {
        return Err((
            format!(
                "document is {} bytes, over the limit of {max_bytes}; pass --max-bytes to raise it",
                meta.len()
            ),
            None,
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take((max_bytes + 4) as u64).read_to_end(&mut bytes))
        .map_err(|e| (format!("cannot read: {e}"), None))?;
    let hash = sha256_hex(&bytes);
    let text = decode(bytes).map_err(|m| (m, Some(hash.clone())))?;
    check_text(&text, max_bytes).map_err(|m| (m, Some(hash.clone())))?;
    let format = detect_format(&path.to_string_lossy(), &text);
    Ok((text, format, hash))
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
        // A wrongly typed field is dropped with a warning; the document is read.
        let b = items[1].as_ref().unwrap();
        assert_eq!(b.meta.published, None);
        assert_eq!(b.warnings.len(), 1);
        assert!(
            b.warnings[0].contains("meta.jsonl:2")
                && b.warnings[0]
                    .contains("\"published\" must be a string or null, not 20250102; dropped"),
            "{:?}",
            b.warnings
        );
        assert_eq!(a.hash, sha256_hex(br#"{"id": "a", "text": "A said hi.", "published": "2025-01-02", "title": "T", "url": null}"#));
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
    fn utf16_and_bom_are_decoded() {
        let text = "Caf\u{e9} owner said \u{201c}hi\u{201d}.";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        for bytes in [le, be, bom8] {
            assert_eq!(decode(bytes).unwrap(), text);
        }
        assert!(decode(vec![0xFF, 0xFE, 0x41])
            .unwrap_err()
            .contains("UTF-16"));
        assert!(decode(vec![0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00])
            .unwrap_err()
            .contains("not valid UTF-16 at byte 2"));
    }

    #[test]
    fn special_files_in_folders_are_skipped_and_named_ones_refused() {
        let d = tmpdir("special");
        std::fs::write(d.join("a.txt"), "Ann said hi.").unwrap();
        let fifo = d.join("pipe.txt");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (srcs, errs, notes) = expand_inputs_as(&[d.display().to_string()], InputFormat::Auto);
        assert_eq!(srcs, vec![InputSource::File(d.join("a.txt"))]);
        assert!(errs.is_empty());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("pipe.txt: skipped: a FIFO"), "{notes:?}");
        let named = [fifo.display().to_string()];
        let (srcs, errs, _) = expand_inputs_as(&named, InputFormat::Auto);
        assert!(srcs.is_empty());
        assert!(
            errs[0].message.contains("give --input-format"),
            "{}",
            errs[0].message
        );
        let (srcs, errs, _) = expand_inputs_as(&named, InputFormat::Jsonl);
        assert_eq!(srcs, vec![InputSource::Pipe(fifo.clone())]);
        assert!(errs.is_empty());
        let two = [named[0].clone(), named[0].clone()];
        let (srcs, errs, _) = expand_inputs_as(&two, InputFormat::Jsonl);
        assert!(srcs.is_empty());
        assert!(errs[0].message.contains("only one named pipe"));
        let (_, errs, _) = expand_inputs_as(&["/dev/zero".to_string()], InputFormat::Jsonl);
        assert!(
            errs[0]
                .message
                .contains("/dev/zero: a device, not a regular file"),
            "{}",
            errs[0].message
        );
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
