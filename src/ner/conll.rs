//! CoNLL-2003 files: documents of sentences of (word, BIO label). The corpus is never part of
//! the repository: every function takes a path.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::Word;
use crate::EntityType;

/// A CoNLL document: sentences of (word, BIO label).
#[derive(Debug, Clone, Default)]
pub struct ConllDoc {
    pub sentences: Vec<Vec<(String, String)>>,
}

/// Reads a CoNLL file (word first column, NER label last), `-DOCSTART-` separating documents.
/// IOB1 labels (`I-X` starting an entity) are converted to BIO.
pub fn read_conll(path: &Path) -> Result<Vec<ConllDoc>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs = vec![ConllDoc::default()];
    let mut sent: Vec<(String, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            if !sent.is_empty() {
                docs.last_mut()
                    .unwrap()
                    .sentences
                    .push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            if !sent.is_empty() {
                docs.last_mut()
                    .unwrap()
                    .sentences
                    .push(std::mem::take(&mut sent));
            }
            if !docs.last().unwrap().sentences.is_empty() {
                docs.push(ConllDoc::default());
            }
            continue;
        }
        if cols.len() < 2 {
            bail!("{}:{}: expected at least 2 columns", path.display(), n + 1);
        }
        sent.push((cols[0].to_string(), cols[cols.len() - 1].to_string()));
    }
    if !sent.is_empty() {
        docs.last_mut().unwrap().sentences.push(sent);
    }
    docs.retain(|d| !d.sentences.is_empty());
    for d in &mut docs {
        for s in &mut d.sentences {
            iob1_to_bio(s);
        }
    }
    Ok(docs)
}

fn iob1_to_bio(sent: &mut [(String, String)]) {
    let mut prev = "O".to_string();
    for (_, label) in sent.iter_mut() {
        if let Some(t) = label.strip_prefix("I-") {
            let continues = prev.len() > 2 && &prev[2..] == t;
            if !continues {
                *label = format!("B-{t}");
            }
        }
        prev = label.clone();
    }
}

pub fn doc_words(doc: &ConllDoc) -> Vec<Word<'_>> {
    doc.sentences
        .iter()
        .flat_map(|s| {
            s.iter().enumerate().map(|(i, (w, _))| Word {
                text: w.as_str(),
                sentence_start: i == 0,
            })
        })
        .collect()
}

/// Converts a label name to its entity type, if any.
pub fn label_type(label: &str) -> Option<EntityType> {
    label
        .split_once('-')
        .and_then(|(_, t)| EntityType::parse(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_becomes_bio() {
        let mut s: Vec<(String, String)> = ["I-ORG", "O", "I-MISC", "I-MISC", "B-MISC", "I-PER"]
            .iter()
            .map(|l| ("w".to_string(), l.to_string()))
            .collect();
        iob1_to_bio(&mut s);
        let got: Vec<&str> = s.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            got,
            vec!["B-ORG", "O", "B-MISC", "I-MISC", "B-MISC", "B-PER"]
        );
    }
}
