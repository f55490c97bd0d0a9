//! HTML pages: one pass over the original text that builds the element tree, the page's
//! metadata and the text as tagged chars; then, in [`HtmlMode::Article`], the choice of the
//! elements that hold the article (readability-style block scoring).
//!
//! This module owns *which* text of a page is the article, and the page's `title`,
//! `published`, `byline` and `url`. It does not own white space, lines or paragraphs: it hands
//! tagged chars (with `\n` at block boundaries, exactly as [`super::clean`] expects) to the
//! rest of the cleaning, so every char still maps to its range in the original text.
//!
//! # How the article is found
//!
//! 1. **Junk** elements are dropped with everything inside: `nav`, `aside`, `footer`, `figure`,
//!    forms and buttons, page headers (a `header` outside `article`/`main` without an `h1`),
//!    hidden elements, navigation/banner/complementary ARIA roles, and elements whose class or
//!    id names a menu, cookie notice, newsletter box, related/teaser/most-read list, promotion,
//!    share bar, social links, footer, sidebar, comments, byline or date line (see
//!    `unlikely`). An element that holds the headline (`h1`), the `main` element or 40% of the
//!    page's paragraph text is never junk by its class (a wrapper `has-sidebar`).
//! 2. **Scoring** (Mozilla Readability's): every block that directly holds at least 25
//!    characters of text and is not mostly link text scores `1 + commas + min(chars / 100, 3)`
//!    for its parent, half of that for its grandparent and a third level by level above. A
//!    candidate's score adds a bonus for its tag (`div` +5, `td`/`blockquote`/`pre` +3, lists
//!    −3, headings −5) and its class (article, body, content, entry, main, post, story, text:
//!    +25), and is scaled by `1 − link density`.
//! 3. The best candidate (moved up to a common ancestor when three of the five best share
//!    one, as the posts of a live blog do) is kept with those siblings that score at least a
//!    fifth of it, or are paragraphs of real prose.
//! 4. The headline: when the kept elements hold no `h1`, the nearest `h1` before them is kept,
//!    with any standfirst (class `standfirst`, `dek`, `summary`, `intro`, …) between the two.
//! 5. Inside what is kept, blocks that are mostly links (a teaser list, "read more" boxes)
//!    and headings such as "Related" or "More from Business" are dropped.
//!
//! When no block scores (a page without prose), the whole page is kept, as in
//! [`HtmlMode::All`]: nothing is lost.

use std::sync::OnceLock;

use regex::Regex;

use super::html_tokens::{
    decode_entity, find_ci, parse_tag, starts_with_ci, Tag, HTML_BLOCK, HTML_SKIP,
};
use super::DocMeta;
use super::Tc;

mod meta;

use meta::resolve;

/// Which text of an HTML page is analysed (`--html-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlMode {
    /// The article: headline, standfirst, body paragraphs and block quotes; menus, teasers,
    /// sidebars, cookie notices and footers are dropped. The default.
    #[default]
    Article,
    /// All the text of the page (only scripts, styles, the head and comments dropped).
    All,
}

impl std::str::FromStr for HtmlMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "article" => Ok(HtmlMode::Article),
            "all" => Ok(HtmlMode::All),
            _ => Err(format!("unknown HTML mode {s:?} (expected article or all)")),
        }
    }
}

/// Elements that hold no content and have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Elements that do not start a block of their own: their text belongs to the enclosing block.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "del",
    "ins", "big", "tt", "strike", "nobr", "label", "img", "br", "wbr",
];

/// Opening one of these closes an open `p` (as a browser does).
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "dl",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "form",
    "pre",
    "figure",
    "address",
    "fieldset",
    "details",
    "menu",
];

/// An end tag looks this many open elements down for its start tag; further down, it is
/// taken for a stray end tag.
const MAX_SEARCH: usize = 256;

/// At most this many elements are open at once (a page of unclosed tags stays shallow).
const MAX_DEPTH: usize = 512;

/// Bytes of text kept of a heading or byline element (for the metadata).
const MAX_CAPTURE: usize = 4096;

/// One element of the page.
#[derive(Debug, Clone, Default)]
struct Node {
    /// Lowercase tag name; `#root` for the document.
    tag: String,
    parent: usize,
    children: Vec<usize>,
    /// Lowercase class and id, space separated.
    class: String,
    /// Hidden by the `hidden` attribute, `aria-hidden="true"` or an inline `display:none`.
    hidden: bool,
    /// The ARIA role, lowercase.
    role: String,
    /// Non-space chars of text whose nearest block element is this one.
    own: u32,
    /// Of those, inside a link.
    own_link: u32,
    /// Commas in that text.
    commas: u32,
}

/// A tagged char of the page text and the element it is in (the innermost open element).
#[derive(Debug, Clone, Copy)]
struct Piece {
    tc: Tc,
    node: u32,
}

/// The page read once: its elements, its text as tagged chars and its metadata.
struct Page {
    nodes: Vec<Node>,
    pieces: Vec<Piece>,
    meta: Found,
}

/// Metadata candidates met while reading, chosen from by [`resolve`].
#[derive(Debug, Default)]
struct Found {
    title_tag: Option<String>,
    og_title: Option<String>,
    meta_published: Option<String>,
    meta_author: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    json_ld: Vec<String>,
    /// `(element, datetime)` of each `<time datetime>`.
    times: Vec<(usize, String)>,
    /// `(element, text)` of headings and byline elements.
    texts: Vec<(usize, String)>,
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The value of attribute `name` in `chars[range]`, entities decoded.
fn attr(chars: &[char], range: (usize, usize), name: &str) -> Option<String> {
    let (mut i, end) = range;
    while i < end {
        while i < end && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let ns = i;
        while i < end && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        let key_matches = i > ns && i - ns == name.len() && starts_with_ci(chars, ns, name);
        if i == ns {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && chars[j].is_whitespace() {
            j += 1;
        }
        let value = if j < end && chars[j] == '=' {
            j += 1;
            while j < end && chars[j].is_whitespace() {
                j += 1;
            }
            let (vs, ve, next) = match chars.get(j) {
                Some(&q) if (q == '"' || q == '\'') && j < end => {
                    let close = (j + 1..end).find(|&k| chars[k] == q).unwrap_or(end);
                    (j + 1, close, (close + 1).min(end))
                }
                _ => {
                    let mut k = j;
                    while k < end && !chars[k].is_whitespace() {
                        k += 1;
                    }
                    (j, k, k)
                }
            };
            i = next;
            Some((vs, ve))
        } else {
            i = j;
            None
        };
        if key_matches {
            let (vs, ve) = value.unwrap_or((i, i));
            return Some(decode_text(chars, vs, ve));
        }
    }
    None
}

/// `chars[s..e]` with entities decoded.
fn decode_text(chars: &[char], s: usize, e: usize) -> String {
    let mut out = String::with_capacity(e.saturating_sub(s));
    let mut i = s;
    while i < e {
        if chars[i] == '&' {
            if let Some((c, end)) = decode_entity(chars, i) {
                if end <= e {
                    out.push(c);
                    i = end;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Collapses white space and trims; `None` when nothing is left.
fn tidy_value(s: &str) -> Option<String> {
    let v = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!v.is_empty()).then_some(v)
}

/// The state of [`read_page`].
struct Reader {
    nodes: Vec<Node>,
    pieces: Vec<Piece>,
    meta: Found,
    /// Open elements (indexes into `nodes`); the root is always at the bottom.
    stack: Vec<usize>,
    /// The nearest open block element of each open element (parallel to `stack`).
    blocks: Vec<usize>,
    /// Open links.
    links: usize,
    /// Open elements whose text is captured (headings, bylines), with the text so far.
    capture: Vec<(usize, String)>,
}

impl Reader {
    fn top(&self) -> usize {
        *self.stack.last().unwrap_or(&0)
    }

    /// Closes the open elements from `stack[k]` up.
    fn close_to(&mut self, k: usize) {
        while self.stack.len() > k.max(1) {
            let top = self.stack.pop().unwrap_or(0);
            self.blocks.pop();
            if self.nodes[top].tag == "a" {
                self.links = self.links.saturating_sub(1);
            }
            if self.capture.last().is_some_and(|(c, _)| *c == top) {
                if let Some((c, text)) = self.capture.pop() {
                    if let Some(t) = tidy_value(&text) {
                        self.meta.texts.push((c, t));
                    }
                }
            }
        }
    }

    /// Closes the nearest open element named in `same`, unless an element named in `scope`
    /// is nearer (an `li` closes the previous `li` of its list, not one of an outer list).
    fn close_implied(&mut self, same: &[&str], scope: &[&str]) {
        let found = self.find_open(|t| same.contains(&t) || scope.contains(&t));
        if let Some(k) = found {
            if k > 0 && same.contains(&self.nodes[self.stack[k]].tag.as_str()) {
                self.close_to(k);
            }
        }
    }

    /// The stack position of the nearest open element whose tag satisfies `f`, looking at most
    /// [`MAX_SEARCH`] elements down (a page of unclosed tags stays linear).
    fn find_open(&self, f: impl Fn(&str) -> bool) -> Option<usize> {
        let low = self.stack.len().saturating_sub(MAX_SEARCH);
        (low..self.stack.len())
            .rev()
            .find(|&k| f(self.nodes[self.stack[k]].tag.as_str()))
    }

    fn push(&mut self, tc: Tc, node: usize) {
        self.pieces.push(Piece {
            tc,
            node: node as u32,
        });
    }

    /// A start tag: a new element (closing the ones it implies closed).
    fn open(&mut self, chars: &[char], tag: &Tag, range: (usize, usize)) {
        let name = tag.name.as_str();
        if CLOSES_P.contains(&name) && self.nodes[self.top()].tag == "p" {
            self.close_to(self.stack.len() - 1);
        }
        match name {
            "li" => self.close_implied(&["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => self.close_implied(&["dt", "dd"], &["dl"]),
            "td" | "th" => self.close_implied(&["td", "th"], &["tr", "table"]),
            "tr" => self.close_implied(&["tr"], &["table", "tbody", "thead", "tfoot"]),
            "option" => self.close_implied(&["option"], &["select", "datalist"]),
            "a" => self.close_implied(&["a"], &[]),
            "body" => self.close_implied(&["head"], &[]),
            _ => {}
        }
        let parent = self.top();
        let idx = self.nodes.len();
        let get = |key: &str| attr(chars, tag.attrs, key);
        let mut class = String::new();
        for key in ["class", "id"] {
            if let Some(v) = get(key) {
                class.push_str(&v.to_lowercase());
                class.push(' ');
            }
        }
        let style = get("style")
            .map(|s| s.to_ascii_lowercase().replace(' ', ""))
            .unwrap_or_default();
        let hidden = get("hidden").is_some()
            || get("aria-hidden").is_some_and(|v| v.trim() == "true")
            || style.contains("display:none")
            || style.contains("visibility:hidden");
        let role = get("role")
            .map(|r| r.to_ascii_lowercase())
            .unwrap_or_default();
        let rel_author = name == "a"
            && get("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("author"))
            });
        if name == "time" {
            if let Some(d) = get("datetime") {
                self.meta.times.push((idx, d));
            }
        }
        // Past MAX_DEPTH open elements, new ones hold nothing (their text goes to the deepest).
        let is_void = tag.self_closing
            || VOID.contains(&name)
            || (HTML_SKIP.contains(&name) && name != "head")
            || self.stack.len() >= MAX_DEPTH;
        let captures = !is_void && (is_heading(name) || rel_author || is_byline(&class));
        self.nodes.push(Node {
            tag: tag.name.clone(),
            parent,
            class,
            hidden,
            role,
            ..Default::default()
        });
        self.nodes[parent].children.push(idx);
        if is_break(name) {
            self.push(Tc::new('\n', range.0 as u32, range.1 as u32), idx);
        }
        if !is_void {
            let block = if INLINE.contains(&name) {
                *self.blocks.last().unwrap_or(&0)
            } else {
                idx
            };
            self.stack.push(idx);
            self.blocks.push(block);
            if name == "a" {
                self.links += 1;
            }
            if captures {
                self.capture.push((idx, String::new()));
            }
        }
    }

    /// An end tag: closes its element and the ones left open inside it; a stray end tag
    /// only breaks the block.
    fn close(&mut self, name: &str, range: (usize, usize)) {
        let brk = Tc::new('\n', range.0 as u32, range.1 as u32);
        let found = self.find_open(|t| t == name);
        if is_break(name) {
            self.push(brk, self.top());
        }
        if let Some(k) = found.filter(|&k| k > 0) {
            self.close_to(k);
        }
    }

    /// A char of text (an entity decoded) from `range` of the original.
    fn text(&mut self, c: char, range: (usize, usize)) {
        let top = self.top();
        self.push(Tc::new(c, range.0 as u32, range.1 as u32), top);
        if !c.is_whitespace() {
            let b = *self.blocks.last().unwrap_or(&0);
            let node = &mut self.nodes[b];
            node.own += 1;
            if self.links > 0 {
                node.own_link += 1;
            }
            if c == ',' {
                node.commas += 1;
            }
        }
        for (_, text) in self.capture.iter_mut() {
            if text.len() < MAX_CAPTURE {
                text.push(c);
            }
        }
    }
}

/// Elements that break the text: the block elements, and table cells.
fn is_break(name: &str) -> bool {
    HTML_BLOCK.contains(&name)
}

/// Reads the page once. See the module docs.
fn read_page(chars: &[char]) -> Page {
    let n = chars.len();
    let mut r = Reader {
        nodes: vec![Node {
            tag: "#root".into(),
            ..Default::default()
        }],
        pieces: Vec::with_capacity(n),
        meta: Found::default(),
        stack: vec![0],
        blocks: vec![0],
        links: 0,
        capture: Vec::new(),
    };
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c == '<' {
            if starts_with_ci(chars, i, "<!--") {
                i = find_ci(chars, i + 4, "-->").map_or(n, |k| k + 3);
                continue;
            }
            if let Some(tag) = parse_tag(chars, i) {
                let name = tag.name.as_str();
                let mut end = tag.end;
                // The head is read (for its metadata), not skipped; its text is dropped.
                if !tag.closing && !tag.self_closing && HTML_SKIP.contains(&name) && name != "head"
                {
                    let close = format!("</{name}");
                    if let Some(k) = find_ci(chars, tag.end, &close) {
                        end = (k..n).find(|&m| chars[m] == '>').map_or(n, |m| m + 1);
                        if name == "title" && r.meta.title_tag.is_none() {
                            r.meta.title_tag = tidy_value(&decode_text(chars, tag.end, k));
                        } else if name == "script"
                            && attr(chars, tag.attrs, "type").is_some_and(|t| {
                                t.trim().eq_ignore_ascii_case("application/ld+json")
                            })
                        {
                            r.meta.json_ld.push(chars[tag.end..k].iter().collect());
                        }
                    }
                }
                if tag.closing {
                    r.close(name, (i, end));
                } else {
                    read_head_tag(chars, name, tag.attrs, &mut r.meta);
                    r.open(chars, &tag, (i, end));
                }
                i = end;
                continue;
            }
            if matches!(chars.get(i + 1), Some('!' | '?')) {
                i = (i..n).find(|&m| chars[m] == '>').map_or(n, |m| m + 1);
                continue;
            }
        }
        if c == '&' {
            if let Some((d, end)) = decode_entity(chars, i) {
                r.text(d, (i, end));
                i = end;
                continue;
            }
        }
        r.text(if c.is_whitespace() { ' ' } else { c }, (i, i + 1));
        i += 1;
    }
    r.close_to(1);
    Page {
        nodes: r.nodes,
        pieces: r.pieces,
        meta: r.meta,
    }
}

/// Metadata from `<meta>` and `<link>` tags.
fn read_head_tag(chars: &[char], name: &str, attrs: (usize, usize), meta: &mut Found) {
    match name {
        "meta" => {
            let key = attr(chars, attrs, "property")
                .or_else(|| attr(chars, attrs, "name"))
                .or_else(|| attr(chars, attrs, "itemprop"))
                .map(|k| k.trim().to_ascii_lowercase());
            let Some(key) = key else { return };
            let Some(content) = attr(chars, attrs, "content").and_then(|c| tidy_value(&c)) else {
                return;
            };
            let slot = match key.as_str() {
                "og:title" | "twitter:title" => &mut meta.og_title,
                "article:published_time"
                | "datepublished"
                | "og:published_time"
                | "pubdate"
                | "publishdate"
                | "date"
                | "dc.date"
                | "dc.date.issued"
                | "dcterms.created"
                | "sailthru.date"
                | "parsely-pub-date" => &mut meta.meta_published,
                "author" | "article:author" | "dc.creator" | "byl" | "parsely-author" => {
                    if content.starts_with("http") {
                        return;
                    }
                    &mut meta.meta_author
                }
                "og:url" => &mut meta.og_url,
                _ => return,
            };
            if slot.is_none() {
                *slot = Some(content);
            }
        }
        "link" => {
            let canonical = attr(chars, attrs, "rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("canonical"))
            });
            if canonical && meta.canonical.is_none() {
                meta.canonical = attr(chars, attrs, "href").and_then(|h| tidy_value(&h));
            }
        }
        _ => {}
    }
}

/// A lowercase class/id string matches `re` as a word part: the match starts the string or
/// follows a non-letter.
fn class_matches(re: &Regex, class: &str) -> bool {
    !class.is_empty() && re.is_match(class)
}

/// Classes and ids of elements that are not the article (see the module docs).
fn unlikely() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            // Anywhere in a name: "topmenu", "main-menu", "jp-relatedposts".
            r"menu|cookie|consent|gdpr|newsletter|related|teaser|most-?read|most-?popular|",
            r"sidebar|side-bar|breadcrumb|footer|social|comment|disqus|trending|advert|promo|",
            r"subscri|signup|sign-up|outbrain|taboola|recommend|masthead|sharedaddy|",
            r"byline|dateline|timestamp|",
            // At the start of a word: "main-nav", not "canvas".
            r"(?:^|[^a-z])(?:nav|share|sharing|skip|popular|banner|widget|pagination|pager|",
            r"modal|popup|overlay|load-more|read-?more|more-stories|top-?bar|",
            r"leftcol|rightcol|col-side|ad-|ads(?:[^a-z]|$)|ad(?:[^a-z0-9]|$)|tags(?:[^a-z]|$)|",
            r"hdr(?:[^a-z]|$)|ftr(?:[^a-z]|$)|author|date(?:[^a-z]|$)|published|",
            r"meta(?:[^a-z]|$)|credit|caption)"
        ))
        .expect("valid regex")
    })
}

/// Classes of the article's body: a bonus in the scoring.
fn positive() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"article|body|content|entry|main|post|story|text|blog|hentry")
            .expect("valid regex")
    })
}

/// Classes of a standfirst (the lead paragraph under the headline).
fn standfirst() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"standfirst|(?:^|[^a-z])(?:dek|deck|lede|lead|intro|summary|subtitle|subhead|strap|description|excerpt|sub-?headline)",
        )
        .expect("valid regex")
    })
}

/// Classes of a byline element (read for `byline`, dropped from the text).
fn is_byline(class: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"byline|(?:^|[^a-z])author(?:[^a-z]|$)").expect("valid regex"));
    class_matches(re, class)
}

/// Headings of link lists: "Related", "More from Business", "Most read", "Read more".
fn is_list_heading(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:related|more (?:from|on|in|stories|news)|most (?:read|popular|viewed|shared)|read (?:more|next)|see also|also read|recommended|trending|latest|popular|you (?:may|might)|top stories|share this|topics|tags)",
        )
        .expect("valid regex")
    })
    .is_match(text)
}

/// Subtree sums over the elements, skipping the subtrees marked in `skip`.
struct Sums {
    text: Vec<u32>,
    link: Vec<u32>,
    /// Text of scoring paragraphs (blocks of 25 chars or more).
    prose: Vec<u32>,
    /// Whether the subtree holds an `h1` or `main` element (not `article`: teaser lists are
    /// often made of them).
    landmark: Vec<bool>,
}

fn sums(nodes: &[Node], skip: &[bool]) -> Sums {
    let n = nodes.len();
    let mut s = Sums {
        text: nodes.iter().map(|x| x.own).collect(),
        link: nodes.iter().map(|x| x.own_link).collect(),
        prose: nodes
            .iter()
            .map(|x| if x.own >= 25 { x.own } else { 0 })
            .collect(),
        landmark: nodes
            .iter()
            .map(|x| matches!(x.tag.as_str(), "h1" | "main"))
            .collect(),
    };
    for i in (1..n).rev() {
        if skip[i] {
            continue;
        }
        let p = nodes[i].parent;
        s.text[p] += s.text[i];
        s.link[p] += s.link[i];
        s.prose[p] += s.prose[i];
        s.landmark[p] |= s.landmark[i];
    }
    s
}

fn link_density(s: &Sums, i: usize) -> f32 {
    if s.text[i] == 0 {
        0.0
    } else {
        s.link[i] as f32 / s.text[i] as f32
    }
}

/// Marks the junk elements (see the module docs); children of junk are junk.
fn junk(nodes: &[Node]) -> Vec<bool> {
    let raw = sums(nodes, &vec![false; nodes.len()]);
    let total_prose = raw.prose[0].max(1);
    let total_text = raw.text[0].max(1);
    let mut junk = vec![false; nodes.len()];
    let mut in_article = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        let x = &nodes[i];
        let p = x.parent;
        in_article[i] = in_article[p] || matches!(x.tag.as_str(), "article" | "main");
        if junk[p] {
            junk[i] = true;
            continue;
        }
        let protected = raw.landmark[i] || raw.prose[i] * 10 >= total_prose * 4;
        junk[i] = match x.tag.as_str() {
            "html" | "body" => false,
            "head" | "nav" | "aside" | "footer" | "figure" | "figcaption" | "button" | "select"
            | "textarea" | "input" | "dialog" | "menu" | "noscript" => true,
            "form" => raw.text[i] * 2 < total_text,
            "header" => !in_article[p] && !raw.landmark[i],
            _ => false,
        } || x.hidden
            || matches!(
                x.role.as_str(),
                "navigation"
                    | "contentinfo"
                    | "complementary"
                    | "search"
                    | "dialog"
                    | "alertdialog"
                    | "menu"
                    | "menubar"
            )
            || (x.role == "banner" && !raw.landmark[i])
            || (!protected
                && !matches!(x.tag.as_str(), "html" | "body")
                && class_matches(unlikely(), &x.class));
    }
    junk
}

/// The elements to keep for the article, or `None` when no block scores.
fn article(page: &Page) -> Option<Vec<bool>> {
    let nodes = &page.nodes;
    let n = nodes.len();
    let junk = junk(nodes);
    let s = sums(nodes, &junk);
    // Scores.
    let mut score = vec![0f32; n];
    let mut scored = vec![false; n];
    for (b, x) in nodes.iter().enumerate() {
        if junk[b] || x.own < 25 || x.own_link * 2 > x.own || is_heading(&x.tag) {
            continue;
        }
        let points = 1.0 + x.commas as f32 + (x.own as f32 / 100.0).min(3.0);
        let mut a = x.parent;
        let mut level = 0;
        while level < 5 {
            if !scored[a] {
                scored[a] = true;
                score[a] = initial_score(&nodes[a]);
            }
            score[a] += match level {
                0 => points,
                1 => points / 2.0,
                l => points / (l as f32 * 3.0),
            };
            if a == 0 {
                break;
            }
            a = nodes[a].parent;
            level += 1;
        }
    }
    let final_score = |i: usize| score[i] * (1.0 - link_density(&s, i));
    let mut ranked: Vec<usize> = (0..n).filter(|&i| scored[i] && !junk[i]).collect();
    ranked.sort_by(|&a, &b| final_score(b).total_cmp(&final_score(a)).then(a.cmp(&b)));
    let &best = ranked.first()?;
    let mut top = best;
    // Three of the five best under one ancestor (the posts of a live blog): take it.
    let near: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(4)
        .copied()
        .filter(|&c| final_score(c) >= 0.75 * final_score(best))
        .collect();
    if near.len() >= 2 {
        let mut a = nodes[best].parent;
        while a != 0 {
            let holds = near.iter().filter(|&&c| is_ancestor(nodes, a, c)).count();
            if holds >= 2 {
                top = a;
                break;
            }
            a = nodes[a].parent;
        }
    }
    // The only child of its parent: the parent is the same block.
    while top != 0 && nodes[nodes[top].parent].children.len() == 1 && nodes[top].parent != 0 {
        top = nodes[top].parent;
    }
    let mut keep_root = vec![false; n];
    keep_root[top] = true;
    if top != 0 {
        let threshold = (final_score(top) * 0.2).max(10.0);
        for &sib in &nodes[nodes[top].parent].children {
            if sib == top || junk[sib] {
                continue;
            }
            let ld = link_density(&s, sib);
            let mut bonus = 0.0;
            if !nodes[top].class.is_empty() && nodes[sib].class == nodes[top].class {
                bonus = final_score(top) * 0.2;
            }
            let own = nodes[sib].own;
            let prose = matches!(nodes[sib].tag.as_str(), "p" | "blockquote")
                && ((own > 80 && ld < 0.25) || (own > 0 && ld == 0.0 && s.text[sib] == own));
            if (scored[sib] && final_score(sib) + bonus >= threshold && ld < 0.25) || prose {
                keep_root[sib] = true;
            }
        }
    }
    // The headline, and the standfirst between it and the body.
    let first_kept = (0..n).find(|&i| keep_root[i]).unwrap_or(0);
    let kept_h1 = (0..n).any(|i| {
        let mut a = i;
        let mut kept = keep_root[a];
        while a != 0 && !kept {
            a = nodes[a].parent;
            kept = keep_root[a];
        }
        nodes[i].tag == "h1" && !junk[i] && kept
    });
    if !kept_h1 {
        if let Some(h) = (1..first_kept)
            .rev()
            .find(|&i| nodes[i].tag == "h1" && !junk[i])
        {
            keep_root[h] = true;
            for (i, x) in nodes.iter().enumerate().take(first_kept).skip(h + 1) {
                if !junk[i] && class_matches(standfirst(), &x.class) && s.text[i] > 0 {
                    keep_root[i] = true;
                }
            }
        }
    }
    // What is kept, without junk and link lists.
    let texts: std::collections::HashMap<usize, &str> = page
        .meta
        .texts
        .iter()
        .map(|(k, t)| (*k, t.as_str()))
        .collect();
    let heading_text = |i: usize| texts.get(&i).copied();
    let mut keep = vec![false; n];
    for i in 0..n {
        let inherited = keep_root[i] || (i > 0 && keep[nodes[i].parent]);
        if !inherited || junk[i] {
            continue;
        }
        let x = &nodes[i];
        let link_list = s.text[i] > 0
            && link_density(&s, i) > 0.5
            && !INLINE.contains(&x.tag.as_str())
            && i != top;
        let list_heading =
            is_heading(&x.tag) && x.tag != "h1" && heading_text(i).is_some_and(is_list_heading);
        keep[i] = !link_list && !list_heading;
    }
    (s.text[0] > 0 && (0..n).any(|i| keep[i] && nodes[i].own > 0)).then_some(keep)
}

fn is_ancestor(nodes: &[Node], a: usize, mut i: usize) -> bool {
    while i != 0 {
        if i == a {
            return true;
        }
        i = nodes[i].parent;
    }
    a == 0
}

/// Readability's starting score of a candidate: by tag and by class.
fn initial_score(x: &Node) -> f32 {
    let by_tag = match x.tag.as_str() {
        "div" | "article" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    let by_class = if class_matches(positive(), &x.class) {
        25.0
    } else {
        0.0
    };
    by_tag + by_class
}

/// An HTML page as tagged chars (tags dropped, block elements as `\n`, entities decoded,
/// white space as spaces) with its metadata.
pub(super) fn html_text(chars: &[char], mode: HtmlMode) -> (Vec<Tc>, DocMeta) {
    let page = read_page(chars);
    let keep = match mode {
        HtmlMode::All => None,
        HtmlMode::Article => article(&page),
    };
    let mut out: Vec<Tc> = Vec::with_capacity(page.pieces.len());
    match &keep {
        None => {
            // Everything but the head (its title, scripts and styles are skipped elements).
            let mut in_head = vec![false; page.nodes.len()];
            for (i, x) in page.nodes.iter().enumerate().skip(1) {
                in_head[i] = x.tag == "head" || in_head[x.parent];
            }
            out.extend(
                page.pieces
                    .iter()
                    .filter(|p| !in_head[p.node as usize])
                    .map(|p| p.tc),
            );
        }
        Some(keep) => {
            for p in &page.pieces {
                let node = p.node as usize;
                if keep[node] {
                    out.push(p.tc);
                } else if let Some(last) = out.last().map(|t| t.c) {
                    // A dropped element between kept text: a block boundary, or a space for
                    // an inline element dropped inside a kept block (a byline `<span>`).
                    let x = &page.nodes[node];
                    let gap = if INLINE.contains(&x.tag.as_str()) && keep[x.parent] {
                        ' '
                    } else {
                        '\n'
                    };
                    if last != '\n' && (gap == '\n' || last != ' ') {
                        out.push(Tc::new(gap, p.tc.s, p.tc.s));
                    }
                }
            }
        }
    }
    let meta = resolve(&page, keep.as_deref());
    (out, meta)
}

#[cfg(test)]
mod tests;
