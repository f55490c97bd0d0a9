use super::texts::check_text;
use super::*;
use crate::output::{EntityOut, MentionOut, SpanOut, SpeakerOut};

fn ent(id: &str, etype: &str, name: &str) -> EntityOut {
    EntityOut {
        id: id.into(),
        etype: etype.into(),
        name: name.into(),
        key: crate::entities::entity_key(name),
        identity: String::new(),
        display: String::new(),
        titles: vec![],
        mentions: vec![],
    }
}

fn titled(id: &str, name: &str, title: &str) -> EntityOut {
    EntityOut {
        titles: vec![title.into()],
        ..ent(id, "PER", name)
    }
}

fn quote(id: &str, start: usize, end: usize, speaker: Option<(&str, Option<&str>)>) -> QuoteOut {
    QuoteOut {
        id: id.into(),
        kind: "direct".into(),
        text: "x".into(),
        start,
        end,
        speaker: speaker.map(|(n, e)| SpeakerOut {
            name: n.into(),
            id: String::new(),
            kind: String::new(),
            entity: e.map(str::to_string),
            mention: SpanOut {
                start: 0,
                end: 0,
                text: n.into(),
            },
            resolved_by: "name".into(),
        }),
        cue: None,
        clause: None,
        confidence: 0.5,
    }
}

fn doc(id: &str, entities: Vec<EntityOut>, quotes: Vec<QuoteOut>) -> DocOutput {
    DocOutput {
        entities,
        quotes,
        ..DocOutput::new(id, "-", Default::default())
    }
}

#[test]
fn quotes_by_day_and_article_dates() {
    let q = |id: &str, sp: &str| quote(id, 0, 4, Some((sp, Some("E1"))));
    let mut a = doc(
        "a",
        vec![ent("E1", "PER", "Ann Lee")],
        vec![q("Q1", "Ann Lee")],
    );
    a.meta.published = Some("2025-03-14T09:30:00+00:00".into());
    a.meta.title = Some("Big <news>".into());
    let mut b = doc(
        "b",
        vec![ent("E1", "PER", "Bo Chan")],
        vec![q("Q1", "Bo Chan"), q("Q2", "Bo Chan")],
    );
    b.meta.published = Some("2025-03-13".into());
    let c = doc(
        "c",
        vec![ent("E1", "PER", "Ann Lee")],
        vec![q("Q1", "Ann Lee")],
    );
    let docs = [a, b, c];
    let d = days(&docs, &corpus(&docs));
    let got: Vec<(&str, usize, usize)> = d
        .iter()
        .map(|x| (x.day.as_str(), x.documents, x.quotes))
        .collect();
    assert_eq!(
        got,
        [("2025-03-13", 1, 2), ("2025-03-14", 1, 1), ("", 1, 1)]
    );
    assert_eq!(d[0].speakers, [("Bo Chan".to_string(), 2)]);
    let html = render(&docs, &[], &ReportOptions::default());
    assert!(html.contains("<section id=\"days\">"));
    assert!(html.contains("<time datetime=\"2025-03-13\">2025-03-13</time>"));
    assert!(html.contains("<p class=\"title\">Big &lt;news&gt;</p>"));
    assert!(html.contains("<td class=\"day\">no date</td>"));
    // Without dates: no such section.
    let plain = [doc("x", vec![], vec![])];
    assert!(days(&plain, &corpus(&plain)).is_empty());
    assert!(!render(&plain, &[], &ReportOptions::default()).contains("id=\"days\""));
    assert_eq!(day_of(Some("14 March 2025")), None);
}

#[test]
fn html_pages_are_shown_without_markup() {
    let page = "<html><body><nav><a>World</a></nav><article><h1>Head</h1>\
        <p>&ldquo;Yes,&rdquo; said Ann Lee, who spoke at length about the plan, the money and the time.</p>\
        <p>More text that is long enough to be a paragraph, with commas, and more.</p></article></body></html>";
    let start = page.find("Yes").unwrap();
    let q = quote("Q1", start, start + 3, Some(("Ann Lee", Some("E1"))));
    let mut d = doc("p", vec![ent("E1", "PER", "Ann Lee")], vec![q]);
    d.source = "page.html".into();
    let html = render(
        &[d.clone()],
        &[Ok(page.to_string())],
        &ReportOptions::default(),
    );
    let open = "<div class=\"text\">";
    let text = &html[html.find(open).unwrap() + open.len()..];
    let text = &text[..text.find("</div>").unwrap()];
    assert!(text.starts_with("Head\n\n“<mark"), "{text}");
    assert!(text.contains(">Yes</mark>"), "{text}");
    assert!(!text.contains("&lt;") && !text.contains("World"), "{text}");
    // A span outside the article: the whole page is shown.
    let w = page.find("World").unwrap();
    d.quotes[0].start = w;
    d.quotes[0].end = w + 5;
    let html = render(&[d], &[Ok(page.to_string())], &ReportOptions::default());
    assert!(html.contains(">World</mark>"));
}

#[test]
fn long_quotes_are_clipped_in_lists() {
    assert_eq!(clip("abc", 3), "abc");
    assert_eq!(clip("abcdé", 2), "ab\u{2026} (3 more characters)");
}

#[test]
fn surnames_join_full_names_only_on_evidence() {
    let q = |id: &str, n: &str| quote(id, 0, 1, Some((n, Some("E1"))));
    let docs = vec![
        doc(
            "a",
            vec![
                titled("E1", "Vladimir V. Putin", "russian president"),
                ent("E2", "PER", "John Smith"),
            ],
            vec![q("Q1", "Vladimir V. Putin")],
        ),
        doc(
            "b",
            vec![
                titled("E1", "Putin", "president"),
                ent("E2", "PER", "Smith"),
                ent("E3", "PER", "Anna Smith"),
            ],
            vec![
                q("Q1", "Putin"),
                q("Q2", "Putin"),
                quote("Q3", 4, 5, Some(("a source", None))),
                quote("Q4", 6, 7, None),
            ],
        ),
        doc(
            "c",
            vec![titled("E1", "Vladimir Putin", "president")],
            vec![q("Q1", "Vladimir Putin")],
        ),
        // No title, no full name in the article: no evidence, the surname stays apart.
        doc("d", vec![ent("E1", "PER", "Putin")], vec![q("Q1", "Putin")]),
    ];
    let c = corpus(&docs);
    assert_eq!(c.ids[1].entities["E1"].id, "person:vladimir-putin");
    // The one Smith of its own article.
    assert_eq!(c.ids[1].entities["E2"].id, "person:anna-smith");
    assert_eq!(c.ids[3].entities["E1"].id, "person:putin");
    assert_eq!(c.speakers[0].key, "person:vladimir-putin");
    assert_eq!(c.speakers[0].name, "Vladimir Putin");
    assert_eq!((c.speakers[0].quotes, c.speakers[0].documents), (4, 3));
    assert_eq!(c.speakers[1].key, "person:putin");
    assert_eq!(c.speakers[2].kind, "unnamed");
    assert_eq!(c.speakers[2].name, "source");
    assert_eq!(c.entities[0].name, "Vladimir Putin");
    assert_eq!(c.entities[0].documents, 3);
    assert_eq!(
        c.entities[0].names,
        vec!["Putin", "Vladimir Putin", "Vladimir V. Putin"]
    );
}

#[test]
fn types_are_voted_and_titles_make_no_row() {
    let mut band = ent("E1", "PER", "Douglas Band");
    band.mentions = vec![
        MentionOut {
            start: 0,
            end: 4,
            text: "Band".into(),
            score: 0.9,
        };
        3
    ];
    let docs = vec![
        doc(
            "a",
            vec![
                ent("E1", "ORG", "Douglas Band"),
                ent("E2", "LOC", "Washington"),
            ],
            vec![quote("Q1", 0, 1, Some(("Douglas Band", Some("E1"))))],
        ),
        doc(
            "b",
            vec![band, ent("E2", "PER", "George Washington")],
            vec![
                quote("Q1", 0, 1, Some(("Douglas Band", Some("E1")))),
                quote("Q2", 2, 3, Some(("Mr.", None))),
                quote("Q3", 4, 5, Some(("they", None))),
                quote("Q4", 6, 7, Some(("31 percent", None))),
            ],
        ),
    ];
    let c = corpus(&docs);
    // Three PER mentions outvote one ORG: one person in both articles.
    assert_eq!(c.ids[0].entities["E1"].id, "person:douglas-band");
    assert_eq!(c.speakers.len(), 1, "{:?}", c.speakers);
    assert_eq!(c.speakers[0].name, "Douglas Band");
    assert_eq!(c.speakers[0].kind, "person");
    assert_eq!(c.speakers[0].quotes, 2);
    // A place does not join a person's name.
    assert_eq!(c.ids[0].entities["E2"].id, "place:washington");
    assert!(c
        .entities
        .iter()
        .any(|e| e.key == "person:douglas-band" && e.etype == "PER"));
}

#[test]
fn highlights_nest_and_escape() {
    let text = "Putin said: <\"We & you\"> and \"more\" here.";
    let chars: Vec<char> = text.chars().collect();
    let find = |s: &str| {
        let b = text.find(s).unwrap();
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let (ws, we) = find("We & you");
    let (ms, me) = find("more");
    let mut q1 = quote("Q1", ws, we, Some(("Vladimir Putin", Some("E1"))));
    let (ps, pe) = find("Putin");
    q1.speaker.as_mut().unwrap().mention = SpanOut {
        start: ps,
        end: pe,
        text: "Putin".into(),
    };
    let (cs, ce) = find("said");
    q1.cue = Some(SpanOut {
        start: cs,
        end: ce,
        text: "said".into(),
    });
    // Q3 overlaps Q1 and is left out of the text; Q4 lies past the end.
    let docs = vec![doc(
        "d<1>",
        vec![EntityOut {
            mentions: vec![MentionOut {
                start: ps,
                end: pe,
                text: "Putin".into(),
                score: 1.0,
            }],
            ..ent("E1", "PER", "Vladimir Putin")
        }],
        vec![
            q1,
            quote("Q2", ms, me, None),
            quote("Q3", ws + 1, we + 2, None),
            quote("Q4", chars.len(), chars.len() + 5, None),
        ],
    )];
    let html = render(&docs, &[Ok(text.to_string())], &ReportOptions::default());
    assert!(html.contains("<h3>d&lt;1&gt;</h3>"));
    assert!(html.contains("<span class=\"who\" data-sp=\"0\""), "{html}");
    assert!(html.contains(">Putin</span> <span class=\"cue\">said</span>: &lt;&quot;<mark class=\"q\" data-sp=\"0\" data-q=\"Q1\""));
    assert!(html.contains(">We &amp; you</mark><sup class=\"tag\""));
    assert!(html.contains("<mark class=\"q none\" data-sp=\"-\" data-q=\"Q2\""));
    assert!(!html.contains("data-q=\"Q3\""));
    assert_eq!(
        html.matches("<mark").count(),
        html.matches("</mark>").count()
    );
    assert!(!html.contains("http://") && !html.contains("https://"));
    // Offsets past the end: the text is refused, the quotes listed.
    assert!(check_text(&docs[0], text).is_err());
    assert!(check_text(&docs[0], &format!("{text}{}", " ".repeat(10))).is_ok());
}
