//! Merging mentions into entities within one document.
//!
//! "Putin" = "Vladimir Putin" = "Putin's" = "Russian President Vladimir Putin": possessives and
//! leading titles are stripped from person names (the title words are kept as a description
//! of the entity: "russian president"), a surname alone joins the most recent full name with
//! that last word, and every name gets one type within the document (majority vote of its
//! mentions' types).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// The cross-document key of an entity name: lowercased, punctuation dropped, spaces collapsed.
pub fn entity_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Named entity type (CoNLL-2003 classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    PER,
    ORG,
    LOC,
    MISC,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::PER => "PER",
            EntityType::ORG => "ORG",
            EntityType::LOC => "LOC",
            EntityType::MISC => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::PER),
            "ORG" => Some(EntityType::ORG),
            "LOC" => Some(EntityType::LOC),
            "MISC" => Some(EntityType::MISC),
            _ => None,
        }
    }
}

/// One mention of a named entity found by the tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub etype: EntityType,
    /// Mean probability of the mention's word labels.
    pub score: f32,
}

/// Mentions merged into one entity within a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Index of the entity in the document's entity list (output id is `E{index+1}`).
    pub index: usize,
    pub etype: EntityType,
    /// Canonical name: the longest proper form seen ("Vladimir Putin").
    pub name: String,
    /// Mentions, sorted by span start.
    pub mentions: Vec<Mention>,
    /// Descriptions learned from the article ("the Russian leader", "Russia's top diplomat"),
    /// lowercased, without the leading determiner.
    pub descriptions: Vec<String>,
}

/// Title and role words that may precede a person's name ("Foreign Minister Sergei Lavrov",
/// "Mr. Obama", "Sen. Ted Cruz"). Lowercase, without a final period.
const TITLE_WORDS: &[&str] = &[
    "acting",
    "adm",
    "admiral",
    "agent",
    "ambassador",
    "analyst",
    "anchor",
    "archbishop",
    "assistant",
    "associate",
    "attorney",
    "attorney-general",
    "author",
    "bishop",
    "brother",
    "candidate",
    "capt",
    "captain",
    "cardinal",
    "ceo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chancellor",
    "chief",
    "co-founder",
    "coach",
    "col",
    "colonel",
    "columnist",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "correspondent",
    "councilman",
    "councilwoman",
    "counsel",
    "dame",
    "defence",
    "defense",
    "del",
    "delegate",
    "democratic",
    "deputy",
    "det",
    "detective",
    "director",
    "dr",
    "economist",
    "editor",
    "emperor",
    "envoy",
    "executive",
    "father",
    "finance",
    "first",
    "foreign",
    "former",
    "founder",
    "gen",
    "general",
    "gop",
    "gov",
    "governor",
    "health",
    "homeland",
    "hopeful",
    "host",
    "house",
    "inspector",
    "interior",
    "judge",
    "justice",
    "king",
    "labor",
    "labour",
    "lady",
    "late",
    "leader",
    "lieut",
    "lieutenant",
    "lord",
    "lt",
    "madam",
    "maj",
    "majority",
    "mayor",
    "minister",
    "minority",
    "miss",
    "mr",
    "mrs",
    "ms",
    "national",
    "nominee",
    "of",
    "officer",
    "pastor",
    "pope",
    "premier",
    "president",
    "president-elect",
    "presidential",
    "press",
    "prime",
    "prince",
    "princess",
    "prof",
    "professor",
    "prosecutor",
    "queen",
    "rabbi",
    "rep",
    "representative",
    "republican",
    "rev",
    "reverend",
    "secretary",
    "security",
    "sen",
    "senate",
    "senator",
    "sergeant",
    "sgt",
    "sheriff",
    "sir",
    "sister",
    "special",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "state",
    "superintendent",
    "supt",
    "the",
    "then",
    "top",
    "treasurer",
    "treasury",
    "u.k",
    "u.n",
    "u.s",
    "uk",
    "un",
    "us",
    "vice",
    "vice-president",
];

/// Nationality adjectives that may precede a title ("Russian President ...").
pub(crate) const NATIONALITIES: &[&str] = &[
    "afghan",
    "african",
    "albanian",
    "algerian",
    "american",
    "argentine",
    "argentinian",
    "armenian",
    "australian",
    "austrian",
    "azerbaijani",
    "belarusian",
    "belgian",
    "bolivian",
    "bosnian",
    "brazilian",
    "british",
    "bulgarian",
    "burmese",
    "cambodian",
    "canadian",
    "chilean",
    "chinese",
    "colombian",
    "croatian",
    "cuban",
    "czech",
    "danish",
    "dutch",
    "ecuadorian",
    "egyptian",
    "emirati",
    "english",
    "estonian",
    "ethiopian",
    "european",
    "filipino",
    "finnish",
    "french",
    "georgian",
    "german",
    "ghanaian",
    "greek",
    "haitian",
    "hungarian",
    "icelandic",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "israeli",
    "italian",
    "japanese",
    "jordanian",
    "kazakh",
    "kenyan",
    "korean",
    "kurdish",
    "kuwaiti",
    "latvian",
    "lebanese",
    "libyan",
    "lithuanian",
    "malaysian",
    "mexican",
    "moldovan",
    "mongolian",
    "moroccan",
    "nigerian",
    "norwegian",
    "pakistani",
    "palestinian",
    "peruvian",
    "polish",
    "portuguese",
    "qatari",
    "romanian",
    "russian",
    "saudi",
    "scottish",
    "serbian",
    "singaporean",
    "slovak",
    "slovenian",
    "somali",
    "soviet",
    "spanish",
    "sudanese",
    "swedish",
    "swiss",
    "syrian",
    "taiwanese",
    "thai",
    "tunisian",
    "turkish",
    "ukrainian",
    "venezuelan",
    "vietnamese",
    "welsh",
    "yemeni",
    "zimbabwean",
];

/// Determiners and possessive pronouns dropped from the start of a name.
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "his", "her", "their", "our", "my"];

/// Role words that make an appositive a description ("Christopher Wray, the FBI director,").
pub(crate) const ROLE_NOUNS: &[&str] = &[
    "adviser",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "attorney",
    "candidate",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "commissioner",
    "congressman",
    "congresswoman",
    "counsel",
    "diplomat",
    "director",
    "envoy",
    "executive",
    "founder",
    "governor",
    "head",
    "judge",
    "lawmaker",
    "lawyer",
    "leader",
    "manager",
    "mayor",
    "minister",
    "nominee",
    "official",
    "premier",
    "president",
    "professor",
    "prosecutor",
    "representative",
    "secretary",
    "senator",
    "sheriff",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "strategist",
];

/// Why a speaker or entity name is no name an analyst can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameDefect {
    /// "he", "they", "I".
    Pronoun,
    /// A title alone: "Mr.", "Mrs.", "Sen.", "the senator".
    Title,
    /// A document or message, not its issuer: "a statement", "the emails", "the poll".
    NonAgent,
    /// A function word or a broken phrase: "There", "According", "During".
    FunctionWord,
}

/// Pronouns that may stand as a speaker phrase.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "it", "you", "who", "which", "him", "her", "them", "us", "me",
    "his", "hers", "their", "theirs", "our", "ours", "my", "mine", "its", "whom", "whose", "one",
    "someone", "somebody",
];

/// Documents, messages and other things that are issued or published, not persons: their
/// issuer is the speaker ("X said in a statement", "a statement from X").
pub(crate) const NON_AGENT_NOUNS: &[&str] = &[
    "statement",
    "statements",
    "email",
    "emails",
    "e-mail",
    "e-mails",
    "letter",
    "letters",
    "memo",
    "memos",
    "report",
    "reports",
    "tweet",
    "tweets",
    "post",
    "posts",
    "poll",
    "polls",
    "survey",
    "surveys",
    "study",
    "studies",
    "release",
    "ad",
    "ads",
    "advertisement",
    "spot",
    "video",
    "videos",
    "footage",
    "pitch",
    "piece",
    "article",
    "editorial",
    "op-ed",
    "column",
    "message",
    "messages",
    "note",
    "notes",
    "filing",
    "filings",
    "document",
    "documents",
    "records",
    "data",
    "figures",
    "transcript",
    "speech",
    "remarks",
    "comments",
    "interview",
    "conference",
    "book",
    "website",
    "page",
    "blog",
    "broadcast",
    "episode",
    "show",
    "plan",
    "proposal",
    "bill",
    "law",
    "complaint",
    "lawsuit",
    "suit",
    "ruling",
    "order",
    "finding",
    "findings",
    "analysis",
    "review",
    "disclosure",
    "slide",
    "chart",
    "campaign ad",
];

/// Words that never name a speaker on their own.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "here's",
    "there's",
    "according",
    "during",
    "after",
    "before",
    "while",
    "when",
    "where",
    "if",
    "as",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "still",
    "no",
    "not",
    "calling",
    "saying",
    "asked",
    "said",
    "says",
    "also",
    "then",
    "now",
    "however",
    "meanwhile",
    "furthermore",
    "moreover",
    "indeed",
    "instead",
    "analysis",
    "partial",
    "update",
    "updated",
    "editor's",
    "opinion",
    "related",
    "advertisement",
    "watch",
    "read",
    "more",
    "high",
    "low",
    "breaking",
    "exclusive",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "of",
    "to",
    "about",
    "over",
    "under",
    "into",
    "past",
    "longer",
    "last",
    "first",
    "next",
    "other",
    "others",
    "all",
    "some",
    "both",
];

/// Whether the name is one honorific or title alone, which is never a surname: "Mr.",
/// "Sen.", "President", "Former" (unlike "King" or "Judge", which may be names).
pub fn is_honorific(name: &str) -> bool {
    let name = name.trim();
    if name.contains(' ') {
        return false;
    }
    let w = norm_word(name);
    (name.ends_with('.') && TITLE_WORDS.contains(&w.as_str())) || HONORIFICS.contains(&w.as_str())
}

/// Titles and party adjectives that are never a name on their own.
#[rustfmt::skip]
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "messrs", "dr", "sen", "rep", "gov", "gen", "del", "lt", "col",
    "capt", "sgt", "prof", "rev", "adm", "maj", "det", "sir", "madam", "president", "senator",
    "secretary", "governor", "former", "attorney", "minister", "chairman", "chairwoman",
    "congressman", "congresswoman", "spokesman", "spokeswoman", "republican", "democratic",
];

/// The defect of a speaker or entity name, if it has one: a pronoun, a bare title, a
/// document or message (`unnamed` speakers only: an entity "Statement Co." is fine), a
/// function word. `None` for a usable name ("Vladimir Putin", "a source", "officials").
pub fn name_defect(name: &str, unnamed: bool) -> Option<NameDefect> {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .to_lowercase()
                .replace('’', "'")
        })
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return Some(NameDefect::FunctionWord);
    };
    if words.len() == 1 && PRONOUNS.contains(&first.as_str()) {
        return Some(NameDefect::Pronoun);
    }
    // Titles alone, with at most a determiner: "Mr.", "the senator", "Sen."
    let rest: Vec<&String> = words
        .iter()
        .skip_while(|w| DETERMINERS.contains(&w.as_str()))
        .collect();
    // Place abbreviations ("U.N.", "U.S.") are titles only with a role word: "U.S. senator".
    let role = rest
        .iter()
        .any(|w| !w.contains('.') && !matches!(w.as_str(), "un" | "us" | "uk"));
    if !rest.is_empty()
        && rest.len() <= 2
        && role
        && rest.iter().all(|w| TITLE_WORDS.contains(&w.as_str()))
    {
        // "Mr.", "the senator"; "a senator" and "his lawyer" are unnamed sources. An entity's
        // name is a title only when it is one honorific or role word ("Mr.", "President",
        // "Republican"), not an institution ("Senate", "House").
        let institution = words.len() == 1
            && matches!(
                first.as_str(),
                "senate"
                    | "house"
                    | "congress"
                    | "press"
                    | "security"
                    | "national"
                    | "labor"
                    | "labour"
                    | "homeland"
                    | "interior"
                    | "defense"
                    | "defence"
                    | "finance"
                    | "health"
                    | "justice"
                    | "first"
            );
        let bare = matches!(first.as_str(), "the") || words.len() == rest.len();
        if bare && (unnamed || !institution) {
            return Some(NameDefect::Title);
        }
    }
    if words.len() == 1 && FUNCTION_WORDS.contains(&first.as_str()) {
        return Some(NameDefect::FunctionWord);
    }
    if unnamed {
        // The head: the last word before a prepositional complement.
        let cut = words
            .iter()
            .position(|w| {
                matches!(
                    w.as_str(),
                    "of" | "from" | "to" | "by" | "in" | "on" | "at" | "for" | "with"
                )
            })
            .unwrap_or(words.len());
        if let Some(head) = words[..cut].last() {
            if NON_AGENT_NOUNS.contains(&head.as_str()) {
                return Some(NameDefect::NonAgent);
            }
        }
        if FUNCTION_WORDS.contains(&first.as_str()) && words.len() == 1 {
            return Some(NameDefect::FunctionWord);
        }
    }
    None
}

fn norm_word(w: &str) -> String {
    w.trim_end_matches('.').to_lowercase()
}

pub(crate) fn is_title_word(w: &str) -> bool {
    let n = norm_word(w);
    TITLE_WORDS.contains(&n.as_str()) || NATIONALITIES.contains(&n.as_str())
}

fn is_determiner(w: &str) -> bool {
    DETERMINERS.contains(&w.to_lowercase().as_str())
}

/// Words of `text[span]` with their byte spans (split at white space).
fn words(text: &str, span: Span) -> Vec<(usize, usize)> {
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((span.start + st, span.start + i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((span.start + st, span.end));
    }
    out
}

/// Length in bytes of a possessive ending ("'s", "’s", or a lone apostrophe after s) of `s`.
pub(crate) fn possessive_len(s: &str) -> usize {
    for suf in ["'s", "’s", "'S", "’S"] {
        if s.len() > suf.len() && s.ends_with(suf) {
            return suf.len();
        }
    }
    for suf in ["s'", "s’"] {
        if s.len() > suf.len() && s.ends_with(suf) {
            return suf.len() - 1;
        }
    }
    0
}

/// A mention reduced to its proper name: the span without determiner, title or possessive.
#[derive(Debug, Clone)]
struct Normalized {
    span: Span,
    /// Name words, as written.
    words: Vec<String>,
    /// Title words found before the name (inside the mention or just before it), lowercased.
    title: Option<String>,
}

fn normalize(text: &str, m: &Mention) -> Normalized {
    let mut ws = words(text, m.span);
    // Possessive / trailing punctuation on the last word.
    if let Some(last) = ws.last_mut() {
        let mut w = &text[last.0..last.1];
        let trimmed = w.trim_end_matches([',', ';', ':', ')', '"', '”']);
        last.1 -= w.len() - trimmed.len();
        w = &text[last.0..last.1];
        let p = possessive_len(w);
        if p > 0 && w.len() > p {
            last.1 -= p;
        }
    }
    ws.retain(|(a, b)| b > a);
    // Leading punctuation is no part of a name: the tagger may take the period of "Mr." or an
    // opening quote mark with the name (". Clarke", "“Clarke").
    while ws.len() > 1 && !text[ws[0].0..ws[0].1].chars().any(char::is_alphanumeric) {
        ws.remove(0);
    }
    if let Some(w) = ws.first_mut() {
        let lead = text[w.0..w.1]
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(0);
        w.0 += lead;
    }
    let mut first = 0;
    while first + 1 < ws.len() && is_determiner(&text[ws[first].0..ws[first].1]) {
        first += 1;
    }
    let mut title_words: Vec<String> = Vec::new();
    if m.etype == EntityType::PER {
        // Longest prefix of title words that leaves a capitalised name.
        let mut k = first;
        while k + 1 < ws.len() && is_title_word(&text[ws[k].0..ws[k].1]) {
            k += 1;
        }
        // A title after capitalised modifiers that are not title words themselves
        // ("Varnian Trade Minister Lukas Petrov", "Senate Majority Leader Ann Fox"): up to the
        // last title word, when a name remains.
        if k == first {
            let capitalised = |i: usize| {
                text[ws[i].0..ws[i].1]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            };
            if let Some(t) = (first + 1..ws.len().saturating_sub(1))
                .rev()
                .find(|&t| is_title_word(&text[ws[t].0..ws[t].1]))
            {
                if (first..ws.len()).all(capitalised) {
                    k = t + 1;
                }
            }
        }
        while k > first {
            let w = &text[ws[k].0..ws[k].1];
            if w.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            k -= 1;
        }
        for &(a, b) in &ws[first..k] {
            if !is_determiner(&text[a..b]) {
                title_words.push(text[a..b].to_lowercase());
            }
        }
        first = k;
    }
    let ws = &ws[first..];
    let span = match (ws.first(), ws.last()) {
        (Some(f), Some(l)) => Span::new(f.0, l.1),
        _ => m.span,
    };
    // Title words written just before the mention ("Russian President" + "Vladimir Putin",
    // "Russian" + "President Vladimir Putin").
    if m.etype == EntityType::PER {
        let before = &text[..m.span.start];
        // Only within the paragraph.
        let before = before.rsplit('\n').next().unwrap_or("");
        let mut prev: Vec<&str> = Vec::new();
        if before.ends_with(' ') {
            for w in before.trim_end_matches(' ').rsplit(' ').take(5) {
                let bare = w.trim_end_matches('.');
                let ok = is_title_word(w)
                    || (bare.len() >= 2
                        && bare.len() <= 5
                        && bare.chars().all(|c| c.is_ascii_uppercase() || c == '.'));
                if !ok || w.is_empty() || w.contains('\n') {
                    break;
                }
                prev.push(w);
            }
        }
        while prev.last().is_some_and(|w| is_determiner(w)) {
            prev.pop();
        }
        prev.reverse();
        let has_title = !title_words.is_empty()
            || prev.iter().any(|w| {
                let n = norm_word(w);
                TITLE_WORDS.contains(&n.as_str())
                    && !matches!(n.as_str(), "the" | "of" | "former" | "late" | "then")
            });
        if has_title && !prev.is_empty() {
            let mut all: Vec<String> = prev.iter().map(|w| w.to_lowercase()).collect();
            all.append(&mut title_words);
            title_words = all;
        }
    }
    Normalized {
        span,
        words: ws.iter().map(|&(a, b)| text[a..b].to_string()).collect(),
        title: if title_words.is_empty() {
            None
        } else {
            Some(title_words.join(" "))
        },
    }
}

/// The matching key of a name: lowercased words, middle initials dropped.
fn name_key(words: &[String]) -> String {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let is_initial = w.trim_end_matches('.').chars().count() == 1 && w.ends_with('.');
            !(is_initial && *i > 0 && *i + 1 < n)
        })
        .map(|(_, w)| w.to_lowercase().replace('’', "'"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An appositive description after a person mention: "Wray, the FBI director," → "fbi director".
fn appositive(text: &str, end: usize) -> Option<String> {
    let rest = &text[end..];
    let rest = rest.strip_prefix(", ")?;
    let stop = rest
        .find([',', '.', ';', '"', '“', '”', '\n', '('])
        .unwrap_or(rest.len());
    let phrase = &rest[..stop];
    let ws: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    if ws.len() < 2 || ws.len() > 8 {
        return None;
    }
    let det = ws[0].to_lowercase();
    if !matches!(
        det.as_str(),
        "the" | "a" | "an" | "his" | "her" | "its" | "their"
    ) && possessive_len(ws[0]) == 0
    {
        return None;
    }
    // The role noun is the head, before any "of"/"for" complement.
    let head_end = ws
        .iter()
        .position(|w| matches!(*w, "of" | "for" | "at" | "in" | "to" | "with"))
        .unwrap_or(ws.len());
    let head = ws[..head_end].last()?.to_lowercase();
    if !ROLE_NOUNS.contains(&head.as_str()) {
        return None;
    }
    let start = if possessive_len(ws[0]) > 0 { 0 } else { 1 };
    Some(ws[start..].join(" ").to_lowercase())
}

/// Merges the mentions of one document into entities, in order of first mention.
///
/// Mention spans are narrowed to the proper name (no determiner, title or possessive), so
/// `Russian President Vladimir Putin's` keeps the span of `Vladimir Putin`.
pub fn merge(text: &str, mentions: &[Mention]) -> Vec<Entity> {
    let mut ms: Vec<Mention> = mentions.to_vec();
    ms.sort_by_key(|m| (m.span.start, m.span.end));
    ms.dedup_by_key(|m| m.span);
    extend_initials(text, &mut ms);
    let norms: Vec<Normalized> = ms.iter().map(|m| normalize(text, m)).collect();
    let keys: Vec<String> = norms.iter().map(|n| name_key(&n.words)).collect();

    // One type per name: majority vote, PER wins ties when the name has a first+last form.
    let mut votes: HashMap<&str, [f32; 4]> = HashMap::new();
    for (m, k) in ms.iter().zip(&keys) {
        votes.entry(k.as_str()).or_default()[m.etype as usize] += 1.0;
    }
    let full_last: Vec<&str> = keys
        .iter()
        .filter(|k| k.contains(' '))
        .filter_map(|k| k.rsplit(' ').next())
        .collect();
    let name_type = |k: &str| -> EntityType {
        let v = votes[k];
        let best = v.iter().cloned().fold(0.0f32, f32::max);
        let per_tie = v[0] == best && (k.contains(' ') || full_last.contains(&k));
        if per_tie {
            return EntityType::PER;
        }
        let i = v.iter().position(|&x| x == best).unwrap_or(0);
        [
            EntityType::PER,
            EntityType::ORG,
            EntityType::LOC,
            EntityType::MISC,
        ][i]
    };

    // Entities under construction: key of the full name -> index.
    let mut ents: Vec<Entity> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Last mention position of each entity, for "most recent full name".
    let mut last_seen: Vec<usize> = Vec::new();
    // Acronyms of multi-word organisations ("Federal Bureau of Investigation" → "fbi").
    let mut acronyms: HashMap<String, usize> = HashMap::new();

    for (i, m) in ms.iter().enumerate() {
        let key = &keys[i];
        if key.is_empty() {
            continue;
        }
        // Never an entity named by a pronoun, a function word ("He", "The", "Analysis" at the
        // start of a line) or, for a person or organisation, a title alone ("Mr.").
        match name_defect(&norms[i].words.join(" "), false) {
            Some(NameDefect::Pronoun | NameDefect::FunctionWord) => continue,
            Some(NameDefect::Title)
                if matches!(m.etype, EntityType::PER | EntityType::ORG)
                    && is_honorific(&norms[i].words.join(" ")) =>
            {
                continue
            }
            _ => {}
        }
        let etype = name_type(key);
        let single = !key.contains(' ');
        let mut target: Option<usize> = by_key.get(key).copied();
        // A surname tagged ORG/MISC ("Navalny" after "Alexei Navalny") still joins a person;
        // a place name ("Washington") does not.
        let surname_like = etype == EntityType::PER
            || (etype != EntityType::LOC && full_last.contains(&key.as_str()));
        if single && target.is_none() && surname_like {
            // Surname: the most recent full name ending with it, else the first later one.
            target = ents
                .iter()
                .enumerate()
                .filter(|(_, e)| e.etype == EntityType::PER && name_key_last(&e.name) == *key)
                .max_by_key(|(j, _)| last_seen[*j])
                .map(|(j, _)| j);
            if target.is_none() {
                let later = keys.iter().enumerate().skip(i + 1).find(|(j, k)| {
                    k.contains(' ')
                        && k.rsplit(' ').next() == Some(key.as_str())
                        && name_type(k) == EntityType::PER
                        && ms[*j].etype == EntityType::PER
                });
                if let Some((_, k)) = later {
                    target = by_key.get(k).copied();
                    if target.is_none() {
                        // Create the full-name entity now; its mentions will join it.
                        let idx = ents.len();
                        ents.push(Entity {
                            index: idx,
                            etype: EntityType::PER,
                            name: String::new(),
                            mentions: vec![],
                            descriptions: vec![],
                        });
                        last_seen.push(i);
                        by_key.insert(k.clone(), idx);
                        target = Some(idx);
                    }
                }
            }
        }
        if single && target.is_none() && etype == EntityType::ORG {
            target = acronyms.get(key).copied();
        }
        let idx = match target {
            Some(t) => t,
            None => {
                let idx = ents.len();
                ents.push(Entity {
                    index: idx,
                    etype,
                    name: String::new(),
                    mentions: vec![],
                    descriptions: vec![],
                });
                last_seen.push(i);
                by_key.insert(key.clone(), idx);
                idx
            }
        };
        if etype == EntityType::ORG && !single {
            let acro: String = norms[i]
                .words
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .filter_map(|w| w.chars().next())
                .collect::<String>()
                .to_lowercase();
            if acro.chars().count() >= 2 {
                acronyms.entry(acro).or_insert(idx);
            }
        }
        last_seen[idx] = i;
        let name = norms[i].words.join(" ");
        let e = &mut ents[idx];
        if e.name.is_empty() || better_name(&name, &e.name) {
            e.name = name;
        }
        e.mentions.push(Mention {
            span: norms[i].span,
            etype: m.etype,
            score: m.score,
        });
        if let Some(t) = &norms[i].title {
            if !e.descriptions.contains(t) {
                e.descriptions.push(t.clone());
            }
        }
        if m.etype == EntityType::PER || etype == EntityType::PER {
            if let Some(d) = appositive(text, m.span.end) {
                if !e.descriptions.contains(&d) {
                    e.descriptions.push(d);
                }
            }
        }
    }

    // Final types: majority over all mentions of the entity, PER on ties with a full name.
    for e in &mut ents {
        let mut v = [0f32; 4];
        for m in &e.mentions {
            v[m.etype as usize] += m.score.max(0.01);
        }
        let best = v.iter().cloned().fold(0.0f32, f32::max);
        if best > 0.0 {
            e.etype = if v[0] == best && e.name.contains(' ') {
                EntityType::PER
            } else {
                let i = v.iter().position(|&x| x == best).unwrap_or(0);
                [
                    EntityType::PER,
                    EntityType::ORG,
                    EntityType::LOC,
                    EntityType::MISC,
                ][i]
            };
        }
        e.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    }
    ents.retain(|e| !e.mentions.is_empty());
    ents.sort_by_key(|e| e.mentions[0].span.start);
    for (i, e) in ents.iter_mut().enumerate() {
        e.index = i;
    }
    ents
}

/// A person mention that starts with an initial ("D. Ryan") takes the capitalised first name
/// just before it ("Paul" in "House Speaker Paul D. Ryan"), which the tagger left out or made
/// a mention of its own, when that word is no title or determiner and no part of another
/// kind of mention.
fn extend_initials(text: &str, ms: &mut Vec<Mention>) {
    let mut gone = vec![false; ms.len()];
    for i in 0..ms.len() {
        let m = &ms[i];
        if m.etype != EntityType::PER {
            continue;
        }
        let s = m.span.slice(text);
        let is_init = |w: &str| {
            let bare = w.trim_end_matches('.');
            w.ends_with('.') && bare.chars().count() == 1 && bare.chars().all(char::is_uppercase)
        };
        let mut start0 = m.span.start;
        match s.split_once(' ') {
            Some((first, _)) if is_init(first) => {}
            _ => {
                // "Ryan" after an initial the tagger left out ("Paul D. Ryan" as "Paul" and
                // "Ryan"): the initial joins the name, and the first name below.
                let before = &text[..m.span.start];
                let Some(rest) = before.strip_suffix(' ') else {
                    continue;
                };
                let k = rest.rfind(char::is_whitespace).map_or(0, |k| k + 1);
                if !is_init(&rest[k..]) || k == 0 {
                    continue;
                }
                start0 = k;
            }
        }
        let before = &text[..start0];
        let Some(rest) = before.strip_suffix(' ') else {
            continue;
        };
        let start = rest.rfind(char::is_whitespace).map_or(0, |k| {
            k + rest[k..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &rest[start..];
        let prev = (i > 0 && ms[i - 1].span.end > start).then(|| i - 1);
        let ok = word.len() >= 2
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
            && !is_title_word(word)
            && !is_determiner(word)
            && name_defect(word, false).is_none()
            && prev.is_none_or(|p| {
                ms[p].etype == EntityType::PER && ms[p].span == Span::new(start, rest.len())
            });
        if ok {
            if let Some(p) = prev {
                gone[p] = true;
            }
            ms[i].span = Span::new(start, ms[i].span.end);
        }
    }
    let mut k = 0;
    ms.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

fn name_key_last(name: &str) -> String {
    let ws: Vec<String> = name.split(' ').map(str::to_string).collect();
    if ws.len() < 2 {
        return String::new();
    }
    name_key(&ws).rsplit(' ').next().unwrap_or("").to_string()
}

/// Whether `a` is a better canonical name than `b`: more words, then longer.
fn better_name(a: &str, b: &str) -> bool {
    let (wa, wb) = (a.split(' ').count(), b.split(' ').count());
    wa > wb || (wa == wb && a.len() > b.len())
}

#[cfg(test)]
mod tests {
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
        let text =
            "Varnian Trade Minister Lukas Petrov spoke. Petrov left. Lukas Petrov came back.";
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
    fn appositive_description() {
        let text = "Christopher Wray, the FBI director, said nothing.";
        let ms = vec![mention(text, "Christopher Wray", 0, EntityType::PER)];
        let es = merge(text, &ms);
        assert_eq!(es[0].descriptions, vec!["fbi director".to_string()]);
    }
}
