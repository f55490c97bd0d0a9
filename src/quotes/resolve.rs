//! Linking a speaker phrase to an entity: names, pronouns, descriptions, new names.

use super::doc::{Doc, Np, NpKind};
use super::lexicon::{lexicon, COUNTRIES, ORG_WORDS, ROLES, SEATS};
use super::text::is_capitalized;
use super::words::{
    COMPLEMENT_PREPS, DEFINITE_ARTICLE, DEMONSTRATIVES, DOC_DETS, FEMALE_PRONOUNS, FEMALE_TITLES,
    GROUP_NOUNS, HE, ISSUE_PARTICLES, IT, MALE_PRONOUNS, MALE_TITLES, ORG_DETS, ORG_SOURCE_NOUNS,
    PLURAL_PRONOUNS, RELATIVE_WHOSE, SHE, THEY,
};
use super::ResolvedBy;
use crate::entities::{possessive_len, NATIONALITIES, NON_AGENT_NOUNS};
use crate::{Entity, EntityType, Mention, Span, Speaker};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Male,
    Female,
    Unknown,
}

/// A speaker found earlier in the document, for pronoun resolution.
#[derive(Debug, Clone)]
struct Past {
    pos: usize,
    entity: Option<usize>,
    plural: bool,
    speaker: Speaker,
}

pub(crate) struct Resolver {
    history: Vec<Past>,
    genders: Vec<Gender>,
}

fn entity_gender(doc: &Doc, e: &Entity) -> Gender {
    let lex = lexicon();
    for d in &e.descriptions {
        for w in d.split(' ') {
            let t = w.trim_end_matches('.');
            if MALE_TITLES.contains(&t) {
                return Gender::Male;
            }
            if FEMALE_TITLES.contains(&t) {
                return Gender::Female;
            }
        }
    }
    if e.etype != EntityType::PER {
        return Gender::Unknown;
    }
    let first = e.name.split(' ').next().unwrap_or("").to_lowercase();
    if e.name.contains(' ') {
        if lex.male.contains(first.as_str()) {
            return Gender::Male;
        }
        if lex.female.contains(first.as_str()) {
            return Gender::Female;
        }
    }
    // Pronouns in sentences where this is the only person mentioned.
    let (mut m, mut f) = (0, 0);
    for &(a, b) in &doc.sents {
        let ents: Vec<usize> = (a..=b).filter_map(|i| doc.ment[i]).collect();
        if ents.is_empty() || ents.iter().any(|&x| x != e.index) {
            continue;
        }
        for i in a..=b {
            if doc.qid[i].is_some() {
                continue;
            }
            let w = doc.lw[i].as_str();
            if MALE_PRONOUNS.contains(&w) {
                m += 1;
            } else if FEMALE_PRONOUNS.contains(&w) {
                f += 1;
            }
        }
    }
    if m > f {
        Gender::Male
    } else if f > m {
        Gender::Female
    } else {
        Gender::Unknown
    }
}

/// The issuing verb before the noun phrase starting at `first` (`issued a statement`, `sent
/// out a letter`): at most a determiner and two modifiers between them.
fn issue_verb_before(doc: &Doc, first: usize, s0: usize) -> Option<usize> {
    let mut k = first;
    for _ in 0..4 {
        if k <= s0 {
            return None;
        }
        k -= 1;
        if !doc.is_word(k) || doc.qid[k].is_some() {
            return None;
        }
        let w = doc.lw[k].as_str();
        if lexicon().issue.contains(w) {
            return Some(k);
        }
        if ISSUE_PARTICLES.contains(&w) {
            continue;
        }
        if !DOC_DETS.contains(&w) && k + 1 == first {
            // Modifiers of the noun: "a lengthy statement".
            continue;
        }
    }
    None
}

/// Whether the noun phrase is a document or message.
fn is_non_agent(doc: &Doc, np: &Np) -> bool {
    doc.np_head(np)
        .is_some_and(|h| NON_AGENT_NOUNS.contains(&h.as_str()))
}

/// A transcript label (`PENCE`, `MR. TRUMP`, `Q`) → the person whose name ends with it, else
/// the label itself as an unnamed speaker.
fn label(doc: &Doc, entities: &[Entity], np: &Np) -> Speaker {
    let span = doc.span(np.first, np.last);
    let words: Vec<String> = (np.first..=np.last)
        .filter(|&k| doc.is_word(k) && !crate::entities::is_title_word(doc.tok_text(k)))
        .map(|k| doc.lw[k].trim_end_matches('.').to_string())
        .collect();
    let key = words.join(" ");
    let found = (!key.is_empty())
        .then(|| {
            entities
                .iter()
                .filter(|e| e.etype == EntityType::PER || e.etype == EntityType::ORG)
                .filter(|e| {
                    let k = crate::entities::entity_key(&e.name);
                    k == key || k.ends_with(&format!(" {key}"))
                })
                .max_by_key(|e| (e.etype == EntityType::PER, e.mentions.len()))
        })
        .flatten();
    match found {
        Some(e) => Speaker {
            name: e.name.clone(),
            entity: Some(e.index),
            mention: span,
            resolved_by: ResolvedBy::Transcript,
        },
        None => Speaker {
            name: doc.np_text(np).to_string(),
            entity: None,
            mention: span,
            resolved_by: ResolvedBy::Transcript,
        },
    }
}

/// The speaker that entity `e` names at `mention`: by its name, as an organisation or a
/// person.
fn by_name(entities: &[Entity], e: usize, mention: Span) -> Speaker {
    Speaker {
        name: entities[e].name.clone(),
        entity: Some(e),
        mention,
        resolved_by: if entities[e].etype == EntityType::ORG {
            ResolvedBy::Organization
        } else {
            ResolvedBy::Name
        },
    }
}

impl Resolver {
    pub fn new(doc: &Doc, entities: &[Entity]) -> Resolver {
        Resolver {
            history: vec![],
            genders: entities.iter().map(|e| entity_gender(doc, e)).collect(),
        }
    }

    fn gender(&self, e: usize) -> Gender {
        self.genders.get(e).copied().unwrap_or(Gender::Unknown)
    }

    /// The speaker named by `np`; remembers it for later pronouns.
    pub fn resolve(
        &mut self,
        doc: &mut Doc,
        entities: &mut Vec<Entity>,
        np: &Np,
    ) -> Option<Speaker> {
        let sp = self.resolve_inner(doc, entities, np)?;
        let plural = match np.kind {
            NpKind::Description => doc.np_head(np).is_some_and(|h| {
                (h.ends_with('s') && !h.ends_with("ss")) || GROUP_NOUNS.contains(&h.as_str())
            }),
            NpKind::Pronoun => PLURAL_PRONOUNS.contains(&doc.pronoun_word(np.first)),
            _ => false,
        } || sp
            .entity
            .is_some_and(|e| entities[e].etype == EntityType::ORG);
        self.history.push(Past {
            pos: np.first,
            entity: sp.entity,
            plural,
            speaker: sp.clone(),
        });
        Some(sp)
    }

    fn resolve_inner(
        &mut self,
        doc: &mut Doc,
        entities: &mut Vec<Entity>,
        np: &Np,
    ) -> Option<Speaker> {
        let span = doc.span(np.first, np.last);
        match np.kind {
            // An entity named by a title alone ("Republican") names nobody; with its article
            // ("the Republican said") it is a description, read as "the senator" is.
            NpKind::Entity(e) if crate::entities::is_honorific(&entities[e].name) => {
                // Not the adjective of "the Republican nominee": the phrase ends before a cue
                // or punctuation.
                let next = np.last + 1;
                let ends =
                    next >= doc.toks.len() || !doc.is_word(next) || doc.cue_at(next).is_some();
                if np.first < np.last && doc.lw[np.first] == DEFINITE_ARTICLE && ends {
                    let d = Np {
                        kind: NpKind::Description,
                        ..np.clone()
                    };
                    Some(self.description(doc, entities, &d))
                } else {
                    None
                }
            }
            NpKind::Entity(e) => Some(by_name(entities, e, span)),
            NpKind::Pronoun => Some(self.pronoun(doc, entities, np)),
            NpKind::Relative => {
                // "officials who say", "Navalny, whose allies say" (handled as description).
                let floor = doc.sents[doc.sent[np.first]].0;
                let ante = doc.antecedent(np.first, floor)?;
                // The mention is the relative pronoun itself (the words at the attribution
                // site); the name is its antecedent's.
                let mut sp = self.resolve_inner(doc, entities, &ante)?;
                sp.mention = span;
                Some(sp)
            }
            NpKind::Name => {
                // A title or function word alone ("Mr.", "Former") names nobody.
                let mut first = np.first;
                while first < np.last && crate::entities::is_title_word(doc.tok_text(first)) {
                    first += 1;
                }
                let name = doc.span(first, np.last).slice(doc.text);
                let name = &name[..name.len() - possessive_len(name)];
                let defect = crate::entities::name_defect(name, false);
                if first == np.first
                    && (crate::entities::is_honorific(name)
                        || matches!(
                            defect,
                            Some(
                                crate::entities::NameDefect::Pronoun
                                    | crate::entities::NameDefect::FunctionWord
                            )
                        ))
                {
                    return None;
                }
                let e = self.add_entity(doc, entities, np);
                Some(by_name(entities, e, span))
            }
            NpKind::Description => {
                // A possessive pronoun alone, the tagger's source of a nominal attribution
                // ("His message has been that ...", "his suggestion that ..."): whoever "he" is.
                let alone = (np.first + 1..=np.last).all(|k| !doc.is_word(k));
                let possessive =
                    super::words::lookup(super::words::POSSESSIVE_PRONOUNS, &doc.lw[np.first]);
                if let (true, Some(w)) = (alone, possessive) {
                    return Some(self.pronoun_as(doc, entities, np, w));
                }
                if let Some(sp) = self.issuer(doc, entities, np) {
                    return Some(sp);
                }
                Some(self.description(doc, entities, np))
            }
            NpKind::Label => Some(label(doc, entities, np)),
        }
    }

    fn pronoun(&self, doc: &Doc, entities: &[Entity], np: &Np) -> Speaker {
        self.pronoun_as(doc, entities, np, doc.pronoun_word(np.first))
    }

    /// The speaker of `np` read as the pronoun `w` ("his" → "he").
    fn pronoun_as(&self, doc: &Doc, entities: &[Entity], np: &Np, w: &str) -> Speaker {
        let pos = np.first;
        let span = doc.span(np.first, np.last);
        let unresolved = Speaker {
            name: doc.np_text(np).to_string(),
            entity: None,
            mention: span,
            resolved_by: ResolvedBy::Pronoun,
        };
        let para = doc.toks[pos].para;
        let window = |p: usize| p + 3 >= para;
        let resolved = |e: usize| Speaker {
            name: entities[e].name.clone(),
            entity: Some(e),
            mention: span,
            resolved_by: ResolvedBy::Pronoun,
        };
        match w {
            HE | SHE => {
                let want = if w == HE {
                    Gender::Male
                } else {
                    Gender::Female
                };
                // First a person of the pronoun's gender, then one of unknown gender: "she"
                // after "Sherrod Brown ... Clinton" is Clinton.
                let mut best: Option<(usize, usize)> = None;
                for strict in [true, false] {
                    let ok = |e: usize| {
                        entities[e].etype == EntityType::PER && {
                            let g = self.gender(e);
                            g == want || g == Gender::Unknown && !strict
                        }
                    };
                    // Candidates: earlier speakers and subject mentions of persons.
                    best = None; // (pos, entity)
                    for p in &self.history {
                        if let Some(e) = p.entity {
                            if p.pos < pos
                                && window(doc.toks[p.pos].para)
                                && ok(e)
                                && best.is_none_or(|b| p.pos > b.0)
                            {
                                best = Some((p.pos, e));
                            }
                        }
                    }
                    let mut i = pos;
                    while i > 0 {
                        i -= 1;
                        if !window(doc.toks[i].para) {
                            break;
                        }
                        if best.is_some_and(|b| b.0 >= i) {
                            break;
                        }
                        if let Some(e) = doc.ment[i] {
                            if doc.qid[i].is_some() || !ok(e) {
                                continue;
                            }
                            let mut f = i;
                            while f > 0 && doc.ment[f - 1] == Some(e) {
                                f -= 1;
                            }
                            while f > 0
                                && doc.is_word(f - 1)
                                && crate::entities::is_title_word(doc.tok_text(f - 1))
                                && is_capitalized(doc.tok_text(f - 1))
                            {
                                f -= 1;
                            }
                            let poss = possessive_len(doc.tok_text(i)) > 0;
                            if doc.clause_boundary_before(f) && !poss {
                                best = Some((i, e));
                                break;
                            }
                        }
                    }
                    if best.is_none() {
                        // Any person mentioned recently.
                        let mut i = pos;
                        while i > 0 {
                            i -= 1;
                            if !window(doc.toks[i].para) {
                                break;
                            }
                            if let Some(e) = doc.ment[i] {
                                if doc.qid[i].is_none() && ok(e) {
                                    best = Some((i, e));
                                    break;
                                }
                            }
                        }
                    }
                    if best.is_some() {
                        break;
                    }
                }
                if best.is_none() {
                    // The last person of that gender anywhere before (a long article about one
                    // person).
                    best = (0..pos)
                        .rev()
                        .filter(|&i| doc.qid[i].is_none())
                        .find_map(|i| {
                            let e = doc.ment[i]?;
                            (entities[e].etype == EntityType::PER && self.gender(e) == want)
                                .then_some((i, e))
                        });
                }
                best.map(|(_, e)| resolved(e)).unwrap_or(unresolved)
            }
            THEY | IT => {
                let near = |p: usize| p + 2 >= para;
                let past = self
                    .history
                    .iter()
                    .rev()
                    .find(|p| p.pos < pos && near(doc.toks[p.pos].para) && p.plural);
                // An organisation mentioned after that speaker is nearer: "The Harbour Party
                // said ... The Port Board sent a letter. It says ...".
                // Only the subject of a sentence, not an object ("... the deal with the EU").
                let later_org = |from: usize| {
                    (from + 1..pos).rev().find(|&i| {
                        let Some(e) = doc.ment[i] else { return false };
                        let mut f = i;
                        while f > 0 && doc.ment[f - 1] == Some(e) {
                            f -= 1;
                        }
                        if f > 0 && doc.lw[f - 1] == DEFINITE_ARTICLE {
                            f -= 1;
                        }
                        let starts = f == 0 || doc.sent[f - 1] != doc.sent[f];
                        doc.qid[i].is_none() && entities[e].etype == EntityType::ORG && starts
                    })
                };
                if let Some(p) = past {
                    if let Some(i) = later_org(p.pos).filter(|_| w == IT) {
                        return resolved(doc.ment[i].expect("mention"));
                    }
                    let mut s = p.speaker.clone();
                    s.mention = span;
                    s.resolved_by = ResolvedBy::Pronoun;
                    return s;
                }
                // The nearest organisation ("it", "they"), or for "they" a group named in the
                // plural ("Democrats ... they said").
                let mut i = pos;
                while i > 0 {
                    i -= 1;
                    if !near(doc.toks[i].para) {
                        break;
                    }
                    let Some(e) = doc.ment[i] else { continue };
                    if doc.qid[i].is_some() {
                        continue;
                    }
                    let group = w == THEY
                        && matches!(entities[e].etype, EntityType::MISC | EntityType::ORG)
                        && doc.lw[i].ends_with('s')
                        && !doc.lw[i].ends_with("ss")
                        && possessive_len(doc.tok_text(i)) == 0;
                    if group || entities[e].etype == EntityType::ORG {
                        return resolved(e);
                    }
                }
                // "it": the subject of the sentence before, a thing or body described in the
                // singular ("The city sent a letter. It says ...").
                if w == IT {
                    let s = doc.sent[pos];
                    if s > 0 {
                        let (a, b) = doc.sents[s - 1];
                        let subj = (a..(a + 6).min(b + 1)).find_map(|k| {
                            doc.np_core(k, a).filter(|d| {
                                d.first == a
                                    && d.kind == NpKind::Description
                                    && doc.toks[a].para + 1 >= para
                                    && doc.np_head(d).is_some_and(|h| {
                                        !h.ends_with('s') && !lexicon().sources.contains(h.as_str())
                                            || ORG_SOURCE_NOUNS.contains(&h.as_str())
                                    })
                            })
                        });
                        if let Some(d) = subj {
                            return Speaker {
                                name: doc.np_text(&d).to_string(),
                                entity: None,
                                mention: span,
                                resolved_by: ResolvedBy::Pronoun,
                            };
                        }
                    }
                }
                // "they": people described in the plural ("Obama and his advisers ... They
                // found"), as an unnamed source.
                if w == THEY {
                    let mut i = pos;
                    while i > 0 {
                        i -= 1;
                        if !near(doc.toks[i].para) {
                            break;
                        }
                        let lw = doc.lw[i].as_str();
                        let plural_people = doc.qid[i].is_none()
                            && doc.ment[i].is_none()
                            && lw.ends_with('s')
                            && lexicon().sources.contains(lw);
                        if !plural_people || doc.cue_at(i).is_some() {
                            continue;
                        }
                        let floor = doc.sents[doc.sent[i]].0;
                        if let Some(d) = doc.np_core(i, floor) {
                            if d.kind == NpKind::Description {
                                return Speaker {
                                    name: doc.np_text(&d).to_string(),
                                    entity: None,
                                    mention: span,
                                    resolved_by: ResolvedBy::Pronoun,
                                };
                            }
                        }
                    }
                }
                unresolved
            }
            _ => unresolved,
        }
    }

    /// A document or message as the speaker ("a statement", "the emails", "a new poll") →
    /// whoever issued it: the subject of `X issued a statement calling ...` (which becomes the
    /// mention), a name inside the phrase (`a statement from X`, `X's letter`, `a Reuters
    /// poll`), or for a definite phrase (`the statement`) the issuer of the same kind of
    /// document earlier in the text (`X released a statement. ... The statement noted`).
    fn issuer(&mut self, doc: &mut Doc, entities: &mut Vec<Entity>, np: &Np) -> Option<Speaker> {
        let head = doc.np_head(np)?;
        if !NON_AGENT_NOUNS.contains(&head.as_str()) {
            return None;
        }
        let span = doc.span(np.first, np.last);
        let s0 = doc.sents[doc.sent[np.first]].0;
        // `X issued a statement calling ...`
        if let Some(verb) = issue_verb_before(doc, np.first, s0) {
            if let Some(subj) = doc.np_before(verb, s0) {
                if subj.kind != NpKind::Description || !is_non_agent(doc, &subj) {
                    let mut sp = self.resolve_inner(doc, entities, &subj)?;
                    if sp.entity.is_some() {
                        sp.resolved_by = ResolvedBy::Issuer;
                    }
                    return Some(sp);
                }
            }
        }
        let named = |e: usize| {
            Some(Speaker {
                name: entities[e].name.clone(),
                entity: Some(e),
                mention: span,
                resolved_by: ResolvedBy::Issuer,
            })
        };
        // A name inside the phrase.
        let inside = (np.first..=np.last).find_map(|k| {
            let e = doc.ment[k]?;
            (matches!(entities[e].etype, EntityType::PER | EntityType::ORG) && !doc.adjective_at(k))
                .then_some(e)
        });
        if let Some(e) = inside {
            return named(e);
        }
        // A possessive pronoun: "his financial disclosure report" → whoever "he" is.
        let as_pronoun = super::words::lookup(super::words::POSSESSIVE_PRONOUNS, &doc.lw[np.first]);
        if let Some(w) = as_pronoun {
            let mut sp = self.pronoun_as(doc, entities, np, w);
            if sp.entity.is_some() {
                sp.resolved_by = ResolvedBy::Issuer;
                return Some(sp);
            }
        }
        // A name right before the phrase: "the Trump campaign's website".
        if np.first > s0 {
            if let Some(e) = doc.ment[np.first - 1] {
                let poss = (np.first..=np.last).any(|k| possessive_len(doc.tok_text(k)) > 0);
                if poss && matches!(entities[e].etype, EntityType::PER | EntityType::ORG) {
                    return named(e);
                }
            }
        }
        // `the statement`: the issuer of an earlier one, within two paragraphs.
        let definite = DEMONSTRATIVES.contains(&doc.lw[np.first].as_str());
        if !definite {
            return None;
        }
        let para = doc.toks[np.first].para;
        let stem = head.trim_end_matches('s');
        let mut k = np.first;
        while k > 0 {
            k -= 1;
            if doc.toks[k].para + 2 < para {
                break;
            }
            if doc.qid[k].is_some() || doc.lw[k].trim_end_matches('s') != stem {
                continue;
            }
            let k0 = doc.sents[doc.sent[k]].0;
            let Some(verb) = issue_verb_before(doc, k, k0) else {
                continue;
            };
            let subj = doc.np_before(verb, k0)?;
            if let NpKind::Entity(e) = subj.kind {
                return named(e);
            }
            return None;
        }
        None
    }

    /// "the Russian leader" → the entity titled "Russian President"; else an unnamed source.
    fn description(&self, doc: &Doc, entities: &[Entity], np: &Np) -> Speaker {
        let span = doc.span(np.first, np.last);
        let text = doc.np_text(np);
        let unnamed = Speaker {
            name: without_wrapping_quotes(text).to_string(),
            entity: None,
            mention: span,
            resolved_by: ResolvedBy::Unnamed,
        };
        let words = doc.np_words(np);
        // Head: the last word before a prepositional complement.
        let cut = words
            .iter()
            .position(|w| COMPLEMENT_PREPS.contains(&w.as_str()))
            .unwrap_or(words.len());
        let Some(head) = words[..cut].last().cloned() else {
            return unnamed;
        };
        let mods: Vec<String> = words[..cut - 1]
            .iter()
            .map(|w| w.trim_end_matches("'s").to_string())
            .collect();
        // Nationality of the phrase: "Russian", "Russia's", "Kremlin".
        let mut nat: Option<&str> = None;
        let joined = mods.join(" ");
        for m in &mods {
            if let Some(n) = NATIONALITIES.iter().find(|n| **n == m.as_str()) {
                nat = Some(n);
            }
        }
        for (c, a) in COUNTRIES.iter().chain(SEATS.iter()) {
            if joined.split(' ').any(|w| w == *c) || (c.contains(' ') && joined.contains(c)) {
                nat = Some(a);
            }
        }
        // A place in the phrase, not a country nor a possessive ("the Vermont senator", not
        // "Norway's top diplomat"): only a person the article describes with it, else nobody (not the
        // last senator named).
        let place: Option<String> = (np.first..=np.last).rev().find_map(|k| {
            let w = &doc.lw[k];
            let country = COUNTRIES
                .iter()
                .chain(SEATS.iter())
                .any(|(c, _)| c.split(' ').any(|x| x == w));
            (doc.etype_at(k) == Some(EntityType::LOC)
                && possessive_len(doc.tok_text(k)) == 0
                && !country)
                .then(|| w.clone())
        });
        // Party of the phrase: "the Democratic nominee", "the GOP candidate".
        let party = |w: &str| super::words::lookup(super::words::PARTY_WORDS, w);
        let np_party = mods.iter().find_map(|m| party(m));
        let own = [head.as_str()];
        // The role table: the lexicon's titles for the head ("leader" ≈ president, prime
        // minister), else the head itself as the article uses it in an apposition or before a
        // name ("CNN host Anderson Cooper" → "the CNN host"), for a definite phrase.
        let definite = words.first().is_some_and(|w| w == DEFINITE_ARTICLE)
            || words.first().is_some_and(|w| w.ends_with("'s"));
        let roles: Option<(&[&str], ResolvedBy)> = match ROLES.iter().find(|(r, _)| *r == head) {
            Some((_, t)) => Some((*t, ResolvedBy::Title)),
            None if definite && head.len() > 2 && !lexicon().sources.contains(head.as_str()) => {
                Some((&own[..], ResolvedBy::Role))
            }
            None if definite && crate::entities::ROLE_NOUNS.contains(&head.as_str()) => {
                Some((&own[..], ResolvedBy::Role))
            }
            None => None,
        };
        let before = |e: &Entity| {
            e.mentions
                .first()
                .is_some_and(|m| m.span.start < span.start)
        };
        let last_before = |e: &Entity| {
            e.mentions
                .iter()
                .filter(|m| m.span.start < span.start)
                .map(|m| m.span.start)
                .max()
                .unwrap_or(0)
        };
        if let Some((titles, via)) = roles {
            let mut best: Option<(bool, usize, usize)> = None; // (nationality match, last pos, entity)
            for e in entities
                .iter()
                .filter(|e| e.etype == EntityType::PER && before(e))
            {
                let fits = e.descriptions.iter().any(|d| {
                    let d = format!(" {} ", d.replace('.', ""));
                    titles.iter().any(|t| d.contains(&format!(" {} ", t)))
                });
                if !fits {
                    continue;
                }
                if let Some(p) = &place {
                    let described = e.descriptions.iter().any(|d| {
                        d.to_lowercase()
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w == p)
                    });
                    if !described {
                        continue;
                    }
                }
                let e_nat: Option<&str> = e.descriptions.iter().find_map(|d| {
                    d.split(' ').find_map(|w| {
                        let w = w.trim_end_matches("'s");
                        NATIONALITIES
                            .iter()
                            .find(|n| **n == w)
                            .copied()
                            .or_else(|| COUNTRIES.iter().find(|(c, _)| *c == w).map(|(_, a)| *a))
                    })
                });
                let e_party = e
                    .descriptions
                    .iter()
                    .find_map(|d| d.split(' ').find_map(party));
                let party_match = match (np_party, e_party) {
                    (Some(a), Some(b)) if a != b => continue,
                    (Some(_), Some(_)) => true,
                    _ => false,
                };
                let nat_match = match (nat, e_nat) {
                    (Some(a), Some(b)) if a != b => continue,
                    (Some(_), Some(_)) => true,
                    _ => party_match,
                };
                let key = (nat_match, last_before(e), e.index);
                if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                    best = Some(key);
                }
            }
            if let Some((_, _, e)) = best {
                return Speaker {
                    name: entities[e].name.clone(),
                    entity: Some(e),
                    mention: span,
                    resolved_by: via,
                };
            }
            if via == ResolvedBy::Title {
                return unnamed;
            }
        }
        // "the ministry" → an organisation with that word in its name.
        if words
            .first()
            .is_some_and(|w| ORG_DETS.contains(&w.as_str()))
            && cut == words.len()
        {
            let org = entities
                .iter()
                .filter(|e| e.etype == EntityType::ORG && before(e))
                .filter(|e| e.name.to_lowercase().split(' ').any(|w| w == head))
                .max_by_key(|e| last_before(e));
            if let Some(e) = org {
                return Speaker {
                    name: e.name.clone(),
                    entity: Some(e.index),
                    mention: span,
                    resolved_by: ResolvedBy::Organization,
                };
            }
        }
        // "Navalny's allies", "whose allies": keep the phrase as an unnamed source.
        if words.first().is_some_and(|w| w == RELATIVE_WHOSE) && np.first >= 2 {
            let k = if doc.is_punct(np.first - 1, ",") {
                np.first - 2
            } else {
                np.first - 1
            };
            if let Some(e) = doc.ment[k] {
                let rest: Vec<&str> = doc.np_text(np).splitn(2, ' ').collect();
                if rest.len() == 2 {
                    return Speaker {
                        name: format!("{}'s {}", entities[e].name, rest[1]),
                        entity: None,
                        mention: span,
                        resolved_by: ResolvedBy::Unnamed,
                    };
                }
            }
        }
        unnamed
    }

    /// Adds an entity for a capitalised name the tagger missed, with every occurrence of it.
    fn add_entity(&mut self, doc: &mut Doc, entities: &mut Vec<Entity>, np: &Np) -> usize {
        let mut first = np.first;
        while first < np.last && crate::entities::is_title_word(doc.tok_text(first)) {
            first += 1;
        }
        let mut last_tok = doc.tok_text(np.last);
        let p = possessive_len(last_tok);
        last_tok = &last_tok[..last_tok.len() - p];
        let name_span = Span::new(
            doc.toks[first].span.start,
            doc.toks[np.last].span.start + last_tok.len(),
        );
        let name = name_span.slice(doc.text).to_string();
        let key = crate::entities::entity_key(&name);
        let surname = key.rsplit(' ').next().unwrap_or("").to_string();
        // Already known under this name or surname.
        if let Some(e) = entities
            .iter()
            .find(|e| crate::entities::entity_key(&e.name) == key)
        {
            return e.index;
        }
        if !key.contains(' ') {
            if let Some(e) = entities
                .iter()
                .filter(|e| {
                    e.etype == EntityType::PER
                        && crate::entities::entity_key(&e.name).rsplit(' ').next()
                            == Some(surname.as_str())
                })
                .max_by_key(|e| e.mentions.first().map(|m| m.span.start))
            {
                return e.index;
            }
        }
        let words: Vec<String> = key.split(' ').map(str::to_string).collect();
        let org = words.iter().any(|w| ORG_WORDS.contains(&w.as_str()))
            || (words.len() == 1
                && name.len() <= 6
                && name.chars().all(|c| c.is_uppercase() || c == '.'));
        let etype = if org {
            EntityType::ORG
        } else {
            EntityType::PER
        };
        let idx = entities.len();
        let mut mentions = Vec::new();
        // Every occurrence of the full name, and of the surname alone for a person.
        let mut forms = vec![name.clone()];
        if etype == EntityType::PER && name.contains(' ') {
            forms.push(name.rsplit(' ').next().unwrap_or("").to_string());
        }
        for form in &forms {
            let mut from = 0;
            while let Some(off) = doc.text[from..].find(form.as_str()) {
                let s = from + off;
                let e = s + form.len();
                from = e;
                let before_ok = doc.text[..s]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = doc.text[e..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                let span = Span::new(s, e);
                let taken = entities
                    .iter()
                    .any(|en| en.mentions.iter().any(|m| m.span.overlaps(span)))
                    || mentions.iter().any(|m: &Mention| m.span.overlaps(span));
                if before_ok && after_ok && !taken {
                    mentions.push(Mention {
                        span,
                        etype,
                        score: 0.5,
                    });
                }
            }
        }
        if mentions.is_empty() {
            mentions.push(Mention {
                span: name_span,
                etype,
                score: 0.5,
            });
        }
        mentions.sort_by_key(|m| m.span.start);
        entities.push(Entity {
            index: idx,
            etype,
            name,
            mentions,
            descriptions: vec![],
        });
        self.genders.push(entity_gender(doc, &entities[idx]));
        doc.map_mentions(entities);
        idx
    }
}

/// A title in quote marks as a name: `"Perfect Enough: Carly Fiorina and ..."` is named
/// without them (the mention keeps them).
fn without_wrapping_quotes(text: &str) -> &str {
    const MARKS: &[char] = &['"', '\u{201c}', '\u{201d}'];
    let inner = text.trim_matches(MARKS);
    if text.starts_with(MARKS)
        && text.ends_with(MARKS)
        && !inner.contains(MARKS)
        && !inner.is_empty()
    {
        inner
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_in_quote_marks_is_named_without_them() {
        use super::without_wrapping_quotes as w;
        assert_eq!(w("\"Perfect Enough\""), "Perfect Enough");
        assert_eq!(w("\u{201c}Perfect Enough\u{201d}"), "Perfect Enough");
        // Marks inside or at one end only stay.
        assert_eq!(
            w("the \u{201c}Avatar\u{201d} star"),
            "the \u{201c}Avatar\u{201d} star"
        );
        assert_eq!(w("\"A\" and \"B\""), "\"A\" and \"B\"");
        assert_eq!(w("\"\""), "\"\"");
    }
}
