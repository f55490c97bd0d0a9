//! Quotes in quote marks: whether a quote is a whole sentence, and its attribution in its
//! own sentence (after the closing mark, a cue before it, a cue later in the sentence, a
//! colon); headlines and scare quotes without a cue are dropped.

use super::doc::{Cue, Doc, Np, NpKind};
use super::lexicon::lexicon;
use super::subject::person_like;
use super::text::Kind;
use super::words::{
    ASIDE_OPENERS, COMPLEMENTIZER, DEFINITE_ARTICLE, GERUND_BY, INVERTING_VERBS, MODIFIED_NOUN_NOT,
    NAMING_VERBS, SENTENCE_END_MARKS, TITLE_SMALL_WORDS, WHAT_WHICH,
};
use super::{sent_range, sentence_subject, Attr, Cand, QuoteKind, Rule};

/// Whether the quote is a whole sentence or more (else a partial quote inside a sentence).
pub(super) fn is_direct(doc: &Doc, si: usize) -> bool {
    let s = &doc.segs[si];
    if s.chain_pos > 0 {
        return true;
    }
    let o = s.open;
    if o == 0 || doc.sent[o - 1] != doc.sent[o] || doc.toks[o - 1].para != doc.toks[o].para {
        return true;
    }
    let p = o - 1;
    match doc.toks[p].kind {
        Kind::Mark => true,
        Kind::Punct => {
            let t = doc.tok_text(p);
            if t == ":" {
                return true;
            }
            if t == "," {
                // `he said, "..."`
                return (p.saturating_sub(3)..p).any(|k| doc.cue_at(k).is_some());
            }
            ASIDE_OPENERS.contains(&t)
                && doc
                    .lw
                    .get(s.close.map_or(0, |c| c + 1))
                    .is_some_and(|w| w == ")")
        }
        Kind::Word => false,
    }
}

/// The attribution found in the quote's own sentence (or right around it).
pub(super) fn find_attr(doc: &Doc, si: usize) -> Option<Attr> {
    let seg = &doc.segs[si];
    let open = seg.open;
    let (s0, _) = sent_range(doc, open);
    // 1. Right after the closing mark: `"...," Putin said` / `"...," said Putin`.
    if let Some(c) = seg.close {
        if let Some(a) = post_quote(doc, c) {
            return Some(a);
        }
    }
    // 2. A cue before the quote in the same sentence.
    if let Some(a) = pre_cue(doc, open, s0) {
        return Some(a);
    }
    // 3. A cue later in the sentence.
    if let Some(c) = seg.close {
        let (_, s1) = sent_range(doc, c);
        let mut j = c + 1;
        while j <= s1 {
            if let Some(cue) = doc.cue_at(j) {
                if cue.according {
                    if let Some(np) = doc.np_after(cue.last + 1, s1) {
                        return Some(Attr {
                            np: Some(np),
                            cue: Some(cue),
                            rule: Rule::AccordingTo,
                        });
                    }
                } else if let Some(np) = doc.np_before(cue.tok, c + 1) {
                    if np.kind != NpKind::Relative && !what_pronoun(doc, s0, &np) {
                        return Some(Attr {
                            np: Some(np),
                            cue: Some(cue),
                            rule: Rule::SentenceCue,
                        });
                    }
                } else if j > 0 && doc.is_punct(j - 1, ",") {
                    if let Some(np) = doc.np_after(cue.last + 1, s1) {
                        return Some(Attr {
                            np: Some(np),
                            cue: Some(cue),
                            rule: Rule::SentenceCue,
                        });
                    }
                }
                if doc.lexicon_speech(cue.tok) {
                    break;
                }
            }
            j += 1;
        }
    }
    // 4. The quote opens a paragraph after one ending with a colon: `Clinton said:` ¶ `"..."`.
    if seg.chain_pos == 0
        && open > 0
        && doc.paras[doc.toks[open].para].0 == open
        && doc.is_punct(open - 1, ":")
    {
        let (p0, _) = sent_range(doc, open - 1);
        if let Some(a) = pre_cue(doc, open - 1, p0) {
            return Some(a);
        }
    }
    // 5. `Clinton: "..."`: a name and a colon.
    if open >= 2 && doc.is_punct(open - 1, ":") {
        if let Some(np) = doc.np_core(open - 2, s0.min(open - 2)) {
            let heading = np.kind == NpKind::Name && doc.title_case_para(np.first);
            if matches!(np.kind, NpKind::Entity(_) | NpKind::Name)
                && doc.clause_boundary_before(np.first)
                && !heading
            {
                return Some(Attr {
                    np: Some(np),
                    cue: None,
                    rule: Rule::Colon,
                });
            }
        }
    }
    // 6. Any clause ending with a colon before the quote: its subject
    // (`Trump leaned in and boomed: "..."`, `X released the following statement:` ¶ `"..."`).
    if seg.chain_pos == 0 && open > 0 && doc.is_punct(open - 1, ":") {
        let (c0, _) = sent_range(doc, open - 1);
        if let Some(np) = sentence_subject(doc, c0, open - 1) {
            return Some(Attr {
                np: Some(np),
                cue: None,
                rule: Rule::Colon,
            });
        }
    }
    None
}

/// `"...," Putin said.` / `"...," said Putin.` / `"...," the Russian leader said.` /
/// `"...," Scott Pruitt, the attorney general of Oklahoma, said.` / `"..." ― Jane Roe`.
pub(super) fn post_quote(doc: &Doc, close: usize) -> Option<Attr> {
    let n = doc.toks.len();
    let mut k = close + 1;
    if k < n && doc.is_punct(k, ",") {
        k += 1;
    }
    if k >= n {
        return None;
    }
    if doc.toks[k].para != doc.toks[close].para {
        return signature(doc, close, k);
    }
    let (_, s1) = sent_range(doc, k);
    let p_end = doc.paras[doc.toks[k].para].1;
    // A dash and a name: `"..." ― Jane Roe`.
    if doc.is_dash(k) && k < p_end {
        return dash_signature(doc, k, p_end);
    }
    if !doc.is_word(k) {
        return None;
    }
    if let Some(cue) = doc.cue_at(k) {
        let np = doc.np_after(cue.last + 1, s1)?;
        let rule = if cue.according {
            Rule::AccordingTo
        } else {
            Rule::PostQuote
        };
        return Some(Attr {
            np: Some(np),
            cue: Some(cue),
            rule,
        });
    }
    for j in k + 1..=(k + 9).min(s1) {
        if doc.qid[j].is_some() {
            break;
        }
        if let Some(cue) = doc.cue_at(j) {
            if let Some(np) = doc.np_before(cue.tok, k) {
                // `"..." that nobody would question`: a clause, not a speaker.
                let clause = doc.lw[np.first] == COMPLEMENTIZER;
                if !clause
                    && (np.first == k
                        || (np.first > k && (k..np.first).all(|x| doc.lw[x] == DEFINITE_ARTICLE)))
                {
                    return Some(Attr {
                        np: Some(np),
                        cue: Some(cue),
                        rule: Rule::PostQuote,
                    });
                }
            }
            break;
        }
    }
    // A name, an appositive, then the cue: `"...," Scott Pruitt, the attorney general, said.`
    let name = doc.np_after(k, s1)?;
    if !matches!(name.kind, NpKind::Entity(_) | NpKind::Name) {
        return None;
    }
    let mut e = name.last + 1;
    if e <= s1 && doc.is_punct(e, "(") {
        e = (e..=s1.min(e + 10)).find(|&x| doc.is_punct(x, ")"))? + 1;
    }
    if e > s1 || !doc.is_punct(e, ",") {
        return None;
    }
    for j in e + 2..=(e + 30).min(s1) {
        if doc.qid[j].is_some() {
            break;
        }
        if let Some(cue) = doc.cue_at(j) {
            let before = doc.skip_between_back(j - 1, e)?;
            if doc.is_punct(before, ",") || doc.is_punct(before, ")") {
                return Some(Attr {
                    np: Some(name),
                    cue: Some(cue),
                    rule: Rule::PostQuote,
                });
            }
            return None;
        }
    }
    None
}

/// A signature paragraph after a paragraph that is all quote: `"..."` ¶ `- Bernie Sanders.`
/// (fact checks, quotes of the day). Only a dash, a name and an optional full stop: a byline
/// after a paragraph of the reporter's own words is no quote's source, and `- exchange during
/// a hearing` names no one.
fn signature(doc: &Doc, close: usize, k: usize) -> Option<Attr> {
    let (q0, _) = doc.paras[doc.toks[close].para];
    let (p0, p1) = doc.paras[doc.toks[k].para];
    if k != p0 || doc.qid[q0].is_none() || !doc.is_dash(k) || k >= p1 {
        return None;
    }
    let a = dash_signature(doc, k, p1)?;
    let np = a.np.as_ref()?;
    let alone =
        np.first == k + 1 && (np.last == p1 || (np.last + 1 == p1 && doc.is_punct(p1, ".")));
    alone.then_some(a)
}

/// The name after dash token `k` (not past token `end`) as a quote's speaker, the dash its
/// cue: `― Jane Roe`. `"..." — a metaphor for ...` is an aside, not a signature.
fn dash_signature(doc: &Doc, k: usize, end: usize) -> Option<Attr> {
    let np = doc.np_after(k + 1, end)?;
    matches!(np.kind, NpKind::Entity(_) | NpKind::Name).then(|| Attr {
        np: Some(np),
        cue: Some(Cue::word(k)),
        rule: Rule::PostQuote,
    })
}

/// The nearest cue before token `end` in the sentence, with its subject; a coordinated cue
/// without a subject (`..., and particularly noted`) takes the subject of the cue before it.
pub(super) fn pre_cue(doc: &Doc, end: usize, s0: usize) -> Option<Attr> {
    let mut pending: Option<Cue> = None;
    let mut relative: Option<Attr> = None;
    let mut j = end;
    let lo = end.saturating_sub(60).max(s0);
    while j > lo {
        j -= 1;
        if doc.qid[j].is_some() || !doc.is_word(j) {
            continue;
        }
        if let Some(cue) = doc.cue_at(j) {
            if cue.according {
                let np = doc.np_after(cue.last + 1, end.saturating_sub(1))?;
                return Some(Attr {
                    np: Some(np),
                    cue: Some(cue),
                    rule: Rule::AccordingTo,
                });
            }
            match doc.np_before(cue.tok, s0) {
                // A cue inside a relative clause ("anybody who complains about"): look further.
                Some(np) if np.kind == NpKind::Relative => {
                    if relative.is_none() {
                        relative = Some(Attr {
                            np: Some(np),
                            cue: Some(cue),
                            rule: Rule::PreCue,
                        });
                    }
                }
                Some(np) => {
                    return Some(Attr {
                        np: Some(what_called(doc, s0, np)),
                        cue: Some(pending.unwrap_or(cue)),
                        rule: Rule::PreCue,
                    });
                }
                None => {
                    // Inverted: `Said Ellis: "..."`, `Asked about it, said Smith, "..."`.
                    let say = INVERTING_VERBS.contains(&doc.lw[cue.tok].as_str());
                    let inverted = if say {
                        doc.np_after(cue.last + 1, end.saturating_sub(1))
                    } else {
                        None
                    };
                    // A participle: `..., telling reporters: "..."` is said by the subject.
                    let participle = doc.lw[cue.tok].ends_with("ing")
                        && cue.first > s0
                        && (doc.is_punct(cue.first - 1, ",") || doc.lw[cue.first - 1] == GERUND_BY);
                    if participle && pending.is_none() {
                        if let Some(np) = sentence_subject(doc, s0, cue.first) {
                            return Some(Attr {
                                np: Some(np),
                                cue: Some(cue),
                                rule: Rule::PreCue,
                            });
                        }
                    }
                    if let Some(np) = inverted {
                        let next = np.last + 1;
                        if next + 1 == end && (doc.is_punct(next, ":") || doc.is_punct(next, ",")) {
                            return Some(Attr {
                                np: Some(np),
                                cue: Some(cue),
                                rule: Rule::PreCue,
                            });
                        }
                    }
                    if pending.is_none() {
                        pending = Some(cue);
                    }
                }
            }
        } else if doc.cue_noun_at(j) && j > s0 {
            // "Kremlin accusations", "his remarks", "Trump's claim".
            let k = j - 1;
            if let Some(e) = doc.ment[k] {
                let _ = e;
                if let Some(np) = doc.np_core(k, s0) {
                    // `X called Mr. Obama's remarks "a wake-up call"`: the remarks are the
                    // object of X's cue.
                    let object = np.first > s0 && doc.cue_at(np.first - 1).is_some();
                    if matches!(np.kind, NpKind::Entity(_)) && !object {
                        let cue = Cue::word(j);
                        return Some(Attr {
                            np: Some(np),
                            cue: Some(pending.unwrap_or(cue)),
                            rule: Rule::PreCue,
                        });
                    }
                }
            }
        }
    }
    // `Graham, who says ..., tweeted that the strategy "...": a cue after the comma that closes
    // the relative clause, nearer the quote and without a subject of its own, is the relative
    // clause's antecedent's (not `Lynch, who told Congress when asked: "..."`).
    if let (Some(cue), Some(rel)) = (pending, relative.as_ref()) {
        let after_clause = rel.cue.is_some_and(|c| c.last < cue.first)
            && cue.first > 0
            && doc.is_punct(cue.first - 1, ",");
        if let Some(ante) = rel
            .np
            .as_ref()
            .filter(|_| after_clause)
            .and_then(|np| doc.antecedent(np.first, s0))
        {
            return Some(Attr {
                np: Some(ante),
                cue: Some(cue),
                rule: Rule::PreCue,
            });
        }
    }
    relative
}

/// `X condemned what he called a "brazen breach"`: the pronoun before "called" is the
/// subject of the clause, which names the source.
pub(super) fn what_called(doc: &Doc, s0: usize, np: Np) -> Np {
    if !what_pronoun(doc, s0, &np) {
        return np;
    }
    let limit = np.first - 1;
    let subj = sentence_subject(doc, s0, limit).or_else(|| {
        // A description at the sentence start: "The mayor condemned what he called ...".
        (s0..(s0 + 5).min(limit)).find_map(|k| {
            doc.np_core(k, s0)
                .filter(|d| d.first == s0 && d.kind == NpKind::Description && person_like(doc, d))
        })
    });
    match subj {
        Some(subj) if subj.kind != NpKind::Relative && subj.last < limit => subj,
        _ => np,
    }
}

/// A pronoun in `what he called`, `which it calls`, whose cue belongs to the words after it.
pub(super) fn what_pronoun(doc: &Doc, s0: usize, np: &Np) -> bool {
    np.kind == NpKind::Pronoun
        && np.first > s0 + 1
        && WHAT_WHICH.contains(&doc.lw[np.first - 1].as_str())
        && doc
            .lw
            .get(np.first + 1)
            .is_some_and(|w| NAMING_VERBS.contains(&w.as_str()))
}

/// Drops headlines, quoted titles and scare quotes that have no speech cue.
pub(super) fn keep_quote(doc: &Doc, c: &Cand) -> bool {
    let Some(si) = c.seg else { return true };
    let seg = &doc.segs[si];
    let content = c.content.slice(doc.text);
    let words: Vec<&str> = content.split_whitespace().collect();
    let labelled = c
        .attr
        .as_ref()
        .is_some_and(|a| a.np.as_ref().is_some_and(|np| np.kind == NpKind::Label));
    let strong = !labelled
        && c.attr
            .as_ref()
            .is_some_and(|a| matches!(a.rule, Rule::PostQuote | Rule::Chain | Rule::Colon));
    // A stage direction in a transcript: "(CROSSTALK.)", "(APPLAUSE)".
    if content.starts_with('(') && words.len() <= 4 {
        return false;
    }
    // A quoted title: every content word capitalised ("Russian Agent", "The Apprentice").
    let title = !words.is_empty()
        && words.len() <= 10
        && words.iter().all(|w| {
            TITLE_SMALL_WORDS.contains(w) || w.chars().next().is_some_and(|ch| !ch.is_lowercase())
        })
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !content.ends_with(['?', '!']);
    if title && !strong {
        return false;
    }
    // A paragraph that is only a short quote: a headline.
    let (p0, p1) = doc.paras[seg.para];
    let whole_para = seg.open == p0 && seg.close.is_some_and(|cl| cl + 1 >= p1);
    let sentence_end = seg
        .close
        .is_some_and(|cl| cl > 0 && SENTENCE_END_MARKS.contains(&doc.tok_text(cl - 1)));
    if whole_para && c.attr.is_none() && words.len() <= 8 && !sentence_end {
        return false;
    }
    if c.kind == QuoteKind::Partial {
        if c.attr.is_none() && words.len() <= 6 {
            return false;
        }
        // Used as a modifier: a "disinformation" campaign.
        if words.len() <= 2 && !strong {
            if let Some(cl) = seg.close {
                let next_noun = doc.toks.get(cl + 1).is_some_and(|t| t.kind == Kind::Word)
                    && doc.lw[cl + 1].chars().all(|ch| ch.is_lowercase())
                    && !lexicon().clause_start.contains(doc.lw[cl + 1].as_str())
                    && !MODIFIED_NOUN_NOT.contains(&doc.lw[cl + 1].as_str())
                    && doc.cue_at(cl + 1).is_none();
                if next_noun {
                    return false;
                }
            }
        }
    }
    true
}

impl Doc<'_> {
    /// Whether the cue verb is in the speech list ("said", "believes"), not only a cue of
    /// another list or a learned cue word ("found", "according").
    fn lexicon_speech(&self, tok: usize) -> bool {
        lexicon().speech.contains(self.lw[tok].as_str())
    }
}
