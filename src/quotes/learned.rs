//! The learned tagger's attributions merged into the rule layer's candidates.
//!
//! - Quoted material stays the rules' job: a tagger attribution whose content lies mostly in a
//!   quote segment, or overlaps a quote the rules kept, only lends its source (and cue) to
//!   those quotes when the rules found no speaker phrase for them, or only the weak "subject
//!   of the sentence" guess.
//! - Unquoted content is the tagger's: its content ranges become `indirect` candidates (one
//!   per range, sharing the cue, so a content split by the cue stays one attribution); a rule
//!   candidate it overlaps is replaced, keeping the rule's speaker phrase when the tagger has
//!   no source. Rule candidates the tagger does not overlap stay.
//! - The speaker phrase is the tagger's Source span read as the rules read a noun phrase (its
//!   head word decides: a pronoun, a name, a description); the rule layer's resolver then
//!   links it to an entity, as for any rule.

use super::doc::{Cue, Doc, Np};
use super::{Attr, Cand, Rule};
use crate::attribution::LearnedAttribution;
use crate::types::{QuoteKind, Span};

/// Tokens overlapping `span`: (first, last), inclusive.
fn tokens_of(doc: &Doc, span: Span) -> Option<(usize, usize)> {
    let first = doc.toks.partition_point(|t| t.span.end <= span.start);
    let mut last = None;
    for (i, t) in doc.toks.iter().enumerate().skip(first) {
        if t.span.start >= span.end {
            break;
        }
        last = Some(i);
    }
    last.map(|l| (first, l))
}

/// The tagger's source span as a speaker phrase: the rules' noun phrase at its last word
/// (backing off to earlier words), widened to the tagger's span.
fn source_np(doc: &Doc, span: Span) -> Option<Np> {
    let (first, last) = tokens_of(doc, span)?;
    (first..=last)
        .rev()
        .find_map(|e| doc.np_core(e, first))
        .map(|np| Np {
            first,
            last,
            kind: np.kind,
        })
}

fn cue_of(doc: &Doc, span: Span) -> Option<Cue> {
    let (first, last) = tokens_of(doc, span)?;
    let tok = (first..=last).find(|&i| doc.is_word(i)).unwrap_or(first);
    Some(Cue {
        tok,
        first,
        last,
        according: doc.lw[first] == "according",
    })
}

fn quoted_share(doc: &Doc, span: Span) -> f64 {
    let Some((first, last)) = tokens_of(doc, span) else {
        return 0.0;
    };
    let words: Vec<usize> = (first..=last).filter(|&i| doc.is_word(i)).collect();
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|&&i| doc.qid[i].is_some()).count() as f64 / words.len() as f64
}

/// Adds the tagger's attributions to the rule candidates (before speaker resolution).
pub(super) fn merge(doc: &Doc, cands: &mut Vec<Cand>, learned: &[LearnedAttribution]) {
    let mut drop = vec![false; cands.len()];
    let mut added: Vec<Cand> = Vec::new();
    for la in learned {
        let np = la.source.and_then(|s| source_np(doc, s));
        let cue = cue_of(doc, la.cue);
        let total: usize = la.content.iter().map(|c| c.len()).sum();
        let quoted: f64 = la
            .content
            .iter()
            .map(|&c| quoted_share(doc, c) * c.len() as f64)
            .sum::<f64>()
            / total.max(1) as f64;
        let touches_quote = cands
            .iter()
            .any(|c| c.seg.is_some() && la.content.iter().any(|p| p.overlaps(c.content)));
        if quoted >= 0.5 || touches_quote {
            // Quoted material: evidence for quotes the rules left without a speaker phrase.
            let Some(np) = np else { continue };
            for c in cands.iter_mut().filter(|c| c.seg.is_some()) {
                if !la.content.iter().any(|p| p.overlaps(c.content)) {
                    continue;
                }
                let weak = match &c.attr {
                    None => true,
                    Some(a) => a.np.is_none() || a.rule == Rule::SentenceSubject,
                };
                if weak {
                    c.attr = Some(Attr {
                        np: Some(np.clone()),
                        cue: cue.or(c.attr.as_ref().and_then(|a| a.cue)),
                        rule: Rule::Learned,
                    });
                }
            }
            continue;
        }
        // Unquoted: the tagger proposes.
        let mut rule_np = None;
        for (i, c) in cands.iter().enumerate() {
            if c.seg.is_some() || c.kind != QuoteKind::Indirect || drop[i] {
                continue;
            }
            let ov: usize = la.content.iter().map(|p| p.overlap_len(c.content)).sum();
            if ov * 2 >= total.min(c.content.len()).max(1) && ov > 0 {
                drop[i] = true;
                if rule_np.is_none() {
                    rule_np = c.attr.as_ref().and_then(|a| a.np.clone());
                }
            }
        }
        let np = np.or(rule_np);
        for &p in &la.content {
            let p = super::marks::trim_content(doc.text, p);
            if p.is_empty() {
                continue;
            }
            added.push(Cand {
                kind: QuoteKind::Indirect,
                content: p,
                seg: None,
                attr: Some(Attr {
                    np: np.clone(),
                    cue,
                    rule: Rule::Learned,
                }),
                speaker: None,
                confidence: 0.0,
            });
        }
    }
    if std::env::var("WHOSAID_LEARNED_POLICY").as_deref() == Ok("drop-rules") {
        for (i, c) in cands.iter().enumerate() {
            if c.seg.is_none() {
                drop[i] = true;
            }
        }
    }
    if std::env::var("WHOSAID_LEARNED_POLICY").as_deref() == Ok("rules-win") {
        drop.iter_mut().for_each(|d| *d = false);
        added.retain(|a| {
            !cands
                .iter()
                .any(|c| c.seg.is_none() && c.content.overlaps(a.content))
        });
    }
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    cands.extend(added);
}

#[cfg(test)]
mod tests {
    use crate::attribution::LearnedAttribution;
    use crate::pipeline::{GivenMentions, Tagger};
    use crate::types::{EntityType, QuoteKind, Span};

    fn span(text: &str, s: &str) -> Span {
        let a = text.find(s).expect(s);
        Span::new(a, a + s.len())
    }

    /// (kind, content, speaker name, mention, cue) of each quote.
    fn run(
        text: &str,
        names: &[(&str, EntityType)],
        learned: &[LearnedAttribution],
    ) -> Vec<(
        QuoteKind,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> {
        let tagger = GivenMentions(names.iter().map(|(n, t)| (n.to_string(), *t)).collect());
        let sentences = crate::segment::sentences(text);
        let mentions = tagger.tag(text, &sentences).unwrap();
        let mut entities = crate::entities::merge(text, &mentions);
        super::super::extract_quotes_learned(text, &sentences, &mut entities, Some(learned))
            .into_iter()
            .map(|q| {
                (
                    q.kind,
                    q.content.slice(text).to_string(),
                    q.speaker.as_ref().map(|s| s.name.clone()),
                    q.speaker
                        .as_ref()
                        .map(|s| s.mention.slice(text).to_string()),
                    q.cue.map(|c| c.slice(text).to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn unquoted_stance_is_proposed_and_resolved_by_the_rules() {
        let text = "Russian President Vladimir Putin met officials on Monday. The Russian president criticized \
                    the sanctions as a mistake.";
        let names = [("Vladimir Putin", EntityType::PER)];
        // Without the tagger: no attribution (a stance the rules do not cover).
        assert!(run(text, &names, &[]).is_empty());
        let learned = [LearnedAttribution {
            content: vec![span(text, "the sanctions as a mistake")],
            cue: span(text, "criticized"),
            source: Some(span(text, "The Russian president")),
        }];
        let q = run(text, &names, &learned);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].0, QuoteKind::Indirect);
        assert_eq!(q[0].1, "the sanctions as a mistake");
        // The rules' resolver links the description to the entity; the mention is the
        // tagger's source span.
        assert_eq!(q[0].2.as_deref(), Some("Vladimir Putin"));
        assert_eq!(q[0].3.as_deref(), Some("The Russian president"));
        assert_eq!(q[0].4.as_deref(), Some("criticized"));
    }

    #[test]
    fn content_split_by_the_cue_shares_it_and_rule_quotes_keep_their_speaker() {
        let text = "Anna Berg spoke in Oslo. The plan, Berg argued, was doomed from the start. \
                    \"We will win,\" Tom Reed said.";
        let names = [
            ("Anna Berg", EntityType::PER),
            ("Tom Reed", EntityType::PER),
        ];
        let learned = [
            LearnedAttribution {
                content: vec![
                    span(text, "The plan"),
                    span(text, "was doomed from the start"),
                ],
                cue: span(text, "argued"),
                source: Some(span(text, "Berg argued").start..span(text, "Berg argued").start + 4)
                    .map(|r| Span::new(r.start, r.end)),
            },
            // The tagger names another source for the quote: the rules' speaker stays.
            LearnedAttribution {
                content: vec![span(text, "\"We will win,\"")],
                cue: span(text, "said"),
                source: Some(span(text, "Anna Berg")),
            },
        ];
        let q = run(text, &names, &learned);
        let berg: Vec<_> = q
            .iter()
            .filter(|r| r.4.as_deref() == Some("argued"))
            .collect();
        assert_eq!(berg.len(), 2, "{q:?}");
        assert!(berg.iter().all(|r| r.2.as_deref() == Some("Anna Berg")));
        let win = q.iter().find(|r| r.1 == "We will win").expect("the quote");
        assert_eq!(win.2.as_deref(), Some("Tom Reed"));
    }

    #[test]
    fn a_quote_without_a_rule_speaker_takes_the_tagger_source() {
        let text = "Omar Khan visited Lima.\n\n\"Taxes are a crazy system for the city.\"\n\n\
                    The mayor wrote that in a letter.";
        let names = [("Omar Khan", EntityType::PER)];
        let quote = "Taxes are a crazy system for the city";
        let without = run(text, &names, &[]);
        let q0 = without
            .iter()
            .find(|r| r.1 == quote)
            .unwrap_or_else(|| panic!("{without:?}"));
        // The rules find no speaker phrase; a carry-over guesses the previous paragraph's
        // subject.
        assert_eq!(q0.2.as_deref(), Some("Omar Khan"), "{without:?}");
        assert_eq!(q0.4, None, "{without:?}");
        let learned = [LearnedAttribution {
            content: vec![span(text, "\"Taxes are a crazy system for the city.\"")],
            cue: span(text, "wrote"),
            source: Some(span(text, "The mayor")),
        }];
        let q = run(text, &names, &learned);
        let q1 = q
            .iter()
            .find(|r| r.1 == quote)
            .unwrap_or_else(|| panic!("{q:?}"));
        assert_eq!(q1.0, QuoteKind::Direct);
        assert_eq!(q1.3.as_deref(), Some("The mayor"), "{q:?}");
        assert_eq!(q1.4.as_deref(), Some("wrote"), "{q:?}");
    }
}
