//! One person, one name: the identity of speakers and entities over a batch.
//!
//! Every entity and every quote's speaker gets an [`Ident`]: a **kind** ([`Kind`]: person,
//! organisation, group, unnamed, document; place for an entity tagged LOC), a **display name** and an **id**,
//! `kind:slug-of-the-display-name` (`person:donald-trump`, `group:republicans`). The id is
//! derived from the display name and the kind only, never from the order documents were
//! processed in, so the same person gets the same id in every run and every batch that
//! knows the same names.
//!
//! **Within a document** ([`doc_identity`]): a person's display name drops middle initials
//! ("Donald J. Trump" = "Donald Trump") and shouts no more ("WALLACE" → "Wallace"); a lone
//! surname, an all-caps transcript label or an initial and surname ("D. Ryan") joins the one
//! full name of the document it fits ("Chris Wallace", "Paul D. Ryan"); a lone word of an
//! organisation joins the one longer organisation name of the document ending with it
//! ("Post" → "New York Post" when the article names no other Post); a bare group noun joins
//! the one longer group of the document with that head ("lawmakers" → "many lawmakers").
//! Two candidates are ambiguity: the name stays as written.
//!
//! **Across the batch** ([`batch_identity`]): an entity's kind is decided by the votes of all
//! its mentions in the batch (a person tagged ORG in a few articles is still a person); a lone
//! surname with no full name in its own document joins a full name of another document only
//! on evidence: titles or roles that agree ("President Obama" and "President Barack Obama"),
//! or with no role an honorific that agrees ("Mr. Trump" and the "Mr." Donald Trump, never
//! the "Ms." Ivanka Trump), and only when one full name has that evidence clearly more often
//! than any other (at least twice, three times as often as the next).
//! A shared word alone never joins two names: "Post" of one article and "Washington Post" of
//! another stay two, and a bare "Trump" stays "Trump" when the batch has Donald, Ivanka and
//! Melania Trump.
//!
//! `extract` writes each document's own identity (it streams, and sees one document at a
//! time); `export`, `report` and `who` apply [`batch_identity`] to the whole batch, so their
//! counts agree with each other.
//!
//! **Word tables** (one place each): titles in [`crate::entities`] (`TITLE_WORDS`), document
//! nouns in [`crate::entities::NON_AGENT_NOUNS`], group nouns in [`GROUP_NOUNS`],
//! organisation nouns of unnamed speakers in [`ORG_NOUNS`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::entities::{entity_key, is_honorific, name_defect, NameDefect, NATIONALITIES};
use crate::output::{DocOutput, EntityOut, QuoteOut};

/// What kind of speaker or entity a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A named person.
    Person,
    /// A named organisation (a company, a newspaper, a government speaking as one).
    Organisation,
    /// A group of people: "Republicans", "police", "experts", "voters".
    Group,
    /// An unnamed source: "a source", "officials", "a spokeswoman".
    Unnamed,
    /// A document or message: "a report", "the poll", "the emails".
    Document,
    /// A place (an entity tagged LOC); as a speaker, a country or city speaking through its
    /// government ("Turkey said").
    Place,
}

impl Kind {
    /// All kinds, in the order the report and `who` show them.
    pub const ALL: [Kind; 6] = [
        Kind::Person,
        Kind::Organisation,
        Kind::Place,
        Kind::Group,
        Kind::Unnamed,
        Kind::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Group => "group",
            Kind::Unnamed => "unnamed",
            Kind::Document => "document",
            Kind::Place => "place",
        }
    }

    /// The place of the kind in [`Kind::ALL`].
    pub fn rank(self) -> usize {
        Kind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A heading for a list of speakers of this kind.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Person => "People",
            Kind::Organisation => "Organisations",
            Kind::Group => "Groups",
            Kind::Unnamed => "Unnamed sources",
            Kind::Document => "Documents",
            Kind::Place => "Places",
        }
    }
}

/// Nouns (lowercase) that name a group of people, not one person or a source: a speaker
/// headed by one is of kind [`Kind::Group`]. Plural nationalities ("Russians") count too.
#[rustfmt::skip]
pub const GROUP_NOUNS: &[&str] = &[
    "republicans", "democrats", "conservatives", "liberals", "progressives", "independents",
    "police", "experts", "analysts", "economists", "scientists", "researchers", "critics",
    "supporters", "opponents", "voters", "residents", "citizens", "people", "protesters",
    "demonstrators", "activists", "lawmakers", "legislators", "senators", "leaders", "members",
    "workers", "employees", "students", "teachers", "doctors", "nurses", "parents", "families",
    "americans", "women", "men", "veterans", "immigrants", "farmers", "investors",
    "historians", "scholars", "observers", "advocates", "environmentalists", "delegates",
    "donors", "evangelicals", "witnesses", "prosecutors", "investigators", "officers",
    "firefighters", "troops", "soldiers", "rebels", "militants", "fans", "viewers", "readers",
    "respondents", "participants", "pollsters", "strategists", "insiders", "operatives",
    "organizers", "organisers", "campaigners", "unions", "feminists", "millennials", "others",
    "everyone", "many", "both", "all", "some", "few", "most",
];

/// Nouns (lowercase) that make an unnamed speaker an organisation ("the campaign", "the
/// company", "the agency").
#[rustfmt::skip]
pub const ORG_NOUNS: &[&str] = &[
    "campaign", "administration", "government", "ministry", "department", "agency",
    "committee", "company", "firm", "court", "panel", "office", "team", "organization",
    "organisation", "newspaper", "paper", "network", "party", "union", "group", "council",
    "commission", "bureau", "board", "white house", "kremlin", "pentagon", "university",
    "institute", "foundation", "bank", "fund", "association", "coalition",
];

/// Whether a lowercase word is a noun that can head a speaker phrase: a group, an
/// organisation, a role, a source or a document noun.
pub fn is_speaker_noun(w: &str) -> bool {
    let sing = w.strip_suffix('s').unwrap_or(w);
    is_group_word(w)
        || ORG_NOUNS.contains(&w)
        || crate::entities::NON_AGENT_NOUNS.contains(&w)
        || crate::entities::ROLE_NOUNS.contains(&w)
        || crate::entities::ROLE_NOUNS.contains(&sing)
        || SOURCE_NOUNS.contains(&w)
        || SOURCE_NOUNS.contains(&sing)
}

/// Nouns of unnamed sources that are no group, role or organisation noun above.
#[rustfmt::skip]
const SOURCE_NOUNS: &[&str] = &[
    "source", "official", "aide", "ally", "allies", "insider", "person", "man", "woman",
    "people", "friend", "colleague", "neighbor", "neighbour", "relative", "resident", "witness",
    "voter", "member", "expert", "critic", "supporter", "observer", "authorities", "staffer",
    "respondent", "republican", "democrat", "businessman", "businesswoman", "official",
];

/// Words dropped from the start of a group or unnamed speaker's display name (determiners
/// and quantifiers: "the campaign", "many lawmakers", "another source").
#[rustfmt::skip]
const LEADERS: &[&str] = &[
    "the", "a", "an", "many", "some", "several", "most", "other", "another", "few", "both",
    "all", "how",
];

/// Nouns that head a phrase only as a measure of what follows "of" ("a group of researchers").
#[rustfmt::skip]
const MEASURE_NOUNS: &[&str] = &[
    "group", "team", "panel", "number", "couple", "handful", "majority", "lot", "bunch",
    "dozen", "dozens", "hundreds", "thousands", "millions", "share", "percentage", "most",
    "many", "some", "all", "few", "several", "half", "none", "one", "two", "three",
];

/// A speaker's or entity's identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident {
    /// `kind:slug`: `person:donald-trump`.
    pub id: String,
    pub kind: Kind,
    /// The name to show: "Donald Trump", "police".
    pub name: String,
}

impl Ident {
    /// The identity of `name` of kind `kind`; `None` when the name has no letter or digit.
    pub fn new(kind: Kind, name: &str) -> Option<Ident> {
        let slug = slug(name, kind);
        (!slug.is_empty()).then(|| Ident {
            id: format!("{}:{slug}", kind.as_str()),
            kind,
            name: name.to_string(),
        })
    }
}

/// The slug of a name: lowercase words joined by `-`, punctuation dropped, a person's middle
/// initials dropped.
pub fn slug(name: &str, kind: Kind) -> String {
    let words: Vec<String> = entity_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let n = words.len();
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| !(kind == Kind::Person && *i > 0 && *i + 1 < n && w.chars().count() == 1))
        .map(|(_, w)| w.as_str())
        .collect::<Vec<_>>()
        .join("-")
}

/// Particles that start a surname of two or three words ("de Blasio", "van der Bellen").
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "van", "von", "di", "da", "du", "la", "le", "al", "el", "bin",
    "ibn", "st", "ter", "ten", "dos", "das",
];

/// Whether slug words are a surname with a particle ("de blasio").
fn is_particle_surname(words: &[&str]) -> bool {
    (2..=3).contains(&words.len()) && PARTICLES.contains(&words[0])
}

/// Whether a word is an initial: one letter and a period ("J.").
fn is_initial(w: &str) -> bool {
    let b = w.trim_end_matches('.');
    b.chars().count() == 1 && b.chars().all(char::is_alphabetic) && w.ends_with('.')
}

/// Whether a word is written all in capitals (at least two letters).
fn shouted(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic() && c != '\'' && c != '’';
    }
    out
}

/// The display name of a person: middle initials dropped, all-caps words (a transcript label,
/// a headline) in title case, leading punctuation gone.
pub fn person_name(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .map(|w| w.trim_start_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let n = words.len();
    let all_caps = words.iter().all(|w| shouted(w) || is_initial(w));
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| !(*i > 0 && *i + 1 < n && is_initial(w)))
        .map(|(_, w)| {
            // "DeSantis" and "McCain" keep their case; only a name in capitals is changed.
            if all_caps && shouted(w) {
                title_case(w)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_group_word(w: &str) -> bool {
    GROUP_NOUNS.contains(&w)
        || w.strip_suffix('s')
            .is_some_and(|s| NATIONALITIES.contains(&s) && s.ends_with('n'))
}

/// Words of a name in lowercase, without punctuation around them.
fn lower_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The head of a phrase: its last word before a prepositional complement.
fn head(words: &[String]) -> Option<&String> {
    // "a group of researchers": the head is what the measure counts.
    let skip = words
        .iter()
        .position(|w| w == "of")
        .filter(|&k| k > 0 && k + 1 < words.len() && MEASURE_NOUNS.contains(&words[k - 1].as_str()))
        .map_or(0, |k| k + 1);
    let words = &words[skip..];
    let cut = words
        .iter()
        .position(|w| {
            matches!(
                w.as_str(),
                "of" | "from" | "to" | "by" | "in" | "on" | "at" | "for" | "with" | "who" | "close"
            )
        })
        .unwrap_or(words.len());
    words[..cut].last()
}

/// The kind of an entity of type `etype` (`PER`, `ORG`, `LOC`, `MISC`) named `name`.
pub fn entity_kind(etype: &str, name: &str) -> Kind {
    let words = lower_words(name);
    let group = words.len() <= 3 && head(&words).is_some_and(|h| is_group_word(h));
    match etype {
        _ if group => Kind::Group,
        "PER" => Kind::Person,
        "LOC" => Kind::Place,
        _ => Kind::Organisation,
    }
}

/// The kind of a speaker with no entity ("a source", "police", "the campaign", "a report").
pub fn unnamed_kind(name: &str) -> Kind {
    let words = lower_words(name);
    let Some(h) = head(&words) else {
        return Kind::Unnamed;
    };
    if crate::entities::NON_AGENT_NOUNS.contains(&h.as_str()) {
        Kind::Document
    } else if is_group_word(h) {
        Kind::Group
    } else if ORG_NOUNS.contains(&h.as_str()) {
        Kind::Organisation
    } else {
        Kind::Unnamed
    }
}

/// The display name of a speaker with no entity: without leading determiners and quantifiers,
/// a common noun in lowercase ("Police" → "police", "Many lawmakers" → "lawmakers"), a group
/// named after a party or a nation as written ("Republicans").
pub fn unnamed_name(name: &str) -> String {
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let name = name.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 1 && LEADERS.contains(&bare(words[0]).as_str()) && words[1] != "of" {
        words.remove(0);
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    // A capital that only starts the sentence goes: "Police" → "police", "Foreign policy
    // analysts" → "foreign policy analysts"; a party, a nation or another capitalised word in
    // the phrase keeps it ("Republicans", "Democratic source", "Homeland Security official").
    let rest_lower = out
        .iter()
        .skip(1)
        .all(|w| !w.chars().any(char::is_uppercase));
    let single = out.len() == 1;
    if let Some(first) = out.first_mut() {
        let lw = first.to_lowercase();
        let proper = matches!(
            lw.as_str(),
            "republicans" | "democrats" | "republican" | "democratic" | "gop" | "americans"
        ) || NATIONALITIES.contains(&lw.as_str())
            || lw
                .strip_suffix('s')
                .is_some_and(|s| NATIONALITIES.contains(&s));
        // A common word we know: a speaker noun, a title or role word, a quantifier.
        let common = is_speaker_noun(&lw)
            || crate::entities::is_title_word(&lw)
            || MEASURE_NOUNS.contains(&lw.as_str())
            || matches!(lw.as_str(), "officials" | "sources" | "authorities");
        let capital_only = first.chars().skip(1).all(|c| !c.is_uppercase());
        let _ = single;
        if !proper && capital_only && rest_lower && common {
            *first = lw;
        }
    }
    out.join(" ")
}

/// The display name of an entity of kind `kind` named `name`.
pub fn entity_name(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Person => person_name(name),
        Kind::Group => unnamed_name(name),
        _ => name
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_string(),
    }
}

/// The identities of one document: of each entity (by output id, `E1`) and of each quote's
/// speaker (in quote order, `None` when the quote has no usable speaker).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocIdentity {
    pub entities: BTreeMap<String, Ident>,
    pub speakers: Vec<Option<Ident>>,
}

/// Whether a speaker name names nobody an analyst can count: a pronoun, a title alone, a
/// function word, a number.
pub fn unusable(name: &str, unnamed: bool) -> bool {
    let n = name.trim();
    n.is_empty()
        || !n.chars().next().is_some_and(char::is_alphanumeric)
        || n.chars().next().is_some_and(|c| c.is_ascii_digit())
        || n.to_lowercase().contains("percent")
        || is_honorific(n)
        || matches!(
            name_defect(n, unnamed),
            Some(NameDefect::Pronoun | NameDefect::Title | NameDefect::FunctionWord)
        )
}

/// An entity's own identity, before any joining: its kind from `etype`.
fn own_ident(e: &EntityOut, etype: &str) -> Option<Ident> {
    let kind = entity_kind(etype, &e.name);
    Ident::new(kind, &entity_name(kind, &e.name))
}

/// The words of a display name's slug.
fn slug_words(i: &Ident) -> Vec<&str> {
    i.id.split_once(':')
        .map_or("", |x| x.1)
        .split('-')
        .collect()
}

/// Within one document: each entity's identity joined to the one longer name it fits (see
/// the module docs); honorifics that disagree ("Mr." / "Ms.") rule a name out. `etype` gives the type to use for each entity (its own, or the batch's).
fn entity_idents(doc: &DocOutput, etype: &dyn Fn(&EntityOut) -> String) -> BTreeMap<String, Ident> {
    let own: Vec<(&EntityOut, Option<Ident>)> = doc
        .entities
        .iter()
        .map(|e| (e, own_ident(e, &etype(e))))
        .collect();
    let mut out = BTreeMap::new();
    for (e, ident) in &own {
        let Some(ident) = ident else { continue };
        let words = slug_words(ident);
        let mut joined = None;
        if matches!(ident.kind, Kind::Person | Kind::Organisation) {
            // The lone word, or an initial and a surname ("D. Ryan").
            let name_words: Vec<&str> = e.name.split_whitespace().collect();
            let initial = (name_words.len() == 2 && is_initial(name_words[0])).then(|| {
                name_words[0]
                    .chars()
                    .next()
                    .unwrap_or(' ')
                    .to_ascii_lowercase()
            });
            let particle = is_particle_surname(&words);
            // "Mr. Trump" is not the "Ms." Trump of the same article.
            let mine = honorific_gender(&e.titles);
            // One token of an organisation's name ("Sun-Times" of "Chicago Sun-Times").
            let token = ident.kind == Kind::Organisation && !e.name.trim().contains(' ');
            if words.len() == 1 || initial.is_some() || particle || token {
                let last = *words.last().unwrap_or(&"");
                let fits = |kind: Kind| -> BTreeSet<&Ident> {
                    own.iter()
                        .filter_map(|(f, fi)| fi.as_ref().map(|fi| (f, fi)))
                        .filter(|(_, fi)| fi.kind == kind && fi.id != ident.id)
                        .filter(|(f, fi)| {
                            let fw = slug_words(fi);
                            fw.len() >= 2
                                && fw.last() == Some(&last)
                                && fw.len() > words.len()
                                && (!(particle || token) || fw.ends_with(&words))
                                && !(mine.is_some()
                                    && honorific_gender(&f.titles).is_some_and(|g| Some(g) != mine))
                                && initial.is_none_or(|c| {
                                    f.name.split_whitespace().rev().skip(1).any(|w| {
                                        w.chars()
                                            .next()
                                            .is_some_and(|x| x.to_ascii_lowercase() == c)
                                    })
                                })
                        })
                        .map(|(_, fi)| fi)
                        .collect()
                };
                let mut found = fits(ident.kind);
                // "Mr. Edd" and an "Elward Edd" the tagger took for an organisation: the
                // honorific says both are a person.
                if found.is_empty() && ident.kind == Kind::Person && mine.is_some() {
                    found = fits(Kind::Organisation)
                        .into_iter()
                        .filter(|f| slug_words(f).len() <= 3)
                        .collect();
                }
                joined = one_of(&found).map(|f| match ident.kind {
                    Kind::Person => {
                        Ident::new(Kind::Person, &person_name(&f.name)).unwrap_or_else(|| f.clone())
                    }
                    _ => f.clone(),
                });
            }
        }
        out.insert(e.id.clone(), joined.unwrap_or_else(|| ident.clone()));
    }
    out
}

/// The one name of `fits`: the only one, or the shortest when each of the others ends with
/// it ("New York Times" of "International New York Times"); `None` when they are two
/// different names (ambiguity).
fn one_of<'a>(fits: &BTreeSet<&'a Ident>) -> Option<&'a Ident> {
    let shortest = fits
        .iter()
        .min_by_key(|f| (slug_words(f).len(), f.id.clone()))?;
    let sw = slug_words(shortest);
    fits.iter()
        .all(|f| slug_words(f).ends_with(&sw))
        .then_some(*shortest)
}

/// The identity of a quote's speaker given the document's entity identities.
fn speaker_ident(doc: &DocOutput, ents: &BTreeMap<String, Ident>, q: &QuoteOut) -> Option<Ident> {
    let s = q.speaker.as_ref()?;
    let ident = match &s.entity {
        // A one-word place or organisation that says something, in an article about a person
        // of that surname ("Israel said" beside "Rep. Steve Israel"): the person.
        Some(eid)
            if ents.get(eid).is_some_and(|i| {
                matches!(i.kind, Kind::Place | Kind::Organisation) && slug_words(i).len() == 1
            }) =>
        {
            let i = &ents[eid];
            let w = slug_words(i)[0];
            let people: BTreeSet<&Ident> = ents
                .values()
                .filter(|p| p.kind == Kind::Person)
                .filter(|p| {
                    let pw = slug_words(p);
                    pw.len() >= 2 && pw.last() == Some(&w)
                })
                .collect();
            one_of(&people).unwrap_or(i).clone()
        }
        Some(eid) => ents.get(eid).cloned().or_else(|| {
            let etype = doc
                .entities
                .iter()
                .find(|e| &e.id == eid)
                .map_or("PER", |e| e.etype.as_str());
            let kind = entity_kind(etype, &s.name);
            Ident::new(kind, &entity_name(kind, &s.name))
        })?,
        // The byline's author, who writes "I".
        None if s.resolved_by == "byline" => Ident::new(Kind::Person, &person_name(&s.name))?,
        // The unnamed writer ("author", "authors"), who writes "I" or "we": a role, not a
        // title left unresolved.
        None if s.resolved_by == "author" => return Ident::new(Kind::Unnamed, &s.name),
        None => {
            if unusable(&s.name, true) {
                return None;
            }
            let kind = unnamed_kind(&s.name);
            Ident::new(kind, &unnamed_name(&s.name))?
        }
    };
    (!unusable(&ident.name, s.entity.is_none())).then_some(ident)
}

/// Within one document: a bare noun that names no entity (a group, a source, "the
/// campaign") joins the one longer speaker of the document, other than a person, with that
/// last word ("voters" → "registered voters", "campaign" → "Donald Trump's campaign").
fn join_bare_groups(doc: &DocOutput, speakers: &mut [Option<Ident>]) {
    let all: BTreeSet<Ident> = speakers.iter().flatten().cloned().collect();
    for (q, s) in doc.quotes.iter().zip(speakers.iter_mut()) {
        let Some(s) = s else { continue };
        let bare = q.speaker.as_ref().is_some_and(|x| x.entity.is_none());
        if !bare || s.kind == Kind::Person || slug_words(s).len() != 1 {
            continue;
        }
        let w = slug_words(s)[0].to_string();
        let fits: Vec<&Ident> = all
            .iter()
            .filter(|o| o.kind != Kind::Person && o.id != s.id)
            .filter(|o| {
                let ow = slug_words(o);
                ow.len() >= 2 && ow.len() <= 5 && ow.last() == Some(&w.as_str())
            })
            .collect();
        let names: BTreeSet<&str> = fits.iter().map(|o| o.id.as_str()).collect();
        if names.len() == 1 {
            *s = fits[0].clone();
        }
    }
}

/// The identities of one document on its own (what `extract` writes).
pub fn doc_identity(doc: &DocOutput) -> DocIdentity {
    let entities = entity_idents(doc, &|e: &EntityOut| e.etype.clone());
    let mut speakers: Vec<Option<Ident>> = doc
        .quotes
        .iter()
        .map(|q| speaker_ident(doc, &entities, q))
        .collect();
    join_bare_groups(doc, &mut speakers);
    DocIdentity { entities, speakers }
}

/// The type with the most votes (ties: PER, ORG, LOC, MISC in that order).
pub fn voted(v: &BTreeMap<String, usize>) -> String {
    let rank = |t: &str| ["PER", "ORG", "LOC", "MISC"].iter().position(|x| *x == t);
    v.iter()
        .max_by_key(|(t, n)| (**n, std::cmp::Reverse(rank(t))))
        .map(|(t, _)| t.clone())
        .unwrap_or_default()
}

/// Title and role words that are evidence of who a surname is: not honorifics, determiners,
/// or words that any politician shares ("former", "the").
fn role_words(titles: &[String]) -> BTreeSet<String> {
    titles
        .iter()
        .flat_map(|t| lower_words(t))
        .map(|w| w.trim_end_matches('.').to_string())
        .filter(|w| {
            !matches!(
                w.as_str(),
                "mr" | "mrs"
                    | "ms"
                    | "miss"
                    | "dr"
                    | "the"
                    | "a"
                    | "former"
                    | "late"
                    | "then"
                    | "of"
                    | "his"
                    | "her"
                    | "u.s"
                    | "us"
                    | "american"
                    | "new"
            ) && w.len() > 1
        })
        .collect()
}

/// The gender an entity's honorifics give: `Some(true)` for "Mr.", `Some(false)` for "Mrs.",
/// "Ms.", "Miss", `None` for none or both.
fn honorific_gender(titles: &[String]) -> Option<bool> {
    let ws: BTreeSet<String> = titles
        .iter()
        .flat_map(|t| lower_words(t))
        .map(|w| w.trim_end_matches('.').to_string())
        .collect();
    let male = ws.contains("mr");
    let female = ws.contains("mrs") || ws.contains("ms") || ws.contains("miss");
    match (male, female) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// The identities of all documents of a batch (see the module docs): kinds by the batch's
/// votes, lone surnames joined on evidence, one display name per id.
pub fn batch_identity(docs: &[DocOutput]) -> Vec<DocIdentity> {
    // Type votes per person-slug over the batch (mentions per type, at least one per entity).
    let mut votes: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for d in docs {
        for e in &d.entities {
            let s = slug(&person_name(&e.name), Kind::Person);
            *votes
                .entry(s)
                .or_default()
                .entry(e.etype.clone())
                .or_default() += e.mentions.len().max(1);
        }
    }
    let batch_type = |e: &EntityOut| -> String {
        let s = slug(&person_name(&e.name), Kind::Person);
        votes.get(&s).map(voted).unwrap_or_else(|| e.etype.clone())
    };
    let mut ids: Vec<DocIdentity> = docs
        .iter()
        .map(|d| {
            let entities = entity_idents(d, &batch_type);
            DocIdentity {
                entities,
                speakers: vec![],
            }
        })
        .collect();

    // Titles of each person id over the batch (one list per entity), and which ids are
    // full names.
    let mut titles: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    let mut by_last: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (d, di) in docs.iter().zip(&ids) {
        for e in &d.entities {
            let Some(i) = di.entities.get(&e.id) else {
                continue;
            };
            if i.kind != Kind::Person {
                continue;
            }
            titles
                .entry(i.id.clone())
                .or_default()
                .push(e.titles.clone());
            let w = slug_words(i);
            if w.len() >= 2 {
                by_last
                    .entry(w.last().unwrap_or(&"").to_string())
                    .or_default()
                    .insert(i.id.clone());
            }
        }
    }
    let mut names: HashMap<String, Ident> = HashMap::new();
    for di in &ids {
        for i in di.entities.values() {
            names.entry(i.id.clone()).or_insert_with(|| i.clone());
        }
    }
    // A lone surname (no full name of its own document took it) joins the full name of the
    // batch that its roles point to: of the full names with that surname, the one whose
    // articles give it one of the surname's roles, clearly more often than any other's
    // (at least twice, and three times as often as the next), honorifics not disagreeing.
    for (d, di) in docs.iter().zip(ids.iter_mut()) {
        for e in &d.entities {
            let Some(i) = di.entities.get(&e.id).cloned() else {
                continue;
            };
            let w = slug_words(&i);
            if i.kind != Kind::Person || !(w.len() == 1 || is_particle_surname(&w)) {
                continue;
            }
            let Some(fulls) = by_last.get(*w.last().unwrap_or(&"")) else {
                continue;
            };
            let fulls: BTreeSet<&String> = fulls
                .iter()
                .filter(|f| {
                    let fw: Vec<&str> = f.split_once(':').map_or("", |x| x.1).split('-').collect();
                    fw.len() > w.len() && fw.ends_with(&w)
                })
                .collect();
            let mine = role_words(&e.titles);
            let gender = honorific_gender(&e.titles);
            if mine.is_empty() && gender.is_none() {
                continue;
            }
            let mut support: Vec<(usize, &String)> = fulls
                .into_iter()
                .map(|f| {
                    let lists = titles.get(f).map(Vec::as_slice).unwrap_or(&[]);
                    let (mut male, mut female) = (0, 0);
                    for t in lists {
                        match honorific_gender(t) {
                            Some(true) => male += 1,
                            Some(false) => female += 1,
                            None => {}
                        }
                    }
                    let theirs = (male != female).then_some(male > female);
                    let disagree = gender.is_some() && theirs.is_some() && gender != theirs;
                    // Roles that agree; with no role, an honorific that agrees ("Mr.").
                    let n = lists
                        .iter()
                        .filter(|t| {
                            if mine.is_empty() {
                                gender.is_some() && honorific_gender(t) == gender
                            } else {
                                !mine.is_disjoint(&role_words(t))
                            }
                        })
                        .count();
                    (if disagree { 0 } else { n }, f)
                })
                .collect();
            support.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let top = support.first().map_or(0, |s| s.0);
            let next = support.get(1).map_or(0, |s| s.0);
            if top >= 2 && top >= 3 * next {
                if let Some(full) = names.get(support[0].1) {
                    di.entities.insert(e.id.clone(), full.clone());
                }
            }
        }
    }
    join_short_forms(&mut ids, &names);
    // Speakers, with the batch's entity identities.
    for (d, di) in docs.iter().zip(ids.iter_mut()) {
        let mut speakers: Vec<Option<Ident>> = d
            .quotes
            .iter()
            .map(|q| speaker_ident(d, &di.entities, q))
            .collect();
        join_bare_groups(d, &mut speakers);
        di.speakers = speakers;
    }
    // One display name per id: the most frequent, then the longest, then the first in order.
    let mut shown: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for di in &ids {
        for i in di.entities.values().chain(di.speakers.iter().flatten()) {
            *shown
                .entry(i.id.clone())
                .or_default()
                .entry(i.name.clone())
                .or_default() += 1;
        }
    }
    let best: HashMap<String, String> = shown
        .into_iter()
        .map(|(id, names)| {
            let name = names
                .iter()
                .max_by_key(|(n, c)| (**c, n.len(), std::cmp::Reverse(*n)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            (id, name)
        })
        .collect();
    for di in &mut ids {
        for i in di
            .entities
            .values_mut()
            .chain(di.speakers.iter_mut().flatten())
        {
            if let Some(n) = best.get(&i.id) {
                i.name = n.clone();
            }
        }
    }
    ids
}

/// Short forms of first names and the full form they stand for ("Len Burman" is "Leonard
/// Burman"). Only forms of one full name are listed ("Pat" may be Patrick or Patricia).
#[rustfmt::skip]
const SHORT_FIRST_NAMES: &[(&str, &str)] = &[
    ("al", "albert"), ("alex", "alexander"), ("andy", "andrew"), ("ben", "benjamin"),
    ("bill", "william"), ("billy", "william"), ("bob", "robert"), ("bobby", "robert"),
    ("chuck", "charles"), ("charlie", "charles"), ("chris", "christopher"), ("dan", "daniel"),
    ("danny", "daniel"), ("dave", "david"), ("dick", "richard"), ("don", "donald"),
    ("ed", "edward"), ("eddie", "edward"), ("fred", "frederick"), ("greg", "gregory"),
    ("jim", "james"), ("jimmy", "james"), ("joe", "joseph"), ("jeff", "jeffrey"),
    ("jon", "jonathan"), ("ken", "kenneth"), ("larry", "lawrence"), ("len", "leonard"),
    ("lenny", "leonard"), ("liz", "elizabeth"), ("matt", "matthew"), ("mike", "michael"),
    ("nick", "nicholas"), ("phil", "philip"), ("rick", "richard"), ("rob", "robert"),
    ("ron", "ronald"), ("sam", "samuel"), ("steve", "steven"), ("tim", "timothy"),
    ("tom", "thomas"), ("tommy", "thomas"), ("tony", "anthony"), ("will", "william"),
];

/// A person id whose first name is a short form joins the one id of the batch with the full
/// form and the same other words ("person:len-burman" → "person:leonard-burman"), and ids
/// that share a short form's full form join each other only through such an id. Two ids with
/// different full forms stay two.
fn join_short_forms(ids: &mut [DocIdentity], names: &HashMap<String, Ident>) {
    let full_form = |w: &str| -> Option<&'static str> {
        SHORT_FIRST_NAMES
            .iter()
            .find(|(short, _)| *short == w)
            .map(|(_, full)| *full)
    };
    let mut target: HashMap<String, Ident> = HashMap::new();
    for (id, i) in names {
        if i.kind != Kind::Person {
            continue;
        }
        let w = slug_words(i);
        if w.len() < 2 {
            continue;
        }
        let Some(full) = full_form(w[0]) else {
            continue;
        };
        let want = format!("person:{full}-{}", w[1..].join("-"));
        if let Some(t) = names.get(&want) {
            target.insert(id.clone(), t.clone());
        }
    }
    for di in ids.iter_mut() {
        for i in di.entities.values_mut() {
            if let Some(t) = target.get(&i.id) {
                *i = t.clone();
            }
        }
    }
}

/// Writes identities into a document: each entity's `identity` and `display`, each speaker's
/// `id`, `kind` and `name` (the display name). A speaker that names nobody (a pronoun, a
/// number) keeps its words, with an empty id.
pub fn apply(doc: &mut DocOutput, ids: &DocIdentity) {
    for e in &mut doc.entities {
        if let Some(i) = ids.entities.get(&e.id) {
            e.identity = i.id.clone();
            e.display = i.name.clone();
        }
    }
    for (q, i) in doc.quotes.iter_mut().zip(&ids.speakers) {
        if let (Some(s), Some(i)) = (q.speaker.as_mut(), i) {
            s.id = i.id.clone();
            s.kind = i.kind.as_str().to_string();
            s.name = i.name.clone();
        }
    }
}

/// Applies [`doc_identity`] to one document (what `extract` writes).
pub fn assign(doc: &mut DocOutput) {
    let ids = doc_identity(doc);
    apply(doc, &ids);
}

/// Applies [`batch_identity`] to a batch (what `export`, `report` and `who` read).
pub fn assign_batch(docs: &mut [DocOutput]) {
    let ids = batch_identity(docs);
    for (d, i) in docs.iter_mut().zip(&ids) {
        apply(d, i);
    }
}
