//! Cleaning: turns a plain-text, Markdown or HTML article into tidy paragraphs, keeping a map
//! from every byte of the cleaned text back to the original.
//!
//! This module owns the *shape* of the text the later stages see; it knows nothing about
//! sentences, entities or quotes beyond repairing quote marks that PDF extraction broke.
//!
//! # Conventions of the cleaned text
//!
//! * Paragraphs are separated by exactly `"\n\n"`; there is no other newline, and the text
//!   neither starts nor ends with white space.
//! * Inside a paragraph, hard-wrapped lines are joined with one space, and runs of spaces, tabs,
//!   no-break spaces and other Unicode spaces are one ASCII space.
//! * CRLF, CR, U+2028/U+2029 are line ends; a form feed is a paragraph break. Zero-width
//!   characters, the BOM and soft hyphens are dropped (a soft hyphen at a line end joins the
//!   two halves of the word). Other control characters become spaces.
//! * Quote marks are kept as they are (curly or straight), except the PDF repairs described in
//!   `repair_quotes`. No Unicode normalisation is done.
//!
//! # The offset map
//!
//! Every stage pushes characters tagged with the range of *original* code points they came
//! from (a `Tc`); the final `Builder` turns them into the cleaned `String` plus, for each
//! cleaned byte, the original start and end. [`OffsetMap::to_original`] maps a byte span to
//! `(start of its first char, end of its last char)`, so a mention maps to exactly its original
//! text, and a span across a joined line-end hyphen maps to the whole original range,
//! hyphen and newline included. A decoded HTML entity maps to the whole entity, a joining
//! space to the whole gap (newline, spaces, dropped URL lines) it replaced.
//!
//! # Formats
//!
//! * [`Format::Text`] (also text extracted from PDF): blocks are separated by blank lines; inside
//!   a block, lines are joined unless the document is hard-wrapped and a line is clearly
//!   shorter than the wrap width (a title or the end of a paragraph): see `split_wrapped`.
//!   Line-end hyphens are joined by `keep_hyphen`'s rule. Lines that are only URLs, page
//!   numbers/footers ("3", "- 3 -", "Page 3 of 5") and lines repeated 3 or more times (running
//!   headers) are dropped.
//! * [`Format::Markdown`]: heading markers, emphasis, list and blockquote markers, link targets,
//!   images, autolinks, reference definitions, rules, table separator rows and inline HTML tags
//!   are dropped; entities and backslash escapes are decoded. Fenced code blocks: the fence
//!   lines are dropped and the code is kept as a paragraph of its own (news Markdown rarely has
//!   code; keeping it means no text silently disappears). Lines inside a Markdown paragraph
//!   are always joined.
//! * [`Format::Html`]: `<script>`, `<style>`, `<head>`, `<noscript>`, `<template>`, `<svg>`
//!   and comments are dropped with their content; block elements (`p`, `div`, `li`, `td`,
//!   headings, `br`, …) make paragraph breaks, and paragraphs of a page are never joined again;
//!   other tags are dropped; entities are decoded; white space is collapsed as a browser would.
//!   By default ([`HtmlMode::Article`]) only the article's elements are kept (see `html`, which
//!   also reads the page's [`DocMeta`]); [`HtmlMode::All`] keeps the whole page.
//!
//! For text and Markdown, paragraphs cut in two (by blank lines, a dropped URL block or a page
//! footer) are joined again when the first ends with a comma or an open quote, or
//! ends in a lowercase word while the next starts lowercase: see `is_continuation`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::Span;

mod html;
mod html_tokens;
mod markdown;

pub use html::HtmlMode;
use markdown::markdown_blocks;

/// What is known of a document besides its text: from an HTML page's metadata ([`clean`]
/// finds it), the headline of a text or Markdown article ([`headline`]), or the fields of a
/// JSON Lines input line (which win). `None` when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocMeta {
    /// The headline (JSON-LD `headline`, `og:title`, the article's `h1`, `<title>`).
    pub title: Option<String>,
    /// When the article was published, ISO 8601 as the page gives it (JSON-LD
    /// `datePublished`, `article:published_time`, `<time datetime>`).
    pub published: Option<String>,
    /// The author(s) (JSON-LD `author`, `<meta name="author">`, a byline element).
    pub byline: Option<String>,
    /// The canonical URL (`<link rel="canonical">`, `og:url`, JSON-LD `url`).
    pub url: Option<String>,
    /// The publication ("Reuters", "The Valley Gazette"): given with the document (a JSON
    /// Lines `outlet` field, `extract --metadata`), never guessed from the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
}

/// The markup of an input document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// Parses a format name: `text`/`txt`/`plain`, `markdown`/`md`, `html`/`htm` (any case).
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// Guesses the format of a document from its file name, else from its content.
///
/// `.md`/`.markdown` → Markdown, `.html`/`.htm`/`.xhtml` → Html; otherwise a text that starts
/// (after white space and a BOM) with `<!doctype html` or `<html` is Html, anything else Text.
pub fn detect_format(path_or_name: &str, text: &str) -> Format {
    let ext = std::path::Path::new(path_or_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("md" | "markdown") => return Format::Markdown,
        Some("html" | "htm" | "xhtml") => return Format::Html,
        _ => {}
    }
    let head: String = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Format::Html
    } else if looks_like_markdown(text) {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Whether a text with no telling file name is Markdown: at least two of its first 200 lines
/// carry Markdown syntax (a link `[..](..)`, an autolink `<http..>`, `**strong**`, an ATX
/// heading `# `), or one line with two such signs. A `.txt` file saved from a Markdown
/// converter is then cleaned as Markdown.
fn looks_like_markdown(text: &str) -> bool {
    let mut signs = 0;
    for line in text.lines().take(200) {
        let t = line.trim_start();
        let link = t.contains("](") && t.contains('[');
        let autolink = t.contains("<http://") || t.contains("<https://");
        let strong = t.matches("**").count() >= 2;
        let heading = t.starts_with("# ") || t.starts_with("## ") || t.starts_with("### ");
        signs += [link, autolink, strong, heading]
            .iter()
            .filter(|&&b| b)
            .count();
        if signs >= 2 {
            return true;
        }
    }
    false
}

/// Maps byte spans of the cleaned text to code point offsets into the original text.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// For each byte of the cleaned text: the original code point offset where its char starts.
    starts: Vec<u32>,
    /// For each byte of the cleaned text: the original code point offset where its char ends.
    ends: Vec<u32>,
    /// Where an empty span at the very end of the cleaned text maps to.
    end: u32,
}

impl OffsetMap {
    /// Code point offsets `[start, end)` into the original text for a byte span of the cleaned
    /// text: the original start of its first char and the original end of its last char.
    ///
    /// An empty span maps to an empty range at the original start of the char it sits before
    /// (or at the end of the last char when it sits at the end). Spans past the end of the
    /// cleaned text are clamped; this never panics.
    pub fn to_original(&self, span: Span) -> (usize, usize) {
        let n = self.starts.len();
        let start = span.start.min(n);
        let end = span.end.min(n).max(start);
        if start == end {
            let p = if start < n {
                self.starts[start]
            } else {
                self.end
            };
            return (p as usize, p as usize);
        }
        (self.starts[start] as usize, self.ends[end - 1] as usize)
    }

    /// The identity map of a text that was not changed.
    pub fn identity(text: &str) -> OffsetMap {
        let mut b = Builder::default();
        for (i, c) in text.chars().enumerate() {
            b.push(c, i as u32, i as u32 + 1);
        }
        b.finish().map
    }
}

/// A cleaned document: the text the later stages work on, and its map to the original.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub text: String,
    pub map: OffsetMap,
    /// Title, date, byline and URL of an HTML page; the headline, byline and date of a text or
    /// Markdown article.
    pub meta: DocMeta,
}

/// A char of some intermediate text, tagged with the original code point range `[s, e)` it
/// came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tc {
    c: char,
    s: u32,
    e: u32,
}

impl Tc {
    fn new(c: char, s: u32, e: u32) -> Tc {
        Tc { c, s, e }
    }
    /// The same origin, another char.
    fn with(self, c: char) -> Tc {
        Tc { c, ..self }
    }
}

/// Builds the final cleaned text, each pushed char tagged with its original range.
#[derive(Debug, Default)]
struct Builder {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Builder {
    fn push(&mut self, c: char, s: u32, e: u32) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.starts.push(s);
            self.ends.push(e);
        }
    }
    fn push_str(&mut self, text: &str, s: u32, e: u32) {
        for c in text.chars() {
            self.push(c, s, e);
        }
    }
    fn push_tc(&mut self, t: Tc) {
        self.push(t.c, t.s, t.e);
    }
    fn finish(self) -> Cleaned {
        let end = self.ends.last().copied().unwrap_or(0);
        Cleaned {
            text: self.text,
            map: OffsetMap {
                starts: self.starts,
                ends: self.ends,
                end,
            },
            meta: DocMeta::default(),
        }
    }
}

type Line = Vec<Tc>;

/// A run of lines that belong together (a paragraph, maybe several in hard-wrapped text).
#[derive(Debug, Clone)]
struct Block {
    lines: Vec<Line>,
    /// Hard-wrapped plain text: a line break may still be a paragraph break.
    wrapped: bool,
}

/// How to clean. By default: HTML pages reduced to their article ([`HtmlMode::Article`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CleanOptions {
    /// Which text of an HTML page to keep. By default the article.
    pub html_mode: HtmlMode,
}

/// Cleans `original` (see the module docs for what that means) and maps it back, with the
/// default [`CleanOptions`].
pub fn clean(original: &str, format: Format) -> Cleaned {
    clean_with(original, format, &CleanOptions::default())
}

/// Cleans `original` as `options` say. HTML pages have their metadata; a text or Markdown
/// article its headline and the byline and date lines under it ([`lift_byline_and_date`]).
pub fn clean_with(original: &str, format: Format, options: &CleanOptions) -> Cleaned {
    let chars: Vec<char> = original.chars().collect();
    let mut meta = DocMeta::default();
    let mut blocks = match format {
        Format::Text => {
            let lines = split_lines(&normalize(&tag_chars(&chars)));
            let headers = running_headers(&lines);
            drop_junk(text_blocks(lines), &headers)
        }
        Format::Markdown => {
            let lines = split_lines(&normalize(&tag_chars(&chars)));
            drop_junk(markdown_blocks(lines), &HashSet::new())
        }
        Format::Html => {
            let (text, page_meta) = html::html_text(&chars, options.html_mode);
            meta = page_meta;
            let lines = split_lines(&normalize(&text));
            let blocks = lines
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(|l| Block {
                    lines: vec![l],
                    wrapped: false,
                })
                .collect();
            drop_junk(blocks, &HashSet::new())
        }
    };
    if format != Format::Html {
        (meta.byline, meta.published) = lift_byline_and_date(&mut blocks);
    }
    // In HTML the blocks are the page's own: never joined into one paragraph.
    let mut cleaned = assemble(blocks, format != Format::Html);
    if format != Format::Html {
        meta.title = headline(&cleaned.text);
    }
    cleaned.meta = meta;
    cleaned
}

/// The byline and date lines under the headline of a text or Markdown article ("By Jane Doe",
/// "September 25, 2020"), taken out of its body into its metadata, as an HTML page's are: the
/// writer is not someone the article mentions, and the same article with and without them
/// (a PDF whose byline went to a footer, a Markdown copy) reads the same. Only one-line
/// paragraphs right after a one-line first paragraph, at most one byline ("By " and at most 8
/// words, no full stop, no "|") and one date, in either order; returns (byline without "By",
/// date as ISO 8601 `YYYY-MM-DD`).
fn lift_byline_and_date(blocks: &mut Vec<Block>) -> (Option<String>, Option<String>) {
    let (mut byline, mut date) = (None, None);
    if blocks.first().is_none_or(|b| b.lines.len() != 1) {
        return (None, None);
    }
    while let Some(line) = blocks
        .get(1)
        .filter(|b| b.lines.len() == 1)
        .map(|b| text_of(&b.lines[0]))
    {
        let line = line.trim();
        if let Some(b) = byline.is_none().then(|| byline_line(line)).flatten() {
            byline = Some(b);
        } else if let Some(d) = date.is_none().then(|| date_line(line)).flatten() {
            date = Some(d);
        } else {
            break;
        }
        blocks.remove(1);
    }
    (byline, date)
}

/// "By Jane Doe", "BY JANE DOE and JOHN ROE", "By Jonathan Brown for AFP": the names.
fn byline_line(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))?;
    let rest = rest.trim();
    let words = rest.split_whitespace().count();
    let ok = (1..=8).contains(&words)
        && rest.chars().next().is_some_and(char::is_uppercase)
        && !rest.ends_with('.')
        && !rest.contains('|');
    ok.then(|| rest.to_string())
}

/// A line that is only a date ("September 25, 2020", "Sept. 25, 2020", "Friday, September 25,
/// 2020", "25 September 2020", "2020-09-25", each maybe after "Published" or "Updated"), as
/// `YYYY-MM-DD`.
fn date_line(line: &str) -> Option<String> {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let pre = r"^(?:(?:Published|Updated|Posted)(?: on)?:?\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?";
        [
            Regex::new(&format!(r"{pre}([A-Z][a-z]+)\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$")),
            Regex::new(&format!(r"{pre}(\d{{1,2}})\s+([A-Z][a-z]+)\.?,?\s+(\d{{4}})$")),
            Regex::new(&format!(r"{pre}(\d{{4}})-(\d{{2}})-(\d{{2}})$")),
        ]
        .map(|r| r.expect("valid regex"))
    });
    // A month's full name, or a word of at most 4 letters starting with its first three
    // ("Sep", "Sept").
    let month = |m: &str| {
        let m = m.to_lowercase();
        MONTHS
            .iter()
            .position(|full| {
                m.starts_with(&full[..3]) && (m.len() <= 4 || MONTHS.contains(&m.as_str()))
            })
            .map(|i| i as u32 + 1)
    };
    let iso = |y: &str, m: u32, d: &str| {
        let d: u32 = d.parse().ok()?;
        (1..=31).contains(&d).then(|| format!("{y}-{m:02}-{d:02}"))
    };
    if let Some(c) = re[0].captures(line) {
        return iso(&c[3], month(&c[1])?, &c[2]);
    }
    if let Some(c) = re[1].captures(line) {
        return iso(&c[3], month(&c[2])?, &c[1]);
    }
    let c = re[2].captures(line)?;
    let m: u32 = c[2].parse().ok().filter(|m| (1..=12).contains(m))?;
    iso(&c[1], m, &c[3])
}

/// Month names in full, lower case.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The title of a text or Markdown article: its first paragraph when that reads as a
/// headline: one short line (at most 200 characters and 30 words) starting with a capital,
/// not a quotation, with more text after it, and without the full stop of a sentence (an
/// abbreviation at the end, "U.S.", is fine).
pub fn headline(text: &str) -> Option<String> {
    let (first, rest) = text.split_once('\n')?;
    let first = first.trim();
    let words: Vec<&str> = first.split_whitespace().collect();
    let last = words.last()?;
    let ends_sentence = match last.chars().last()? {
        '.' => !last[..last.len() - 1].contains('.'),
        c => matches!(c, ',' | ';' | ':' | '!' | '?' | '"' | '”' | '’'),
    };
    let ok = (2..=30).contains(&words.len())
        && first.chars().count() <= 200
        && first.chars().next().is_some_and(char::is_uppercase)
        && !ends_sentence
        && !rest.trim().is_empty();
    ok.then(|| first.to_string())
}

fn tag_chars(chars: &[char]) -> Vec<Tc> {
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| Tc::new(c, i as u32, i as u32 + 1))
        .collect()
}

fn text_of(line: &[Tc]) -> String {
    line.iter().map(|t| t.c).collect()
}

// ---------------------------------------------------------------------------------------------
// Characters and lines

/// Line ends to `\n`, spaces to `' '`, drops invisible chars (see the module docs).
fn normalize(input: &[Tc]) -> Vec<Tc> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let t = input[i];
        match t.c {
            '\r' => {
                if input.get(i + 1).is_some_and(|n| n.c == '\n') {
                    out.push(Tc::new('\n', t.s, input[i + 1].e));
                    i += 1;
                } else {
                    out.push(t.with('\n'));
                }
            }
            '\n' | '\u{0b}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(t.with('\n')),
            '\u{0c}' => {
                out.push(t.with('\n'));
                out.push(t.with('\n'));
            }
            '\u{ad}' => {
                // A soft hyphen at a line end: the word goes on on the next line.
                let mut j = i + 1;
                while input.get(j).is_some_and(|n| n.c == ' ' || n.c == '\t') {
                    j += 1;
                }
                if input.get(j).is_some_and(|n| n.c == '\n' || n.c == '\r') {
                    j += 1;
                    if input[j - 1].c == '\r' && input.get(j).is_some_and(|n| n.c == '\n') {
                        j += 1;
                    }
                    while input.get(j).is_some_and(|n| n.c == ' ' || n.c == '\t') {
                        j += 1;
                    }
                    i = j;
                    continue;
                }
            }
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c if c.is_whitespace() || c.is_control() => out.push(t.with(' ')),
            _ => out.push(t),
        }
        i += 1;
    }
    out
}

/// Splits at `\n` and tidies each line: no leading/trailing spaces, space runs collapsed.
fn split_lines(chars: &[Tc]) -> Vec<Line> {
    chars.split(|t| t.c == '\n').map(tidy).collect()
}

/// Collapses runs of spaces to one space (mapped to the whole run) and trims both ends.
fn tidy(line: &[Tc]) -> Line {
    let mut out: Line = Vec::with_capacity(line.len());
    let mut pending: Option<(u32, u32)> = None;
    for t in line {
        if t.c == ' ' {
            pending = Some(match pending {
                None => (t.s, t.e),
                Some((s, _)) => (s, t.e),
            });
        } else {
            if let Some((s, e)) = pending.take() {
                if !out.is_empty() {
                    out.push(Tc::new(' ', s, e));
                }
            }
            out.push(*t);
        }
    }
    out
}

/// Plain text: blocks are runs of non-blank lines.
fn text_blocks(lines: Vec<Line>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    for line in lines {
        if line.is_empty() {
            if !cur.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut cur),
                    wrapped: true,
                });
            }
        } else {
            cur.push(line);
        }
    }
    if !cur.is_empty() {
        blocks.push(Block {
            lines: cur,
            wrapped: true,
        });
    }
    blocks
}

// ---------------------------------------------------------------------------------------------
// Junk lines

fn is_url_token(tok: &str) -> bool {
    let t = tok
        .trim_start_matches(['<', '('])
        .trim_end_matches(['>', ')'])
        .to_ascii_lowercase();
    ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|p| t.starts_with(p) && t.len() > p.len())
}

/// A line with nothing but URLs.
fn is_url_line(s: &str) -> bool {
    !s.trim().is_empty() && s.split_whitespace().all(is_url_token)
}

/// A page number or page footer: "3", "- 3 -", "Page 3 of 5", "3/5", "p. 3".
fn is_page_marker(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:[-–—]\s*)?(?:page|p\.|pg\.?)?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?$",
        )
        .expect("valid regex")
    })
    .is_match(s.trim())
}

/// The key under which running headers are counted: lowercase, digits as `#`.
fn header_key(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lines repeated at least 3 times that look like running headers or footers (short, no
/// sentence-final punctuation), by [`header_key`].
fn running_headers(lines: &[Line]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines.iter().filter(|l| !l.is_empty()) {
        *counts.entry(header_key(&text_of(line))).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(k, n)| {
            let len = k.chars().count();
            *n >= 3
                && (4..=80).contains(&len)
                && k.split_whitespace().count() <= 12
                && !k.ends_with(['.', '?', '!', '"', '”', '\'', '’', ',', ':', ';'])
        })
        .map(|(k, _)| k)
        .collect()
}

/// Drops junk lines; a dropped line splits its block (the halves may be joined again later).
fn drop_junk(blocks: Vec<Block>, headers: &HashSet<String>) -> Vec<Block> {
    let mut out = Vec::new();
    for block in blocks {
        let mut cur: Vec<Line> = Vec::new();
        for line in block.lines {
            let s = text_of(&line);
            let junk = is_url_line(&s)
                || is_page_marker(&s)
                || (!headers.is_empty() && headers.contains(&header_key(&s)));
            if junk {
                if !cur.is_empty() {
                    out.push(Block {
                        lines: std::mem::take(&mut cur),
                        wrapped: block.wrapped,
                    });
                }
            } else if !line.is_empty() {
                cur.push(line);
            }
        }
        if !cur.is_empty() {
            out.push(Block {
                lines: cur,
                wrapped: block.wrapped,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Paragraphs

/// Turns blocks into the final text: paragraphs split and joined (when `join_cut`: see
/// [`is_continuation`]), lines joined, quotes repaired.
fn assemble(blocks: Vec<Block>, join_cut: bool) -> Cleaned {
    let words = word_set(&blocks);
    let width = wrap_width(&blocks);
    let mut paragraphs: Vec<Line> = Vec::new();
    for block in blocks {
        let groups = if block.wrapped {
            split_wrapped(block.lines, width)
        } else {
            vec![block.lines]
        };
        for group in groups {
            let para = join_lines(group, &words);
            if para.is_empty() {
                continue;
            }
            match paragraphs.last_mut() {
                Some(prev) if join_cut && is_continuation(prev, &para) => {
                    let joined = join_pair(std::mem::take(prev), para, &words);
                    *prev = joined;
                }
                _ => paragraphs.push(para),
            }
        }
    }
    let mut b = Builder::default();
    for (i, para) in paragraphs.iter().enumerate() {
        if i > 0 {
            let s = paragraphs[i - 1].last().map_or(0, |t| t.e);
            let e = para.first().map_or(s, |t| t.s).max(s);
            b.push_str("\n\n", s, e);
        }
        for t in repair_quotes(para) {
            b.push_tc(t);
        }
    }
    b.finish()
}

/// The wrap width of hard-wrapped text: the 90th percentile of the lengths (in chars) of the
/// lines of plain-text blocks (most lines of a hard-wrapped text are full). `None` when no
/// block has two lines.
fn wrap_width(blocks: &[Block]) -> Option<usize> {
    let wrapped = blocks.iter().filter(|b| b.wrapped);
    if wrapped.clone().all(|b| b.lines.len() < 2) {
        return None;
    }
    let mut lens: Vec<usize> = wrapped.flat_map(|b| b.lines.iter().map(Vec::len)).collect();
    lens.sort_unstable();
    Some(lens[(lens.len() * 9 / 10).min(lens.len() - 1)])
}

/// Wider than this, lines are not hard-wrapped: each line is a paragraph of its own.
const MAX_WRAP_WIDTH: usize = 160;

/// Splits a block of plain text into paragraphs.
///
/// In hard-wrapped text (wrap width at most 160 chars) a line break is a paragraph break only
/// after a line shorter than 60% of the wrap width (a title, a caption, the last line of a
/// paragraph). In text that is not hard-wrapped, every line break is one. In both cases the
/// break is not made when the line ends with a hyphen or a comma, or ends in a lowercase word
/// and the next line starts lowercase.
fn split_wrapped(lines: Vec<Line>, width: Option<usize>) -> Vec<Vec<Line>> {
    let mut groups: Vec<Vec<Line>> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let n = lines.len();
    let mut iter = lines.into_iter().peekable();
    let mut i = 0;
    while let Some(line) = iter.next() {
        i += 1;
        let brk = match (iter.peek(), width) {
            (None, _) => false,
            (Some(next), Some(w)) => {
                let short = w > MAX_WRAP_WIDTH || line.len() * 10 < w * 6;
                let last = line.last().map_or(' ', |t| t.c);
                let first = next.first().map_or(' ', |t| t.c);
                short
                    && !matches!(last, '-' | ',' | '\u{2010}')
                    && !(last.is_lowercase() && first.is_lowercase())
            }
            (Some(_), None) => false,
        };
        cur.push(line);
        if brk || i == n {
            groups.push(std::mem::take(&mut cur));
        }
    }
    groups
}

/// Whether paragraph `next` continues `prev`, cut by blank lines or dropped junk: `prev` ends
/// with a comma, an open quote (a quote mark after a space) or a hyphenated word part, or it
/// ends in a lowercase word (after at least 4 words) and `next` starts lowercase. A semicolon
/// is not enough: news headlines end with one before their subtitle ("Title;" "Subtitle.").
fn is_continuation(prev: &[Tc], next: &[Tc]) -> bool {
    let (Some(last), Some(first)) = (prev.last(), next.first()) else {
        return false;
    };
    let before_last = prev.len().checked_sub(2).map(|k| prev[k].c);
    match last.c {
        ',' => true,
        '"' | '“' => before_last.is_none_or(|c| c == ' '),
        '-' => before_last.is_some_and(char::is_alphabetic) && first.c.is_alphabetic(),
        c => {
            c.is_lowercase()
                && first.c.is_lowercase()
                && prev.iter().filter(|t| t.c == ' ').count() >= 3
        }
    }
}

/// Joins the lines of one paragraph.
fn join_lines(lines: Vec<Line>, words: &HashSet<String>) -> Line {
    let mut iter = lines.into_iter();
    let mut out = iter.next().unwrap_or_default();
    for line in iter {
        out = join_pair(out, line, words);
    }
    out
}

/// Joins two lines: across a line-end hyphen by [`keep_hyphen`], after a dash or slash
/// directly, otherwise with one space mapped to the gap between them.
fn join_pair(mut a: Line, b: Line, words: &HashSet<String>) -> Line {
    let (Some(&last), Some(&first)) = (a.last(), b.first()) else {
        a.extend(b);
        return a;
    };
    let n = a.len();
    if last.c == '-' && n >= 2 && a[n - 2].c.is_alphanumeric() && first.c.is_alphabetic() {
        // Left part: the word (maybe a compound in progress) before the hyphen.
        let left_start = a[..n - 1]
            .iter()
            .rposition(|t| !(t.c.is_alphanumeric() || t.c == '-'))
            .map_or(0, |k| k + 1);
        let left = text_of(&a[left_start..n - 1]);
        let right: String = b
            .iter()
            .map(|t| t.c)
            .take_while(|c| c.is_alphanumeric())
            .collect();
        if !keep_hyphen(&left, &right, words) {
            a.pop();
        }
        a.extend(b);
        return a;
    }
    if !matches!(last.c, '—' | '–' | '/') {
        a.push(Tc::new(' ', last.e, first.s.max(last.e)));
    }
    a.extend(b);
    a
}

/// First parts of compounds that keep their hyphen at a line end.
const HYPHEN_PREFIXES: &[&str] = &[
    "anti", "non", "pro", "self", "ex", "co", "multi", "post", "pre", "well", "state", "military",
    "semi", "quasi", "neo", "mid", "inter", "intra", "ultra", "extra", "vice", "counter", "cross",
    "pan", "sub", "super", "all", "half", "full", "long", "short", "high", "low", "large", "small",
    "wide", "world", "far", "first", "second", "third", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "year", "old", "so", "ill", "hard", "top", "left",
    "right", "cease", "follow", "build", "break", "take", "run", "check", "set", "log", "e", "x",
    "t", "u",
];

/// Word ends that show a line-end hyphen split one word ("informa-" "tion").
const SYLLABLE_ENDS: &[&str] = &[
    "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ities", "ing", "ings",
    "ance", "ances", "ence", "ences", "ous", "ive", "ives", "able", "ible", "ical", "ically",
    "ized", "ised", "ure", "ures", "ate", "ated", "ates", "ly", "ed", "er", "ers", "es", "est",
    "al", "ally", "ic", "ics", "ist", "ists", "ism", "ent", "ant", "ants", "ial", "ian", "ians",
    "ty", "ties", "cy", "cies", "ry", "ries", "le", "les", "ful", "less", "ship", "hood",
];

/// Whether a line-end hyphen between `left` and `right` is a real hyphen (kept) or a word
/// split (dropped). The rule, first match wins:
///
/// 1. `right` starts uppercase or with a digit, or `left` ends with a digit or is itself a
///    compound ("44-year-" "old") → keep ("Non-" "Interference").
/// 2. The document has the hyphenated form elsewhere → keep; the joined form → drop.
/// 3. `left` is a common compound prefix or first part (anti, non, pro, self, ex, co, multi,
///    post, pre, well, state, military, ...) → keep ("anti-" "corruption").
/// 4. `right` is a typical word end (tion, ment, ing, ...) → drop ("informa-" "tion").
/// 5. `left` and `right` both appear as words elsewhere in the document → keep; otherwise the
///    joined word is taken as one broken word → drop.
fn keep_hyphen(left: &str, right: &str, words: &HashSet<String>) -> bool {
    let first = right.chars().next().unwrap_or(' ');
    if first.is_uppercase() || first.is_ascii_digit() {
        return true;
    }
    if left.ends_with(|c: char| c.is_ascii_digit()) || left.contains('-') {
        return true;
    }
    let l = left.to_lowercase();
    let r = right.to_lowercase();
    if words.contains(&format!("{l}-{r}")) {
        return true;
    }
    if words.contains(&format!("{l}{r}")) {
        return false;
    }
    if HYPHEN_PREFIXES.contains(&l.as_str()) {
        return true;
    }
    if SYLLABLE_ENDS.contains(&r.as_str()) {
        return false;
    }
    l.chars().count() >= 3 && r.chars().count() >= 3 && words.contains(&l) && words.contains(&r)
}

/// The lowercased words of the document, hyphenated compounds as whole words, for
/// [`keep_hyphen`]'s evidence.
fn word_set(blocks: &[Block]) -> HashSet<String> {
    let mut words = HashSet::new();
    for line in blocks.iter().flat_map(|b| &b.lines) {
        let s = text_of(line).to_lowercase();
        for tok in s.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let tok = tok.trim_matches('-');
            if !tok.is_empty() {
                words.insert(tok.to_string());
            }
        }
    }
    words
}

// ---------------------------------------------------------------------------------------------
// Quote repair

/// Chars after which a quote mark opens a quote.
fn opens_after(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–')
}

/// Repairs quote marks broken by PDF extraction, within one paragraph. Apostrophes (a `'`
/// between two letters) are never touched, nor are quotes that are not broken.
///
/// * A doubled opening mark before a word, `""exchange`, `'"hostage`, `''unleashing`, becomes
///   one `"` (mapped to both original marks). When it had a `'` in it and no double quote
///   closes it later in the paragraph, the first `'` that ends a word after it becomes the
///   closing `"` (`'"Russian actors' of` → `"Russian actors" of`).
/// * Inside a double quote (with no single quote opened inside it), a `'` right after `,` `.`
///   `?` or `!` and before a space or the end closes the double quote and becomes `"` (or `”`
///   after `“`): `"As we've ... statements,' he added` → `... statements," he added`.
fn repair_quotes(p: &[Tc]) -> Line {
    let n = p.len();
    let ch = |k: usize| p.get(k).map(|t| t.c);
    let open_ctx = |k: usize| k == 0 || opens_after(p[k - 1].c);
    let mut out = Vec::with_capacity(n);
    let mut close_at: HashSet<usize> = HashSet::new();
    // The opening mark of the double quote we are in, if any.
    let mut in_double: Option<char> = None;
    let mut single_open = false;
    let mut i = 0;
    while i < n {
        let c = p[i].c;
        let next = ch(i + 1);
        if open_ctx(i)
            && matches!(
                (c, next),
                ('"', Some('"')) | ('\'', Some('"')) | ('\'', Some('\''))
            )
            && ch(i + 2).is_some_and(char::is_alphanumeric)
        {
            out.push(Tc::new('"', p[i].s, p[i + 1].e));
            in_double = Some('"');
            single_open = false;
            if c == '\'' || next == Some('\'') {
                let closed = p[i + 2..].iter().any(|t| t.c == '"' || t.c == '”');
                if !closed {
                    if let Some(k) = (i + 3..n).find(|&k| {
                        p[k].c == '\''
                            && !p[k - 1].c.is_whitespace()
                            && ch(k + 1).is_none_or(|x| !x.is_alphanumeric())
                    }) {
                        close_at.insert(k);
                    }
                }
            }
            i += 2;
            continue;
        }
        if close_at.contains(&i) {
            out.push(p[i].with('"'));
            in_double = None;
            i += 1;
            continue;
        }
        let prev = if i > 0 { Some(p[i - 1].c) } else { None };
        let prev_solid = prev.is_some_and(|x| !x.is_whitespace());
        let next_solid = next.is_some_and(|x| !x.is_whitespace());
        match c {
            '"' => {
                let opening = open_ctx(i) && next_solid;
                let closing = prev_solid;
                in_double = match (opening, closing) {
                    (true, false) => Some('"'),
                    (false, true) => None,
                    _ => in_double.xor(Some('"')),
                };
                single_open = false;
                out.push(p[i]);
            }
            '“' => {
                in_double = Some('“');
                single_open = false;
                out.push(p[i]);
            }
            '”' => {
                in_double = None;
                out.push(p[i]);
            }
            '\'' | '‘' | '’' if in_double.is_some() => {
                let apostrophe = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                let closing_pos =
                    prev_solid && next.is_none_or(|x| x.is_whitespace() || ".,;:!?)]".contains(x));
                if apostrophe {
                    out.push(p[i]);
                } else if open_ctx(i) && next.is_some_and(char::is_alphanumeric) {
                    single_open = true;
                    out.push(p[i]);
                } else if closing_pos && single_open {
                    single_open = false;
                    out.push(p[i]);
                } else if closing_pos && c == '\'' && matches!(prev, Some(',' | '.' | '?' | '!')) {
                    let mark = if in_double == Some('“') { '”' } else { '"' };
                    out.push(p[i].with(mark));
                    in_double = None;
                } else {
                    out.push(p[i]);
                }
            }
            _ => out.push(p[i]),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests;
