//! The learned attribution tagger: Content, Cue and Source spans as PolNeAR annotates them
//! (speech, speech acts and stances with their source), found by a small branch over the NER
//! encoder's hidden states, so that no second transformer pass runs.
//!
//! - [`data`]: PolNeAR brat files → per-word BIO labels in three layers;
//! - [`decode`]: BIO layers → (content, cue, source) triples;
//! - [`score`]: exact-match figures as in the PolNeAR / CofeNet papers.

pub mod data;
pub mod decode;
pub mod model;
pub mod score;
pub mod train;

use crate::Span;

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

/// Decodes per-word log-probabilities (`[role][word] = [O, B, I]`) into attributions, with the
/// words' byte spans and sentence indices.
pub fn decode_words(
    logp: &crate::ner::AttrLogp,
    spans: &[Span],
    sentence: &[usize],
) -> Vec<LearnedAttribution> {
    let layers = [
        decode::viterbi(&logp[0]),
        decode::viterbi(&logp[1]),
        decode::viterbi(&logp[2]),
    ];
    let span = |(s, e): (usize, usize)| Span::new(spans[s].start, spans[e - 1].end);
    // Mean probability of "inside a span" (B or I) over the words of the ranges.
    let inside = |role: usize, ranges: &[(usize, usize)]| {
        let (mut sum, mut n) = (0.0f32, 0);
        for &(s, e) in ranges {
            for w in &logp[role][s..e] {
                sum += 1.0 - w[0].exp();
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            sum / n as f32
        }
    };
    decode::assemble(&layers, sentence)
        .into_iter()
        .map(|t| LearnedAttribution {
            score: inside(0, &t.content).min(inside(1, &[t.cue])),
            content: t.content.into_iter().map(span).collect(),
            cue: span(t.cue),
            source: t.source.map(span),
        })
        .collect()
}
