//! The learned speaker chooser (issue 18, item 3).
//!
//! For each attribution the rules or the tagger found, before speaker resolution, the chooser
//! scores the candidate source phrases in its paragraph and the two before it:
//! - the rules' speaker phrase,
//! - every source phrase of the attribution tagger (its Source layer, read from the encoder's
//!   states at the words),
//! - every person or organisation mention,
//!
//! (overlapping ones are one candidate) with a linear score over named features: which of the
//! three proposed it, the tagger's source probability, whether the tagger paired it with this
//! attribution's content, where it stands (same sentence, earlier or later sentence, one or two
//! paragraphs back, after the content, the distance in tokens, the nearest before the cue) and
//! what it is (a pronoun, a person, an organisation, inside a quote). With pair weights
//! (`tagging::PairWeights`) the score adds a low-rank pair score over the attribution branch's
//! word states: the candidate's mean state against its cue's and content's, so it reads how
//! well this phrase goes with this cue, not only how source-like it is. A softmax over the
//! candidates gives each a probability. Where a candidate other than the rules' phrase reaches
//! [`ChooserWeights::min_prob`], it replaces the rules' phrase, or gives a phrase where the
//! rules had none (which the carry-over would otherwise guess); the chosen phrase then goes
//! through the rules' resolution (pronoun, role or title → name) like any other. A transcript
//! label and a strong rule's relative phrase ("officials who say") stay (see `fixed`).
//!
//! The weights are fitted on PolNeAR train (`whosaid eval fit-chooser`, `src/eval/chooser.rs`)
//! and stored as `chooser.json` beside the model's attribution head.

use super::doc::{Doc, Np, NpKind};
use super::learned::{source_np, tokens_of};
use super::lexicon::PERSONAL_PRONOUNS;
use super::words::RELATIVE_PRONOUNS;
use super::{Attr, Cand, Learned, Rule};
use crate::tagging::ChooserWeights;
use crate::{EntityType, Span};

/// The features, in the order of [`ChooserWeights::weights`].
pub use crate::tagging::CHOOSER_FEATURES as FEATURES;

/// One candidate source phrase of an attribution: its byte span (the union of the phrases
/// that proposed it), whether it holds the rules' phrase, and its features.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub span: Span,
    pub rule: bool,
    pub features: Vec<f32>,
}

/// The pair score's vectors of one attribution: each candidate's mean word state (unit
/// length), and the query (the cue's and the content's mean states).
pub type PairVectors = (Vec<Vec<f32>>, Vec<f32>);

/// An attribution with its candidates, for fitting: `content` is its content's byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub content: Span,
    pub candidates: Vec<Candidate>,
    /// The pair score's vectors, when the tagger kept word states.
    pub vectors: Option<PairVectors>,
    /// The rules' phrase stays whatever the chooser prefers (a transcript label, a strong
    /// rule's relative phrase).
    pub fixed: bool,
}

/// A candidate while it is built: token range, the phrase the resolver gets, what proposed it.
struct Group {
    first: usize,
    last: usize,
    np: Np,
    rule: bool,
    source: f32,
    entity: Option<EntityType>,
}

/// Rules that name their speaker phrase outright: the cue's own subject or object, a label.
fn strong(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::PostQuote
            | Rule::PreCue
            | Rule::SentenceCue
            | Rule::Colon
            | Rule::IndirectThat
            | Rule::IndirectAfter
            | Rule::IndirectObject
            | Rule::AccordingTo
            | Rule::Transcript
    )
}

/// Whether a phrase is a relative pronoun ("who", "which"), which stands for the phrase
/// before it.
fn relative_np(doc: &Doc, np: &Np) -> bool {
    np.kind == NpKind::Relative || RELATIVE_PRONOUNS.contains(&doc.lw[np.first].as_str())
}

/// Whether the rules' speaker phrase of an attribution stays whatever the chooser prefers: a
/// transcript label, and a strong rule's relative phrase ("officials who say", "Navalny, whose
/// allies say"), which the rules resolve to the phrase it stands for. The tagger and the
/// features read such a sentence as the outer speaker's ("Trump criticized his officials who
/// say ..."); measured on the five train folds (model card).
fn fixed(doc: &Doc, a: &Attr) -> bool {
    a.rule == Rule::Transcript
        || (strong(a.rule)
            && a.np
                .as_ref()
                .is_some_and(|np| relative_np(doc, np) || doc.lw[np.first] == "whose"))
}

/// Whether the speaker phrase is the tagger's source and modifies its cue, a speech noun
/// ([`CUE_NOUNS`](super::lexicon::CUE_NOUNS)), right before it: "amid Kremlin accusations that
/// ..." is the Kremlin's, whatever name the chooser prefers (the seed article's "Putin's
/// proposal ... comes amid Kremlin accusations" went to Putin in float32). Five folds of
/// PolNeAR train: strict indirect source 90.64 → 90.60, exact source F1 75.24 → 75.22; for any
/// tagger source ending before its cue (adverbs and auxiliaries between): 90.28 and 74.98.
fn tagged_own_subject(doc: &Doc, a: &Attr) -> bool {
    let (Some(np), Some(cue)) = (&a.np, a.cue) else {
        return false;
    };
    a.rule == Rule::Learned
        && np.last + 1 == cue.first
        && super::lexicon::CUE_NOUNS.contains(&doc.lw[cue.last].as_str())
}

/// The candidates of one attribution, with their phrases for the resolver.
fn groups(doc: &Doc, c: &Cand, learned: &Learned<'_>) -> (Vec<Group>, Vec<Vec<f32>>) {
    let Some((cf, cl)) = tokens_of(doc, c.content) else {
        return (vec![], vec![]);
    };
    let cue = c.attr.as_ref().and_then(|a| a.cue);
    let anchor = match (cue, c.seg) {
        (Some(q), _) => q.tok,
        (None, Some(si)) => doc.segs[si].open,
        (None, None) => cf,
    };
    let para = doc.toks[anchor].para;
    let lo = doc.paras[para.saturating_sub(2)].0;
    let hi = doc.paras[para].1;
    let inside_content = |f: usize, l: usize| f >= cf && l <= cl;
    let mut gs: Vec<Group> = Vec::new();
    let add = |gs: &mut Vec<Group>, g: Group| {
        if let Some(o) = gs
            .iter_mut()
            .find(|o| o.first <= g.last && g.first <= o.last)
        {
            // One candidate: the rules' phrase wins as the resolver's phrase, then a name.
            if g.rule || (!o.rule && g.entity.is_some() && o.entity.is_none()) {
                o.np = g.np.clone();
            }
            o.first = o.first.min(g.first);
            o.last = o.last.max(g.last);
            o.rule |= g.rule;
            o.source = o.source.max(g.source);
            o.entity = o.entity.or(g.entity);
        } else {
            gs.push(g);
        }
    };
    let rule_np = c.attr.as_ref().and_then(|a| a.np.clone());
    let rule = c.attr.as_ref().map(|a| a.rule);
    if let Some(np) = &rule_np {
        // A relative pronoun stands for the phrase before it ("his intelligence officials
        // who"): the candidate spans both, the resolver gets the pronoun.
        let mut first = np.first;
        if np.kind == NpKind::Relative && np.first > lo {
            let e = if np.first >= 2 && doc.is_punct(np.first - 1, ",") {
                np.first - 2
            } else {
                np.first - 1
            };
            if let Some(a) = doc.np_core(e, lo) {
                first = a.first.min(first);
            }
        }
        add(
            &mut gs,
            Group {
                first,
                last: np.last,
                np: np.clone(),
                rule: true,
                source: 0.0,
                entity: None,
            },
        );
    }
    for s in learned.sources {
        let Some((f, l)) = tokens_of(doc, s.span) else {
            continue;
        };
        if f < lo || l > hi || inside_content(f, l) {
            continue;
        }
        let Some(np) = source_np(doc, s.span) else {
            continue;
        };
        add(
            &mut gs,
            Group {
                first: f,
                last: l,
                np,
                rule: false,
                source: s.score,
                entity: None,
            },
        );
    }
    let mut k = lo;
    while k <= hi {
        let Some(e) = doc.ment[k] else {
            k += 1;
            continue;
        };
        let f = k;
        while k < hi && doc.ment[k + 1] == Some(e) {
            k += 1;
        }
        let l = k;
        k += 1;
        let et = doc.etypes[e];
        if !matches!(et, EntityType::PER | EntityType::ORG) || inside_content(f, l) {
            continue;
        }
        add(
            &mut gs,
            Group {
                first: f,
                last: l,
                np: Np {
                    first: f,
                    last: l,
                    kind: NpKind::Entity(e),
                },
                rule: false,
                source: 0.0,
                entity: Some(et),
            },
        );
    }
    // Entity types of candidates proposed by other phrases.
    for g in gs.iter_mut() {
        if g.entity.is_none() {
            g.entity = (g.first..=g.last).find_map(|i| doc.ment[i].map(|e| doc.etypes[e]));
        }
    }
    // The tagger paired a source with this attribution: with its cue when it has one (an
    // attribution around this one, "X criticized officials who say ...", shares content but
    // not the cue), else with its content.
    let cue_span = cue.map(|q| doc.span(q.first, q.last));
    let paired: Vec<Span> = learned
        .attributions
        .unwrap_or(&[])
        .iter()
        .filter(|a| match cue_span {
            Some(q) => a.cue.overlaps(q),
            None => a.content.iter().any(|p| p.overlaps(c.content)),
        })
        .filter_map(|a| a.source)
        .collect();
    let nearest = gs
        .iter()
        .enumerate()
        .filter(|(_, g)| g.last < anchor)
        .max_by_key(|(_, g)| g.last)
        .map(|(i, _)| i);
    let nearest_source = gs
        .iter()
        .enumerate()
        .filter(|(_, g)| g.last < anchor && g.source > 0.0)
        .max_by_key(|(_, g)| g.last)
        .map(|(i, _)| i);
    let sa = doc.sent[anchor];
    // The rules' phrase is a relative pronoun ("officials who say", "Navalny, whose allies
    // say"): the rules resolve it to the phrase before it.
    let relative = rule_np.as_ref().is_some_and(|np| relative_np(doc, np));
    let feats = gs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let span = doc.span(g.first, g.last);
            let sg = doc.sent[g.first];
            let pg = doc.toks[g.first].para;
            let same = sg == sa;
            let dist = if g.last < anchor {
                anchor - g.last
            } else {
                g.first.saturating_sub(anchor)
            };
            let w = doc.pronoun_word(g.first);
            let pronoun = g.first == g.last
                && (PERSONAL_PRONOUNS.contains(&w) || RELATIVE_PRONOUNS.contains(&w));
            let b = |x: bool| if x { 1.0 } else { 0.0 };
            let is_rule = g.rule;
            vec![
                b(is_rule && rule.is_some_and(strong)),
                b(is_rule && !rule.is_some_and(strong)),
                g.source,
                b(paired.iter().any(|p| p.overlaps(span))),
                b(same),
                b(!same && pg == para && sg < sa),
                b(!same && pg == para && sg > sa),
                b(pg + 1 == para),
                b(pg + 2 == para),
                b(g.first > cl),
                ((1 + dist) as f32).ln() / 4.0,
                b(nearest == Some(i)),
                b(nearest_source == Some(i)),
                b(pronoun),
                b(g.entity == Some(EntityType::PER)),
                b(g.entity == Some(EntityType::ORG)),
                b(doc.qid[g.first].is_some()),
                b(is_rule && c.seg.is_some()),
                g.source * b(same),
                b(is_rule && relative),
            ]
        })
        .collect();
    (gs, feats)
}

/// The pair score's vectors of one attribution, with word states: each candidate's mean
/// state (zeros where no word has one) and the query, the cue's mean state then the content's
/// (zeros for a missing one).
fn vectors(doc: &Doc, c: &Cand, gs: &[Group], states: &crate::tagging::WordStates) -> PairVectors {
    let dim = states.dim;
    let zeros = || vec![0.0f32; dim];
    let cands = gs
        .iter()
        .map(|g| states.mean(doc.span(g.first, g.last)).unwrap_or_else(zeros))
        .collect();
    let cue = c
        .attr
        .as_ref()
        .and_then(|a| a.cue)
        .and_then(|q| states.mean(doc.span(q.first, q.last)))
        .unwrap_or_else(zeros);
    let mut query = cue;
    query.extend(states.mean(c.content).unwrap_or_else(zeros));
    (cands, query)
}

/// The example of one attribution (for fitting).
pub(super) fn example(doc: &Doc, c: &Cand, learned: &Learned<'_>) -> Example {
    let (gs, feats) = groups(doc, c, learned);
    Example {
        content: c.content,
        vectors: learned.states.map(|st| vectors(doc, c, &gs, st)),
        candidates: gs
            .iter()
            .zip(feats)
            .map(|(g, features)| Candidate {
                span: doc.span(g.first, g.last),
                rule: g.rule,
                features,
            })
            .collect(),
        fixed: c.attr.as_ref().is_some_and(|a| fixed(doc, a)),
    }
}

/// Softmax probabilities of candidates with these features under `weights`, with `extra`
/// added to each candidate's score (the pair score) when given.
pub fn probabilities(weights: &[f32], feats: &[Vec<f32>], extra: Option<&[f32]>) -> Vec<f32> {
    let scores: Vec<f32> = feats
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.iter().zip(weights).map(|(x, w)| x * w).sum::<f32>() + extra.map_or(0.0, |e| e[i])
        })
        .collect();
    let max = scores.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = scores.iter().map(|s| (s - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

/// Replaces the rules' speaker phrase of each attribution by the chooser's, where the chooser
/// prefers another candidate with at least `w.min_prob`. Transcript labels stay.
pub(super) fn choose(doc: &Doc, cands: &mut [Cand], learned: &Learned<'_>, w: &ChooserWeights) {
    if !w.has_this_versions_features() {
        // Weights built in code for other features (a `chooser.json` for them does not load).
        return;
    }
    for c in cands.iter_mut() {
        if c.attr.as_ref().is_some_and(|a| {
            fixed(doc, a)
                || (!w.replace_strong && a.np.is_some() && strong(a.rule))
                || tagged_own_subject(doc, a)
        }) {
            continue;
        }
        let (gs, feats) = groups(doc, c, learned);
        if gs.is_empty() {
            continue;
        }
        let extra = match (&w.pair, learned.states) {
            (Some(pw), Some(st)) => {
                let (cands, query) = vectors(doc, c, &gs, st);
                Some(pw.scores(&cands, &query))
            }
            _ => None,
        };
        let p = probabilities(&w.weights, &feats, extra.as_deref());
        let best = (0..p.len())
            .max_by(|&a, &b| p[a].total_cmp(&p[b]))
            .unwrap_or(0);
        if gs[best].rule || p[best] < w.min_prob {
            continue;
        }
        let np = gs[best].np.clone();
        let cue = c.attr.as_ref().and_then(|a| a.cue);
        c.attr = Some(Attr {
            np: Some(np),
            cue,
            rule: Rule::Chosen,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::{GivenMentions, SourceSpan, Tagger};

    fn span(text: &str, s: &str) -> Span {
        let a = text.find(s).expect(s);
        Span::new(a, a + s.len())
    }

    /// (content, speaker name) of each quote, with these tagger sources and weights.
    fn run(
        text: &str,
        sources: &[SourceSpan],
        w: Option<&ChooserWeights>,
    ) -> Vec<(String, String)> {
        let tagger = GivenMentions(vec![
            ("Anna Berg".into(), EntityType::PER),
            ("Tom Reed".into(), EntityType::PER),
        ]);
        let sentences = crate::segment::sentences(text);
        let mentions = tagger.tag(text, &sentences).unwrap();
        let mut entities = crate::entities::merge(text, &mentions);
        let learned = Learned {
            attributions: None,
            sources,
            chooser: w,
            states: None,
            min_score: None,
        };
        super::super::extract_quotes_learned(text, &mut entities, learned)
            .into_iter()
            .map(|q| {
                (
                    q.content.slice(text).to_string(),
                    q.speaker.map(|s| s.name).unwrap_or_default(),
                )
            })
            .collect()
    }

    fn weights(min_prob: f32) -> ChooserWeights {
        let mut weights = vec![0.0; FEATURES.len()];
        weights[FEATURES.iter().position(|f| *f == "tagger_source").unwrap()] = 6.0;
        ChooserWeights {
            features: FEATURES.iter().map(|s| s.to_string()).collect(),
            weights,
            min_prob,
            replace_strong: false,
            about: String::new(),
            pair: None,
        }
    }

    #[test]
    fn a_confident_chooser_replaces_the_carry_over_guess() {
        let text =
            "Anna Berg spoke in Oslo on Monday. Tom Reed listened.\n\n\"We will win the vote.\"";
        let sources = [SourceSpan {
            span: span(text, "Anna Berg"),
            score: 0.9,
        }];
        let without = run(text, &sources, None);
        assert_eq!(without.len(), 1, "{without:?}");
        let with = run(text, &sources, Some(&weights(0.5)));
        assert_eq!(with[0].1, "Anna Berg", "{with:?}");
        // Not confident enough: the rules' answer stays.
        assert_eq!(run(text, &sources, Some(&weights(1.01))), without);
        // Weights for other features are not used.
        let mut other = weights(0.5);
        other.features[0] = "something_else".into();
        assert_eq!(run(text, &sources, Some(&other)), without);
    }

    #[test]
    fn a_strong_rules_relative_phrase_stays_whatever_the_chooser_prefers() {
        // The outer speaker is the tagger's source; the rules read "who" as "his officials".
        let text = "Tom Reed criticized his officials who say that taxes will rise next year.";
        let sources = [SourceSpan {
            span: span(text, "Tom Reed"),
            score: 0.95,
        }];
        let mut w = weights(0.3);
        w.replace_strong = true;
        let with = run(text, &sources, Some(&w));
        let without = run(text, &sources, None);
        assert_eq!(with, without);
        assert!(
            with.iter()
                .any(|(c, s)| c.contains("taxes will rise") && s.contains("officials")),
            "{with:?}"
        );
        // A strong rule's other phrase is replaceable.
        let text = "Anna Berg met Tom Reed. He said that taxes will rise next year.";
        let sources = [SourceSpan {
            span: span(text, "Anna Berg"),
            score: 0.95,
        }];
        let with = run(text, &sources, Some(&w));
        assert!(
            with.iter()
                .any(|(c, s)| c.contains("taxes will rise") && s == "Anna Berg"),
            "{with:?}"
        );
    }

    #[test]
    fn candidates_hold_the_rules_phrase_the_tagger_phrases_and_the_names() {
        let text = "Tom Reed met reporters. \"We will win,\" Anna Berg said.";
        let sentences = crate::segment::sentences(text);
        let tagger = GivenMentions(vec![
            ("Anna Berg".into(), EntityType::PER),
            ("Tom Reed".into(), EntityType::PER),
        ]);
        let mentions = tagger.tag(text, &sentences).unwrap();
        let entities = crate::entities::merge(text, &mentions);
        let sources = [SourceSpan {
            span: span(text, "Anna Berg"),
            score: 0.8,
        }];
        let learned = Learned {
            attributions: None,
            sources: &sources,
            chooser: None,
            states: None,
            min_score: None,
        };
        let ex = super::super::chooser_examples(text, &entities, learned);
        assert_eq!(ex.len(), 1, "{ex:?}");
        let c = &ex[0].candidates;
        assert_eq!(c.len(), 2, "{c:?}");
        let berg = c
            .iter()
            .find(|c| c.span.slice(text) == "Anna Berg")
            .expect("Berg");
        assert!(berg.rule);
        let f = |name: &str| FEATURES.iter().position(|x| *x == name).unwrap();
        assert_eq!(berg.features[f("rule_strong")], 1.0);
        assert_eq!(berg.features[f("tagger_source")], 0.8);
        assert_eq!(berg.features[f("after_content")], 1.0);
        let reed = c
            .iter()
            .find(|c| c.span.slice(text) == "Tom Reed")
            .expect("Reed");
        assert!(!reed.rule);
        assert_eq!(reed.features[f("same_sentence")], 0.0);
        assert_eq!(reed.features[f("earlier_sentence")], 1.0);
        assert_eq!(reed.features[f("person")], 1.0);
    }
    #[test]
    fn a_tagged_name_before_a_speech_noun_stays_against_the_chooser() {
        let text = "Putin's plan comes amid Kremlin accusations that the West lies. Kremlin \
                    officials said so.";
        let doc = Doc::new(text, &[]);
        let tok = |s: &str| {
            let a = text.find(s).expect(s);
            doc.toks.iter().position(|t| t.span.start == a).unwrap()
        };
        let attr = |np: &str, cue: &str, rule: Rule| {
            let (n, c) = (tok(np), tok(cue));
            Attr {
                np: Some(Np {
                    first: n,
                    last: n,
                    kind: NpKind::Description,
                }),
                cue: Some(super::super::doc::Cue {
                    tok: c,
                    first: c,
                    last: c,
                    according: false,
                }),
                rule,
            }
        };
        assert!(tagged_own_subject(
            &doc,
            &attr("Kremlin accusations", "accusations", Rule::Learned)
        ));
        // Not the rules' phrase, not a verb cue, not a phrase away from the cue.
        assert!(!tagged_own_subject(
            &doc,
            &attr("Kremlin accusations", "accusations", Rule::PreCue)
        ));
        assert!(!tagged_own_subject(
            &doc,
            &attr("officials", "said", Rule::Learned)
        ));
        assert!(!tagged_own_subject(
            &doc,
            &attr("Putin", "accusations", Rule::Learned)
        ));
    }
}
