//! `extract --metadata FILE`: a sidecar CSV that gives documents their `published`, `title`,
//! `byline`, `url` and `outlet`.
//!
//! The CSV (RFC 4180, UTF-8, a leading byte order mark allowed, as Excel writes it) has a
//! header row naming its columns: `id` and/or `file` (which document a row is for), then any of
//! `published`, `title`, `byline`, `url`, `outlet`, in any order. A row is for the document
//! whose id is `id` (the id `extract` writes: the file stem, or the JSON Lines `id`, with the
//! `#2` of a repeated id), or for every document read from `file` (its file name, `a.txt`, or
//! its path as given on the command line, `articles/a.txt`). When both an `id` row and a `file`
//! row fit a document, the `id` row wins. A value given in the sidecar overrides what the
//! document says of itself (an HTML page's metadata, a JSON Lines field, a text's headline);
//! an empty cell gives nothing. `published` must start with a `YYYY-MM-DD` date.
//!
//! A malformed file (an unknown column, no `id` or `file` column, a row with another number of
//! fields, an unterminated quoted field, a repeated key, a bad date) is an error naming the
//! file and line. A row that fits no document of the run is reported by [`Sidecar::unmatched`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Context, Result};

use super::RawDoc;
use crate::clean::DocMeta;

/// The metadata columns a sidecar may have.
pub const FIELDS: [&str; 5] = ["published", "title", "byline", "url", "outlet"];

/// One row: its line in the file and its values (`None` for an empty cell).
#[derive(Debug)]
struct Row {
    line: usize,
    key: String,
    meta: DocMeta,
    used: AtomicBool,
}

/// A sidecar CSV, read and checked.
#[derive(Debug)]
pub struct Sidecar {
    path: String,
    by_id: HashMap<String, Row>,
    by_file: HashMap<String, Row>,
}

/// The records of a CSV with the line each starts on; an error names the line.
fn records(text: &str, path: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = vec![String::new()];
        loop {
            let field = fields.last_mut().unwrap();
            match chars.next() {
                None => break,
                Some('\n') => {
                    line += 1;
                    break;
                }
                Some('\r') if chars.peek() == Some(&'\n') => {}
                Some(',') => fields.push(String::new()),
                Some('"') if field.is_empty() => loop {
                    match chars.next() {
                        None => bail!("{path}:{start}: a quoted field is not closed"),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => match chars.peek() {
                            None | Some(',' | '\n' | '\r') => break,
                            Some(c) => bail!(
                                "{path}:{line}: {c:?} after the closing quote of a field (a quote inside a field is written \"\")"
                            ),
                        },
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                },
                Some('"') => bail!(
                    "{path}:{line}: a quote inside an unquoted field (quote the field and double the quote: \"a \"\"b\"\"\")"
                ),
                Some(c) => field.push(c),
            }
        }
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            out.push((start, fields));
        }
    }
    Ok(out)
}

impl Sidecar {
    /// Reads and checks `path` (see the module docs).
    pub fn read(path: &Path) -> Result<Sidecar> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("--metadata: reading {shown}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| anyhow::anyhow!("--metadata {shown}: not UTF-8 text ({e})"))?;
        Sidecar::parse(text.strip_prefix('\u{feff}').unwrap_or(&text), &shown)
    }

    /// Reads a sidecar from its text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Sidecar> {
        let recs = records(text, path)?;
        let Some((hline, header)) = recs.first() else {
            bail!("{path}: empty; a header row is needed (id or file, then any of {FIELDS:?})");
        };
        let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        for (i, h) in header.iter().enumerate() {
            if h != "id" && h != "file" && !FIELDS.contains(&h.as_str()) {
                bail!(
                    "{path}:{hline}: unknown column {h:?} (the columns are id or file, then any of {})",
                    FIELDS.join(", ")
                );
            }
            if header[..i].contains(h) {
                bail!("{path}:{hline}: column {h:?} appears twice");
            }
        }
        let col = |name: &str| header.iter().position(|h| h == name);
        let (id_col, file_col) = (col("id"), col("file"));
        if id_col.is_none() && file_col.is_none() {
            bail!("{path}:{hline}: no id or file column: a row must say which document it is for");
        }
        let mut out = Sidecar {
            path: path.to_string(),
            by_id: HashMap::new(),
            by_file: HashMap::new(),
        };
        for (line, rec) in &recs[1..] {
            let line = *line;
            if rec.len() != header.len() {
                bail!(
                    "{path}:{line}: {} fields where the header has {}",
                    rec.len(),
                    header.len()
                );
            }
            let cell = |c: Option<usize>| {
                c.map(|i| rec[i].trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let meta = DocMeta {
                published: cell(col("published")),
                title: cell(col("title")),
                byline: cell(col("byline")),
                url: cell(col("url")),
                outlet: cell(col("outlet")),
            };
            if let Some(p) = &meta.published {
                if !starts_with_date(p) {
                    bail!("{path}:{line}: published {p:?} does not start with a date YYYY-MM-DD");
                }
            }
            let (key, map) = match (cell(id_col), cell(file_col)) {
                (Some(id), _) => (id, &mut out.by_id),
                (None, Some(file)) => (file, &mut out.by_file),
                (None, None) => bail!("{path}:{line}: neither id nor file given"),
            };
            if let Some(before) = map.get(&key) {
                bail!(
                    "{path}:{line}: {key:?} was given already on line {}",
                    before.line
                );
            }
            map.insert(
                key.clone(),
                Row {
                    line,
                    key,
                    meta,
                    used: AtomicBool::new(false),
                },
            );
        }
        Ok(out)
    }

    /// The rows for a document (its `file` row, then its `id` row), each marked as used.
    fn rows(&self, id: &str, source: &str) -> impl Iterator<Item = &Row> {
        let name = Path::new(source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let file = self
            .by_file
            .get(source)
            .or_else(|| name.and_then(|n| self.by_file.get(&n)));
        let rows = [file, self.by_id.get(id)].into_iter().flatten();
        rows.inspect(|r| r.used.store(true, Ordering::Relaxed))
    }

    /// Marks the rows for a document that could not be read (they fit a document).
    pub fn touch(&self, id: &str, source: &str) {
        self.rows(id, source).for_each(drop);
    }

    /// Gives `doc` the values of its rows: they override what the document gives
    /// ([`RawDoc::meta`] wins over what cleaning finds in the text).
    pub fn apply(&self, doc: &mut RawDoc) {
        for r in self.rows(&doc.id, &doc.source) {
            let m = &mut doc.meta;
            for (to, from) in [
                (&mut m.published, &r.meta.published),
                (&mut m.title, &r.meta.title),
                (&mut m.byline, &r.meta.byline),
                (&mut m.url, &r.meta.url),
                (&mut m.outlet, &r.meta.outlet),
            ] {
                if from.is_some() {
                    to.clone_from(from);
                }
            }
        }
    }

    /// Warnings for the rows that fitted no document so far, in line order.
    pub fn unmatched(&self) -> Vec<String> {
        let mut rows: Vec<(&Row, &str)> = self
            .by_id
            .values()
            .map(|r| (r, "id"))
            .chain(self.by_file.values().map(|r| (r, "file")))
            .filter(|(r, _)| !r.used.load(Ordering::Relaxed))
            .collect();
        rows.sort_by_key(|(r, _)| r.line);
        rows.into_iter()
            .map(|(r, what)| {
                format!(
                    "{}:{}: {what} {:?} fits no document of this run",
                    self.path, r.line, r.key
                )
            })
            .collect()
    }

    /// Rows in the file.
    pub fn len(&self) -> usize {
        self.by_id.len() + self.by_file.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn starts_with_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, source: &str) -> RawDoc {
        RawDoc {
            id: id.into(),
            source: source.into(),
            text: String::new(),
            format: crate::clean::Format::Text,
            meta: DocMeta {
                title: Some("Own title".into()),
                byline: Some("By Ann Lee".into()),
                ..Default::default()
            },
            hash: String::new(),
            warnings: vec![],
        }
    }

    #[test]
    fn rows_fit_by_id_or_file_and_override() {
        let s = Sidecar::parse(
            "file,id,published,title,outlet\r\n\
             a.txt,,2025-03-14,\"Title, with comma\",Gazette\r\n\
             ,b,2025-01-02T10:00:00Z,,\"The \"\"Post\"\"\"\r\n\
             ,a,,Id wins,\r\n\
             ,nobody,2020-01-01,,\r\n",
            "m.csv",
        )
        .unwrap();
        assert_eq!(s.len(), 4);
        let mut a = doc("a", "articles/a.txt");
        s.apply(&mut a);
        assert_eq!(a.meta.published.as_deref(), Some("2025-03-14"));
        assert_eq!(a.meta.title.as_deref(), Some("Id wins"));
        assert_eq!(a.meta.outlet.as_deref(), Some("Gazette"));
        assert_eq!(a.meta.byline.as_deref(), Some("By Ann Lee"));
        let mut b = doc("b", "in.jsonl");
        s.apply(&mut b);
        assert_eq!(b.meta.title.as_deref(), Some("Own title"));
        assert_eq!(b.meta.outlet.as_deref(), Some("The \"Post\""));
        assert_eq!(
            s.unmatched(),
            vec!["m.csv:5: id \"nobody\" fits no document of this run"]
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        let err = |t: &str| Sidecar::parse(t, "m.csv").unwrap_err().to_string();
        assert!(err("id,author\n").contains("m.csv:1: unknown column \"author\""));
        assert!(err("title,url\n").contains("m.csv:1: no id or file column"));
        assert!(err("id,title\na,b,c\n").contains("m.csv:2: 3 fields where the header has 2"));
        assert!(err("id,title\na,\"open\n").contains("m.csv:2: a quoted field is not closed"));
        assert!(err("id,title\na,b\"c\n").contains("m.csv:2: a quote inside an unquoted field"));
        assert!(
            err("id,title\na,x\nb,y\na,z\n").contains("m.csv:4: \"a\" was given already on line 2")
        );
        assert!(err("id,published\na,14 March 2025\n").contains("m.csv:2: published"));
        assert!(err("").contains("m.csv: empty"));
        // A quoted field may hold a line break; the next record's line is counted past it.
        let e = err("id,title\na,\"two\nlines\"\nb,c,d\n");
        assert!(e.contains("m.csv:4:"), "{e}");
    }
}
