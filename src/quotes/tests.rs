//! Tests of the quote rules: examples per rule, and the data-driven fixtures in
//! `fixtures/rules/*.txt` (+ `.json`).

use super::ResolvedBy;
use crate::clean::Format;
use crate::pipeline::{analyze, GivenMentions};
use crate::EntityType;

/// (kind, text, speaker name, resolved_by, cue) of every quote found.
type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn run(text: &str, names: &[(&str, EntityType)]) -> Vec<Row> {
    let tagger = GivenMentions(names.iter().map(|(n, t)| (n.to_string(), *t)).collect());
    let a = analyze(text, Format::Text, &tagger).expect("analysis");
    a.quotes
        .iter()
        .map(|q| {
            (
                serde_json::to_value(q.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                q.content.slice(&a.cleaned.text).to_string(),
                q.speaker.as_ref().map(|s| s.name.clone()),
                q.speaker.as_ref().map(|s| s.resolved_by.to_string()),
                q.cue.map(|c| c.slice(&a.cleaned.text).to_string()),
            )
        })
        .collect()
}

fn find<'a>(rows: &'a [Row], text: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.1 == text)
        .unwrap_or_else(|| panic!("no quote {text:?} in {rows:#?}"))
}

fn speaker(rows: &[Row], text: &str) -> Option<String> {
    find(rows, text).2.clone()
}

/// Asserts that the quote with this text has this speaker.
#[track_caller]
fn assert_said_by(rows: &[Row], text: &str, who: &str) {
    assert_eq!(speaker(rows, text).as_deref(), Some(who), "{rows:#?}");
}

const PER: EntityType = EntityType::PER;
const ORG: EntityType = EntityType::ORG;

#[test]
fn post_quote_name_and_inverted() {
    let text = "\"We will build the bridge,\" Mara Olsen said. \"It is late,\" said Olsen.";
    let rows = run(text, &[("Mara Olsen", PER), ("Olsen", PER)]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let r = find(&rows, "We will build the bridge");
    assert_eq!(r.0, "direct");
    assert_eq!(r.2.as_deref(), Some("Mara Olsen"));
    assert_eq!(r.3.as_deref(), Some("name"));
    assert_eq!(r.4.as_deref(), Some("said"));
    assert_eq!(speaker(&rows, "It is late").as_deref(), Some("Mara Olsen"));
}

#[test]
fn pronoun_and_title() {
    let text = "Finnish Prime Minister Aino Virtanen spoke on Monday.\n\n\
                \"The budget is balanced,\" the Finnish leader said.\n\n\
                \"We will not raise taxes,\" she added.";
    let rows = run(text, &[("Aino Virtanen", PER)]);
    let r = find(&rows, "The budget is balanced");
    assert_eq!(r.2.as_deref(), Some("Aino Virtanen"));
    assert_eq!(r.3.as_deref(), Some("title"));
    let r = find(&rows, "We will not raise taxes");
    assert_eq!(r.2.as_deref(), Some("Aino Virtanen"));
    assert_eq!(r.3.as_deref(), Some("pronoun"));
    assert_eq!(r.4.as_deref(), Some("added"));
}

#[test]
fn partial_quotes_take_the_subject_of_the_cue() {
    let text = "Mayor Tom Reyes called for the council to \"stop wasting time on parking,\" and \
                noted the \"sheer scale of the problem.\"";
    let rows = run(text, &[("Tom Reyes", PER)]);
    let r = find(&rows, "stop wasting time on parking");
    assert_eq!(r.0, "partial");
    assert_eq!(r.2.as_deref(), Some("Tom Reyes"));
    assert_eq!(r.4.as_deref(), Some("called for"));
    let r = find(&rows, "sheer scale of the problem");
    assert_eq!(r.2.as_deref(), Some("Tom Reyes"));
    assert_eq!(r.4.as_deref(), Some("noted"));
}

#[test]
fn multi_paragraph_quote_and_carry_over() {
    let text = "\"The first thing we did was count the boats. There were forty.\n\n\
                \"Then we counted them again,\" said harbour master Ed Kline.\n\n\
                \"Nobody believed us at first.\"";
    let rows = run(text, &[("Ed Kline", PER)]);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    for r in &rows {
        assert_eq!(r.2.as_deref(), Some("Ed Kline"), "{r:?}");
    }
    assert_eq!(
        find(&rows, "Nobody believed us at first").3.as_deref(),
        Some("carry-over")
    );
}

#[test]
fn scare_quotes_and_titles_are_dropped() {
    let text = "The so-called \"reform\" plan was shelved. Critics watched \"The Long Night\" \
                on Sunday.\n\n'Missing Funds'";
    let rows = run(text, &[]);
    assert!(rows.is_empty(), "{rows:#?}");
}

#[test]
fn indirect_speech() {
    let text = "Ana Costa said on Tuesday that the harbour would reopen next spring. \
                The ferry will run twice a day, officials said. \
                According to the port authority, the new pier cost four million euros.";
    let rows = run(text, &[("Ana Costa", PER)]);
    let r = find(&rows, "the harbour would reopen next spring");
    assert_eq!(r.0, "indirect");
    assert_eq!(r.2.as_deref(), Some("Ana Costa"));
    let r = find(&rows, "The ferry will run twice a day");
    assert_eq!(r.2.as_deref(), Some("officials"));
    assert_eq!(r.3.as_deref(), Some("unnamed"));
    let r = find(&rows, "the new pier cost four million euros");
    assert_eq!(r.3.as_deref(), Some("according-to"));
}

#[test]
fn organisation_and_missed_name() {
    let text = "This week, its Interior Ministry accused rivals of \"spreading panic\". \
                \"Nothing has changed,\" Pia Lund told reporters.";
    let tagger = GivenMentions(vec![("Interior Ministry".into(), ORG)]);
    let a = analyze(text, Format::Text, &tagger).unwrap();
    let q = a
        .quotes
        .iter()
        .find(|q| q.content.slice(&a.cleaned.text) == "spreading panic")
        .unwrap();
    assert_eq!(q.speaker.as_ref().unwrap().name, "Interior Ministry");
    assert_eq!(
        q.speaker.as_ref().unwrap().resolved_by,
        ResolvedBy::Organization
    );
    let q = a
        .quotes
        .iter()
        .find(|q| q.content.slice(&a.cleaned.text) == "Nothing has changed")
        .unwrap();
    let sp = q.speaker.as_ref().unwrap();
    assert_eq!(sp.name, "Pia Lund");
    let e = sp.entity.expect("entity added for the missed name");
    assert_eq!(a.entities[e].etype, EntityType::PER);
    assert_eq!(a.entities[e].index, e);
}

#[test]
fn pdf_damaged_marks() {
    let text = "\"As we have said, there is no basis,' he added. \"\"We are in favor of talks\" \
                through negotiations, the minister said.";
    let rows = run(text, &[]);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(
        find(&rows, "We are in favor of talks").2.as_deref(),
        Some("the minister")
    );
}

#[test]
fn unnamed_source_without_entity() {
    let text = "\"The talks are over,\" a source close to the negotiations said.";
    let tagger = GivenMentions(vec![]);
    let a = analyze(text, Format::Text, &tagger).unwrap();
    let sp = a.quotes[0].speaker.as_ref().unwrap();
    assert_eq!(sp.entity, None);
    assert_eq!(sp.name, "a source close to the negotiations");
    assert_eq!(sp.resolved_by, ResolvedBy::Unnamed);
}

/// Every `fixtures/rules/NAME.txt` with `NAME.json`:
/// `{"mentions": [["Name", "PER"], ...], "quotes": [{"text", "kind", "speaker"}, ...]}`,
/// the complete list of quotes expected, in text order.
#[test]
fn rule_fixtures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipping rule fixtures: {} not found", dir.display());
        return;
    };
    let mut paths: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap())
                .unwrap();
        let names: Vec<(&str, EntityType)> = spec["mentions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| {
                        (
                            m[0].as_str().unwrap(),
                            EntityType::parse(m[1].as_str().unwrap()).unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rows = run(&text, &names);
        let got: Vec<(String, String, Option<String>)> = rows
            .iter()
            .map(|r| (r.0.clone(), r.1.clone(), r.2.clone()))
            .collect();
        let want: Vec<(String, String, Option<String>)> = spec["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["kind"].as_str().unwrap().to_string(),
                    q["text"].as_str().unwrap().to_string(),
                    q["speaker"].as_str().map(str::to_string),
                )
            })
            .collect();
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", p.display()));
        }
    }
    eprintln!("{} rule fixtures checked", paths.len());
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

/// Random mixes of words, quote marks, punctuation and paragraph breaks never panic, and
/// every span lies on character boundaries inside the text.
#[test]
fn never_panics_on_messy_text() {
    let pieces = [
        "said",
        "he",
        "She",
        "Putin",
        "the",
        "Russian",
        "leader",
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        "''",
        "\"\"",
        "'\"",
        ",",
        ".",
        ":",
        ";",
        "(",
        ")",
        "―",
        "—",
        "\n\n",
        "\n",
        " ",
        "according",
        "to",
        "that",
        "who",
        "U.S.",
        "Mr.",
        "officials",
        "told",
        "called",
        "for",
        "é",
        "’s",
        "…",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..400 {
        let mut text = String::new();
        let n = (seed % 60) as usize + 1;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed.is_multiple_of(3) {
                text.push(' ');
            }
        }
        let tagger = GivenMentions(vec![
            ("Putin".into(), PER),
            ("U.S.".into(), EntityType::LOC),
        ]);
        let a = analyze(&text, Format::Text, &tagger).expect("analysis");
        let t = &a.cleaned.text;
        for q in &a.quotes {
            assert!(
                t.is_char_boundary(q.content.start) && t.is_char_boundary(q.content.end),
                "{text:?}"
            );
            assert!(q.content.start < q.content.end && q.content.end <= t.len());
            if let Some(s) = &q.speaker {
                assert!(s.mention.end <= t.len());
                if let Some(e) = s.entity {
                    assert!(e < a.entities.len());
                    assert_eq!(a.entities[e].index, e);
                }
            }
        }
    }
}

#[test]
fn according_to_at_the_end_of_the_text() {
    // Found by the fuzz test: "according to" with nothing after it, at the end of a document.
    for text in ["Talks stall. According to", "Talks stall, according to"] {
        assert!(run(text, &[]).is_empty(), "{text:?}");
        crate::fuzzing::check_document(text, crate::clean::Format::Text);
    }
    let text = "* \"Never,\" she added.\n* According to";
    let rows = run(text, &[]);
    assert_eq!(rows.len(), 1, "only the quote");
    assert!(rows[0].1.contains("Never"), "{rows:?}");
    crate::fuzzing::check_document(text, crate::clean::Format::Markdown);
}

/// The speaker's mention text and `resolved_by` of the quote with content `text`.
fn mention_of(text: &str, names: &[(&str, EntityType)], content: &str) -> (String, String) {
    let tagger = GivenMentions(names.iter().map(|(n, t)| (n.to_string(), *t)).collect());
    let a = analyze(text, Format::Text, &tagger).expect("analysis");
    let q = a
        .quotes
        .iter()
        .find(|q| q.content.slice(&a.cleaned.text) == content)
        .unwrap_or_else(|| panic!("no quote {content:?}"));
    let s = q.speaker.as_ref().expect("speaker");
    (
        s.mention.slice(&a.cleaned.text).to_string(),
        s.resolved_by.to_string(),
    )
}

#[test]
fn relative_pronoun_is_the_mention_and_the_antecedent_the_name() {
    let text = "The plan was backed by Ana Berg, who said the harbour would reopen in May.";
    let rows = run(text, &[("Ana Berg", PER)]);
    assert_eq!(
        speaker(&rows, "the harbour would reopen in May").as_deref(),
        Some("Ana Berg")
    );
    let (m, by) = mention_of(
        text,
        &[("Ana Berg", PER)],
        "the harbour would reopen in May",
    );
    assert_eq!(m, "who");
    assert_eq!(by, "name");
    // "who" names people, whatever the noun before it.
    let text = "The plan was opposed by mutual fund managers who said the plan would fail.";
    let rows = run(text, &[]);
    assert_eq!(
        speaker(&rows, "the plan would fail").as_deref(),
        Some("mutual fund managers")
    );
    // Past the dash of an aside.
    let text = "The plan surprised Ana Berg -- who said the harbour would reopen in May.";
    let rows = run(text, &[("Ana Berg", PER)]);
    assert_eq!(
        speaker(&rows, "the harbour would reopen in May").as_deref(),
        Some("Ana Berg")
    );
}

#[test]
fn transcript_labels() {
    let text = "Host Per Holm spoke to Karin Vestergaard.\n\nHOLM: Will it open?\n\n\
                VESTERGAARD: In June.\n\nQ: And the ferry?";
    let names = [("Karin Vestergaard", PER), ("Per Holm", PER)];
    let rows = run(text, &names);
    assert_eq!(speaker(&rows, "Will it open?").as_deref(), Some("Per Holm"));
    assert_eq!(
        speaker(&rows, "In June").as_deref(),
        Some("Karin Vestergaard")
    );
    // A label that names nobody in the text stays the label.
    assert_eq!(speaker(&rows, "And the ferry?").as_deref(), Some("Q"));
    let (m, by) = mention_of(text, &names, "In June");
    assert_eq!((m.as_str(), by.as_str()), ("VESTERGAARD", "transcript"));
    // One labelled line alone is a heading, not a transcript.
    let rows = run("UPDATE: The bridge opened.\n\nNOTICE: Roads closed.", &[]);
    assert!(rows.is_empty(), "{rows:#?}");
}

/// Source spans from outside (a learned tagger) resolve like the rules' own phrases.
#[test]
fn resolve_sources_given_spans() {
    let text = "Republican nominee Tom Hale met Democratic nominee Ruth Vance on Monday. \
                The Democratic nominee said taxes would fall. He disagreed. \
                A statement from the Harbour Guild called it rushed.";
    let tagger = GivenMentions(vec![
        ("Tom Hale".into(), PER),
        ("Ruth Vance".into(), PER),
        ("Harbour Guild".into(), ORG),
    ]);
    let mut a = analyze(text, Format::Text, &tagger).unwrap();
    let t = a.cleaned.text.clone();
    let at = |s: &str| {
        let i = t.find(s).unwrap();
        crate::span::Span::new(i, i + s.len())
    };
    let spans = [
        at("He"),
        at("The Democratic nominee"),
        at("A statement from the Harbour Guild"),
        at(". The"),
        at("."),
    ];
    let got = crate::quotes::resolve_sources(&t, &mut a.entities, &spans);
    let names: Vec<Option<(String, &str)>> = got
        .iter()
        .map(|s| s.as_ref().map(|s| (s.name.clone(), s.resolved_by.as_str())))
        .collect();
    assert_eq!(names[1], Some(("Ruth Vance".into(), "title")));
    assert_eq!(names[0], Some(("Tom Hale".into(), "pronoun")));
    assert_eq!(names[2], Some(("Harbour Guild".into(), "issuer")));
    // A function word names nobody; a span with no word is no source.
    assert_eq!(names[3], None);
    assert_eq!(names[4], None);
    assert_eq!(
        got[1].as_ref().unwrap().mention.slice(&t),
        "The Democratic nominee"
    );
}

#[test]
fn resolved_by_serialises_to_the_output_strings() {
    let all = [
        (ResolvedBy::Name, "name"),
        (ResolvedBy::Organization, "organization"),
        (ResolvedBy::Pronoun, "pronoun"),
        (ResolvedBy::Title, "title"),
        (ResolvedBy::Role, "role"),
        (ResolvedBy::Issuer, "issuer"),
        (ResolvedBy::Transcript, "transcript"),
        (ResolvedBy::Colon, "colon"),
        (ResolvedBy::AccordingTo, "according-to"),
        (ResolvedBy::CarryOver, "carry-over"),
        (ResolvedBy::Unnamed, "unnamed"),
        (ResolvedBy::Byline, "byline"),
        (ResolvedBy::Author, "author"),
    ];
    for (r, s) in all {
        assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{s}\""));
        assert_eq!(r.as_str(), s);
        assert_eq!(r.to_string(), s);
        assert_eq!(
            serde_json::from_str::<ResolvedBy>(&format!("\"{s}\"")).unwrap(),
            r
        );
    }
}

#[test]
fn a_pronoun_speakers_mention_leaves_out_the_clitic() {
    let text = "Mara Olsen spoke on Monday. She\u{2019}s never said the bridge will be late.";
    let a = analyze(
        text,
        Format::Text,
        &GivenMentions(vec![("Mara Olsen".to_string(), PER)]),
    )
    .expect("analysis");
    let q = a
        .quotes
        .iter()
        .find(|q| {
            q.content
                .slice(&a.cleaned.text)
                .contains("the bridge will be late")
        })
        .unwrap_or_else(|| panic!("no reported statement in {:#?}", a.quotes));
    let sp = q.speaker.as_ref().expect("a speaker");
    assert_eq!(sp.name, "Mara Olsen");
    assert_eq!(sp.mention.slice(&a.cleaned.text), "She");
    let cut = |t: &str, end: usize| super::without_clitic(t, crate::Span::new(0, end)).end;
    assert_eq!(cut("they've said", 7), 4);
    assert_eq!(cut("I'm told", 3), 1);
    // A name's possessive stays.
    assert_eq!(cut("Reed's aide", 6), 6);
}

#[test]
fn a_share_of_a_group_speaks_after_an_inverted_cue() {
    let text =
        "The campaign met on Monday. \"I think it is coming,\" said a strategist for one of \
                these candidates. \"It will not be easy,\" said one of the advisers.";
    let rows = run(text, &[]);
    assert_eq!(
        speaker(&rows, "I think it is coming").as_deref(),
        Some("a strategist for one of these candidates")
    );
    assert_eq!(
        speaker(&rows, "It will not be easy").as_deref(),
        Some("one of the advisers")
    );
}

#[test]
fn a_party_name_with_its_article_is_a_description_not_an_adjective() {
    let text = "Ben Carson spoke in Ohio. \"It drives the prices up,\" the Republican said. The \
                Republican nominee said nothing more.";
    let rows = run(
        text,
        &[
            ("Ben Carson", PER),
            ("Ohio", EntityType::LOC),
            ("Republican", EntityType::MISC),
        ],
    );
    let sp = speaker(&rows, "It drives the prices up");
    assert_eq!(sp.as_deref(), Some("the Republican"), "{rows:#?}");
    // "The Republican nominee": the adjective names no speaker by itself.
    assert!(
        rows.iter()
            .all(|r| r.2.as_deref() != Some("The Republican")),
        "{rows:#?}"
    );
}

#[test]
fn the_phrase_after_an_inverted_say_verb_is_its_speaker_not_content() {
    let text = "Petraeus \"was handled so lightly,\" said a former official. He did not \
                elaborate.";
    let rows = run(text, &[("Petraeus", PER)]);
    assert_eq!(
        speaker(&rows, "was handled so lightly").as_deref(),
        Some("a former official"),
        "{rows:#?}"
    );
    assert!(
        rows.iter().all(|r| r.1 != "a former official"),
        "the speaker read as reported content: {rows:#?}"
    );
}

#[test]
fn a_relative_clause_ends_the_speaker_phrase_after_an_inverted_cue() {
    let text = "The agency met on Monday. \"It was bad,\" said a former official who oversaw \
                investigations.";
    let rows = run(text, &[]);
    assert_eq!(
        speaker(&rows, "It was bad").as_deref(),
        Some("a former official"),
        "{rows:#?}"
    );
}

#[test]
fn a_signature_paragraph_after_a_quote_paragraph_is_its_speaker() {
    let text =
        "Mara Olsen and Tom Berg met in Iowa on Monday.\n\n\"We will build the bridge.\"\n\n\
                - Tom Berg.\n\n\"It is late, and the money is gone.\"\n\n- Olsen.\n\n\
                The town voted later. The bridge was built.\n\n- Ann Reporter.\n";
    let rows = run(
        text,
        &[
            ("Mara Olsen", PER),
            ("Olsen", PER),
            ("Tom Berg", PER),
            ("Ann Reporter", PER),
        ],
    );
    assert_eq!(
        speaker(&rows, "We will build the bridge").as_deref(),
        Some("Tom Berg"),
        "{rows:#?}"
    );
    let late = find(&rows, "It is late, and the money is gone");
    assert_eq!(late.2.as_deref(), Some("Mara Olsen"), "{rows:#?}");
    assert_eq!(late.4.as_deref(), Some("-"));
    // A byline after the reporter's own words attributes nothing.
    assert!(
        rows.iter().all(|r| r.2.as_deref() != Some("Ann Reporter")),
        "{rows:#?}"
    );
}

#[test]
fn a_person_of_a_place_or_organisation_is_the_person() {
    let text = "The Senate met on Tuesday. Sen. Ted Cruz of Texas said the bill would fail. \
                \"It is dead on arrival,\" Rep. Jim Jordan from Ohio said. Aris Shirvanian of \
                the Armenian Patriarchate of Jerusalem told reporters, \"We suffered the same \
                fate.\"\n\nResidents of Texas said the storm was over.";
    let rows = run(
        text,
        &[
            ("Ted Cruz", PER),
            ("Texas", EntityType::LOC),
            ("Jim Jordan", PER),
            ("Ohio", EntityType::LOC),
            ("Aris Shirvanian", PER),
            ("Armenian Patriarchate", ORG),
            ("Jerusalem", EntityType::LOC),
        ],
    );
    assert_said_by(&rows, "the bill would fail", "Ted Cruz");
    assert_said_by(&rows, "It is dead on arrival", "Jim Jordan");
    assert_said_by(&rows, "We suffered the same fate", "Aris Shirvanian");
    // Not a person before "of": the group speaks, not the place.
    assert_ne!(
        speaker(&rows, "the storm was over").as_deref(),
        Some("Texas"),
        "{rows:#?}"
    );
}

#[test]
fn the_phrase_after_told_is_the_one_told_not_an_inverted_speaker() {
    let text = "Delegates met on Friday. Dick Dever, who was listed on the Cruz slate, told \
                POLITICO, \"Of the three, I like John Kasich the best.\"";
    let rows = run(
        text,
        &[("Dick Dever", PER), ("POLITICO", ORG), ("John Kasich", PER)],
    );
    assert_said_by(
        &rows,
        "Of the three, I like John Kasich the best",
        "Dick Dever",
    );
    assert!(
        rows.iter().all(|r| r.2.as_deref() != Some("POLITICO")),
        "the addressee read as a speaker: {rows:#?}"
    );
}

#[test]
fn a_reported_clause_inside_a_relative_clause_ends_at_its_comma() {
    let text = "The debate was held in Houston.\n\nTed Cruz, who says Donald Trump is attacking \
                him, said voters would decide the race.";
    let rows = run(text, &[("Ted Cruz", PER), ("Donald Trump", PER)]);
    assert_said_by(&rows, "Donald Trump is attacking him", "Ted Cruz");
    assert_said_by(&rows, "voters would decide the race", "Ted Cruz");
}

#[test]
fn a_cue_after_a_relative_clause_belongs_to_its_antecedent() {
    let text = "The president spoke on Sunday.\n\nLindsey Graham, who says allies should send \
                ground forces, tweeted that the strategy \"will not destroy ISIL.\"\n\n\
                Loretta Lynch, who told Congress when asked about the inquiry: \"That matter is \
                being handled by career agents.\"";
    let rows = run(
        text,
        &[
            ("Lindsey Graham", PER),
            ("Loretta Lynch", PER),
            ("Congress", ORG),
        ],
    );
    let r = find(&rows, "will not destroy ISIL");
    assert_eq!(r.2.as_deref(), Some("Lindsey Graham"), "{rows:#?}");
    assert_eq!(r.4.as_deref(), Some("tweeted"), "{rows:#?}");
    // A cue inside the relative clause stays the relative pronoun's.
    assert_said_by(
        &rows,
        "That matter is being handled by career agents",
        "Loretta Lynch",
    );
}

#[test]
fn a_place_before_a_title_or_in_a_fronted_phrase_is_not_the_speaker() {
    let text = "Sen. John McCain spoke in Manchester. Bernie Sanders spoke in Nashua.\n\n\
                \"It's a difficult issue,\" said the Vermont senator.\n\n\
                Before the Paris terror attacks, Donald Trump took a hands-off approach, \
                suggesting the U.S. outsource the fight to Russia.";
    let loc = EntityType::LOC;
    let rows = run(
        text,
        &[
            ("John McCain", PER),
            ("Manchester", loc),
            ("Bernie Sanders", PER),
            ("Nashua", loc),
            ("Vermont", loc),
            ("Paris", loc),
            ("Donald Trump", PER),
            ("U.S.", loc),
            ("Russia", loc),
        ],
    );
    // Neither the place nor the last senator named: the article never calls Sanders that.
    let difficult = speaker(&rows, "It's a difficult issue");
    assert!(
        !matches!(difficult.as_deref(), Some("Vermont" | "John McCain")),
        "{rows:#?}"
    );
    assert_said_by(
        &rows,
        "the U.S. outsource the fight to Russia",
        "Donald Trump",
    );
}

/// A verb in -ed after its subject noun ends the noun phrase before it ("The campaign
/// disparaged women who said ..." is said by "women", not by "campaign disparaged women"),
/// where an adjective in -ed stays in it ("the newly elected mayor"); a negated auxiliary lies
/// between a subject and its cue ("Roffman won't reveal").
#[test]
fn a_verb_before_the_noun_is_not_part_of_the_speaker_phrase() {
    let text = "The campaign disparaged women who said they had been harassed. The newly elected \
                mayor said the budget was short. Marvin Roffman met reporters \
                on Monday. Roffman won't reveal the terms of the settlement he reached.";
    let rows = run(text, &[("Marvin Roffman", EntityType::PER)]);
    assert_said_by(&rows, "they had been harassed", "women");
    assert_said_by(&rows, "the budget was short", "The newly elected mayor");
    assert_said_by(
        &rows,
        "the terms of the settlement he reached",
        "Marvin Roffman",
    );
}
