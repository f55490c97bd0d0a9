use super::*;

fn mention(text: &str, s: &str, nth: usize, etype: EntityType) -> Mention {
    let start = text.match_indices(s).nth(nth).expect("mention in text").0;
    Mention {
        span: Span::new(start, start + s.len()),
        etype,
        score: 0.9,
    }
}

#[test]
fn titles_after_capitalised_modifiers_are_stripped() {
    let text = "Varnian Trade Minister Lukas Petrov spoke. Petrov left. Lukas Petrov came back.";
    let ms = vec![
        mention(
            text,
            "Varnian Trade Minister Lukas Petrov",
            0,
            EntityType::PER,
        ),
        mention(text, "Petrov", 1, EntityType::PER),
        mention(text, "Lukas Petrov", 1, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 1, "{es:?}");
    assert_eq!(es[0].name, "Lukas Petrov");
    assert_eq!(es[0].mentions.len(), 3);
    // Down to a surname; never inside a lowercase phrase.
    let text = "Trade Minister Petrov spoke.";
    let es = merge(
        text,
        &[mention(text, "Trade Minister Petrov", 0, EntityType::PER)],
    );
    assert_eq!(es[0].name, "Petrov");
    let text = "Trade minister Petrov spoke.";
    let es = merge(
        text,
        &[mention(text, "Trade minister Petrov", 0, EntityType::PER)],
    );
    assert_eq!(es[0].name, "Trade minister Petrov");
}

#[test]
fn titles_possessives_and_surnames_merge() {
    let text = "Russian President Vladimir Putin spoke. Foreign Minister Sergei Lavrov read \
                Putin's statement. Lavrov said so. U.S. President Donald Trump disagreed.";
    let ms = vec![
        mention(text, "Russian President Vladimir Putin", 0, EntityType::PER),
        mention(text, "Foreign Minister Sergei Lavrov", 0, EntityType::PER),
        mention(text, "Putin's", 0, EntityType::PER),
        mention(text, "Lavrov", 1, EntityType::PER),
        mention(text, "U.S. President Donald Trump", 0, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 3);
    assert_eq!(es[0].name, "Vladimir Putin");
    assert_eq!(es[0].index, 0);
    assert_eq!(es[0].mentions.len(), 2);
    assert_eq!(es[0].mentions[0].span.slice(text), "Vladimir Putin");
    assert_eq!(es[0].mentions[1].span.slice(text), "Putin");
    assert_eq!(es[0].descriptions, vec!["russian president".to_string()]);
    assert_eq!(es[1].name, "Sergei Lavrov");
    assert_eq!(es[1].descriptions, vec!["foreign minister".to_string()]);
    assert_eq!(es[1].mentions[1].span.slice(text), "Lavrov");
    assert_eq!(es[2].name, "Donald Trump");
    assert_eq!(es[2].descriptions, vec!["u.s. president".to_string()]);
    assert_eq!(es[2].index, 2);
}

#[test]
fn title_before_a_bare_name_becomes_a_description() {
    let text = "Russian President Vladimir Putin spoke, and his FBI director Christopher Wray \
                listened.";
    let ms = vec![
        mention(text, "Vladimir Putin", 0, EntityType::PER),
        mention(text, "FBI", 0, EntityType::ORG),
        mention(text, "Christopher Wray", 0, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es[0].descriptions, vec!["russian president".to_string()]);
    assert_eq!(es[2].descriptions, vec!["fbi director".to_string()]);
}

#[test]
fn surname_joins_most_recent_full_name() {
    let text = "Hillary Clinton met Bill Clinton. Clinton said no. Later Hillary Clinton \
                left and Clinton smiled.";
    let ms = vec![
        mention(text, "Hillary Clinton", 0, EntityType::PER),
        mention(text, "Bill Clinton", 0, EntityType::PER),
        mention(text, "Clinton", 2, EntityType::PER),
        mention(text, "Hillary Clinton", 1, EntityType::PER),
        mention(text, "Clinton", 4, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 2);
    assert_eq!(es[1].name, "Bill Clinton");
    assert_eq!(es[1].mentions.len(), 2);
    assert_eq!(es[0].mentions.len(), 3);
}

#[test]
fn surname_before_full_name_and_majority_type() {
    let text = "Trump wins. Donald Trump spoke. The Trump campaign agreed. Trump left.";
    let ms = vec![
        mention(text, "Trump", 0, EntityType::PER),
        mention(text, "Donald Trump", 0, EntityType::PER),
        mention(text, "Trump", 2, EntityType::ORG),
        mention(text, "Trump", 3, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].etype, EntityType::PER);
    assert_eq!(es[0].name, "Donald Trump");
    assert_eq!(es[0].mentions.len(), 4);
}

#[test]
fn organisations_keep_their_words_and_acronyms_join() {
    let text = "the Foreign Ministry said the Federal Bureau of Investigation and the FBI \
                and the Kremlin's aides";
    let ms = vec![
        mention(text, "Foreign Ministry", 0, EntityType::ORG),
        mention(text, "Federal Bureau of Investigation", 0, EntityType::ORG),
        mention(text, "FBI", 0, EntityType::ORG),
        mention(text, "the Kremlin's", 0, EntityType::ORG),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 3);
    assert_eq!(es[0].name, "Foreign Ministry");
    assert_eq!(es[1].mentions.len(), 2);
    assert_eq!(es[2].name, "Kremlin");
    assert_eq!(es[2].mentions[0].span.slice(text), "Kremlin");
}

#[test]
fn leading_punctuation_and_lost_first_names() {
    // The tagger took the period of "Mr." with the name, and left "Paul" out of a name
    // with a middle initial.
    let text = "Tom Clarke spoke. Later, Mr. Clarke left. House Speaker Paul D. Ryan agreed. \
                Senator Ann B. Kerr agreed.";
    let ms = vec![
        mention(text, "Tom Clarke", 0, EntityType::PER),
        mention(text, ". Clarke", 0, EntityType::PER),
        mention(text, "Paul", 0, EntityType::PER),
        mention(text, "D. Ryan", 0, EntityType::PER),
        mention(text, "Ann", 0, EntityType::PER),
        mention(text, "Kerr", 0, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert_eq!(es.len(), 3, "{es:?}");
    assert_eq!(es[2].name, "Ann B. Kerr");
    assert_eq!(es[0].name, "Tom Clarke");
    assert_eq!(es[0].mentions[1].span.slice(text), "Clarke");
    assert_eq!(es[1].name, "Paul D. Ryan");
}

#[test]
fn an_initial_tagged_as_a_name_of_its_own_joins_the_full_name() {
    // The tagger made three names of "Paul D. Ryan": "Paul", "D" (without its period) and
    // "Ryan".
    let text = "House Speaker Paul D. Ryan (R-Wis.) said the spate demands action. Ryan said more.";
    let ms = vec![
        mention(text, "Paul", 0, EntityType::PER),
        mention(text, "D", 0, EntityType::PER),
        mention(text, "Ryan", 0, EntityType::PER),
        mention(text, "Ryan", 1, EntityType::PER),
    ];
    let es = merge(text, &ms);
    let people: Vec<&str> = es
        .iter()
        .filter(|e| e.etype == EntityType::PER)
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(people, vec!["Paul D. Ryan"], "{es:?}");
    assert_eq!(es[0].mentions.len(), 2, "{es:?}");
    // An initial tagged as another kind of name blocks the join.
    let ms = vec![
        mention(text, "Paul", 0, EntityType::PER),
        mention(text, "D", 0, EntityType::ORG),
        mention(text, "Ryan", 0, EntityType::PER),
    ];
    let es = merge(text, &ms);
    assert!(es.iter().all(|e| e.name != "Paul D. Ryan"), "{es:?}");
}

#[test]
fn appositive_description() {
    let text = "Christopher Wray, the FBI director, said nothing.";
    let ms = vec![mention(text, "Christopher Wray", 0, EntityType::PER)];
    let es = merge(text, &ms);
    assert_eq!(es[0].descriptions, vec!["fbi director".to_string()]);
}
