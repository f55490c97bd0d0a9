//! `whosaid who`: the quotes attributed to a speaker, across the documents of an extract output.
//!
//! Speakers are the batch's identities ([`crate::identity::batch_identity`], the same as
//! `report` and `export`). NAME (case-insensitive, punctuation ignored) fits a speaker when it
//! equals the speaker's id (`person:vladimir-putin`) or display name, any name of the
//! speaker's entities across the batch ("Putin", "Vladimir V. Putin", "Mr. Putin"'s "Putin"),
//! or the words of a speaker mention ("the Russian leader"); a single-word NAME also fits the
//! last word of a display name ("putin" finds "Vladimir Putin") and any word of a person's
//! ("Ivanka" finds "Ivanka Trump").
//!
//! [`ask`] answers with the quotes of the one speaker NAME fits, the list of speakers (with
//! their counts) when it fits several ("Trump": Donald, Ivanka and Melania Trump), or the
//! nearest names when it fits none ("did you mean").

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use serde::Serialize;

use crate::entities::entity_key;
use crate::identity::{self, DocIdentity, Ident, Kind};
use crate::output::{DocOutput, QuoteOut};

/// One quote found for a speaker.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub document: String,
    /// The speaker's display name.
    pub speaker: String,
    /// The speaker's id.
    pub speaker_id: String,
    pub quote: QuoteOut,
}

/// A speaker that a name fits, with its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub quotes: usize,
    pub documents: usize,
}

/// The answer to `who NAME`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "answer", rename_all = "lowercase")]
pub enum Answer {
    /// NAME fits one speaker: its quotes, in document order.
    Found {
        speaker: Candidate,
        quotes: Vec<Found>,
    },
    /// NAME fits several speakers: who they are, most quotes first.
    Several { speakers: Vec<Candidate> },
    /// NAME fits nobody; the nearest speaker names, if any.
    None { suggestions: Vec<String> },
}

/// The forms (as keys) each speaker id goes by over the batch.
fn forms(docs: &[DocOutput], ids: &[DocIdentity]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (d, di) in docs.iter().zip(ids) {
        for e in &d.entities {
            let Some(i) = di.entities.get(&e.id) else {
                continue;
            };
            let f = out.entry(i.id.clone()).or_default();
            f.insert(entity_key(&e.name));
            f.insert(e.key.clone());
            f.extend(e.mentions.iter().map(|m| entity_key(&m.text)));
        }
        for (q, i) in d.quotes.iter().zip(&di.speakers) {
            let (Some(s), Some(i)) = (&q.speaker, i) else {
                continue;
            };
            let f = out.entry(i.id.clone()).or_default();
            f.insert(entity_key(&s.name));
            f.insert(entity_key(&s.mention.text));
        }
    }
    for (id, f) in out.iter_mut() {
        f.insert(id.to_lowercase());
        f.retain(|k| !k.is_empty());
    }
    out
}

/// Whether NAME's key `want` fits a speaker with display name `name` and forms `f`.
fn fits(want: &str, id: &str, name: &str, f: &BTreeSet<String>) -> bool {
    let shown = entity_key(name);
    // A single word fits the last word of any name, and any word of a person's name
    // ("Ivanka" finds "Ivanka Trump").
    let person = id.starts_with("person:");
    want == id.to_lowercase()
        || f.contains(want)
        || shown == want
        || (!want.contains(' ')
            && (shown.rsplit(' ').next() == Some(want)
                || (person && shown.split(' ').any(|w| w == want))))
}

/// Edit distance between two short strings (characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Answers `who NAME` over a batch (see the module docs).
pub fn ask(docs: &[DocOutput], name: &str) -> Answer {
    let want = if name.contains(':') {
        name.trim().to_lowercase()
    } else {
        entity_key(name)
    };
    if want.is_empty() {
        return Answer::None {
            suggestions: vec![],
        };
    }
    let ids = identity::batch_identity(docs);
    let forms = forms(docs, &ids);
    // Every speaker of the batch with its counts.
    let mut speakers: BTreeMap<String, (Ident, usize, BTreeSet<usize>)> = BTreeMap::new();
    for (i, di) in ids.iter().enumerate() {
        for s in di.speakers.iter().flatten() {
            let e = speakers
                .entry(s.id.clone())
                .or_insert_with(|| (s.clone(), 0, BTreeSet::new()));
            e.1 += 1;
            e.2.insert(i);
        }
    }
    let candidate = |(i, n, d): &(Ident, usize, BTreeSet<usize>)| Candidate {
        id: i.id.clone(),
        name: i.name.clone(),
        kind: i.kind.as_str().to_string(),
        quotes: *n,
        documents: d.len(),
    };
    let mut hits: Vec<Candidate> = speakers
        .values()
        .filter(|(i, _, _)| {
            fits(
                &want,
                &i.id,
                &i.name,
                forms.get(&i.id).unwrap_or(&BTreeSet::new()),
            )
        })
        .map(candidate)
        .collect();
    // An exact id or display name wins over looser fits ("Donald Trump" is one person even
    // though "Trump" fits three).
    let exact: Vec<Candidate> = hits
        .iter()
        .filter(|c| c.id.to_lowercase() == want || entity_key(&c.name) == want)
        .cloned()
        .collect();
    if exact.len() == 1 && (want.contains(' ') || want.contains(':') || hits.len() == 1) {
        hits = exact;
    }
    let order = |k: &str| Kind::parse(k).map_or(Kind::ALL.len(), Kind::rank);
    hits.sort_by(|a, b| {
        order(&a.kind)
            .cmp(&order(&b.kind))
            .then(b.quotes.cmp(&a.quotes))
            .then(a.name.cmp(&b.name))
    });
    match hits.len() {
        0 => {
            // The nearest display names: a few letters off, or sharing a word.
            let mut near: Vec<(usize, usize, String)> = speakers
                .values()
                .filter_map(|(i, n, _)| {
                    let shown = entity_key(&i.name);
                    let d = shown
                        .split(' ')
                        .chain(std::iter::once(shown.as_str()))
                        .map(|w| distance(w, &want))
                        .min()
                        .unwrap_or(usize::MAX);
                    let limit = (want.chars().count() / 4).clamp(1, 3);
                    (d <= limit).then(|| (d, usize::MAX - n, i.name.clone()))
                })
                .collect();
            near.sort();
            near.dedup_by(|a, b| a.2 == b.2);
            Answer::None {
                suggestions: near.into_iter().take(5).map(|x| x.2).collect(),
            }
        }
        1 => {
            let speaker = hits.remove(0);
            let mut quotes = Vec::new();
            for (d, di) in docs.iter().zip(&ids) {
                for (q, i) in d.quotes.iter().zip(&di.speakers) {
                    if i.as_ref().is_some_and(|i| i.id == speaker.id) {
                        let mut q = q.clone();
                        if let Some(s) = q.speaker.as_mut() {
                            s.id = speaker.id.clone();
                            s.name = speaker.name.clone();
                            s.kind = speaker.kind.clone();
                        }
                        quotes.push(Found {
                            document: d.id.clone(),
                            speaker: speaker.name.clone(),
                            speaker_id: speaker.id.clone(),
                            quote: q,
                        });
                    }
                }
            }
            Answer::Found { speaker, quotes }
        }
        _ => Answer::Several { speakers: hits },
    }
}

/// All quotes whose speaker NAME fits, when it fits exactly one speaker; empty otherwise.
pub fn find(docs: &[DocOutput], name: &str) -> Vec<Found> {
    match ask(docs, name) {
        Answer::Found { quotes, .. } => quotes,
        _ => vec![],
    }
}

/// Reads extract output (JSON Lines, or a JSON array of documents).
pub fn read_outputs(reader: impl BufRead, source: &str) -> anyhow::Result<Vec<DocOutput>> {
    let mut text = String::new();
    let mut reader = reader;
    reader.read_to_string(&mut text)?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{source}: not extract output: {e}"));
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line)
                .map_err(|e| anyhow::anyhow!("{source}:{}: not extract output: {e}", n + 1))?,
        );
    }
    Ok(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `s` safe to print on a terminal: control characters (ESC, BEL, CR, backspace, the C1
/// set, bidirectional overrides, ...) written as escapes (`\u{1b}`), CR as `\r`; line
/// breaks and tabs stay.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            match c {
                '\n' | '\t' => out.push(c),
                '\r' => out.push_str("\\r"),
                c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Readable text of an answer, control characters escaped ([`printable`]).
pub fn render_text(name: &str, answer: &Answer) -> String {
    printable(&render_raw(name, answer))
}

fn render_raw(name: &str, answer: &Answer) -> String {
    match answer {
        Answer::None { suggestions } if suggestions.is_empty() => {
            format!("no speaker named {name:?}\n")
        }
        Answer::None { suggestions } => format!(
            "no speaker named {name:?}; did you mean {}?\n",
            suggestions
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Answer::Several { speakers } => {
            let mut s = format!(
                "{name:?} fits {} speakers; ask for one by name or id:\n",
                speakers.len()
            );
            let mut kind = String::new();
            for c in speakers {
                if c.kind != kind {
                    kind = c.kind.clone();
                    let heading = Kind::parse(&kind).map_or(kind.clone(), |k| k.heading().into());
                    s.push_str(&format!("{heading}:\n"));
                }
                s.push_str(&format!(
                    "  {} ({}): {} quote{} in {} document{}\n",
                    c.name,
                    c.id,
                    c.quotes,
                    plural(c.quotes),
                    c.documents,
                    plural(c.documents)
                ));
            }
            s
        }
        Answer::Found { speaker, quotes } => {
            let mut s = format!(
                "{} ({}): {} quote{} in {} document{}\n",
                speaker.name,
                speaker.id,
                quotes.len(),
                plural(quotes.len()),
                speaker.documents,
                plural(speaker.documents)
            );
            for f in quotes {
                let cue = f.quote.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("-");
                let via = f
                    .quote
                    .speaker
                    .as_ref()
                    .map(|s| s.mention.text.as_str())
                    .unwrap_or("");
                s.push_str(&format!(
                    "\n[{}] {} ({}, {} \"{}\")\n  \u{201c}{}\u{201d}\n",
                    f.document, f.speaker, f.quote.kind, via, cue, f.quote.text
                ));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocOutput {
        serde_json::from_str(
            r#"{"id":"d1","source":"-","entities":[{"id":"E1","type":"PER","name":"Vladimir Putin","key":"vladimir putin",
              "mentions":[{"start":0,"end":14,"text":"Vladimir Putin","score":0.9},{"start":30,"end":35,"text":"Putin","score":0.9}]}],
              "quotes":[{"id":"Q1","kind":"direct","text":"We are ready","start":40,"end":52,
                 "speaker":{"name":"Vladimir Putin","entity":"E1","mention":{"start":60,"end":78,"text":"the Russian leader"},"resolved_by":"title"},
                 "cue":{"start":79,"end":83,"text":"said"},"confidence":0.9},
                {"id":"Q2","kind":"direct","text":"No","start":90,"end":92,"speaker":null,"cue":null,"confidence":0.2}],
              "errors":[]}"#,
        )
        .unwrap()
    }

    #[test]
    fn matches_names_aliases_ids_and_case() {
        let d = doc();
        for name in [
            "Vladimir Putin",
            "vladimir putin",
            "PUTIN",
            "Putin",
            "the Russian leader",
            "person:vladimir-putin",
        ] {
            assert_eq!(find(std::slice::from_ref(&d), name).len(), 1, "{name}");
        }
        assert!(find(std::slice::from_ref(&d), "Lavrov").is_empty());
        assert!(find(std::slice::from_ref(&d), "").is_empty());
        let answer = ask(std::slice::from_ref(&d), "Putin");
        let text = render_text("Putin", &answer);
        assert!(text.contains("1 quote in 1 document"), "{text}");
        assert!(text.contains("We are ready"));
        match ask(&[d], "Puttin") {
            Answer::None { suggestions } => assert_eq!(suggestions, vec!["Vladimir Putin"]),
            a => panic!("{a:?}"),
        }
    }
}
