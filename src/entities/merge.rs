//! [`merge`]: the mentions of one document become entities (surnames join full names, one
//! type per name by vote, initials extended).

use std::collections::HashMap;

use super::lexicon::{is_determiner, is_title_word};
use super::names::{is_honorific, name_defect, NameDefect};
use super::normalize::{appositive, name_key, normalize, Normalized};
use super::{Entity, EntityType, Mention};
use crate::span::Span;

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
    let name_type = |k: &str| -> EntityType { majority(&votes[k]) };

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

    // Final types: majority over all mentions of the entity, weighted by their scores.
    for e in &mut ents {
        let mut v = [0f32; 4];
        for m in &e.mentions {
            v[m.etype as usize] += m.score.max(0.01);
        }
        if v.iter().any(|&x| x > 0.0) {
            e.etype = majority(&v);
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
pub(super) fn extend_initials(text: &str, ms: &mut Vec<Mention>) {
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
        // Mentions the widened name swallows: the first name ("Paul") and the initial the
        // tagger made a name of its own ("D" of "Paul D. Ryan"), each of them a person's words.
        let swallowed: Vec<usize> = (0..i)
            .filter(|&p| ms[p].span.end > start && ms[p].span.start < m.span.start)
            .collect();
        let ok = word.len() >= 2
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
            && !is_title_word(word)
            && !is_determiner(word)
            && name_defect(word, false).is_none()
            && swallowed.iter().all(|&p| {
                ms[p].etype == EntityType::PER
                    && ms[p].span.start >= start
                    && (ms[p].span == Span::new(start, rest.len()) || ms[p].span.start >= start0)
            });
        if ok {
            for p in swallowed {
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

pub(super) fn name_key_last(name: &str) -> String {
    let ws: Vec<String> = name.split(' ').map(str::to_string).collect();
    if ws.len() < 2 {
        return String::new();
    }
    name_key(&ws).rsplit(' ').next().unwrap_or("").to_string()
}

/// Whether `a` is a better canonical name than `b`: more words, then longer.
pub(super) fn better_name(a: &str, b: &str) -> bool {
    let (wa, wb) = (a.split(' ').count(), b.split(' ').count());
    wa > wb || (wa == wb && a.len() > b.len())
}

/// The type with the most votes (`votes[t as usize]`), the first of PER, ORG, LOC, MISC on a
/// tie, so that PER wins every tie it is part of.
fn majority(votes: &[f32; 4]) -> EntityType {
    let best = votes.iter().cloned().fold(0.0f32, f32::max);
    let i = votes.iter().position(|&x| x == best).unwrap_or(0);
    [
        EntityType::PER,
        EntityType::ORG,
        EntityType::LOC,
        EntityType::MISC,
    ][i]
}
