//! Attribution across quotes: multi-paragraph quotes share their speaker, a quote of a
//! paragraph borrows its neighbour's, and a quote paragraph with no cue continues the
//! previous paragraph's speaker.

use super::doc::{Doc, NpKind};
use super::lexicon::lexicon;
use super::resolve::Resolver;
use super::{sentence_subject, Attr, Cand, QuoteKind, ResolvedBy, Rule};
use crate::entities::Entity;

/// Shares attributions inside multi-paragraph quotes and within a paragraph.
pub(super) fn propagate(doc: &Doc, cands: &mut [Cand]) {
    // Multi-paragraph chains.
    let n = cands.len();
    for i in 0..n {
        if cands[i].attr.is_some() {
            continue;
        }
        let Some(si) = cands[i].seg else { continue };
        let chain = doc.segs[si].chain;
        let in_chain = |j: usize| cands[j].seg.is_some_and(|sj| doc.segs[sj].chain == chain);
        let is_label = |j: usize| {
            cands[j]
                .attr
                .as_ref()
                .is_some_and(|a| a.rule == Rule::Transcript)
        };
        // In a transcript, a paragraph without a label continues the last labelled speaker.
        let label = (0..i).rev().find(|&j| in_chain(j) && is_label(j));
        if (0..n).any(|j| in_chain(j) && is_label(j)) {
            if let Some(j) = label {
                let mut a = cands[j].attr.clone().expect("attributed");
                a.rule = Rule::Chain;
                cands[i].attr = Some(a);
            }
            continue;
        }
        let src = (0..n).find(|&j| {
            j != i
                && cands[j].seg.is_some_and(|sj| doc.segs[sj].chain == chain)
                && cands[j]
                    .attr
                    .as_ref()
                    .is_some_and(|a| a.rule != Rule::Chain && a.rule != Rule::Sandwich)
        });
        if let Some(j) = src {
            let mut a = cands[j].attr.clone().expect("attributed");
            a.rule = Rule::Chain;
            cands[i].attr = Some(a);
        }
    }
    // Unattributed direct quotes in a paragraph with an attributed direct quote.
    for i in 0..n {
        if cands[i].attr.is_some() || cands[i].kind != QuoteKind::Direct {
            continue;
        }
        let Some(si) = cands[i].seg else { continue };
        let para = doc.segs[si].para;
        let same_para = |j: usize| {
            cands[j].seg.is_some_and(|sj| doc.segs[sj].para == para)
                && (cands[j].kind == QuoteKind::Direct
                    || cands[j]
                        .attr
                        .as_ref()
                        .is_some_and(|a| a.rule == Rule::PostQuote))
                && cands[j].attr.as_ref().is_some_and(|a| {
                    matches!(
                        a.rule,
                        Rule::PostQuote
                            | Rule::PreCue
                            | Rule::SentenceCue
                            | Rule::Colon
                            | Rule::Chain
                    )
                })
        };
        let prev = (0..i).rev().find(|&j| same_para(j));
        let next = (i + 1..n).find(|&j| same_para(j));
        if let Some(j) = prev.or(next) {
            let mut a = cands[j].attr.clone().expect("attributed");
            a.rule = Rule::Sandwich;
            cands[i].attr = Some(a);
        }
    }
}

/// Quote paragraphs with no cue at all continue the speaker of the previous paragraph.
pub(super) fn carry_over(
    doc: &mut Doc,
    res: &mut Resolver,
    entities: &mut Vec<Entity>,
    cands: &mut [Cand],
) {
    let lex = lexicon();
    for i in 0..cands.len() {
        if cands[i].attr.is_some() || cands[i].kind != QuoteKind::Direct {
            continue;
        }
        let Some(si) = cands[i].seg else { continue };
        let seg = &doc.segs[si];
        let (para, open) = (seg.para, seg.open);
        if para == 0 || doc.paras[para].0 != open {
            continue;
        }
        let (p0, p1) = doc.paras[para];
        let has_cue = (p0..=p1).any(|k| {
            doc.qid[k].is_none() && doc.is_word(k) && lex.speech.contains(doc.lw[k].as_str())
        });
        if has_cue {
            continue;
        }
        // The previous paragraph's last speaker (of a quote or reported speech).
        let para_of = |c: &Cand| {
            let t = doc.toks.partition_point(|t| t.span.end <= c.content.start);
            doc.toks.get(t).map_or(usize::MAX, |t| t.para)
        };
        let prev = cands[..]
            .iter()
            .filter(|c| c.speaker.is_some() && para_of(c) + 1 == para)
            .max_by_key(|c| c.content.start);
        if let Some(p) = prev {
            let mut sp = p.speaker.clone().expect("speaker");
            sp.resolved_by = ResolvedBy::CarryOver;
            let cue = if p.kind == QuoteKind::Indirect {
                None
            } else {
                p.attr.as_ref().and_then(|a| a.cue)
            };
            cands[i].speaker = Some(sp);
            cands[i].attr = Some(Attr {
                np: None,
                cue,
                rule: Rule::CarryOver,
            });
            continue;
        }
        // Else the person the previous paragraph is about: `Valastro praised ...` ¶ `"..."`.
        let (q0, _) = doc.paras[para - 1];
        let first_sent_end = doc.sents[doc.sent[q0]].1;
        let Some(np) = sentence_subject(doc, q0, first_sent_end) else {
            continue;
        };
        let is_person =
            matches!(np.kind, NpKind::Entity(e) if entities[e].etype == crate::EntityType::PER);
        if !is_person {
            continue;
        }
        if let Some(mut sp) = res.resolve(doc, entities, &np) {
            sp.resolved_by = ResolvedBy::CarryOver;
            cands[i].speaker = Some(sp);
            cands[i].attr = Some(Attr {
                np: None,
                cue: None,
                rule: Rule::CarryOver,
            });
        }
    }
}
