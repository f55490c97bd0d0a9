//! Tests of the HTML reader.

use super::meta::{iso_date, without_site_name};
use super::*;

fn text(html: &str, mode: HtmlMode) -> String {
    let chars: Vec<char> = html.chars().collect();
    let (tcs, _) = html_text(&chars, mode);
    let s: String = tcs.iter().map(|t| t.c).collect();
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

fn meta(html: &str) -> DocMeta {
    let chars: Vec<char> = html.chars().collect();
    html_text(&chars, HtmlMode::Article).1
}

const PROSE: &str = "<p>The committee met on Monday, and after a long debate it agreed to the plan, which will cost more than expected.</p>";

#[test]
fn attributes_are_read_with_or_without_quotes() {
    let t = "<a HREF='x.html' class=\"big  red\" data-x=1 id=main hidden>";
    let chars: Vec<char> = t.chars().collect();
    let tag = parse_tag(&chars, 0).unwrap();
    assert_eq!(attr(&chars, tag.attrs, "href").as_deref(), Some("x.html"));
    assert_eq!(
        attr(&chars, tag.attrs, "class").as_deref(),
        Some("big  red")
    );
    assert_eq!(attr(&chars, tag.attrs, "id").as_deref(), Some("main"));
    assert_eq!(attr(&chars, tag.attrs, "hidden").as_deref(), Some(""));
    assert_eq!(attr(&chars, tag.attrs, "data"), None);
    let t = "<meta content=\"Tom &amp; Jerry\" name=author/>";
    let chars: Vec<char> = t.chars().collect();
    let tag = parse_tag(&chars, 0).unwrap();
    assert_eq!(
        attr(&chars, tag.attrs, "content").as_deref(),
        Some("Tom & Jerry")
    );
    assert_eq!(attr(&chars, tag.attrs, "name").as_deref(), Some("author"));
}

#[test]
fn menus_sidebars_and_footers_are_dropped() {
    let html = format!(
        "<body><nav><ul><li><a href=/>World</a></li></ul></nav>\
         <div class=\"cookie-banner\"><p>We use cookies from Adnet Media to personalise ads, as described.</p></div>\
         <article><h1>Title here</h1>{PROSE}{PROSE}</article>\
         <aside><p>“Quote,” says someone in a teaser with enough text to score.</p></aside>\
         <footer>Copyright Acme Media</footer></body>"
    );
    let t = text(&html, HtmlMode::Article);
    assert!(t.starts_with("Title here|The committee met"), "{t}");
    for junk in ["World", "Adnet", "teaser", "Acme"] {
        assert!(!t.contains(junk), "{junk} in {t}");
    }
    let all = text(&html, HtmlMode::All);
    for kept in ["World", "Adnet", "teaser", "Acme", "Title here"] {
        assert!(all.contains(kept), "{kept} not in {all}");
    }
}

#[test]
fn headline_and_standfirst_outside_the_body_are_kept() {
    let html = format!(
        "<div class=top-bar><a>Site</a></div><h1>The headline</h1>\
         <p class=byline>By Ann Lee</p><div class=\"standfirst\">The short summary.</div>\
         <div class=\"article-body\">{PROSE}{PROSE}</div>\
         <div><h2>More from Business</h2><ul><li><a href=1>“A quote,” says a boss</a></li><li><a href=2>Another story here</a></li></ul></div>"
    );
    let t = text(&html, HtmlMode::Article);
    assert!(
        t.starts_with("The headline|The short summary.|The committee met"),
        "{t}"
    );
    assert!(
        !t.contains("Ann Lee") && !t.contains("boss") && !t.contains("More from"),
        "{t}"
    );
    assert_eq!(meta(&html).byline.as_deref(), Some("Ann Lee"));
}

#[test]
fn live_blog_posts_are_all_kept() {
    let post = |n: u32| {
        format!(
            "<article class=\"live-post\"><time datetime=\"2025-01-0{n}T10:00\">10:00</time>\
             <h2>Post {n}</h2>{PROSE}</article>"
        )
    };
    let html = format!(
        "<main><h1>Live</h1><div class=posts>{}{}{}{}</div>\
         <section class=\"related-coverage\"><h2>Related</h2><p>“Nope,” says X in a teaser line that is long.</p></section></main>",
        post(4),
        post(3),
        post(2),
        post(1)
    );
    let t = text(&html, HtmlMode::Article);
    for n in 1..=4 {
        assert!(t.contains(&format!("Post {n}")), "{t}");
    }
    assert!(t.starts_with("Live|"), "{t}");
    assert!(!t.contains("Nope"), "{t}");
    assert_eq!(meta(&html).published.as_deref(), Some("2025-01-04T10:00"));
}

#[test]
fn wrapper_classes_do_not_drop_the_article() {
    let html = format!(
        "<div class=\"page has-sidebar\"><div class=\"comments-enabled\"><h1>Head</h1>{PROSE}{PROSE}</div>\
         <div class=sidebar><p>Sidebar text that is long enough to be a paragraph.</p></div></div>"
    );
    let t = text(&html, HtmlMode::Article);
    assert!(t.starts_with("Head|The committee"), "{t}");
    assert!(!t.contains("Sidebar"), "{t}");
}

#[test]
fn dropped_elements_leave_a_gap() {
    let html = format!(
        "<article><h1>Head</h1><p>Text by<span class=author>Ann Lee</span>here. <div class=ad-slot>Ad</div>more</p>{PROSE}{PROSE}</article>"
    );
    assert!(
        text(&html, HtmlMode::Article).starts_with("Head|Text by here.|more|The committee"),
        "{}",
        text(&html, HtmlMode::Article)
    );
}

#[test]
fn teaser_articles_in_a_related_box_are_dropped() {
    let html = format!(
        "<main><article><h1>Head</h1>{PROSE}{PROSE}</article>\
         <div class=\"related-stories\"><article><h3><a href=1>“We won,” says coach Ed Moss</a></h3>\
         <p>The coach spoke after the final, saying the team had earned the title.</p></article></div></main>"
    );
    let t = text(&html, HtmlMode::Article);
    assert!(!t.contains("Moss") && !t.contains("coach"), "{t}");
}

#[test]
fn pages_without_prose_are_kept_whole() {
    let html = "<ul><li><a href=1>One</a></li><li><a href=2>Two</a></li></ul><p>Short.</p>";
    assert_eq!(text(html, HtmlMode::Article), "One|Two|Short.");
}

#[test]
fn unclosed_and_stray_tags_lose_no_text() {
    let html = format!("<div class=article><p>First para, with a comma, and more words here to count.<p>Second</b> para.</i><li>Item<li>Other</div></span>{PROSE}");
    let t = text(&html, HtmlMode::Article);
    assert!(
        t.contains("First para") && t.contains("Second para.") && t.contains("Item|Other"),
        "{t}"
    );
}

#[test]
fn deep_and_broken_pages_are_read_whole() {
    // 100,000 unclosed elements and stray end tags: every word is kept, and fast.
    let mut html = String::new();
    for i in 0..50_000 {
        html.push_str(&format!("<div><b>w{i}</span> "));
    }
    let chars: Vec<char> = html.chars().collect();
    for mode in [HtmlMode::Article, HtmlMode::All] {
        let (tcs, _) = html_text(&chars, mode);
        let words = tcs.iter().filter(|t| t.c == 'w').count();
        assert_eq!(words, 50_000, "{mode:?}");
    }
    // An unterminated comment or tag at the end.
    assert_eq!(text("<p>One.</p><!-- open", HtmlMode::All), "One.");
    assert_eq!(
        text("<p>One.</p><a href=\"x", HtmlMode::All),
        "One.|<a href=\"x"
    );
}

#[test]
fn metadata_sources_in_order() {
    let html = r#"<html><head><title>Page title | Site</title>
        <meta property="og:title" content="OG title">
        <meta property="article:published_time" content="2024-05-01T08:00:00+02:00">
        <meta name="author" content="https://facebook.example/someone">
        <link rel="canonical" href="https://x.example/a?b=1&amp;c=2">
        <script type="application/ld+json">{"@graph": [{"@type": "WebSite"},
          {"@type": ["NewsArticle"], "headline": "LD headline", "datePublished": "2024-05-01 06:00:00Z",
           "author": [{"name": "Ann Lee"}, "Bo Chan"]}]}</script></head>
        <body><h1>H1 title</h1><p>Text that is long enough to be a paragraph of an article.</p></body></html>"#;
    let m = meta(html);
    assert_eq!(m.title.as_deref(), Some("LD headline"));
    assert_eq!(m.published.as_deref(), Some("2024-05-01T06:00:00Z"));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee, Bo Chan"));
    assert_eq!(m.url.as_deref(), Some("https://x.example/a?b=1&c=2"));
    // Without JSON-LD: og:title, the meta date; a URL as author is not a byline.
    let no_ld = html.replace("application/ld+json", "text/plain");
    let m = meta(&no_ld);
    assert_eq!(m.title.as_deref(), Some("OG title"));
    assert_eq!(m.published.as_deref(), Some("2024-05-01T08:00:00+02:00"));
    assert_eq!(m.byline, None);
    // Bad JSON-LD is ignored; nothing at all gives nulls.
    let m = meta("<script type=application/ld+json>{bad</script><p>Hello there.</p>");
    assert_eq!(m, DocMeta::default());
    let m = meta("<title> Only &amp; title </title><p>Hi.</p><time datetime='14 March'>x</time>");
    assert_eq!(m.title.as_deref(), Some("Only & title"));
    let m = meta("<title>Bridge reopens after repairs - Valley Gazette | Home</title><p>Hi.</p>");
    assert_eq!(
        m.title.as_deref(),
        Some("Bridge reopens after repairs - Valley Gazette")
    );
    assert_eq!(without_site_name("Short - Site"), "Short - Site");
    assert_eq!(m.published, None);
}

#[test]
fn iso_dates() {
    assert_eq!(iso_date("2025-03-14").as_deref(), Some("2025-03-14"));
    assert_eq!(
        iso_date(" 2025-03-14 09:30:00.5+0100").as_deref(),
        Some("2025-03-14T09:30:00.5+0100")
    );
    assert_eq!(iso_date("March 14, 2025"), None);
    assert_eq!(iso_date("2025-3-14"), None);
}

#[test]
fn html_mode_parses() {
    assert_eq!("ARTICLE".parse::<HtmlMode>(), Ok(HtmlMode::Article));
    assert_eq!("all".parse::<HtmlMode>(), Ok(HtmlMode::All));
    assert!("main".parse::<HtmlMode>().is_err());
}
