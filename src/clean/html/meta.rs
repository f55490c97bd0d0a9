//! The page's metadata for [`super::html_text`]: title, byline, date and URL from JSON-LD, meta
//! and link tags and `<time>`, with the headline and byline found in the article itself.

use super::*;

/// Picks the metadata: JSON-LD first, then `<meta>`/`<link>` tags, then the page's elements.
pub(super) fn resolve(page: &Page, keep: Option<&[bool]>) -> DocMeta {
    let f = &page.meta;
    let ld = f.json_ld.iter().find_map(|s| json_ld_article(s));
    let ld_str = |key: &str| ld.as_ref().and_then(|v| v.get(key)).and_then(json_string);
    let kept = |i: usize| keep.is_none_or(|k| k[i]);
    let h1 = f
        .texts
        .iter()
        .find(|(i, _)| page.nodes[*i].tag == "h1" && kept(*i))
        .map(|(_, t)| t.clone());
    let title = ld_str("headline")
        .or_else(|| f.og_title.clone())
        .or(h1)
        .or_else(|| f.title_tag.as_deref().map(without_site_name));
    let time = f
        .times
        .iter()
        .filter(|(i, _)| keep.is_some_and(|k| k[*i] || k[page.nodes[*i].parent]))
        .chain(&f.times)
        .find_map(|(_, d)| iso_date(d));
    let published = ld_str("datePublished")
        .and_then(|d| iso_date(&d))
        .or_else(|| f.meta_published.as_deref().and_then(iso_date))
        .or(time);
    let ld_author = ld.as_ref().and_then(|v| v.get("author")).and_then(authors);
    let element_author = f
        .texts
        .iter()
        .find(|(i, _)| {
            page.nodes[*i].tag != "h1"
                && !is_heading(&page.nodes[*i].tag)
                && !is_ancestor_h(page, *i)
        })
        .and_then(|(_, t)| strip_by(t));
    let byline = ld_author
        .or_else(|| f.meta_author.clone())
        .or(element_author);
    let ld_url = ld_str("url").or_else(|| {
        ld.as_ref()
            .and_then(|v| v.get("mainEntityOfPage"))
            .and_then(|m| json_string(m).or_else(|| m.get("@id").and_then(json_string)))
    });
    let url = f.canonical.clone().or_else(|| f.og_url.clone()).or(ld_url);
    DocMeta {
        title,
        published,
        byline,
        url,
        outlet: None,
    }
}

/// A `<title>` without the site's name: "Bridge reopens - Valley Gazette" → "Bridge reopens",
/// when at least three words are left.
pub(super) fn without_site_name(title: &str) -> String {
    [" | ", " - ", " – ", " — ", " :: ", " · "]
        .iter()
        .filter_map(|sep| title.rfind(sep))
        .max()
        .map(|k| title[..k].trim())
        .filter(|head| head.split_whitespace().count() >= 3)
        .unwrap_or(title)
        .to_string()
}

/// Whether element `i` is inside a heading (a byline link inside an `h2` is not a byline).
fn is_ancestor_h(page: &Page, mut i: usize) -> bool {
    while i != 0 {
        i = page.nodes[i].parent;
        if is_heading(&page.nodes[i].tag) {
            return true;
        }
    }
    false
}

/// "By Elin Marsh, Local Affairs Reporter" → "Elin Marsh, Local Affairs Reporter".
fn strip_by(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:(?:words|written|text|story|report(?:ed)?|photos?)\s+)?by\s+")
            .expect("valid regex")
    });
    tidy_value(&re.replace(text.trim(), ""))
}

fn json_string(v: &serde_json::Value) -> Option<String> {
    v.as_str().and_then(tidy_value)
}

/// Author names from a JSON-LD `author`: a string, a `{"name": ..}` or a list of them.
fn authors(v: &serde_json::Value) -> Option<String> {
    let names: Vec<String> = match v {
        serde_json::Value::Array(a) => a.iter().filter_map(author_name).collect(),
        other => author_name(other).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

fn author_name(v: &serde_json::Value) -> Option<String> {
    json_string(v)
        .filter(|s| !s.starts_with("http"))
        .or_else(|| v.get("name").and_then(json_string))
}

/// The first article-like object (`@type` …Article, …Posting) of a JSON-LD block, looking into
/// lists and `@graph`; else the first object with a `datePublished`. `None` for bad JSON.
fn json_ld_article(text: &str) -> Option<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    let mut objects = Vec::new();
    flatten_ld(v, &mut objects, 0);
    let is_article = |o: &serde_json::Value| {
        let t = o.get("@type");
        let names: Vec<&str> = match t {
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str()).collect(),
            _ => vec![],
        };
        names
            .iter()
            .any(|n| n.ends_with("Article") || n.ends_with("Posting"))
    };
    let pos = objects.iter().position(is_article).or_else(|| {
        objects
            .iter()
            .position(|o| o.get("datePublished").is_some())
    })?;
    Some(objects.swap_remove(pos))
}

fn flatten_ld(v: serde_json::Value, out: &mut Vec<serde_json::Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::Array(a) => a.into_iter().for_each(|x| flatten_ld(x, out, depth + 1)),
        serde_json::Value::Object(mut o) => {
            if let Some(g) = o.remove("@graph") {
                flatten_ld(g, out, depth + 1);
            }
            out.push(serde_json::Value::Object(o));
        }
        _ => {}
    }
}

/// An ISO 8601 date or date-time as given (a space between date and time becomes `T`);
/// `None` for anything else ("14 March 2025").
pub(super) fn iso_date(s: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$",
        )
        .expect("valid regex")
    });
    let s = s.trim();
    re.is_match(s).then(|| s.replacen(' ', "T", 1))
}
