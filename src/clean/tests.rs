//! Tests of the cleaner.

use super::*;

/// The original text of a cleaned span, sliced by code points.
fn orig(original: &str, c: &Cleaned, span: Span) -> String {
    let (s, e) = c.map.to_original(span);
    original.chars().skip(s).take(e - s).collect()
}

/// The span of the first occurrence of `needle` in the cleaned text.
fn find(c: &Cleaned, needle: &str) -> Span {
    let s = c
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", c.text));
    Span::new(s, s + needle.len())
}

fn paras(c: &Cleaned) -> Vec<&str> {
    c.text.split("\n\n").collect()
}

/// Every byte maps inside the original, monotonically.
fn check_map(original: &str, c: &Cleaned) {
    let total = original.chars().count();
    let mut last = 0;
    for (i, _) in c.text.char_indices() {
        let (s, e) = c.map.to_original(Span::new(i, i + 1));
        assert!(s <= e && e <= total, "byte {i} maps to {s}..{e} of {total}");
        assert!(s >= last, "map goes backwards at byte {i}");
        last = s;
    }
}

fn seed(name: &str) -> String {
    let path = format!("{}/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const SEED_PDF: &str = "000_588d7ed966db3646.txt";
const SEED_MD: &str = "001_b6b131d2156dd4a4.txt";

#[test]
fn plain_names_map_back_exactly() {
    let original = "🙂 Russian President Vladimir Putin said “no”.";
    let c = clean(original, Format::Text);
    assert_eq!(c.text, original);
    let span = find(&c, "Vladimir Putin");
    assert_eq!(orig(original, &c, span), "Vladimir Putin");
    assert_eq!(c.map.to_original(span), (20, 34));
    assert_eq!(orig(original, &c, find(&c, "“no”")), "“no”");
    check_map(original, &c);
}

#[test]
fn empty_spans_and_out_of_range() {
    let original = "ab  cd";
    let c = clean(original, Format::Text);
    assert_eq!(c.text, "ab cd");
    assert_eq!(c.map.to_original(Span::new(3, 3)), (4, 4));
    assert_eq!(c.map.to_original(Span::new(5, 5)), (6, 6));
    assert_eq!(c.map.to_original(Span::new(3, 99)), (4, 6));
    // The collapsed space maps to both original spaces.
    assert_eq!(c.map.to_original(Span::new(2, 3)), (2, 4));
    let empty = clean("", Format::Text);
    assert_eq!(empty.text, "");
    assert_eq!(empty.map.to_original(Span::new(0, 0)), (0, 0));
}

#[test]
fn crlf_and_whitespace() {
    let original = "\u{feff}First line of a paragraph\r\nwith Vladimir Putin\tand\u{a0}more.\r\n\r\nSecond\rparagraph here.";
    let c = clean(original, Format::Text);
    assert_eq!(
        paras(&c),
        [
            "First line of a paragraph with Vladimir Putin and more.",
            "Second paragraph here."
        ]
    );
    assert_eq!(
        orig(original, &c, find(&c, "Vladimir Putin")),
        "Vladimir Putin"
    );
    assert_eq!(
        orig(original, &c, find(&c, "paragraph with")),
        "paragraph\r\nwith"
    );
    assert_eq!(
        orig(original, &c, find(&c, "Second paragraph")),
        "Second\rparagraph"
    );
    check_map(original, &c);
}

#[test]
fn hyphen_joins() {
    let original = "The Non-\nInterference pact and the anti-\ncorruption drive needed more informa-\ntion from a state-\nsanctioned group of 44-\nyear-old men, said the pre-\nsident.\n\nThe president left.";
    let c = clean(original, Format::Text);
    assert_eq!(
        paras(&c)[0],
        "The Non-Interference pact and the anti-corruption drive needed more information from a state-sanctioned group of 44-year-old men, said the president."
    );
    assert_eq!(
        orig(original, &c, find(&c, "information")),
        "informa-\ntion"
    );
    assert_eq!(
        orig(original, &c, find(&c, "Non-Interference")),
        "Non-\nInterference"
    );
    assert_eq!(orig(original, &c, find(&c, "corruption")), "corruption");
    check_map(original, &c);
}

#[test]
fn soft_hyphen_joins_without_hyphen() {
    let original = "a long informa\u{ad}\ntion line";
    let c = clean(original, Format::Text);
    assert_eq!(c.text, "a long information line");
    assert_eq!(
        orig(original, &c, find(&c, "information")),
        "informa\u{ad}\ntion"
    );
}

#[test]
fn keep_hyphen_rule() {
    let none = HashSet::new();
    assert!(keep_hyphen("Non", "Interference", &none));
    assert!(keep_hyphen("anti", "corruption", &none));
    assert!(keep_hyphen("military", "grade", &none));
    assert!(!keep_hyphen("informa", "tion", &none));
    assert!(!keep_hyphen("govern", "ment", &none));
    assert!(!keep_hyphen("discus", "sing", &none));
    let words: HashSet<String> = ["cyber-security".to_string()].into();
    assert!(keep_hyphen("cyber", "security", &words));
    let words: HashSet<String> = ["cooperation".to_string()].into();
    assert!(!keep_hyphen("co", "operation", &words));
}

#[test]
fn drops_urls_page_markers_and_joins_cut_paragraphs() {
    let original = "Western countries have accused Russia of using trolls to sway\n\n\nhttps://example.com/a\nwww.example.org/b\n\nthe outcome of elections.\n\nPage 2 of 5\n\nHe said the talks went on through negotiations,\n\n\n\nRussia's top diplomat said.\n\n12\n";
    let c = clean(original, Format::Text);
    assert_eq!(
        paras(&c),
        [
            "Western countries have accused Russia of using trolls to sway the outcome of elections.",
            "He said the talks went on through negotiations, Russia's top diplomat said."
        ]
    );
    let span = find(&c, "sway the");
    let (s, e) = c.map.to_original(span);
    assert_eq!(s, original.find("sway").unwrap());
    assert_eq!(e, original.find("the outcome").unwrap() + 3);
    check_map(original, &c);
}

#[test]
fn headline_subtitles_and_closing_marks_stay_apart() {
    // Paragraphs are single long lines: a single newline is a paragraph break too.
    let long = "Rep. Adam Schiff called on President Obama to retaliate against Russia for interference in the presidential election, meddling that he said could not go unanswered if the country wanted to keep Moscow out of its elections in the future.";
    let original = format!("Lawmaker urges retaliation on Russia;\nMember of House panel says so.\n\n{long}\n\nIt was “Mostly False.“\n\nThe rate is high.\n\nHe said “\n\nwe will win.”");
    let c = clean(&original, Format::Text);
    assert_eq!(
        paras(&c),
        [
            "Lawmaker urges retaliation on Russia;",
            "Member of House panel says so.",
            long,
            "It was “Mostly False.“",
            "The rate is high.",
            "He said “ we will win.”"
        ]
    );
}

#[test]
fn running_headers_dropped() {
    let mut original = String::new();
    for page in 1..=3 {
        original.push_str(&format!(
            "The Daily Planet | Monday\n\nParagraph {page} of the story.\n\n"
        ));
    }
    let c = clean(&original, Format::Text);
    assert_eq!(
        paras(&c),
        [
            "Paragraph 1 of the story.",
            "Paragraph 2 of the story.",
            "Paragraph 3 of the story."
        ]
    );
}

#[test]
fn title_lines_in_wrapped_text_stay_apart() {
    let original = "Putin Proposes Pact\nRussian President Vladimir Putin proposed Friday concluding a pact with Washington\nagainst interfering in one another's elections and internal affairs, just weeks\nbefore the vote.\n";
    let c = clean(original, Format::Text);
    assert_eq!(
        paras(&c),
        [
            "Putin Proposes Pact",
            "Russian President Vladimir Putin proposed Friday concluding a pact with Washington against interfering in one another's elections and internal affairs, just weeks before the vote."
        ]
    );
}

#[test]
fn long_unwrapped_lines_are_paragraphs() {
    let a = "A".repeat(10) + &" word".repeat(60) + ".";
    let b = "B".repeat(10) + &" word".repeat(50) + ".";
    let original = format!("{a}\n{b}\n");
    let c = clean(&original, Format::Text);
    assert_eq!(paras(&c), [a.as_str(), b.as_str()]);
}

#[test]
fn quote_repairs() {
    let cases = [
        (
            "Putin called for the two countries to \"\"exchange guarantees,\" he said.",
            "Putin called for the two countries to \"exchange guarantees,\" he said.",
        ),
        (
            "It should not become '\"hostage to our disagreements,\" Putin said.",
            "It should not become \"hostage to our disagreements,\" Putin said.",
        ),
        (
            "It accused '\"Russian actors' of seeking to disrupt it.",
            "It accused \"Russian actors\" of seeking to disrupt it.",
        ),
        (
            "It accused countries of ''unleashing a massive campaign' over the poisoning.",
            "It accused countries of \"unleashing a massive campaign\" over the poisoning.",
        ),
        (
            "\"As we've repeatedly said, there is no basis for such statements,' he added.",
            "\"As we've repeatedly said, there is no basis for such statements,\" he added.",
        ),
        (
            "“As we've said, no basis,' he added.",
            "“As we've said, no basis,” he added.",
        ),
        (
            "\"He told me 'stop,' and left,\" she said of others' work.",
            "\"He told me 'stop,' and left,\" she said of others' work.",
        ),
        (
            "'Disinformation campaign’ and Putin's 'Russian Agent' claim.",
            "'Disinformation campaign’ and Putin's 'Russian Agent' claim.",
        ),
        (
            "in each others' domestic affairs, ''said they' were",
            "in each others' domestic affairs, \"said they\" were",
        ),
    ];
    for (input, want) in cases {
        let c = clean(input, Format::Text);
        assert_eq!(c.text, want, "repairing {input:?}");
        check_map(input, &c);
    }
    let original = "accused '\"Russian actors' of";
    let c = clean(original, Format::Text);
    assert_eq!(orig(original, &c, find(&c, "\"Russian")), "'\"Russian");
    assert_eq!(
        orig(original, &c, find(&c, "Russian actors")),
        "Russian actors"
    );
}

#[test]
fn html_entities_and_blocks() {
    let original = "<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>\n<script>var x = \"<p>\";</script><h1>Putin&#8217;s pact</h1>\n<p>&#x201C;We agree,&#8221; said <b>Vladimir&nbsp;Putin</b> &amp; Sergei\nLavrov.<br>Next&hellip;</p><!-- note --><div>Caf&eacute; &quot;x&quot; &bogus; a < b</div></body></html>";
    let c = clean(original, Format::Html);
    assert_eq!(
        paras(&c),
        [
            "Putin’s pact",
            "“We agree,” said Vladimir Putin & Sergei Lavrov.",
            "Next…",
            "Café \"x\" &bogus; a < b"
        ]
    );
    assert_eq!(
        orig(original, &c, find(&c, "Vladimir Putin")),
        "Vladimir&nbsp;Putin"
    );
    assert_eq!(orig(original, &c, find(&c, "“")), "&#x201C;");
    assert_eq!(orig(original, &c, find(&c, "Putin’s")), "Putin&#8217;s");
    assert_eq!(
        orig(original, &c, find(&c, "Sergei Lavrov")),
        "Sergei\nLavrov"
    );
    check_map(original, &c);
}

#[test]
fn markdown_markup() {
    let original = "# Putin *Proposes* Pact #\n\nBy [Jonathan Brown for AFP](#)\n\n> **Russian President** [Vladimir Putin](https://x.org/a_(b)) said\n> it was __fine__ and_not_emphasis.\n\n- one item\n- two `code` items\n\n![photo](p.jpg)\n\n***\n\n```\nlet x = 1\n```\n\n[ref]: https://x.org\n\nSee <https://x.org> and <span>tags</span> 2 * 3 \\*x\\*.\n\n<https://example.com/only>\n";
    let c = clean(original, Format::Markdown);
    assert_eq!(
        paras(&c),
        [
            "Putin Proposes Pact",
            "Russian President Vladimir Putin said it was fine and_not_emphasis.",
            "one item",
            "two code items",
            "let x = 1",
            "See and tags 2 * 3 *x*."
        ]
    );
    assert_eq!(
        orig(original, &c, find(&c, "Vladimir Putin")),
        "Vladimir Putin"
    );
    assert_eq!(
        orig(original, &c, find(&c, "President Vladimir")),
        "President** [Vladimir"
    );
    // The byline under the headline is metadata, not body text.
    assert_eq!(c.meta.byline.as_deref(), Some("Jonathan Brown for AFP"));
    check_map(original, &c);
}

/// A byline and a date line right under the headline of a text or Markdown article go to its
/// metadata (date as ISO 8601); anywhere else, or when they read as sentences, they stay.
#[test]
fn byline_and_date_under_the_headline_are_metadata() {
    for (text, byline, date) in [
        (
            "Talks Stall\n\nBy Ann Lee\n\nMarch 14, 2024\n\nThe talks stalled, she said.\n",
            Some("Ann Lee"),
            Some("2024-03-14"),
        ),
        (
            "Talks Stall\n\nFriday, Sept. 5, 2025\n\nBY ANN LEE and TOM REYES\n\nBody.\n",
            Some("ANN LEE and TOM REYES"),
            Some("2025-09-05"),
        ),
        (
            "Talks Stall\n\nPublished 5 September 2025\n\nBody text here.\n",
            None,
            Some("2025-09-05"),
        ),
        (
            "Talks Stall\n\n2025-09-05\n\nBody text here.\n",
            None,
            Some("2025-09-05"),
        ),
        // A sentence that starts with "By", a byline with a "|", a date in the body, a month
        // that is no month, an impossible day: all stay.
        (
            "Talks Stall\n\nBy winning Ohio, Kasich picked up 66 delegates.\n\nBody.\n",
            None,
            None,
        ),
        (
            "Talks Stall\n\nBy Staff Writer | Published 14 March\n\nBody.\n",
            None,
            None,
        ),
        ("Talks Stall\n\nBody.\n\nMarch 14, 2024\n", None, None),
        ("Talks Stall\n\nMarching 14, 2024\n\nBody.\n", None, None),
        ("Talks Stall\n\nMarch 34, 2024\n\nBody.\n", None, None),
    ] {
        for format in [Format::Text, Format::Markdown] {
            let c = clean(text, format);
            assert_eq!(c.meta.byline.as_deref(), byline, "{text:?}");
            assert_eq!(c.meta.published.as_deref(), date, "{text:?}");
            let lifted = byline.is_some() as usize + date.is_some() as usize;
            let paragraphs = text.trim().split("\n\n").count();
            assert_eq!(
                paras(&c).len(),
                paragraphs - lifted,
                "{text:?}: {:?}",
                paras(&c)
            );
            assert_eq!(c.meta.title.as_deref(), Some("Talks Stall"), "{text:?}");
            check_map(text, &c);
        }
    }
}

#[test]
fn detects_formats() {
    assert_eq!(detect_format("a/b.md", "x"), Format::Markdown);
    assert_eq!(detect_format("b.MARKDOWN", "x"), Format::Markdown);
    assert_eq!(detect_format("b.htm", "x"), Format::Html);
    assert_eq!(
        detect_format("b.txt", "\u{feff} <!DOCTYPE html><html>"),
        Format::Html
    );
    assert_eq!(detect_format("stdin", "<HTML><body>"), Format::Html);
    assert_eq!(detect_format("b.txt", "plain <p>"), Format::Text);
    assert_eq!(Format::parse("Markdown"), Some(Format::Markdown));
    assert_eq!(Format::parse("pdf"), None);
}

fn seed_pdf_paragraphs() -> Vec<String> {
    let original = seed(SEED_PDF);
    let c = clean(&original, Format::Text);
    check_map(&original, &c);
    assert!(!c.text.contains("http"), "URL block left in {:?}", c.text);
    paras(&c).into_iter().map(str::to_string).collect()
}

#[test]
fn seed_pdf_cleans_to_article() {
    let p = seed_pdf_paragraphs();
    let want = [
        "Putin Proposes Election Non-Interference Pact With U.S.",
        "U.S. intelligence officials have said that Russia is once again manipulating social media in favor of Donald Trump. Kremlin.ru",
        "Western countries have for years accused Russia of using hackers and internet trolls to sway the outcome of elections, and U.S. intelligence officials have said that Moscow is once again manipulating social media in favor of Donald Trump as it did in 2016.",
        "In his statement, Putin called for the two countries to \"exchange guarantees of non-interference in each others' domestic affairs including elections,\" and particularly noted the use of \"information and communication technologies.\"",
        "\"A special responsibility for its prevention lies on the key players in the field of ensuring international information security,\" he added.",
        "Professional dialogue should not become \"hostage to our political disagreements,\" Putin said.",
        "The British government this year also accused \"Russian actors\" of seeking to disrupt the 2019 general election by circulating leaked trade documents between London and Washington.",
        "'Disinformation campaign’",
        "\"As we've repeatedly said, there is no basis for such statements,\" he added. \"We are in favor of professional and constructive discussion of all existing problems\" through negotiations, Russia's top diplomat said.",
        "This week, its Foreign Ministry accused European countries of \"unleashing a massive disinformation campaign\" over the poisoning of Navalny, whose allies say he was targeted with Novichok in a state-sanctioned attack last month.",
        "Labs in Germany, France and Sweden have said they confirmed that the 44-year-old anti-corruption campaigner was poisoned with the Soviet military-grade nerve agent.",
    ];
    for w in want {
        assert!(
            p.iter().any(|x| x == w),
            "missing paragraph {w:?} in {p:#?}"
        );
    }
    assert_eq!(p.len(), 24, "{p:#?}");
}

#[test]
fn seed_markdown_matches_pdf_body() {
    let original = seed(SEED_MD);
    let c = clean(&original, Format::Markdown);
    check_map(&original, &c);
    let md = paras(&c);
    assert_eq!(
        md[0],
        "Putin Proposes Election Non-Interference Pact With U.S."
    );
    // The byline and date under the headline are metadata, as the PDF version (whose byline
    // went to a footer URL) has no such lines.
    assert_eq!(c.meta.byline.as_deref(), Some("Jonathan Brown for AFP"));
    assert_eq!(c.meta.published.as_deref(), Some("2020-09-25"));
    assert_eq!(md[md.len() - 1], "Original url:");
    let pdf = seed_pdf_paragraphs();
    // The article is the same paragraphs in both versions (the PDF has a curly closing quote
    // where the Markdown has a straight one).
    let pdf: Vec<String> = pdf.iter().map(|p| p.replace('’', "'")).collect();
    assert_eq!(&md[..md.len() - 1], &pdf[..]);
    let span = find(&c, "Vladimir Putin proposed");
    assert_eq!(orig(&original, &c, span), "Vladimir Putin [proposed");
}

#[test]
fn seed_from_shared_folder_if_present() {
    let path = format!("/work/shared/seeds/{SEED_PDF}");
    match std::fs::read_to_string(&path) {
        Ok(text) => assert_eq!(text, seed(SEED_PDF), "fixture copy differs from {path}"),
        Err(e) => eprintln!("skipping: {path} not readable ({e})"),
    }
}

#[test]
fn polnear_texts_keep_their_names() {
    let dir = "/work/shared/data/polnear/dev/text";
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: {dir} not present");
        return;
    };
    let mut n = 0;
    for entry in entries.flatten().take(40) {
        let original = std::fs::read_to_string(entry.path()).expect("readable");
        let c = clean(&original, Format::Text);
        check_map(&original, &c);
        assert!(!c.text.contains("\n\n\n") && !c.text.starts_with(char::is_whitespace));
        // Every capitalised word of the cleaned text maps to the same word in the original.
        for (i, w) in c.text.split(' ').scan(0usize, |pos, w| {
            let start = *pos;
            *pos += w.len() + 1;
            Some((start, w))
        }) {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() > 2 && w.chars().all(char::is_alphabetic) && !w.contains('\n') {
                let s = i + c.text[i..].find(w).unwrap();
                assert_eq!(orig(&original, &c, Span::new(s, s + w.len())), w);
            }
        }
        n += 1;
    }
    assert!(n > 0);
}

#[test]
fn a_first_line_that_reads_as_a_headline_is_the_title() {
    let title = |t: &str| clean(t, Format::Text).meta.title;
    assert_eq!(
        title("Harbor bridge reopens after two-year repair\n\nPORTVALE — The bridge reopened.\n")
            .as_deref(),
        Some("Harbor bridge reopens after two-year repair")
    );
    assert_eq!(
        title("Putin Proposes Election Non-\nInterference Pact With U.S.\n\n U.S. officials said so.\n")
            .as_deref(),
        Some("Putin Proposes Election Non-Interference Pact With U.S.")
    );
    assert_eq!(
        clean(
            "# Council backs school meals plan\n\nThe council voted.\n",
            Format::Markdown
        )
        .meta
        .title
        .as_deref(),
        Some("Council backs school meals plan")
    );
    // A sentence, a quotation or a lone paragraph is no headline.
    assert_eq!(
        title("The council voted on Monday.\n\nIt was late.\n"),
        None
    );
    assert_eq!(title("\"We won,\" she said\n\nIt was late.\n"), None);
    assert_eq!(title("Harbor bridge reopens\n"), None);
}
