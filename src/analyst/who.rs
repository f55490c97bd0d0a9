//! `whosaid who`: the quotes attributed to a speaker, across the documents of an extract output.
//!
//! A speaker matches NAME (case-insensitive, punctuation ignored) when NAME equals the
//! canonical name, the cross-document key, the text of any mention of the speaker's entity,
//! or the speaker mention itself; a single-word NAME also matches the last word of a
//! canonical name ("putin" finds "Vladimir Putin").

use std::io::BufRead;

use serde::Serialize;

use crate::entities::entity_key;
use crate::output::{DocOutput, QuoteOut};

/// One quote found for a speaker.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub document: String,
    pub speaker: String,
    pub quote: QuoteOut,
}

/// The names a quote's speaker goes by in its document, as keys.
fn speaker_keys(doc: &DocOutput, q: &QuoteOut) -> Vec<String> {
    let Some(s) = &q.speaker else { return vec![] };
    let mut keys = vec![entity_key(&s.name), entity_key(&s.mention.text)];
    if let Some(eid) = &s.entity {
        if let Some(e) = doc.entities.iter().find(|e| &e.id == eid) {
            keys.push(entity_key(&e.name));
            keys.push(e.key.clone());
            keys.extend(e.mentions.iter().map(|m| entity_key(&m.text)));
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// Whether `name` names the speaker of `q`.
pub fn matches(doc: &DocOutput, q: &QuoteOut, name: &str) -> bool {
    let want = entity_key(name);
    if want.is_empty() {
        return false;
    }
    let keys = speaker_keys(doc, q);
    keys.contains(&want)
        || (!want.contains(' ')
            && q.speaker.as_ref().is_some_and(|s| {
                s.entity.is_some() && entity_key(&s.name).rsplit(' ').next() == Some(want.as_str())
            }))
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

/// All quotes whose speaker matches `name`, in document order.
pub fn find(docs: &[DocOutput], name: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for d in docs {
        for q in &d.quotes {
            if matches(d, q, name) {
                out.push(Found {
                    document: d.id.clone(),
                    speaker: q
                        .speaker
                        .as_ref()
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    quote: q.clone(),
                });
            }
        }
    }
    out
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

/// Readable text: one block per quote, control characters escaped ([`printable`]).
pub fn render_text(name: &str, found: &[Found]) -> String {
    let name = printable(name);
    let mut docs: Vec<&str> = found.iter().map(|f| f.document.as_str()).collect();
    docs.dedup();
    let mut s = format!(
        "{name}: {} quote{} in {} document{}\n",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        docs.len(),
        if docs.len() == 1 { "" } else { "s" }
    );
    for f in found {
        let cue = f.quote.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("-");
        let via = f
            .quote
            .speaker
            .as_ref()
            .map(|s| s.mention.text.as_str())
            .unwrap_or("");
        s.push_str(&format!(
            "\n[{}] {} ({}, {} \"{}\")\n  \u{201c}{}\u{201d}\n",
            printable(&f.document),
            printable(&f.speaker),
            printable(&f.quote.kind),
            printable(via),
            printable(cue),
            printable(&f.quote.text)
        ));
    }
    s
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
    fn matches_names_aliases_and_case() {
        let d = doc();
        for name in [
            "Vladimir Putin",
            "vladimir putin",
            "PUTIN",
            "Putin",
            "the Russian leader",
        ] {
            assert_eq!(find(std::slice::from_ref(&d), name).len(), 1, "{name}");
        }
        assert!(find(std::slice::from_ref(&d), "Lavrov").is_empty());
        assert!(find(std::slice::from_ref(&d), "").is_empty());
        let text = render_text("Putin", &find(&[d], "Putin"));
        assert!(text.contains("1 quote in 1 document"));
        assert!(text.contains("We are ready"));
    }
}
