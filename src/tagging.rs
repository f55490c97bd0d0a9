//! What the tagging stage gives the stages above it, and the trait every tagger implements.
//!
//! This sits below [`crate::ner`], [`crate::quotes`] and [`crate::pipeline`], so that none of
//! them imports another for a shared type: the transformer tagger implements [`Tagger`], the
//! quote rules read [`LearnedAttribution`]s, and the pipeline runs any [`Tagger`].

use crate::{Mention, Sentence, Span};

/// Anything that finds named-entity mentions in cleaned text.
///
/// The transformer tagger ([`crate::ner::NerModel`]) is the real one; tests of the rule layer
/// may pass mentions they give by hand ([`GivenMentions`]).
pub trait Tagger: Sync {
    /// Mentions in `text` (byte spans), sorted by start. `sentences` are the sentences of `text`.
    fn tag(&self, text: &str, sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>>;

    /// Tags several documents at once (a model batches their windows). By default one by one.
    fn tag_batch(&self, docs: &[(&str, &[Sentence])]) -> Vec<anyhow::Result<Vec<Mention>>> {
        docs.iter().map(|(t, s)| self.tag(t, s)).collect()
    }

    /// Mentions and, from the same pass, the attributions of a learned attribution tagger
    /// (`None` when the tagger has none). By default [`Tagger::tag_batch`] and `None`.
    fn tag_batch_full(&self, docs: &[(&str, &[Sentence])]) -> Vec<anyhow::Result<Tagged>> {
        self.tag_batch(docs)
            .into_iter()
            .map(|r| {
                r.map(|mentions| Tagged {
                    mentions,
                    attributions: None,
                })
            })
            .collect()
    }
}

/// What a tagger finds in one document.
#[derive(Debug, Clone, Default)]
pub struct Tagged {
    pub mentions: Vec<Mention>,
    pub attributions: Option<Vec<LearnedAttribution>>,
}

/// A tagger that finds the given surface strings (with their type) wherever they occur as
/// whole words. For testing the rule layer without a model.
pub struct GivenMentions(pub Vec<(String, crate::EntityType)>);

impl Tagger for GivenMentions {
    fn tag(&self, text: &str, _sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
        let mut out: Vec<Mention> = Vec::new();
        // Longest names first, so "Vladimir Putin" wins over "Putin".
        let mut names = self.0.clone();
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        for (name, etype) in &names {
            let re = regex::Regex::new(&format!(r"\b{}\b", regex::escape(name)))?;
            for m in re.find_iter(text) {
                let span = Span::new(m.start(), m.end());
                if out.iter().all(|o| !o.span.overlaps(span)) {
                    out.push(Mention {
                        span,
                        etype: *etype,
                        score: 1.0,
                    });
                }
            }
        }
        out.sort_by_key(|m| m.span.start);
        Ok(out)
    }
}

/// An attribution found by the tagger, in byte spans of the cleaned text.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedAttribution {
    /// Content ranges in text order (several when the cue splits it).
    pub content: Vec<Span>,
    pub cue: Span,
    /// The words naming the source, when the tagger found them.
    pub source: Option<Span>,
    /// The tagger's confidence: the lower of the mean probabilities that the content words
    /// and the cue words are inside their spans.
    pub score: f32,
}
