//! The subject of a clause: who a cue's sentence is about, and whether a phrase can speak.

use super::doc::{Doc, Np, NpKind};
use super::lexicon::{self, lexicon};
use super::text;
use super::words::{RELATIVE_WHO, SPEAKER_PRONOUNS};

/// Words that open a fronted adverbial before the subject (`Before the Paris attacks, ...`).
#[rustfmt::skip]
const FRONTED: &[&str] = &[
    "before", "after", "during", "in", "on", "at", "since", "while", "when", "although",
    "though", "despite", "amid", "following", "unlike", "because", "without", "under",
    "throughout", "within", "among", "upon", "until", "once",
];

pub(super) fn sent_range(doc: &Doc, tok: usize) -> (usize, usize) {
    doc.sents[doc.sent[tok]]
}

/// Whether the phrase can be a speaker of reported speech: a person or organisation, a
/// pronoun, a source noun ("officials"), a name.
pub(super) fn person_like(doc: &Doc, np: &Np) -> bool {
    match np.kind {
        NpKind::Pronoun => SPEAKER_PRONOUNS.contains(&doc.pronoun_word(np.first)),
        NpKind::Relative => doc.lw[np.first] == RELATIVE_WHO,
        NpKind::Name | NpKind::Label => true,
        NpKind::Entity(_) => true,
        NpKind::Description => doc.np_head(np).is_some_and(|h| {
            (lexicon().sources.contains(h.as_str()) || lexicon::ROLES.iter().any(|(r, _)| *r == h))
                && !lexicon::DOCUMENT_NOUNS.contains(&h.as_str())
        }),
    }
}

/// Whether an entity phrase names an organisation: it holds an organisation word
/// ("Harbour Association", "European Union").
pub(super) fn org_like(doc: &Doc, np: &Np) -> bool {
    (np.first..=np.last).any(|k| lexicon::ORG_WORDS.contains(&doc.lw[k].as_str()))
}

/// The subject of the sentence's first clause: the first name or pronoun before `limit`.
pub(super) fn sentence_subject(doc: &Doc, s0: usize, limit: usize) -> Option<Np> {
    // A fronted adverbial ("Before the Paris attacks, Trump took ...", "In an interview with
    // CNN, the senator said"): its names are not the subject.
    let first_word = (s0..limit).find(|&k| doc.is_word(k));
    let start = first_word
        .filter(|&k| FRONTED.contains(&doc.lw[k].as_str()))
        .and_then(|k| (k..limit).find(|&c| doc.is_punct(c, ",") && doc.qid[c].is_none()))
        .map_or(s0, |c| c + 1);
    for k in start..limit {
        if doc.qid[k].is_some() || !doc.is_word(k) {
            continue;
        }
        if !doc.clause_boundary_before(k) && doc.ment[k].is_none() {
            continue;
        }
        if let Some(np) = doc.np_core(k, s0) {
            // A capitalised word that a longer name continues: "Prime" of "Prime Minister Eva
            // Lind".
            if matches!(np.kind, NpKind::Name | NpKind::Description)
                && k + 1 < limit
                && doc.is_word(k + 1)
                && doc.qid[k + 1].is_none()
                && text::is_capitalized(doc.tok_text(k + 1))
                && (np.kind == NpKind::Name
                    || doc.ment[k + 1].is_some()
                    || crate::entities::is_title_word(doc.tok_text(k + 1)))
            {
                continue;
            }
            // Take the whole name.
            let mut last = k;
            while last + 1 < limit
                && np.kind != NpKind::Pronoun
                && doc.ment[last + 1].is_some()
                && doc.ment[last + 1] == doc.ment[k]
            {
                last += 1;
            }
            let np = Np {
                first: np.first,
                last,
                kind: np.kind,
            };
            // A name that modifies the noun after it ("the Florida senator", "the Wisconsin
            // Republican", "the United flight"): the phrase it heads, or none.
            let next = last + 1;
            if matches!(np.kind, NpKind::Entity(_))
                && next < limit
                && doc.is_word(next)
                && doc.qid[next].is_none()
                && (doc.ment[next].is_some_and(|e| Some(e) != doc.ment[k])
                    || (crate::entities::is_title_word(doc.tok_text(next))
                        && !text::is_capitalized(doc.tok_text(next))))
            {
                match doc.np_core(next, s0) {
                    Some(head) if head.first <= np.first && person_like(doc, &head) => {
                        return Some(head)
                    }
                    _ => continue,
                }
            }
            if person_like(doc, &np) {
                return Some(np);
            }
        }
    }
    None
}
