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
    /// The learned speaker chooser's weights that go with this tagger's attribution head.
    fn chooser(&self) -> Option<&ChooserWeights> {
        None
    }

    /// The confidence the attribution head's unquoted attributions need, when its model says.
    fn min_score(&self) -> Option<f32> {
        None
    }

    fn tag_batch_full(&self, docs: &[(&str, &[Sentence])]) -> Vec<anyhow::Result<Tagged>> {
        self.tag_batch(docs)
            .into_iter()
            .map(|r| {
                r.map(|mentions| Tagged {
                    mentions,
                    attributions: None,
                    sources: Vec::new(),
                    states: None,
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
    /// Every source phrase the attribution tagger marks, paired with a cue or not, sorted: the
    /// quote layer widens a speaker's mention to the phrase around it, and the speaker chooser
    /// weighs them. Empty without an attribution tagger.
    pub sources: Vec<SourceSpan>,
    /// The attribution branch's input state of each word (the encoder's top layer at its
    /// first subword), when the tagger was asked to keep them: the speaker chooser's pair
    /// score reads them. `None` otherwise.
    pub states: Option<WordStates>,
}

/// One vector per word of a document: the words' byte spans (sorted) and their vectors, row
/// after row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordStates {
    pub spans: Vec<Span>,
    pub dim: usize,
    pub data: Vec<f32>,
}

impl WordStates {
    /// The mean vector of the words that overlap `span`, scaled to unit length; `None` when no
    /// word overlaps it.
    pub fn mean(&self, span: Span) -> Option<Vec<f32>> {
        let from = self.spans.partition_point(|w| w.end <= span.start);
        let mut v = vec![0.0f32; self.dim];
        let mut n = 0usize;
        for (k, w) in self.spans.iter().enumerate().skip(from) {
            if w.start >= span.end {
                break;
            }
            for (x, y) in v
                .iter_mut()
                .zip(&self.data[k * self.dim..(k + 1) * self.dim])
            {
                *x += y;
            }
            n += 1;
        }
        if n == 0 {
            return None;
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        Some(v)
    }
}

/// A source phrase of the attribution tagger: its byte span and the mean probability that its
/// words are inside a Source span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceSpan {
    pub span: Span,
    pub score: f32,
}

/// The weights of the learned speaker chooser (`chooser.json` beside a model with an
/// attribution head; see `quotes/chooser.rs`): a linear score per candidate source phrase over
/// named features, a softmax over the candidates of one attribution.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChooserWeights {
    /// Feature names, in the order of `weights` (the quote layer checks them against its own).
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    /// The probability a candidate other than the rules' phrase needs to replace it (or to
    /// give a speaker where the rules found no phrase).
    pub min_prob: f32,
    /// Whether the chooser may also replace a phrase that a strong rule found (the cue's own
    /// subject or object, a label); by default it only replaces weak rules' phrases (carry-over,
    /// sandwich, chain, sentence subject, the tagger's) and fills in missing ones.
    #[serde(default)]
    pub replace_strong: bool,
    /// How the weights were fitted (command, data, figures), for the reader.
    #[serde(default)]
    pub about: String,
    /// The pair score over the attribution branch's word states, added to the linear score
    /// (absent: the linear score alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<PairWeights>,
}

/// The speaker chooser's pair score over the attribution branch's word states
/// ([`WordStates`]): for a candidate's vector `c` (the mean state of its words, unit length)
/// and the attribution's query `q` (the mean states of its cue and of its content, each of unit
/// length, one after the other; zeros for a missing cue), `(U c)·(V q) + a·c`. It reads how
/// well a phrase fits this cue and content, which the features above only approximate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairWeights {
    /// The state size (384 for MiniLM-L6).
    pub dim: usize,
    pub rank: usize,
    /// `U`, `rank × dim`, row after row.
    pub u: Vec<f32>,
    /// `V`, `rank × 2·dim`.
    pub v: Vec<f32>,
    /// `a`, `dim`.
    pub a: Vec<f32>,
}

impl PairWeights {
    /// Whether the matrices have the sizes `dim` and `rank` say.
    pub fn sizes_agree(&self) -> bool {
        self.u.len() == self.rank * self.dim
            && self.v.len() == self.rank * 2 * self.dim
            && self.a.len() == self.dim
    }

    /// `V q` for a query of `2·dim` values.
    pub fn query(&self, q: &[f32]) -> Vec<f32> {
        self.v
            .chunks(2 * self.dim)
            .map(|row| row.iter().zip(q).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// The pair scores of candidate vectors (`dim` values each) against a query.
    pub fn scores(&self, cands: &[Vec<f32>], q: &[f32]) -> Vec<f32> {
        let vq = self.query(q);
        cands.iter().map(|c| self.score(c, &vq)).collect()
    }

    /// The pair score of a candidate vector `c` (`dim` values) against `V q`.
    pub fn score(&self, c: &[f32], vq: &[f32]) -> f32 {
        let uc = self
            .u
            .chunks(self.dim)
            .map(|row| row.iter().zip(c).map(|(a, b)| a * b).sum::<f32>());
        uc.zip(vq).map(|(x, y)| x * y).sum::<f32>()
            + self.a.iter().zip(c).map(|(a, b)| a * b).sum::<f32>()
    }
}

impl ChooserWeights {
    pub const FILE: &'static str = "chooser.json";

    /// Reads `chooser.json` from a model folder; `None` when there is none.
    pub fn read(dir: &std::path::Path) -> anyhow::Result<Option<ChooserWeights>> {
        use anyhow::Context;
        let p = dir.join(Self::FILE);
        if !p.exists() {
            return Ok(None);
        }
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        let w: ChooserWeights =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", p.display()))?;
        anyhow::ensure!(
            w.features.len() == w.weights.len(),
            "{}: {} features but {} weights",
            p.display(),
            w.features.len(),
            w.weights.len()
        );
        anyhow::ensure!(
            w.pair.as_ref().is_none_or(PairWeights::sizes_agree),
            "{}: the pair weights' sizes do not match their dim and rank",
            p.display()
        );
        anyhow::ensure!(
            w.has_this_versions_features(),
            "{}: the chooser's features ({}) are not this version's ({}); refit it with \
             `whosaid eval fit-chooser`",
            p.display(),
            w.features.join(", "),
            CHOOSER_FEATURES.join(", ")
        );
        Ok(Some(w))
    }

    /// Whether the weights are for [`CHOOSER_FEATURES`], in that order.
    pub fn has_this_versions_features(&self) -> bool {
        self.features
            .iter()
            .map(String::as_str)
            .eq(CHOOSER_FEATURES.iter().copied())
    }
}

/// The speaker chooser's features (`quotes::chooser` computes them), in the order of
/// [`ChooserWeights::weights`]. A `chooser.json` must name these, in this order.
pub const CHOOSER_FEATURES: &[&str] = &[
    "rule_strong",
    "rule_weak",
    "tagger_source",
    "tagger_paired",
    "same_sentence",
    "earlier_sentence",
    "later_sentence",
    "previous_paragraph",
    "two_paragraphs_back",
    "after_content",
    "distance",
    "nearest_before",
    "nearest_source_before",
    "pronoun",
    "person",
    "organisation",
    "in_quote",
    "rule_quoted",
    "source_same_sentence",
    "rule_relative",
];

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

#[cfg(test)]
mod tests {
    use super::{ChooserWeights, PairWeights, WordStates, CHOOSER_FEATURES};
    use crate::Span;

    #[test]
    fn word_states_average_the_words_of_a_span_and_the_pair_score_reads_them() {
        let st = WordStates {
            spans: vec![Span::new(0, 4), Span::new(5, 9), Span::new(10, 14)],
            dim: 2,
            data: vec![3.0, 0.0, 0.0, 4.0, 1.0, 1.0],
        };
        // Words 0 and 1: (3, 4) / 2, scaled to unit length.
        let m = st.mean(Span::new(2, 7)).unwrap();
        assert!(
            (m[0] - 0.6).abs() < 1e-6 && (m[1] - 0.8).abs() < 1e-6,
            "{m:?}"
        );
        assert!(st.mean(Span::new(14, 20)).is_none());
        assert_eq!(st.mean(Span::new(10, 12)).unwrap().len(), 2);
        // (U c)·(V q) + a·c with U = [1 0], V = [0 0 1 0], a = (0, 2).
        let pw = PairWeights {
            dim: 2,
            rank: 1,
            u: vec![1.0, 0.0],
            v: vec![0.0, 0.0, 1.0, 0.0],
            a: vec![0.0, 2.0],
        };
        assert!(pw.sizes_agree());
        let vq = pw.query(&[5.0, 5.0, 0.5, 9.0]);
        assert_eq!(vq, vec![0.5]);
        assert!((pw.score(&m, &vq) - (0.6 * 0.5 + 2.0 * 0.8)).abs() < 1e-6);
    }

    #[test]
    fn a_chooser_for_other_features_is_refused_when_it_loads() {
        let dir = std::env::temp_dir().join(format!("whosaid-chooser-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(ChooserWeights::read(&dir).unwrap().is_none());
        let mut w = ChooserWeights {
            features: CHOOSER_FEATURES.iter().map(|s| s.to_string()).collect(),
            weights: vec![0.5; CHOOSER_FEATURES.len()],
            min_prob: 0.3,
            replace_strong: false,
            about: String::new(),
            pair: Some(PairWeights {
                dim: 2,
                rank: 1,
                u: vec![0.0; 2],
                v: vec![0.0; 4],
                a: vec![0.0; 2],
            }),
        };
        let write = |w: &ChooserWeights| {
            std::fs::write(
                dir.join(ChooserWeights::FILE),
                serde_json::to_string(w).unwrap(),
            )
            .unwrap()
        };
        write(&w);
        assert_eq!(ChooserWeights::read(&dir).unwrap().unwrap(), w);
        // Pair weights whose sizes disagree with their dim and rank are refused.
        w.pair.as_mut().unwrap().a.pop();
        write(&w);
        let e = format!("{:#}", ChooserWeights::read(&dir).unwrap_err());
        assert!(e.contains("sizes"), "{e}");
        w.pair.as_mut().unwrap().a.push(0.0);
        w.features.swap(0, 1);
        write(&w);
        let e = format!("{:#}", ChooserWeights::read(&dir).unwrap_err());
        assert!(
            e.contains("not this version's") && e.contains("chooser.json"),
            "{e}"
        );
        w.features.swap(0, 1);
        w.weights.pop();
        write(&w);
        assert!(ChooserWeights::read(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
