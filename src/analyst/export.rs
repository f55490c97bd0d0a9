//! Writing extract output for analysts: JSON Lines, one JSON array, or CSV (RFC 4180).
//!
//! - JSON Lines (`jsonl`): one [`DocOutput`] per line, the default.
//! - JSON (`json`): one array of [`DocOutput`], streamed (`[`, the documents, `]`).
//! - CSV (`csv`): one row per quote, columns [`QUOTE_COLUMNS`]. A document without quotes
//!   gives no row. `speaker` is the display name, `speaker_id` the identity
//!   ([`crate::identity`]: batch-wide in `export`, the document's own in `extract`'s
//!   streamed output), `speaker_kind` its kind (person, organisation, group, unnamed,
//!   document), `speaker_type` the entity's tagger type (PER, ORG, LOC, MISC; `unnamed`
//!   without entity). A pivot of `export`'s CSV by `speaker_id` gives the report's counts. [`EntityCsv`] writes one row per entity mention, columns
//!   [`ENTITY_COLUMNS`]. Both end with the document's `published`, `title`, `byline` and
//!   `url` (empty when unknown).
//!
//! CSV follows RFC 4180: rows end in CRLF, a field is quoted when it holds a comma, a double
//! quote, CR or LF (or starts or ends with a space), and a double quote inside a quoted field
//! is doubled. Offsets are the code point offsets of the JSON output. A field starting with
//! `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'` so that a spreadsheet does not run it
//! as a formula (as OWASP advises against CSV injection); `raw` writers (`--raw-csv`) write
//! fields as they are.
//!
//! Output files ([`AtomicFile`]) are written under a temporary name beside the destination
//! and renamed into place; the destination may be a symlink (the file it points to is
//! replaced), never a FIFO, device, socket or folder ([`output_target`]). [`cleanup`] removes
//! the temporary files when the process gets SIGINT or SIGTERM.
//!
//! [`resume_state`] reads what an interrupted JSON Lines run left, for `extract --resume`.

use std::collections::HashSet;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::output::{DocOutput, QuoteOut};

/// Output formats of `extract` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Json,
    Csv,
    /// The CSV's rows and columns as one typed Parquet table ([`super::parquet`]), written
    /// when the output ends.
    Parquet,
}

/// The columns of the quote CSV, one row per quote. The document's metadata (empty when
/// unknown) comes last: [`META_COLUMNS`].
pub const QUOTE_COLUMNS: [&str; 19] = [
    "document",
    "source",
    "quote",
    "speaker",
    "speaker_id",
    "speaker_kind",
    "speaker_type",
    "speaker_entity",
    "resolved_by",
    "kind",
    "cue",
    "text",
    "start",
    "end",
    "confidence",
    "published",
    "title",
    "byline",
    "url",
];

/// The document metadata columns that end both CSVs.
pub const META_COLUMNS: [&str; 4] = ["published", "title", "byline", "url"];

/// The columns of the entity CSV, one row per mention; the metadata last, as in
/// [`QUOTE_COLUMNS`].
pub const ENTITY_COLUMNS: [&str; 16] = [
    "document",
    "source",
    "entity",
    "type",
    "name",
    "key",
    "identity",
    "display",
    "start",
    "end",
    "text",
    "score",
    "published",
    "title",
    "byline",
    "url",
];

/// The values of [`META_COLUMNS`] for one document.
fn meta_fields(doc: &DocOutput) -> [String; 4] {
    [&doc.published, &doc.title, &doc.byline, &doc.url].map(|v| v.clone().unwrap_or_default())
}

/// Whether a spreadsheet would read `field` as a formula (OWASP's list of first characters).
pub fn formula_like(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Appends `field` to `out`, quoted when RFC 4180 needs it, with a leading `'` when it would
/// start a spreadsheet formula ([`formula_like`]).
pub fn push_field(out: &mut String, field: &str) {
    if formula_like(field) {
        let safe = format!("'{field}");
        push_field_raw(out, &safe);
    } else {
        push_field_raw(out, field);
    }
}

/// Appends `field` to `out`, quoted when RFC 4180 needs it, otherwise as it is.
pub fn push_field_raw(out: &mut String, field: &str) {
    let needs = field.contains([',', '"', '\r', '\n'])
        || field.starts_with([' ', '\t'])
        || field.ends_with([' ', '\t']);
    if needs {
        out.push('"');
        for c in field.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Appends one CSV row (with its CRLF) to `out`, formula-like fields neutralised.
pub fn push_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    push_row_as(out, fields, false)
}

/// Appends one CSV row (with its CRLF) to `out`; `raw`: fields as they are.
pub fn push_row_as<S: AsRef<str>>(out: &mut String, fields: &[S], raw: bool) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if raw {
            push_field_raw(out, f.as_ref());
        } else {
            push_field(out, f.as_ref());
        }
    }
    out.push_str("\r\n");
}

/// Parses CSV text (RFC 4180; LF line ends accepted too) into rows of fields.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut in_row = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        in_row = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                in_row = false;
            }
            c => field.push(c),
        }
    }
    if in_row {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The type of a quote's speaker: the entity's type, `unnamed` for a source without an
/// entity ("a source"), empty when the quote has no speaker.
pub fn speaker_type(doc: &DocOutput, q: &QuoteOut) -> String {
    match &q.speaker {
        None => String::new(),
        Some(s) => match &s.entity {
            None => "unnamed".into(),
            Some(eid) => doc
                .entities
                .iter()
                .find(|e| &e.id == eid)
                .map(|e| e.etype.clone())
                .unwrap_or_default(),
        },
    }
}

/// The quote rows of one document, columns [`QUOTE_COLUMNS`].
pub fn quote_rows(doc: &DocOutput) -> Vec<Vec<String>> {
    doc.quotes
        .iter()
        .map(|q| {
            // A speaker with no id names nobody countable (a pronoun left from an old run):
            // its row has no speaker.
            let s = q.speaker.as_ref().filter(|s| !s.id.is_empty());
            let mut row = vec![
                doc.id.clone(),
                doc.source.clone(),
                q.id.clone(),
                s.map(|s| s.name.clone()).unwrap_or_default(),
                s.map(|s| s.id.clone()).unwrap_or_default(),
                s.map(|s| s.kind.clone()).unwrap_or_default(),
                if s.is_some() {
                    speaker_type(doc, q)
                } else {
                    String::new()
                },
                s.and_then(|s| s.entity.clone()).unwrap_or_default(),
                s.map(|s| s.resolved_by.clone()).unwrap_or_default(),
                q.kind.clone(),
                q.cue.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
                q.text.clone(),
                q.start.to_string(),
                q.end.to_string(),
                q.confidence.to_string(),
            ];
            row.extend(meta_fields(doc));
            row
        })
        .collect()
}

/// The entity mention rows of one document, columns [`ENTITY_COLUMNS`].
pub fn entity_rows(doc: &DocOutput) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for e in &doc.entities {
        for m in &e.mentions {
            let mut row = vec![
                doc.id.clone(),
                doc.source.clone(),
                e.id.clone(),
                e.etype.clone(),
                e.name.clone(),
                e.key.clone(),
                e.identity.clone(),
                e.display.clone(),
                m.start.to_string(),
                m.end.to_string(),
                m.text.clone(),
                m.score.to_string(),
            ];
            row.extend(meta_fields(doc));
            rows.push(row);
        }
    }
    rows
}

/// Writes documents in one [`Format`]. Each document goes out in one `write_all`, so with an
/// unbuffered file a crash leaves whole lines (JSON Lines) and at most one partial one.
pub struct DocWriter<W: Write> {
    w: W,
    format: Format,
    documents: usize,
    rows: usize,
    raw: bool,
    /// Parquet: the rows, written as one table by [`DocWriter::finish`].
    table: Vec<Vec<String>>,
}

impl<W: Write> DocWriter<W> {
    /// Starts the output: the CSV header or the `[` of a JSON array. `header` = false leaves
    /// them out (appending to an existing output).
    pub fn new(mut w: W, format: Format, header: bool) -> io::Result<Self> {
        if header {
            match format {
                Format::Jsonl | Format::Parquet => {}
                Format::Json => w.write_all(b"[")?,
                Format::Csv => {
                    let mut s = String::new();
                    push_row(&mut s, &QUOTE_COLUMNS);
                    w.write_all(s.as_bytes())?;
                }
            }
        }
        Ok(DocWriter {
            w,
            format,
            documents: 0,
            rows: 0,
            raw: false,
            table: Vec::new(),
        })
    }

    /// CSV fields as they are (`--raw-csv`): no `'` before formula-like fields.
    pub fn raw_csv(mut self, raw: bool) -> Self {
        self.raw = raw;
        self
    }

    /// Writes one document.
    pub fn write(&mut self, doc: &DocOutput) -> io::Result<()> {
        let mut buf = Vec::with_capacity(1024);
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut buf, doc)?;
                buf.push(b'\n');
                self.rows += 1;
            }
            Format::Json => {
                buf.extend_from_slice(if self.documents == 0 { b"\n" } else { b",\n" });
                serde_json::to_writer(&mut buf, doc)?;
                self.rows += 1;
            }
            Format::Csv => {
                let mut s = String::new();
                for row in quote_rows(doc) {
                    push_row_as(&mut s, &row, self.raw);
                    self.rows += 1;
                }
                buf = s.into_bytes();
            }
            Format::Parquet => {
                let rows = quote_rows(doc);
                self.rows += rows.len();
                self.table.extend(rows);
            }
        }
        self.documents += 1;
        if !buf.is_empty() {
            self.w.write_all(&buf)?;
        }
        Ok(())
    }

    /// Records (JSON documents, or CSV rows) written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.w
    }

    /// The writer, as it is (no `]`, not flushed): for giving up on a failed run.
    pub fn into_inner(self) -> W {
        self.w
    }

    /// Ends the output (the `]` of a JSON array, or the whole Parquet table) and hands back
    /// the writer, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == Format::Parquet {
            let bytes =
                super::parquet::write_table(Vec::new(), "quotes", &QUOTE_COLUMNS, &self.table)
                    .map_err(io::Error::other)?;
            self.w.write_all(&bytes)?;
        }
        if self.format == Format::Json {
            self.w.write_all(if self.documents == 0 {
                b"]\n"
            } else {
                b"\n]\n"
            })?;
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes the entity mention table, one row per mention: CSV, or with
/// [`EntityCsv::parquet`] a Parquet table written by [`EntityCsv::finish`].
pub struct EntityCsv<W: Write> {
    w: W,
    rows: usize,
    raw: bool,
    table: Option<Vec<Vec<String>>>,
}

impl<W: Write> EntityCsv<W> {
    pub fn new(mut w: W) -> io::Result<Self> {
        let mut s = String::new();
        push_row(&mut s, &ENTITY_COLUMNS);
        w.write_all(s.as_bytes())?;
        Ok(EntityCsv {
            w,
            rows: 0,
            raw: false,
            table: None,
        })
    }
    /// The mentions as a Parquet table (the CSV's columns, typed).
    pub fn parquet(w: W) -> Self {
        EntityCsv {
            w,
            rows: 0,
            raw: false,
            table: Some(Vec::new()),
        }
    }
    /// CSV fields as they are (`--raw-csv`).
    pub fn raw_csv(mut self, raw: bool) -> Self {
        self.raw = raw;
        self
    }
    pub fn write(&mut self, doc: &DocOutput) -> io::Result<()> {
        let rows = entity_rows(doc);
        self.rows += rows.len();
        if let Some(t) = self.table.as_mut() {
            t.extend(rows);
            return Ok(());
        }
        let mut s = String::new();
        for row in rows {
            push_row_as(&mut s, &row, self.raw);
        }
        self.w.write_all(s.as_bytes())
    }
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn into_inner(self) -> W {
        self.w
    }
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(t) = &self.table {
            let bytes = super::parquet::write_table(Vec::new(), "mentions", &ENTITY_COLUMNS, t)
                .map_err(io::Error::other)?;
            self.w.write_all(&bytes)?;
        }
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Removing temporary output files when the process is interrupted (SIGINT, SIGTERM).
///
/// [`AtomicFile`] registers its temporary file here; [`install`] (called by the binary) sets
/// handlers that unlink every registered file, then die of the signal as they would have.
pub mod cleanup {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SLOTS: usize = 16;
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static FILES: [AtomicPtr<libc::c_char>; SLOTS] = [EMPTY; SLOTS];

    extern "C" fn on_signal(sig: libc::c_int) {
        for slot in &FILES {
            let p = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: p is a NUL-terminated path leaked by `register`; unlink is
                // async-signal-safe. The memory is never freed once taken here.
                unsafe { libc::unlink(p) };
            }
        }
        // SAFETY: restoring the default action and re-raising are async-signal-safe.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Installs the SIGINT and SIGTERM handlers (once per process is enough; again is harmless).
    pub fn install() {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: a plain sigaction with a handler that only calls async-signal-safe code.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    }

    /// Registers `path` for removal on a signal; the slot to give to [`unregister`].
    pub fn register(path: &Path) -> Option<usize> {
        use std::os::unix::ffi::OsStrExt;
        let c = CString::new(path.as_os_str().as_bytes()).ok()?;
        let raw = c.into_raw();
        for (i, slot) in FILES.iter().enumerate() {
            if slot
                .compare_exchange(
                    std::ptr::null_mut(),
                    raw,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return Some(i);
            }
        }
        // SAFETY: raw came from into_raw above and was stored nowhere.
        drop(unsafe { CString::from_raw(raw) });
        None
    }

    /// Forgets a registered path (renamed into place or removed).
    pub fn unregister(slot: Option<usize>) {
        if let Some(i) = slot {
            let p = FILES[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: p came from `register`'s into_raw and the handler did not take it.
                drop(unsafe { CString::from_raw(p) });
            }
        }
    }
}

/// Where output for `dest` really goes: `dest` itself, or the file a symlink at `dest` points
/// to (followed through up to 40 links; it may not exist yet). Refuses a folder, a FIFO, a
/// device or a socket, with a message naming `dest`: output is never written over them.
pub fn output_target(dest: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::FileTypeExt;
    let mut p = dest.to_path_buf();
    for _ in 0..40 {
        let m = match std::fs::symlink_metadata(&p) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => bail!("cannot write {}: {e}", dest.display()),
            Ok(m) => m,
        };
        let t = m.file_type();
        if t.is_symlink() {
            let to = std::fs::read_link(&p)
                .with_context(|| format!("cannot write {}: reading the link", dest.display()))?;
            p = match p.parent() {
                Some(dir) if to.is_relative() => dir.join(to),
                _ => to,
            };
            continue;
        }
        let what = if t.is_file() {
            return Ok(p);
        } else if t.is_dir() {
            "a folder"
        } else if t.is_fifo() {
            "a FIFO (named pipe)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        };
        let via = if p != dest {
            format!(" (through the link, {})", p.display())
        } else {
            String::new()
        };
        bail!(
            "{} is {what}{via}; refusing to replace it with a file (use -o - for standard output)",
            dest.display()
        );
    }
    bail!(
        "cannot write {}: too many levels of symbolic links",
        dest.display()
    )
}

/// The temporary file beside `dest` that [`AtomicFile`] writes for process `pid`.
pub fn partial_path(dest: &Path, pid: u32) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.partial-{pid}"))
}

/// Temporary files of `dest` left by processes that are gone (killed runs), oldest PID
/// order not guaranteed: sorted by name.
pub fn stale_partials(dest: &Path) -> Vec<PathBuf> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.partial-");
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return vec![];
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let pid: i32 = n.strip_prefix(&prefix)?.parse().ok()?;
            if pid as u32 == std::process::id() || pid <= 0 {
                return None;
            }
            // SAFETY: kill with signal 0 only checks whether the process exists.
            let alive = unsafe { libc::kill(pid, 0) } == 0
                || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
            (!alive && e.file_type().is_ok_and(|t| t.is_file())).then(|| dir.join(n))
        })
        .collect();
    out.sort();
    out
}

/// A file written under a temporary name and renamed into place by [`AtomicFile::commit`]:
/// readers never see half a file, and a crash leaves the old file (if any) untouched. A
/// symlink at the destination is followed (its target is replaced); a folder, FIFO, device
/// or socket is refused ([`output_target`]). Write errors name the destination. The
/// temporary file is removed on SIGINT/SIGTERM once [`cleanup::install`] ran.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    w: io::BufWriter<std::fs::File>,
    slot: Option<usize>,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let target = output_target(dest)?;
        let tmp = partial_path(&target, std::process::id());
        let f = std::fs::File::create(&tmp).with_context(|| {
            format!(
                "cannot write {}: creating {}",
                dest.display(),
                tmp.display()
            )
        })?;
        let slot = cleanup::register(&tmp);
        Ok(AtomicFile {
            tmp,
            dest: target,
            w: io::BufWriter::new(f),
            slot,
        })
    }

    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("writing {}: {e}", self.dest.display()))
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let done = self
            .w
            .flush()
            .and_then(|_| self.w.get_ref().sync_all())
            .map_err(|e| self.named(e))
            .map_err(anyhow::Error::from)
            .and_then(|_| {
                std::fs::rename(&self.tmp, &self.dest)
                    .with_context(|| format!("moving output to {}", self.dest.display()))
            });
        cleanup::unregister(self.slot.take());
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
    }

    /// Removes the temporary file (on failure).
    pub fn discard(mut self) {
        cleanup::unregister(self.slot.take());
        let tmp = self.tmp.clone();
        drop(self);
        let _ = std::fs::remove_file(tmp);
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf).map_err(|e| self.named(e))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf).map_err(|e| self.named(e))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush().map_err(|e| self.named(e))
    }
}

/// Writes `bytes` to `dest` atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(dest)?;
    if let Err(e) = f.write_all(bytes) {
        f.discard();
        return Err(e.into());
    }
    f.commit()
}

/// What an earlier (maybe interrupted) JSON Lines run left in its output file.
#[derive(Debug, Default)]
pub struct ResumeState {
    /// `input_sha256` of every document written.
    pub hashes: HashSet<String>,
    /// `(source, id)` of documents written without a hash (inputs that could not be read, or
    /// output of an older whosaid), the source as [`source_key`] gives it.
    pub keys: HashSet<(String, String)>,
    /// Complete lines kept.
    pub lines: usize,
    /// Bytes of a trailing partial line that were cut off.
    pub truncated: usize,
    /// Documents taken over from the temporary files of killed runs, and those files.
    pub picked_up: usize,
    pub partials: Vec<PathBuf>,
}

impl ResumeState {
    /// Whether a document with this hash (or, without one, this source and id) is written.
    pub fn is_done(&self, hash: Option<&str>, source: &str, id: &str) -> bool {
        match hash {
            Some(h) => self.hashes.contains(h),
            None => self.keys.contains(&(source_key(source), id.to_string())),
        }
    }

    /// Records one written line; false when it was written already.
    fn add(&mut self, key: DocKey) -> bool {
        match key.input_sha256 {
            Some(h) => self.hashes.insert(h),
            None => self.keys.insert((source_key(&key.source), key.id)),
        }
    }
}

/// A source path as resume compares it: canonical when it exists (so `small3/a.txt`,
/// `./small3/a.txt` and the absolute path are one), else as written.
pub fn source_key(source: &str) -> String {
    if source == "-" {
        return source.to_string();
    }
    std::fs::canonicalize(source)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| source.to_string())
}

#[derive(serde::Deserialize)]
struct DocKey {
    id: String,
    source: String,
    #[serde(default)]
    input_sha256: Option<String>,
}

/// The complete lines of `bytes` (up to the last line break) and the length kept.
fn complete_lines(bytes: &[u8]) -> (usize, impl Iterator<Item = (usize, &[u8])>) {
    let keep = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let lines = bytes[..keep]
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace));
    (keep, lines)
}

/// Opens `path` for `extract --resume`: reads its complete lines (each must be a document of
/// extract output), cuts off a trailing partial line (what a killed run may leave), takes over
/// the complete lines of the temporary files that killed runs without `--resume` left beside
/// it (documents not yet in it are appended; the files are removed), and returns the file
/// positioned at its end for appending. A missing file is created; a symlink is followed; a
/// FIFO, device or folder is refused.
pub fn resume_state(path: &Path) -> Result<(std::fs::File, ResumeState)> {
    let target = output_target(path)?;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&target)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    let (keep, lines) = complete_lines(&bytes);
    let mut state = ResumeState {
        truncated: bytes.len() - keep,
        ..Default::default()
    };
    for (n, line) in lines {
        let key: DocKey = serde_json::from_slice(line).with_context(|| {
            format!(
                "{}:{}: not a line of extract output (JSON Lines); cannot resume",
                path.display(),
                n + 1
            )
        })?;
        state.add(key);
        state.lines += 1;
    }
    if state.truncated > 0 {
        // Only ever cut what a killed run of ours leaves: the start of a document's line.
        let tail = &bytes[keep..];
        if !(tail.starts_with(b"{\"schema\":") || tail.starts_with(b"{\"id\":")) {
            bail!(
                "{}: ends in a line that is not extract output; cannot resume",
                path.display()
            );
        }
        f.set_len(keep as u64)
            .with_context(|| format!("truncating {}", path.display()))?;
        f.sync_all()?;
    }
    f.seek(SeekFrom::Start(keep as u64))?;
    // The temporary files of killed runs: their complete lines are documents done.
    for partial in stale_partials(&target) {
        let Ok(pbytes) = std::fs::read(&partial) else {
            continue;
        };
        let (_, lines) = complete_lines(&pbytes);
        // A line that is not extract output is not ours to take: leave such a file alone.
        let Ok(keys) = lines
            .map(|(_, line)| serde_json::from_slice::<DocKey>(line).map(|k| (k, line)))
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let mut add = Vec::new();
        for (key, line) in keys {
            if state.add(key) {
                add.extend_from_slice(line);
                add.push(b'\n');
                state.picked_up += 1;
                state.lines += 1;
            }
        }
        f.write_all(&add)
            .and_then(|_| f.sync_data())
            .with_context(|| format!("writing {}", path.display()))?;
        std::fs::remove_file(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
        state.partials.push(partial);
    }
    Ok((f, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocOutput {
        serde_json::from_str(
            r#"{"id":"d,1","source":"a \"b\".txt","published":"2025-03-14","url":"https://x.example/a","entities":[{"id":"E1","type":"PER","name":"Vladimir Putin","key":"vladimir putin",
              "mentions":[{"start":0,"end":14,"text":"Vladimir Putin","score":0.9}]}],
              "quotes":[{"id":"Q1","kind":"direct","text":"We are \"ready\",\nsaid","start":40,"end":52,
                 "speaker":{"name":"Vladimir Putin","entity":"E1","mention":{"start":60,"end":78,"text":"the Russian leader"},"resolved_by":"title"},
                 "cue":{"start":79,"end":83,"text":"said"},"confidence":0.9},
                {"id":"Q2","kind":"indirect","text":" x ","start":90,"end":92,"speaker":{"name":"a source","entity":null,
                 "mention":{"start":1,"end":2,"text":"a source"},"resolved_by":"unnamed"},"cue":null,"confidence":0.25},
                {"id":"Q3","kind":"direct","text":"No","start":95,"end":97,"speaker":null,"cue":null,"confidence":0.2}],
              "errors":[]}"#,
        )
        .unwrap()
    }

    #[test]
    fn fields_are_quoted_as_rfc4180_says() {
        let mut s = String::new();
        push_row(
            &mut s,
            &[
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                " pad",
                "",
                "x\r",
            ],
        );
        assert_eq!(
            s,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",,\"x\r\"\r\n"
        );
        let rows = parse_csv(&s);
        assert_eq!(
            rows,
            vec![vec![
                "plain",
                "a,b",
                "say \"hi\"",
                "two\nlines",
                " pad",
                "",
                "x\r"
            ]]
        );
    }

    #[test]
    fn quote_and_entity_rows_round_trip() {
        let mut d = doc();
        crate::identity::assign(&mut d);
        let mut w = DocWriter::new(Vec::new(), Format::Csv, true).unwrap();
        w.write(&d).unwrap();
        assert_eq!(w.rows(), 3);
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let rows = parse_csv(&text);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0], QUOTE_COLUMNS);
        let col = |c: &str| QUOTE_COLUMNS.iter().position(|x| *x == c).unwrap();
        assert_eq!(rows[1][col("document")], "d,1");
        assert_eq!(rows[1][col("source")], "a \"b\".txt");
        assert_eq!(rows[1][col("speaker")], "Vladimir Putin");
        assert_eq!(rows[1][col("speaker_id")], "person:vladimir-putin");
        assert_eq!(rows[1][col("speaker_kind")], "person");
        assert_eq!(rows[1][col("speaker_type")], "PER");
        assert_eq!(rows[1][col("speaker_entity")], "E1");
        assert_eq!(rows[1][col("cue")], "said");
        assert_eq!(rows[1][col("text")], "We are \"ready\",\nsaid");
        assert_eq!(
            rows[1][col("start")..col("confidence") + 1],
            ["40", "52", "0.9"]
        );
        assert_eq!(
            rows[1][col("published")..],
            ["2025-03-14", "", "", "https://x.example/a"]
        );
        assert_eq!(rows[2][col("speaker")], "source");
        assert_eq!(rows[2][col("speaker_id")], "unnamed:source");
        assert_eq!(rows[2][col("speaker_kind")], "unnamed");
        assert_eq!(rows[2][col("speaker_type")], "unnamed");
        assert_eq!(rows[2][col("text")], " x ");
        assert_eq!(rows[3][col("speaker")], "");
        assert_eq!(rows[3][col("speaker_id")], "");
        let mut e = EntityCsv::new(Vec::new()).unwrap();
        e.write(&d).unwrap();
        let rows = parse_csv(&String::from_utf8(e.finish().unwrap()).unwrap());
        assert_eq!(rows[0], ENTITY_COLUMNS);
        assert_eq!(
            rows[1][2..8],
            [
                "E1",
                "PER",
                "Vladimir Putin",
                "vladimir putin",
                "person:vladimir-putin",
                "Vladimir Putin"
            ]
        );
        assert_eq!(rows[1][12], "2025-03-14");
        assert_eq!(rows[0][12..], META_COLUMNS);
    }

    #[test]
    fn json_array_is_valid_empty_or_not() {
        let w = DocWriter::new(Vec::new(), Format::Json, true).unwrap();
        let v: Vec<DocOutput> = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        assert!(v.is_empty());
        let mut w = DocWriter::new(Vec::new(), Format::Json, true).unwrap();
        w.write(&doc()).unwrap();
        w.write(&doc()).unwrap();
        let v: Vec<DocOutput> = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn resume_keeps_whole_lines_and_cuts_a_partial_one() {
        let dir = std::env::temp_dir().join(format!("whosaid-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("out.jsonl");
        let line = serde_json::to_string(&doc()).unwrap();
        std::fs::write(&p, format!("{line}\n{}", &line[..30])).unwrap();
        let (mut f, st) = resume_state(&p).unwrap();
        assert_eq!(st.lines, 1);
        assert_eq!(st.truncated, 30);
        assert!(st.is_done(None, "a \"b\".txt", "d,1"));
        f.write_all(b"{\"id\":\"x\",\"source\":\"y\"}\n").unwrap();
        drop(f);
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text, format!("{line}\n{{\"id\":\"x\",\"source\":\"y\"}}\n"));
        std::fs::write(&p, "garbage\n").unwrap();
        assert!(resume_state(&p).is_err());
        std::fs::write(&p, "no newline at all").unwrap();
        assert!(resume_state(&p).is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "no newline at all");
        let (_, st) = resume_state(&dir.join("new.jsonl")).unwrap();
        assert_eq!(st.lines, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
