//! The corpus view that `report` draws: speakers and entities counted by their batch-wide
//! identity ([`crate::identity::batch_identity`]), and quotes by day.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::identity::{self, DocIdentity, Ident, Kind};
use crate::output::DocOutput;

/// A speaker over the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerStat {
    /// Speaker id (`person:vladimir-putin`, `group:police`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// `person`, `organisation`, `group`, `unnamed` or `document`.
    pub kind: String,
    pub quotes: usize,
    pub direct: usize,
    pub partial: usize,
    pub indirect: usize,
    pub documents: usize,
}

/// An entity over the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityStat {
    pub key: String,
    pub name: String,
    pub etype: String,
    /// Documents mentioning it.
    pub documents: usize,
    pub mentions: usize,
    /// The canonical names it has across documents, most frequent first.
    pub names: Vec<String>,
}

/// The documents and quotes of one day (by the documents' `published` date).
#[derive(Debug, Clone, PartialEq)]
pub struct DayStat {
    /// `YYYY-MM-DD`, or empty for documents without a date.
    pub day: String,
    pub documents: usize,
    pub quotes: usize,
    /// The day's speakers, most quotes first: (display name, quotes).
    pub speakers: Vec<(String, usize)>,
}

/// The day of a `published` value: its `YYYY-MM-DD` start, `None` for anything else.
pub fn day_of(published: Option<&str>) -> Option<&str> {
    let p = published?.trim();
    let d = p.get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    ok.then_some(d)
}

/// Quotes by day, oldest first, documents without a date last. Empty when no document has a
/// date (the report then has no "by day" section).
pub fn days(docs: &[DocOutput], corpus: &Corpus) -> Vec<DayStat> {
    if docs
        .iter()
        .all(|d| day_of(d.meta.published.as_deref()).is_none())
    {
        return vec![];
    }
    let names: HashMap<&str, &str> = corpus
        .speakers
        .iter()
        .map(|s| (s.key.as_str(), s.name.as_str()))
        .collect();
    #[derive(Default)]
    struct Acc {
        documents: usize,
        quotes: usize,
        speakers: HashMap<String, usize>,
    }
    // Keyed (no date, day): dated days first, in order.
    let mut by_day: BTreeMap<(bool, String), Acc> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let day = day_of(d.meta.published.as_deref());
        let acc = by_day
            .entry((day.is_none(), day.unwrap_or("").to_string()))
            .or_default();
        acc.documents += 1;
        acc.quotes += d.quotes.len();
        for qi in 0..d.quotes.len() {
            if let Some(who) = quote_speaker(&corpus.ids[i], qi) {
                let shown = names
                    .get(who.id.as_str())
                    .map_or(who.name.clone(), |n| n.to_string());
                *acc.speakers.entry(shown).or_default() += 1;
            }
        }
    }
    by_day
        .into_iter()
        .map(|((_, day), a)| {
            let (documents, quotes) = (a.documents, a.quotes);
            let mut speakers: Vec<(String, usize)> = a.speakers.into_iter().collect();
            speakers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            DayStat {
                day,
                documents,
                quotes,
                speakers,
            }
        })
        .collect()
}

/// The corpus view: rankings, and each document's identities.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Speakers: people first, then organisations, groups, unnamed sources and documents;
    /// within a kind, most quotes first.
    pub speakers: Vec<SpeakerStat>,
    /// Entities, most documents first.
    pub entities: Vec<EntityStat>,
    /// For each document: its entities' and speakers' identities ([`identity::batch_identity`]).
    pub ids: Vec<DocIdentity>,
}

/// The speaker of quote `qi` of a document as (speaker id, display name), `None` when it has
/// none an analyst can count.
pub(crate) fn quote_speaker(ids: &DocIdentity, qi: usize) -> Option<&Ident> {
    ids.speakers.get(qi)?.as_ref()
}

/// Builds the corpus view of `docs`.
pub fn corpus(docs: &[DocOutput]) -> Corpus {
    let ids = identity::batch_identity(docs);
    #[derive(Default)]
    struct Acc {
        name: String,
        kind: Option<Kind>,
        names: HashMap<String, usize>,
        types: BTreeMap<String, usize>,
        counts: [usize; 4],
        docs: HashSet<usize>,
    }
    let mut speakers: BTreeMap<String, Acc> = BTreeMap::new();
    let mut entities: BTreeMap<String, Acc> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for (qi, q) in d.quotes.iter().enumerate() {
            let Some(who) = quote_speaker(&ids[i], qi) else {
                continue;
            };
            let a = speakers.entry(who.id.clone()).or_default();
            a.name = who.name.clone();
            a.kind = Some(who.kind);
            a.counts[0] += 1;
            match q.kind.as_str() {
                "direct" => a.counts[1] += 1,
                "partial" => a.counts[2] += 1,
                _ => a.counts[3] += 1,
            }
            a.docs.insert(i);
        }
        for e in &d.entities {
            let Some(who) = ids[i].entities.get(&e.id) else {
                continue;
            };
            let a = entities.entry(who.id.clone()).or_default();
            a.name = who.name.clone();
            a.kind = Some(who.kind);
            *a.names.entry(e.name.clone()).or_default() += 1;
            *a.types.entry(e.etype.clone()).or_default() += e.mentions.len().max(1);
            a.counts[0] += e.mentions.len();
            a.docs.insert(i);
        }
    }
    let mut speakers: Vec<SpeakerStat> = speakers
        .into_iter()
        .map(|(key, a)| SpeakerStat {
            name: a.name,
            kind: a.kind.unwrap_or(Kind::Unnamed).as_str().to_string(),
            key,
            quotes: a.counts[0],
            direct: a.counts[1],
            partial: a.counts[2],
            indirect: a.counts[3],
            documents: a.docs.len(),
        })
        .collect();
    let order = |k: &str| Kind::parse(k).map_or(Kind::ALL.len(), Kind::rank);
    speakers.sort_by(|a, b| {
        order(&a.kind)
            .cmp(&order(&b.kind))
            .then(b.quotes.cmp(&a.quotes))
            .then(b.documents.cmp(&a.documents))
            .then(a.name.cmp(&b.name))
            .then(a.key.cmp(&b.key))
    });
    let mut entities: Vec<EntityStat> = entities
        .into_iter()
        .map(|(key, a)| {
            let mut names: Vec<(String, usize)> = a.names.into_iter().collect();
            names.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            // A person is PER whatever some mentions say; others by the votes of their mentions.
            let etype = match a.kind {
                Some(Kind::Person) => "PER".to_string(),
                _ => identity::voted(&a.types),
            };
            EntityStat {
                name: a.name,
                etype,
                key,
                documents: a.docs.len(),
                mentions: a.counts[0],
                names: names.into_iter().map(|(n, _)| n).collect(),
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
            .then(a.key.cmp(&b.key))
    });
    Corpus {
        speakers,
        entities,
        ids,
    }
}
