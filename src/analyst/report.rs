//! `whosaid report`: one self-contained HTML page over a corpus of extract output.
//!
//! The page holds, with no network access at all (inline CSS, inline SVG, a few lines of
//! inline script, no fonts or images fetched):
//! - the speakers ranked by number of quotes, people first and the others under their kind,
//!   with a bar chart of the first ten people;
//! - the entities ranked by the number of documents mentioning them;
//! - when documents have a `published` date: quotes by day (date, articles, quotes, the day's
//!   speakers);
//! - each article, its quotes highlighted in the colour of their speaker (the same colour
//!   across the corpus), the speaker's mention underlined and the cue in italics.
//!   Clicking a speaker (table row, chart bar or quote) dims everyone else's quotes. Each
//!   article shows its title, date, byline and URL when the output has them.
//!
//! **Identity.** Speakers and entities are counted by their batch-wide identity
//! ([`crate::identity::batch_identity`], the same step `export` and `who` use): one person under
//! one id and one display name however the articles write them, with a kind (person,
//! organisation, group, unnamed, document). The speaker table lists people first, then the
//! other kinds under their own heading; the chart shows the ten people with most quotes. A
//! speaker named by a pronoun, a title alone, a function word or a number makes no row.
//!
//! **Article text.** Offsets in extract output point into the original text. A line written
//! by `extract --keep-text` carries it (`text`), and that is what is shown. Otherwise
//! [`load_texts`] reads it again from the document's `source` (a text, Markdown or HTML file
//! as read, or the line of a JSON Lines file with the document's hash or `id`), but only a
//! regular file with an input extension (`.txt`, `.md`, `.markdown`, `.html`, `.htm`,
//! `.jsonl`) whose canonical path (symlinks and `..` resolved) lies under one of the allowed
//! roots (`report --articles DIR`; by default the folders of the JSON Lines reported): output
//! lines come from other machines, and a `source` of `/etc/shadow` must not put that file in a
//! shared page. A FIFO or device is never opened. When the text cannot be had (stdin, outside
//! the roots, moved, changed since extraction: another hash, offsets past its end, or mention
//! texts that no longer match), the article shows its quotes as a list instead, with the
//! reason. An HTML page is shown without its markup: the article's text
//! (the whole page's when the output has spans outside the article). `report --no-text` never reads sources.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::identity::Kind;
use crate::output::{DocOutput, QuoteOut};

use super::corpus::quote_speaker;
pub use super::corpus::{corpus, day_of, days, Corpus, DayStat, EntityStat, SpeakerStat};
use texts::char_bytes;
pub use texts::load_texts;

mod texts;

/// Report settings.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The page title.
    pub title: String,
    /// Rows shown in each ranking table (the rest are counted). By default all.
    pub top: usize,
    /// Article texts over this many bytes are not shown (quotes are listed instead).
    pub max_text_bytes: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "whosaid report".into(),
            top: usize::MAX,
            max_text_bytes: 2 << 20,
        }
    }
}

/// The article text of a document, or why it is not shown.
pub type Text = Result<String, String>;

/// ` data-date="YYYY-MM-DD"` for the page's date range, or nothing.
fn date_attr(day: Option<&str>) -> String {
    match day.and_then(|d| day_of(Some(d))) {
        Some(d) => format!(" data-date=\"{}\"", esc(d)),
        None => String::new(),
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The colour of the speaker ranked `i` (golden-angle hues: neighbours differ).
pub fn colour(i: usize) -> String {
    let hue = (i as f64 * 137.508) % 360.0;
    format!("hsl({hue:.0},75%,78%)")
}

fn dark(i: usize) -> String {
    let hue = (i as f64 * 137.508) % 360.0;
    format!("hsl({hue:.0},60%,38%)")
}

const CSS: &str = r#"
.nomatch,.outofrange{display:none}
input.filter{margin:4px 0 6px;padding:3px 6px;width:18em;font:inherit}
th.sortable{cursor:pointer;user-select:none}
th[data-sort=asc]::after{content:" \25B2"}th[data-sort=desc]::after{content:" \25BC"}
.daterange{margin:12px 0;padding:6px 10px;border:1px solid var(--line);background:#fff}
:root{--fg:#1d232a;--muted:#5d6875;--line:#dde2e8;--bg:#fbfcfd}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{margin:0 0 4px;font-size:26px}
h2{margin:28px 0 10px;font-size:20px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{margin:0;font-size:17px}
.summary{color:var(--muted);margin:0}
nav a{margin-right:14px;color:#2457a6}
.cols{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-start}
.cols>section{flex:1 1 480px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr[data-sp]{cursor:pointer}
tr[data-sp]:hover{background:#eef3fa}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px;border:1px solid rgba(0,0,0,.15)}
.kind{font-size:12px;color:var(--muted)}
td.name{min-width:11em}
.unnamed{color:var(--muted);font-style:italic}
.kindrow th{text-align:left;padding-top:10px}
.more{color:var(--muted);font-size:13px}
svg text{font:13px system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg [data-sp]{cursor:pointer}
article.doc{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:14px 0}
.src{color:var(--muted);font-size:13px;margin:2px 0 8px;word-break:break-all}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.65}
mark.q{background:var(--c);color:inherit;border-radius:3px;padding:1px 0;cursor:pointer}
mark.q.none{background:#e9ecef;outline:1px dashed #9aa4ae}
sup.tag{font-size:11px;font-weight:600;color:var(--d);margin:0 2px;white-space:nowrap}
.who{border-bottom:2px solid var(--d);font-weight:600}
.cue{font-style:italic;text-decoration:underline dotted}
.errors{color:#a61b1b}
.note{color:var(--muted);font-style:italic}
ol.quotes{padding-left:22px;margin:8px 0}
ol.quotes li{margin:6px 0}
ol.quotes q{background:var(--c);border-radius:3px}
.meta{color:var(--muted);font-size:12px}
.dim{opacity:.25}
mark.q.dim{background:transparent;outline:none}
"#;

/// Search boxes and sorting for every table, and the date range (the page's own script: no
/// network).
const TABLES: &str = include_str!("report_tables.js");

const SCRIPT: &str = r#"
(function(){
  var cur=null;
  function focus(sp){
    cur=(cur===sp)?null:sp;
    document.querySelectorAll('[data-sp]').forEach(function(el){
      el.classList.toggle('dim',cur!==null&&el.getAttribute('data-sp')!==cur);
    });
  }
  document.querySelectorAll('[data-sp]').forEach(function(el){
    el.addEventListener('click',function(){focus(el.getAttribute('data-sp'));});
  });
  document.documentElement.setAttribute('data-ready','1');
})();
"#;

struct Ctx<'a> {
    corpus: &'a Corpus,
    /// Corpus key → rank in `corpus.speakers`.
    rank: HashMap<&'a str, usize>,
}

impl Ctx<'_> {
    /// The rank of the speaker of quote `q` of document `i`.
    fn speaker_of(&self, docs: &[DocOutput], i: usize, q: &QuoteOut) -> Option<usize> {
        let qi = docs[i].quotes.iter().position(|x| std::ptr::eq(x, q))?;
        let who = quote_speaker(&self.corpus.ids[i], qi)?;
        self.rank.get(who.id.as_str()).copied()
    }
}

/// Renders the report page. `texts[i]` is the article text of `docs[i]` (from
/// [`load_texts`]), or why there is none; missing entries count as "not loaded".
pub fn render(docs: &[DocOutput], texts: &[Text], opts: &ReportOptions) -> String {
    let corpus = corpus(docs);
    let rank = corpus
        .speakers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key.as_str(), i))
        .collect();
    let ctx = Ctx {
        corpus: &corpus,
        rank,
    };
    let quotes: usize = docs.iter().map(|d| d.quotes.len()).sum();
    let failed = docs.iter().filter(|d| !d.errors.is_empty()).count();
    let days = days(docs, &corpus);
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"generator\" content=\"whosaid {}\">\
         <title>{}</title><style>{CSS}</style></head><body>\n<header><h1>{}</h1>\
         <p class=\"summary\" id=\"summary\">{} document{} · {} quote{} · {} speaker{} · {} entit{}{}</p>\
         <nav><a href=\"#speakers\">Speakers</a><a href=\"#entities\">Entities</a>{}<a href=\"#articles\">Articles</a></nav></header>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&opts.title),
        esc(&opts.title),
        docs.len(),
        plural(docs.len()),
        quotes,
        plural(quotes),
        corpus.speakers.len(),
        plural(corpus.speakers.len()),
        corpus.entities.len(),
        if corpus.entities.len() == 1 { "y" } else { "ies" },
        if failed > 0 {
            format!(" · {failed} failed")
        } else {
            String::new()
        },
        if days.is_empty() {
            ""
        } else {
            "<a href=\"#days\">By day</a>"
        },
    );
    render_chart(&mut h, &corpus.speakers);
    h.push_str("<div class=\"cols\">\n");
    render_speakers(&mut h, &corpus.speakers, opts.top);
    render_entities(&mut h, &corpus.entities, opts.top);
    h.push_str("</div>\n");
    render_days(&mut h, &days);
    h.push_str("<section id=\"articles\"><h2>Articles</h2>\n");
    for i in 0..docs.len() {
        let text = texts.get(i).cloned().unwrap_or(Err(String::new()));
        render_article(&mut h, &ctx, docs, i, text, opts);
    }
    let _ = write!(
        h,
        "</section>\n</main>\n<script>{SCRIPT}</script>\n<script>{TABLES}</script>\n</body></html>\n"
    );
    h
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn speaker_label(s: &SpeakerStat) -> String {
    if s.kind != "person" && s.kind != "organisation" {
        format!("<span class=\"unnamed\">{}</span>", esc(&s.name))
    } else {
        esc(&s.name)
    }
}

fn render_chart(h: &mut String, speakers: &[SpeakerStat]) {
    // People first: the chart shows the first ten rows of the table (people, or the others
    // when no person speaks), their index in the table kept for the colours.
    let people = speakers.iter().take_while(|s| s.kind == "person").count();
    let shown = if people > 0 { people } else { speakers.len() };
    let top: Vec<&SpeakerStat> = speakers.iter().take(shown.min(10)).collect();
    h.push_str("<section id=\"chart\"><h2>Top speakers</h2>\n");
    if top.is_empty() {
        h.push_str("<p class=\"note\">No attributed quotes.</p></section>\n");
        return;
    }
    let max = top.iter().map(|s| s.quotes).max().unwrap_or(1).max(1);
    let (bar_h, gap, label_w, bar_w) = (22, 8, 270, 520);
    let height = top.len() * (bar_h + gap) + gap;
    let _ = write!(
        h,
        "<svg id=\"speaker-chart\" role=\"img\" aria-label=\"Quotes per speaker\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        label_w + bar_w + 60,
        label_w + bar_w + 60
    );
    for (i, s) in top.iter().enumerate() {
        let y = gap + i * (bar_h + gap);
        let w = (s.quotes * bar_w / max).max(2);
        let mut name: String = s.name.chars().take(32).collect();
        if s.name.chars().count() > 32 {
            name.push('…');
        }
        let _ = write!(
            h,
            "<g data-sp=\"{i}\"><title>{}: {} quote{}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" rx=\"3\" fill=\"{}\" stroke=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text></g>",
            esc(&s.name),
            s.quotes,
            plural(s.quotes),
            label_w - 8,
            y + 16,
            esc(&name),
            colour(i),
            dark(i),
            label_w + w + 6,
            y + 16,
            s.quotes
        );
    }
    h.push_str("</svg></section>\n");
}

fn render_speakers(h: &mut String, speakers: &[SpeakerStat], top: usize) {
    h.push_str(
        "<section id=\"speakers\"><h2>Speakers, by quotes</h2>\n<table><thead><tr><th class=\"n\">#</th><th>Speaker</th><th>Kind</th>\
         <th class=\"n\">Quotes</th><th class=\"n\">Direct</th><th class=\"n\">Partial</th><th class=\"n\">Indirect</th><th class=\"n\">Docs</th></tr></thead>\n",
    );
    // One body per kind, people first (the list is sorted so), `top` rows each.
    let mut i = 0;
    while i < speakers.len() {
        let kind = speakers[i].kind.clone();
        let n = speakers[i..].iter().take_while(|s| s.kind == kind).count();
        let heading = Kind::parse(&kind).map_or(kind.clone(), |k| k.heading().to_string());
        let _ = writeln!(
            h,
            "<tbody data-kind=\"{}\"><tr class=\"kindrow\"><th colspan=\"8\">{} ({n})</th></tr>",
            esc(&kind),
            esc(&heading)
        );
        for (j, s) in speakers[i..i + n].iter().take(top).enumerate() {
            let r = i + j;
            let _ = writeln!(
                h,
                "<tr data-sp=\"{r}\"><td class=\"n\">{}</td><td class=\"name\"><span class=\"sw\" style=\"background:{}\"></span>{}</td><td class=\"kind\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                j + 1,
                colour(r),
                speaker_label(s),
                esc(&s.kind),
                s.quotes,
                s.direct,
                s.partial,
                s.indirect,
                s.documents
            );
        }
        if n > top {
            let _ = writeln!(
                h,
                "<tr class=\"more\"><td colspan=\"8\">and {} more</td></tr>",
                n - top
            );
        }
        h.push_str("</tbody>\n");
        i += n;
    }
    h.push_str("</table>");
    if speakers.is_empty() {
        h.push_str("<p class=\"note\">No attributed quotes.</p>");
    }
    h.push_str("</section>\n");
}

/// Speakers named per day in the "by day" table.
const DAY_SPEAKERS: usize = 5;

fn render_days(h: &mut String, days: &[DayStat]) {
    if days.is_empty() {
        return;
    }
    h.push_str(
        "<section id=\"days\"><h2>Quotes by day</h2>\n<table><thead><tr><th>Date</th><th class=\"n\">Articles</th>\
         <th class=\"n\">Quotes</th><th>Speakers</th></tr></thead><tbody>\n",
    );
    for d in days {
        let speakers: Vec<String> = d
            .speakers
            .iter()
            .take(DAY_SPEAKERS)
            .map(|(name, n)| format!("{} ({n})", esc(name)))
            .collect();
        let more = d.speakers.len().saturating_sub(DAY_SPEAKERS);
        let _ = writeln!(
            h,
            "<tr{}><td class=\"day\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}{}</td></tr>",
            date_attr(Some(&d.day)),
            if d.day.is_empty() {
                "no date".to_string()
            } else {
                format!("<time datetime=\"{0}\">{0}</time>", esc(&d.day))
            },
            d.documents,
            d.quotes,
            speakers.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn render_entities(h: &mut String, entities: &[EntityStat], top: usize) {
    h.push_str(
        "<section id=\"entities\"><h2>Entities, by documents</h2>\n<table><thead><tr><th class=\"n\">#</th><th>Entity</th><th>Type</th>\
         <th class=\"n\">Docs</th><th class=\"n\">Mentions</th><th>Also named</th></tr></thead><tbody>\n",
    );
    for (i, e) in entities.iter().take(top).enumerate() {
        let others: Vec<String> = e
            .names
            .iter()
            .filter(|n| **n != e.name)
            .take(4)
            .map(|n| esc(n))
            .collect();
        let _ = writeln!(
            h,
            "<tr class=\"ent\"><td class=\"n\">{}</td><td class=\"name\">{}</td><td class=\"kind\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"kind\">{}</td></tr>",
            i + 1,
            esc(&e.name),
            esc(&e.etype),
            e.documents,
            e.mentions,
            others.join(", ")
        );
    }
    h.push_str("</tbody></table>");
    if entities.len() > top {
        let _ = write!(
            h,
            "<p class=\"more\">and {} more entities</p>",
            entities.len() - top
        );
    }
    h.push_str("</section>\n");
}

fn quote_title(q: &QuoteOut) -> String {
    let who = q
        .speaker
        .as_ref()
        .map(|s| s.name.as_str())
        .unwrap_or("no speaker found");
    let cue = q
        .cue
        .as_ref()
        .map(|c| format!(" · \u{201c}{}\u{201d}", c.text))
        .unwrap_or_default();
    format!("{} · {} · {who}{cue} · {}", q.id, q.kind, q.confidence)
}

fn render_article(
    h: &mut String,
    ctx: &Ctx,
    docs: &[DocOutput],
    i: usize,
    text: Text,
    opts: &ReportOptions,
) {
    let d = &docs[i];
    let mut about = String::new();
    if let Some(t) = &d.meta.title {
        let _ = write!(about, "<p class=\"title\">{}</p>", esc(t));
    }
    let mut src = esc(&d.source);
    if let Some(p) = &d.meta.published {
        let _ = write!(src, " · <time datetime=\"{0}\">{0}</time>", esc(p));
    }
    if let Some(b) = &d.meta.byline {
        let _ = write!(src, " · by {}", esc(b));
    }
    if let Some(u) = &d.meta.url {
        let _ = write!(src, " · <span class=\"url\">{}</span>", esc(u));
    }
    let _ = write!(
        h,
        "<article class=\"doc\" id=\"doc-{}\"{}><h3>{}</h3>{about}<p class=\"src\">{} · {} quote{} · {} entit{}</p>",
        i + 1,
        date_attr(day_of(d.meta.published.as_deref())),
        esc(&d.id),
        src,
        d.quotes.len(),
        plural(d.quotes.len()),
        d.entities.len(),
        if d.entities.len() == 1 { "y" } else { "ies" }
    );
    if !d.errors.is_empty() {
        h.push_str("<ul class=\"errors\">");
        for e in &d.errors {
            let _ = write!(h, "<li>{}</li>", esc(e));
        }
        h.push_str("</ul>");
    }
    let text = match text {
        Ok(t) if t.len() > opts.max_text_bytes => Err(format!(
            "the text is {} bytes, over the {} shown",
            t.len(),
            opts.max_text_bytes
        )),
        t => t,
    };
    match &text {
        Ok(t) => {
            h.push_str("<div class=\"text\">");
            highlight(h, ctx, docs, i, t);
            h.push_str("</div>");
        }
        Err(why) if !why.is_empty() && !d.quotes.is_empty() => {
            let _ = write!(
                h,
                "<p class=\"note\">Article text not shown: {}</p>",
                esc(why)
            );
        }
        Err(_) => {}
    }
    if !d.quotes.is_empty() {
        let _ = write!(
            h,
            "<details{}><summary>{} quote{}</summary><ol class=\"quotes\">",
            if text.is_ok() { "" } else { " open" },
            d.quotes.len(),
            plural(d.quotes.len())
        );
        for q in &d.quotes {
            let sp = ctx.speaker_of(docs, i, q);
            let style = sp
                .map(|s| format!(" style=\"--c:{}\" data-sp=\"{s}\"", colour(s)))
                .unwrap_or_else(|| " style=\"--c:#e9ecef\" data-sp=\"-\"".into());
            let who = q
                .speaker
                .as_ref()
                .map(|s| format!("<b>{}</b>", esc(&s.name)))
                .unwrap_or_else(|| "<span class=\"unnamed\">no speaker</span>".into());
            let cue = q
                .cue
                .as_ref()
                .map(|c| format!("cue \u{201c}{}\u{201d} · ", esc(&c.text)))
                .unwrap_or_default();
            let how = q
                .speaker
                .as_ref()
                .map(|s| format!("by {} · ", esc(&s.resolved_by)))
                .unwrap_or_default();
            let _ = write!(
                h,
                "<li{style}>{who} <span class=\"kind\">{}</span> <q>{}</q> <span class=\"meta\">{cue}{how}confidence {} · {}</span></li>",
                esc(&q.kind),
                esc(&clip(&q.text, QUOTE_LIST_CHARS)),
                q.confidence,
                esc(&q.id)
            );
        }
        h.push_str("</ol></details>");
    }
    h.push_str("</article>\n");
}

/// Quote texts in the lists are cut after this many characters (a run-on sentence can give
/// thousands of long, nested reported-speech quotes).
const QUOTE_LIST_CHARS: usize = 600;

fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => s.into(),
        Some((b, _)) => format!(
            "{}\u{2026} ({} more characters)",
            &s[..b],
            s[b..].chars().count()
        )
        .into(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Inline {
    /// The speaker mention of a quote, with the speaker's rank.
    Who(Option<usize>),
    Cue,
}

/// Writes `text` with its quotes highlighted: `<mark class="q">` per quote (quotes that
/// overlap an earlier one are left out), speaker mentions and cues marked inside or outside.
/// What an article shows of its source: the text as read or, for an HTML page, its text
/// without the markup (the article when every span of the output lies in it, else the whole
/// page), each char placed at the original code point it comes from, so the output's offsets
/// still cut it.
enum View<'a> {
    Raw(&'a str, Vec<usize>),
    /// The original start of each shown char (non-decreasing), and the chars.
    Page(Vec<usize>, Vec<char>),
}

impl<'a> View<'a> {
    fn new(d: &DocOutput, text: &'a str) -> View<'a> {
        use crate::clean::{self, CleanOptions, Format, HtmlMode};
        let raw = || View::Raw(text, char_bytes(text));
        if clean::detect_format(&d.source, text) != Format::Html {
            return raw();
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for e in &d.entities {
            spans.extend(e.mentions.iter().map(|m| (m.start, m.end)));
        }
        spans.extend(d.quotes.iter().map(|q| (q.start, q.end)));
        for mode in [HtmlMode::Article, HtmlMode::All] {
            let c = clean::clean_with(text, Format::Html, &CleanOptions { html_mode: mode });
            let mut starts = Vec::with_capacity(c.text.len());
            let mut chars = Vec::with_capacity(c.text.len());
            for (b, ch) in c.text.char_indices() {
                starts.push(c.map.to_original(crate::Span::new(b, b + ch.len_utf8())).0);
                chars.push(ch);
            }
            let sorted = starts.windows(2).all(|w| w[0] <= w[1]);
            // Every span must show some text: its first char is shown.
            let covers = spans.iter().all(|&(s, e)| {
                let k = starts.partition_point(|&x| x < s);
                s >= e || starts.get(k).is_some_and(|&x| x < e)
            });
            if sorted && covers {
                return View::Page(starts, chars);
            }
        }
        raw()
    }

    /// The shown text of the original code points `[s, e)`.
    fn segment(&self, s: usize, e: usize) -> String {
        match self {
            View::Raw(text, bytes) => text[bytes[s]..bytes[e]].to_string(),
            View::Page(starts, chars) => {
                let a = starts.partition_point(|&x| x < s);
                let b = starts.partition_point(|&x| x < e);
                chars[a..b].iter().collect()
            }
        }
    }
}

fn highlight(h: &mut String, ctx: &Ctx, docs: &[DocOutput], i: usize, text: &str) {
    let d = &docs[i];
    let n = text.chars().count();
    let view = View::new(d, text);
    // Quotes: (start, end, quote index), non-overlapping, sorted.
    let mut qs: Vec<(usize, usize, usize)> = d
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.start < q.end && q.end <= n)
        .map(|(k, q)| (q.start, q.end, k))
        .collect();
    qs.sort();
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    for q in qs {
        if kept.last().is_none_or(|k| k.1 <= q.0) {
            kept.push(q);
        }
    }
    // Inline marks: inside one quote or outside all, not overlapping each other.
    // The kept quotes' boundaries, sorted (they do not overlap): a span crosses one when a
    // boundary lies strictly inside it.
    let bounds: Vec<usize> = kept.iter().flat_map(|q| [q.0, q.1]).collect();
    let crosses = |s: usize, e: usize| {
        let i = bounds.partition_point(|&b| b <= s);
        i < bounds.len() && bounds[i] < e
    };
    let mut inl: Vec<(usize, usize, Inline)> = Vec::new();
    for q in &d.quotes {
        if let Some(s) = &q.speaker {
            let m = &s.mention;
            inl.push((m.start, m.end, Inline::Who(ctx.speaker_of(docs, i, q))));
        }
        if let Some(c) = &q.cue {
            inl.push((c.start, c.end, Inline::Cue));
        }
    }
    inl.retain(|&(s, e, _)| s < e && e <= n && !crosses(s, e));
    inl.sort_by_key(|x| (x.0, x.1));
    let mut inline: Vec<(usize, usize, Inline)> = Vec::new();
    for x in inl {
        if inline.last().is_none_or(|k| k.1 <= x.0) {
            inline.push(x);
        }
    }
    let mut cuts: Vec<usize> = vec![0, n];
    cuts.extend(kept.iter().flat_map(|q| [q.0, q.1]));
    cuts.extend(inline.iter().flat_map(|x| [x.0, x.1]));
    cuts.sort_unstable();
    cuts.dedup();
    let (mut qi, mut ii) = (0, 0);
    let mut open: Option<usize> = None; // index into kept
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        while qi < kept.len() && kept[qi].1 <= s {
            qi += 1;
        }
        while ii < inline.len() && inline[ii].1 <= s {
            ii += 1;
        }
        let q_here = (qi < kept.len() && kept[qi].0 <= s).then_some(qi);
        if open != q_here {
            if let Some(k) = open {
                close_quote(h, ctx, docs, i, kept[k].2);
            }
            if let Some(k) = q_here {
                let q = &d.quotes[kept[k].2];
                match ctx.speaker_of(docs, i, q) {
                    Some(sp) => {
                        let _ = write!(
                            h,
                            "<mark class=\"q\" data-sp=\"{sp}\" data-q=\"{}\" style=\"--c:{};--d:{}\" title=\"{}\">",
                            esc(&q.id),
                            colour(sp),
                            dark(sp),
                            esc(&quote_title(q))
                        );
                    }
                    None => {
                        let _ = write!(
                            h,
                            "<mark class=\"q none\" data-sp=\"-\" data-q=\"{}\" title=\"{}\">",
                            esc(&q.id),
                            esc(&quote_title(q))
                        );
                    }
                }
            }
            open = q_here;
        }
        let seg = esc(&view.segment(s, e));
        match (ii < inline.len() && inline[ii].0 <= s).then(|| inline[ii].2) {
            Some(Inline::Who(sp)) => {
                let attrs = sp
                    .map(|sp| format!(" data-sp=\"{sp}\" style=\"--d:{}\"", dark(sp)))
                    .unwrap_or_default();
                let _ = write!(h, "<span class=\"who\"{attrs}>{seg}</span>");
            }
            Some(Inline::Cue) => {
                let _ = write!(h, "<span class=\"cue\">{seg}</span>");
            }
            None => h.push_str(&seg),
        }
    }
    if let Some(k) = open {
        close_quote(h, ctx, docs, i, kept[k].2);
    }
}

fn close_quote(h: &mut String, ctx: &Ctx, docs: &[DocOutput], i: usize, q: usize) {
    h.push_str("</mark>");
    let q = &docs[i].quotes[q];
    if let (Some(s), Some(sp)) = (&q.speaker, ctx.speaker_of(docs, i, q)) {
        let _ = write!(
            h,
            "<sup class=\"tag\" style=\"--d:{}\">{}</sup>",
            dark(sp),
            esc(&s.name)
        );
    }
}

#[cfg(test)]
mod tests;
