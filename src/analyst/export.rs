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
//!   [`ENTITY_COLUMNS`]. Both end with the document's `published`, `title`, `byline`, `url`
//!   and `outlet` (empty when unknown).
//!
//! CSV follows RFC 4180: rows end in CRLF, a field is quoted when it holds a comma, a double
//! quote, CR or LF (or starts or ends with a space), and a double quote inside a quoted field
//! is doubled. Offsets are the code point offsets of the JSON output. A field starting with
//! `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'` so that a spreadsheet does not run it
//! as a formula (as OWASP advises against CSV injection); `raw` writers (`--raw-csv`) write
//! fields as they are.
//!
//! Output files ([`AtomicFile`], [`super::outfile`]) are written under a temporary name beside
//! the destination and renamed into place. [`resume_state`] ([`super::resume`]) reads what an
//! interrupted JSON Lines run left, for `extract --resume`. Both are re-exported here.

use std::io::{self, Write};

use crate::output::{DocOutput, QuoteOut};

pub use super::outfile::{
    cleanup, output_target, partial_path, stale_partials, write_atomic, AtomicFile,
};
pub use super::resume::{resume_state, source_key, ResumeState};

/// The UTF-8 byte order mark that `export --excel` puts at the start of a CSV: without it,
/// Excel reads the file in the system's code page and garbles curly quotes and accents.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

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
pub const QUOTE_COLUMNS: [&str; 20] = [
    "document",
    "source",
    "quote_id",
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
    "outlet",
];

/// The document metadata columns that end both CSVs.
pub const META_COLUMNS: [&str; 5] = ["published", "title", "byline", "url", "outlet"];

/// The columns of the entity CSV, one row per mention; the metadata last, as in
/// [`QUOTE_COLUMNS`].
pub const ENTITY_COLUMNS: [&str; 17] = [
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
    "outlet",
];

/// The values of [`META_COLUMNS`] for one document.
fn meta_fields(doc: &DocOutput) -> [String; 5] {
    [
        &doc.meta.published,
        &doc.meta.title,
        &doc.meta.byline,
        &doc.meta.url,
        &doc.meta.outlet,
    ]
    .map(|v| v.clone().unwrap_or_default())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocOutput {
        serde_json::from_str(
            r#"{"id":"d,1","source":"a \"b\".txt","published":"2025-03-14","url":"https://x.example/a","outlet":"The Gazette","entities":[{"id":"E1","type":"PER","name":"Vladimir Putin","key":"vladimir putin",
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
            ["2025-03-14", "", "", "https://x.example/a", "The Gazette"]
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
