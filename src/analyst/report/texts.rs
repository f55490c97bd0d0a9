//! The article text `report` shows: carried in the output (`extract --keep-text`) or re-read
//! from `source` under the allowed roots, and checked against the output's offsets (see the
//! module docs of [`super`]).

use std::collections::HashMap;

use super::Text;
use crate::output::DocOutput;

/// Reads the original text of each document from its `source` and checks that the output's
/// offsets still fit it (see the module docs). `roots`: the folders the sources may be read
/// from; with none, only texts carried in the output are shown.
pub fn load_texts(docs: &[DocOutput], roots: &[std::path::PathBuf]) -> Vec<Text> {
    let roots: Vec<std::path::PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let mut jsonl: HashMap<std::path::PathBuf, Result<JsonlTexts, String>> = HashMap::new();
    docs.iter()
        .map(|d| {
            let text = match &d.text {
                Some(t) => t.clone(),
                None => raw_text(d, &roots, &mut jsonl)?,
            };
            check_text(d, &text)?;
            Ok(text)
        })
        .collect()
}

/// The largest article file `report` reads.
const MAX_ARTICLE_BYTES: u64 = 64 << 20;

/// The texts of a JSON Lines input, by line hash and by id.
#[derive(Default)]
struct JsonlTexts {
    by_hash: HashMap<String, String>,
    by_id: HashMap<String, String>,
}

/// The canonical path of `source` when `report` may read it: a regular file with an input
/// extension under one of `roots` (canonical).
fn allowed_path(source: &str, roots: &[std::path::PathBuf]) -> Result<std::path::PathBuf, String> {
    use crate::input::has_input_extension;
    let p = std::path::Path::new(source);
    let not_read = |why: &str| Err(format!("{source}: {why}; not read"));
    if !has_input_extension(p) {
        return not_read("not an article file (.txt .md .markdown .html .htm .jsonl)");
    }
    if roots.is_empty() {
        return not_read("no article folder allowed (pass --articles DIR, or extract --keep-text)");
    }
    let Ok(canon) = std::fs::canonicalize(p) else {
        return Err(format!("{source}: cannot be found"));
    };
    if !roots.iter().any(|r| canon.starts_with(r)) {
        return not_read("outside the article folders (--articles)");
    }
    if !has_input_extension(&canon) {
        return not_read("a link to a file that is not an article file");
    }
    match std::fs::metadata(&canon) {
        Ok(m) if m.is_file() => Ok(canon),
        Ok(_) => not_read("not a regular file"),
        Err(e) => Err(format!("{source}: {e}")),
    }
}

fn read_capped(path: &std::path::Path, source: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("{source}: {e}"))?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(format!(
            "{source}: over {MAX_ARTICLE_BYTES} bytes; not read"
        ));
    }
    Ok(bytes)
}

fn raw_text(
    d: &DocOutput,
    roots: &[std::path::PathBuf],
    jsonl: &mut HashMap<std::path::PathBuf, Result<JsonlTexts, String>>,
) -> Text {
    if d.source == "-" || d.source.is_empty() {
        return Err("read from standard input; the text was not kept".into());
    }
    let path = allowed_path(&d.source, roots)?;
    if d.source.ends_with(".jsonl") {
        let texts = jsonl
            .entry(path.clone())
            .or_insert_with(|| read_jsonl_texts(&path, &d.source));
        let texts = texts.as_ref().map_err(|e| e.clone())?;
        let found = match &d.input_sha256 {
            Some(h) => texts.by_hash.get(h),
            None => texts.by_id.get(&d.id),
        };
        return found.cloned().ok_or_else(|| {
            format!(
                "{}: no line with this document's content (changed since extraction?)",
                d.source
            )
        });
    }
    let bytes = read_capped(&path, &d.source)?;
    if let Some(h) = &d.input_sha256 {
        if crate::input::sha256_hex(&bytes) != *h {
            return Err(format!(
                "{}: changed since extraction (another hash)",
                d.source
            ));
        }
    }
    crate::input::decode(bytes).map_err(|e| format!("{}: {e}", d.source))
}

/// The texts of a JSON Lines input by line hash and by document id (ids as `extract` gives
/// them, before a duplicate gets its suffix), read by the input module's own reader.
fn read_jsonl_texts(path: &std::path::Path, source: &str) -> Result<JsonlTexts, String> {
    let content = read_capped(path, source)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = JsonlTexts::default();
    // The lines as extract reads them: a line it could not read has no text to show.
    for doc in crate::input::jsonl_documents(content, &stem, source).flatten() {
        out.by_hash.insert(doc.hash, doc.text.clone());
        out.by_id.entry(doc.id).or_insert(doc.text);
    }
    Ok(out)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the output's offsets fit `text`: none past its end, and most mention and cue texts
/// equal to the text they point at.
pub(super) fn check_text(d: &DocOutput, text: &str) -> Result<(), String> {
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for e in &d.entities {
        spans.extend(e.mentions.iter().map(|m| (m.start, m.end, m.text.as_str())));
    }
    for q in &d.quotes {
        spans.push((q.start, q.end, ""));
        if let Some(c) = &q.cue {
            spans.push((c.start, c.end, c.text.as_str()));
        }
    }
    let bytes = char_bytes(text);
    let n = bytes.len() - 1;
    if spans.iter().any(|(s, e, _)| s > e || *e > n) {
        return Err(format!(
            "{}: offsets past the end of the text (changed since extraction?)",
            d.source
        ));
    }
    let checked: Vec<_> = spans.iter().filter(|s| !s.2.is_empty()).collect();
    let same = checked
        .iter()
        .filter(|(s, e, t)| squash(&text[bytes[*s]..bytes[*e]]) == squash(t))
        .count();
    if !checked.is_empty() && same * 2 < checked.len() {
        return Err(format!(
            "{}: the text no longer matches the output (changed since extraction?)",
            d.source
        ));
    }
    Ok(())
}

/// Byte offset of each code point, and the text length at the end.
pub(super) fn char_bytes(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}
