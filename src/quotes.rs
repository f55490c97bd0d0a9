//! Quote detection and speaker attribution.
//!
//! [`extract_quotes`] finds
//! - **direct** quotes: a quoted sentence or more (`"...," Putin said.`, `He said: "..."`),
//!   including quotes running over several paragraphs;
//! - **partial** quotes: quoted words inside a reported sentence
//!   (`Putin called for the two countries to "exchange guarantees ..."`);
//! - **indirect** (reported) speech without quote marks (`Lavrov said that ...`,
//!   `..., officials said.`, `according to X, ...`);
//!
//! and attributes each to a speaker found next to a cue verb, then linked to an entity by
//! name, pronoun, title or description. Scare quotes and quoted titles with no speech cue are
//! dropped. Each rule is named in [`Speaker::resolved_by`] and [`Rule`].

mod agents;
mod doc;
mod learned;
mod lexicon;
mod marks;
mod resolve;
mod text;

pub use agents::{byline_author, check_agents, text_byline};
use doc::{Cue, Doc, Np, NpKind};
use lexicon::lexicon;
use resolve::Resolver;
use text::Kind;

use serde::{Deserialize, Serialize};

use crate::entities::Entity;
use crate::segment::Sentence;
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A quoted sentence or more.
    Direct,
    /// Quoted words inside a reported sentence.
    Partial,
    /// Reported speech without quote marks ("X said that ...").
    Indirect,
}

/// Who said a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// Display name: the entity's canonical name, or the mention text for unnamed sources.
    pub name: String,
    /// The entity index, `None` for an unnamed source ("a source").
    pub entity: Option<usize>,
    /// The span naming the speaker at the attribution site ("he", "the Russian leader", "Putin").
    pub mention: Span,
    /// How the speaker was resolved: "name", "organization", "pronoun", "title", "role",
    /// "issuer", "transcript", "colon", "according-to", "carry-over", "unnamed", "byline" (see
    /// the README's output contract).
    pub resolved_by: &'static str,
}

/// A quote or reported speech with its attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub kind: QuoteKind,
    /// The quoted content, without the quote marks.
    pub content: Span,
    pub speaker: Option<Speaker>,
    /// The speech verb or phrase ("said", "according to").
    pub cue: Option<Span>,
    pub confidence: f32,
}

/// How a quote was attributed (the rules, strongest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Speaker and cue right after the closing mark: `"...," Putin said.` / `"...," said Putin.`
    PostQuote,
    /// A cue earlier in the same sentence: `Putin called for them to "exchange ..."`,
    /// `Trump tweeted: "..."`.
    PreCue,
    /// A cue later in the same sentence: `"..." through negotiations, Russia's top diplomat said.`
    SentenceCue,
    /// A name and a colon with no verb: `Clinton: "We will win."`.
    Colon,
    /// Another quote of the same paragraph is attributed: `"A," he said. "B."` → B.
    Sandwich,
    /// Another paragraph of the same multi-paragraph quote is attributed.
    Chain,
    /// A quote paragraph with no cue continues the previous paragraph's speaker.
    CarryOver,
    /// A partial quote with no speech cue: the subject of its sentence
    /// (`Bill Clinton criticized the law as a "crazy system"`).
    SentenceSubject,
    /// Reported speech: `X said (that) ...`.
    IndirectThat,
    /// Reported speech with the cue after the content: `..., officials said.`
    IndirectAfter,
    /// A speech act whose object is the content: `Putin called for talks on cyber security`.
    IndirectObject,
    /// `According to X, ...` / `..., according to X.`
    AccordingTo,
    /// A transcript's speaker label: `PENCE: Well, look, ...`, `Q: ...` (a paragraph, or a
    /// quote opening with the label).
    Transcript,
    /// Found by the learned attribution tagger ([`crate::attribution`]).
    Learned,
}

#[derive(Debug, Clone)]
struct Attr {
    np: Option<Np>,
    cue: Option<Cue>,
    rule: Rule,
}

#[derive(Debug, Clone)]
struct Cand {
    kind: QuoteKind,
    content: Span,
    seg: Option<usize>,
    attr: Option<Attr>,
    speaker: Option<Speaker>,
    confidence: f32,
}

/// Finds quotes and reported speech in `text` and attributes them to speakers, adding
/// entities for speakers the tagger missed. Sorted by content start.
///
/// `sentences` are not needed: the rules segment the text themselves, so that quote marks
/// and paragraph conventions are handled the same whatever the segmenter does.
pub fn extract_quotes(
    text: &str,
    sentences: &[Sentence],
    entities: &mut Vec<Entity>,
) -> Vec<Quote> {
    extract_quotes_learned(text, sentences, entities, None)
}

/// [`extract_quotes`], with the learned tagger's attributions merged in (see
/// `quotes/learned.rs`): they add unquoted attributions and lend speakers to quotes the rules
/// left without one; speaker resolution stays the rules'.
pub fn extract_quotes_learned(
    text: &str,
    _sentences: &[Sentence],
    entities: &mut Vec<Entity>,
    learned: Option<&[crate::tagging::LearnedAttribution]>,
) -> Vec<Quote> {
    let mut doc = Doc::new(text, entities);
    let mut cands: Vec<Cand> = Vec::new();

    // 1. Quoted segments and their own attribution.
    for si in 0..doc.segs.len() {
        let kind = if is_direct(&doc, si) {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        };
        let label = transcript_label(&doc, doc.segs[si].open + 1);
        let mut content = doc.segs[si].content;
        let attr = match label {
            Some((first, last)) if doc.toks[first].para == doc.segs[si].para => {
                // The content starts after the label.
                let from = doc.toks[last + 1].span.end;
                if from < content.end {
                    content = marks::trim_content(doc.text, Span::new(from, content.end));
                }
                Some(Attr {
                    np: Some(Np {
                        first,
                        last,
                        kind: NpKind::Label,
                    }),
                    cue: None,
                    rule: Rule::Transcript,
                })
            }
            _ => find_attr(&doc, si),
        };
        cands.push(Cand {
            kind,
            content,
            seg: Some(si),
            attr,
            speaker: None,
            confidence: 0.0,
        });
    }
    propagate(&doc, &mut cands);
    // Partial quotes with no cue: the subject of their sentence (`X criticized the law as a
    // "crazy system"`).
    for c in cands.iter_mut() {
        let Some(si) = c.seg else { continue };
        if c.attr.is_some() || c.kind != QuoteKind::Partial {
            continue;
        }
        let open = doc.segs[si].open;
        let (s0, _) = sent_range(&doc, open);
        if let Some(np) = sentence_subject(&doc, s0, open) {
            // The cue: the nearest cue word between the subject and the quote (`X took to
            // Twitter to accuse Y of being "duped" by "a con"`), shared by the quotes of the
            // sentence.
            let cue = (np.last + 1..open)
                .rev()
                .find_map(|k| doc.cue_at(k).filter(|c| !c.according));
            c.attr = Some(Attr {
                np: Some(np),
                cue,
                rule: Rule::SentenceSubject,
            });
        }
    }
    cands.retain(|c| keep_quote(&doc, c));
    transcript_paragraphs(&doc, &mut cands);

    // 2. Reported speech.
    for s in 0..doc.sents.len() {
        indirect(&doc, s, &mut cands);
    }
    if let Some(l) = learned {
        learned::merge(&doc, &mut cands, l);
    }

    // 3. Speakers, in text order of their phrases (pronouns look back).
    let mut order: Vec<usize> = (0..cands.len()).collect();
    let pos = |c: &Cand| -> usize {
        match &c.attr {
            Some(Attr { np: Some(np), .. }) => np.first,
            Some(Attr { cue: Some(cue), .. }) => cue.tok,
            _ => usize::MAX,
        }
    };
    order.sort_by_key(|&i| pos(&cands[i]));
    let mut res = Resolver::new(&doc, entities);
    let mut resolved: std::collections::HashMap<(usize, usize), Option<Speaker>> =
        Default::default();
    for &i in &order {
        let Some(Attr { np: Some(np), .. }) = &cands[i].attr else {
            continue;
        };
        let key = (np.first, np.last);
        if let std::collections::hash_map::Entry::Vacant(slot) = resolved.entry(key) {
            slot.insert(res.resolve(&mut doc, entities, np));
        }
    }
    for c in cands.iter_mut() {
        let Some(Attr {
            np: Some(np), rule, ..
        }) = &c.attr
        else {
            continue;
        };
        let mut sp = resolved.get(&(np.first, np.last)).cloned().flatten();
        if let Some(s) = sp.as_mut() {
            match rule {
                Rule::AccordingTo => s.resolved_by = "according-to",
                Rule::Colon => s.resolved_by = "colon",
                Rule::Transcript => s.resolved_by = "transcript",
                _ => {}
            }
        }
        c.speaker = sp;
    }
    carry_over(&mut doc, &mut res, entities, &mut cands);

    for c in cands.iter_mut() {
        let damaged = c.seg.is_some_and(|si| doc.segs[si].damaged);
        c.confidence = confidence(c, damaged);
    }
    let mut out: Vec<Quote> = cands
        .into_iter()
        .map(|c| Quote {
            kind: c.kind,
            content: c.content,
            speaker: c.speaker,
            cue: c
                .attr
                .as_ref()
                .and_then(|a| a.cue)
                .map(|cue| doc.span(cue.first, cue.last)),
            confidence: c.confidence,
        })
        .collect();
    out.sort_by_key(|q| (q.content.start, q.content.end));
    out.dedup_by_key(|q| q.content);
    out
}

/// Resolves source phrases found by someone else (a learned attribution tagger, an
/// annotation) to speakers, with the same rules as [`extract_quotes`]: a name, a pronoun
/// ("he" → the person before it), a relative pronoun, a title or role description ("the
/// Democratic nominee"), a document's issuer ("a statement from X"), a transcript label.
/// `sources` are spans of `text` (the cleaned text, as for [`extract_quotes`]); they are
/// resolved in text order so that pronouns see the speakers before them. Returns one entry
/// per source, in the order given: `None` for a span that holds no word. Entities for names
/// the tagger missed are added to `entities`, as [`extract_quotes`] does.
pub fn resolve_sources(
    text: &str,
    entities: &mut Vec<Entity>,
    sources: &[Span],
) -> Vec<Option<Speaker>> {
    let mut doc = Doc::new(text, entities);
    let mut res = Resolver::new(&doc, entities);
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| (sources[i].start, sources[i].end));
    let mut out = vec![None; sources.len()];
    for i in order {
        let span = sources[i];
        let toks: Vec<usize> = (0..doc.toks.len())
            .filter(|&k| doc.is_word(k) && doc.toks[k].span.overlaps(span))
            .collect();
        let (Some(&first), Some(&last)) = (toks.first(), toks.last()) else {
            continue;
        };
        let label = transcript_label(&doc, first).is_some_and(|(_, l)| l == last);
        let kind = if label {
            NpKind::Label
        } else if let Some(e) = (first..=last).rev().find_map(|k| doc.ment[k]) {
            // The phrase is a name when it is all name (and titles): "Sen. Ted Cruz".
            let all_named = (first..=last).all(|k| {
                !doc.is_word(k)
                    || doc.ment[k] == Some(e)
                    || crate::entities::is_title_word(doc.tok_text(k))
                    || doc.lw[k] == "the"
            });
            if all_named {
                NpKind::Entity(e)
            } else {
                NpKind::Description
            }
        } else if first == last && matches!(doc.pronoun_word(first), "who" | "which") {
            NpKind::Relative
        } else if first == last && lexicon::PERSONAL_PRONOUNS.contains(&doc.pronoun_word(first)) {
            NpKind::Pronoun
        } else if (first..=last).all(|k| text::is_capitalized(doc.tok_text(k))) {
            NpKind::Name
        } else {
            NpKind::Description
        };
        let np = Np { first, last, kind };
        out[i] = res.resolve(&mut doc, entities, &np);
    }
    out
}

/// Whether the quote is a whole sentence or more (else a partial quote inside a sentence).
fn is_direct(doc: &Doc, si: usize) -> bool {
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
            matches!(t, "(" | "—" | "–")
                && doc
                    .lw
                    .get(s.close.map_or(0, |c| c + 1))
                    .is_some_and(|w| w == ")")
        }
        Kind::Word => false,
    }
}

fn sent_range(doc: &Doc, tok: usize) -> (usize, usize) {
    doc.sents[doc.sent[tok]]
}

/// The attribution found in the quote's own sentence (or right around it).
fn find_attr(doc: &Doc, si: usize) -> Option<Attr> {
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
fn post_quote(doc: &Doc, close: usize) -> Option<Attr> {
    let n = doc.toks.len();
    let mut k = close + 1;
    if k < n && doc.is_punct(k, ",") {
        k += 1;
    }
    if k >= n || doc.toks[k].para != doc.toks[close].para {
        return None;
    }
    let (_, s1) = sent_range(doc, k);
    let p_end = doc.paras[doc.toks[k].para].1;
    // A dash and a name: `"..." ― Jane Roe`.
    if doc.toks[k].kind == Kind::Punct
        && matches!(doc.tok_text(k), "―" | "—" | "–" | "-")
        && k < p_end
    {
        let np = doc.np_after(k + 1, p_end)?;
        // `"..." — a metaphor for ...` is an aside, not a signature.
        if !matches!(np.kind, NpKind::Entity(_) | NpKind::Name) {
            return None;
        }
        let cue = Cue {
            tok: k,
            first: k,
            last: k,
            according: false,
        };
        return Some(Attr {
            np: Some(np),
            cue: Some(cue),
            rule: Rule::PostQuote,
        });
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
                let clause = doc.lw[np.first] == "that";
                if !clause
                    && (np.first == k
                        || (np.first > k && (k..np.first).all(|x| doc.lw[x] == "the")))
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

/// The nearest cue before token `end` in the sentence, with its subject; a coordinated cue
/// without a subject (`..., and particularly noted`) takes the subject of the cue before it.
fn pre_cue(doc: &Doc, end: usize, s0: usize) -> Option<Attr> {
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
                    let say = matches!(
                        doc.lw[cue.tok].as_str(),
                        "said"
                            | "says"
                            | "added"
                            | "adds"
                            | "asked"
                            | "asks"
                            | "wrote"
                            | "writes"
                            | "continued"
                            | "replied"
                            | "explained"
                            | "noted"
                            | "recalled"
                    );
                    let inverted = if say {
                        doc.np_after(cue.last + 1, end.saturating_sub(1))
                    } else {
                        None
                    };
                    // A participle: `..., telling reporters: "..."` is said by the subject.
                    let participle = doc.lw[cue.tok].ends_with("ing")
                        && cue.first > s0
                        && (doc.is_punct(cue.first - 1, ",") || doc.lw[cue.first - 1] == "by");
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
                        let cue = Cue {
                            tok: j,
                            first: j,
                            last: j,
                            according: false,
                        };
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
    relative
}

/// `X condemned what he called a "brazen breach"`: the pronoun before "called" is the
/// subject of the clause, which names the source.
fn what_called(doc: &Doc, s0: usize, np: Np) -> Np {
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
fn what_pronoun(doc: &Doc, s0: usize, np: &Np) -> bool {
    np.kind == NpKind::Pronoun
        && np.first > s0 + 1
        && matches!(doc.lw[np.first - 1].as_str(), "what" | "which")
        && doc.lw.get(np.first + 1).is_some_and(|w| {
            matches!(
                w.as_str(),
                "called" | "calls" | "termed" | "dubbed" | "described"
            )
        })
}

/// Shares attributions inside multi-paragraph quotes and within a paragraph.
fn propagate(doc: &Doc, cands: &mut [Cand]) {
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
fn carry_over(doc: &mut Doc, res: &mut Resolver, entities: &mut Vec<Entity>, cands: &mut [Cand]) {
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
            sp.resolved_by = "carry-over";
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
            sp.resolved_by = "carry-over";
            cands[i].speaker = Some(sp);
            cands[i].attr = Some(Attr {
                np: None,
                cue: None,
                rule: Rule::CarryOver,
            });
        }
    }
}

/// Labels that head a paragraph without naming a speaker.
#[rustfmt::skip]
const NOT_LABELS: &[&str] = &[
    "update", "updated", "note", "editor's", "correction", "corrections", "watch", "read",
    "related", "photos", "photo", "video", "source", "sources", "breaking", "exclusive",
    "warning", "disclaimer", "clarification", "advertisement", "tags", "topics", "more",
    "see", "also", "listen", "follow", "contact", "email", "twitter", "subscribe", "share",
    "caption", "credit", "transcript", "partial", "full", "excerpt", "excerpts", "analysis",
    "opinion", "summary", "background", "context", "bottom", "line", "why", "what", "how",
    "the", "a", "an", "this", "here's", "and", "or", "but",
];

/// The speaker label of a transcript line starting at token `t`: one to four words in
/// capitals (`PENCE`, `MR. TRUMP`, `Q`) and a colon, e.g. `PENCE: Well, look, ...`. Returns
/// the first and last token of the label.
fn transcript_label(doc: &Doc, t: usize) -> Option<(usize, usize)> {
    let para = doc.toks.get(t)?.para;
    let mut last = t;
    while last < t + 4 && last < doc.toks.len() && doc.is_word(last) {
        last += 1;
    }
    if last == t
        || last >= doc.toks.len()
        || !doc.is_punct(last, ":")
        || doc.toks[last].para != para
    {
        return None;
    }
    // Not a time ("7:25") or a reference ("John 3:16").
    if doc
        .toks
        .get(last + 1)
        .is_some_and(|n| n.span.start == doc.toks[last].span.end && n.kind == Kind::Word)
    {
        return None;
    }
    let words = t..last;
    let caps = words.clone().all(|k| {
        let w = doc.tok_text(k);
        w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
    });
    if !caps
        || words
            .clone()
            .any(|k| NOT_LABELS.contains(&doc.lw[k].as_str()))
    {
        return None;
    }
    Some((t, last - 1))
}

/// Transcript paragraphs without quote marks: `CLINTON: We will ...`, `Q: ...`, or a label on
/// its own line before the paragraph it introduces. Only in a text with two labelled
/// paragraphs or more, so that a lone `UPDATE:`-style heading makes no quote.
fn transcript_paragraphs(doc: &Doc, cands: &mut Vec<Cand>) {
    let mut lines: Vec<(usize, (usize, usize))> = Vec::new();
    for (p, &(p0, _)) in doc.paras.iter().enumerate() {
        if p0 == usize::MAX || doc.qid[p0].is_some() {
            continue;
        }
        if let Some(label) = transcript_label(doc, p0) {
            lines.push((p, label));
        }
    }
    if lines.len() < 2 {
        return;
    }
    for &(p, (first, last)) in &lines {
        let (_, p1) = doc.paras[p];
        let colon = last + 1;
        // The content: the rest of the paragraph, or the next paragraph after a label alone.
        let (c0, c1) = if colon < p1 {
            (colon + 1, p1)
        } else {
            let q = p + 1;
            if q >= doc.paras.len() || lines.iter().any(|&(x, _)| x == q) {
                continue;
            }
            doc.paras[q]
        };
        if (c0..=c1).any(|k| doc.qid[k].is_some()) {
            continue;
        }
        let content = marks::trim_content(doc.text, doc.span(c0, c1));
        if content.is_empty() {
            continue;
        }
        cands.push(Cand {
            kind: QuoteKind::Direct,
            content,
            seg: None,
            attr: Some(Attr {
                np: Some(Np {
                    first,
                    last,
                    kind: NpKind::Label,
                }),
                cue: None,
                rule: Rule::Transcript,
            }),
            speaker: None,
            confidence: 0.0,
        });
    }
}

/// Drops headlines, quoted titles and scare quotes that have no speech cue.
fn keep_quote(doc: &Doc, c: &Cand) -> bool {
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
    let small = [
        "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "with", "at", "by", "from",
        "is",
    ];
    let title = !words.is_empty()
        && words.len() <= 10
        && words
            .iter()
            .all(|w| small.contains(w) || w.chars().next().is_some_and(|ch| !ch.is_lowercase()))
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
        .is_some_and(|cl| cl > 0 && matches!(doc.tok_text(cl - 1), "." | "?" | "!"));
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
                    && !matches!(
                        doc.lw[cl + 1].as_str(),
                        "of" | "to"
                            | "in"
                            | "for"
                            | "on"
                            | "at"
                            | "with"
                            | "by"
                            | "from"
                            | "is"
                            | "was"
                            | "are"
                            | "were"
                    )
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
    /// Whether the cue verb is a speech verb proper ("said", not "believes").
    fn lexicon_speech(&self, tok: usize) -> bool {
        lexicon().speech.contains(self.lw[tok].as_str())
    }
}

/// Verbs that take an object before the reported clause (`told reporters that ...`).
#[rustfmt::skip]
const WITH_OBJECT: &[&str] = &[
    "told", "tells", "tell", "telling", "informed", "reminded", "reminds", "assured", "assures",
    "warned", "warns", "promised", "promises", "convinced", "persuaded", "showed", "shows",
];

/// Whether token `k` can start a reported clause without "that".
fn clause_like_start(doc: &Doc, k: usize) -> bool {
    if k >= doc.toks.len() || !doc.is_word(k) {
        return doc.toks.get(k).is_some_and(|t| t.kind == Kind::Mark);
    }
    let w = doc.lw[k].as_str();
    matches!(
        w,
        "he" | "she"
            | "they"
            | "it"
            | "we"
            | "i"
            | "you"
            | "there"
            | "the"
            | "a"
            | "an"
            | "this"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "these"
            | "those"
            | "some"
            | "many"
            | "most"
            | "no"
            | "all"
            | "if"
            | "such"
            | "people"
            | "americans"
            | "nobody"
            | "everyone"
            | "anyone"
            | "what"
            | "whoever"
            | "every"
            | "each"
            | "both"
    ) || (text::is_capitalized(doc.tok_text(k)) && !lexicon().clause_start.contains(w))
        || w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The subject of a cue verb that the noun phrase rules do not parse: the words from the
/// start of the clause to the cue (`Experts on river ecology and flood control said`,
/// `all the analysts we asked said`, `Those close to him say`), when they hold no verb and
/// name people or sources.
fn subject_phrase(doc: &Doc, s0: usize, cue: &Cue) -> Option<Np> {
    let lex = lexicon();
    let last = doc.skip_between_back(cue.first.checked_sub(1)?, s0)?;
    let mut first = last;
    loop {
        if !doc.is_word(first) || doc.qid[first].is_some() {
            return None;
        }
        let w = doc.lw[first].as_str();
        if AUXILIARIES.contains(&w) || doc.cue_at(first).is_some() || doc.cue_noun_at(first) {
            return None;
        }
        // Coordination inside the phrase (`experts on trade and tax policy`) is not a clause
        // boundary.
        let coordinated = first > s0 + 1
            && matches!(doc.lw[first - 1].as_str(), "and" | "or")
            && !doc.is_punct(first - 2, ",");
        if doc.clause_boundary_before(first) && !coordinated {
            break;
        }
        if last - first >= 10 {
            return None;
        }
        first -= 1;
    }
    let words: Vec<&str> = (first..=last).map(|k| doc.lw[k].as_str()).collect();
    let w0 = words[0];
    // A bare plural speaks only with a say-verb (`Engineers warned`, not `Results show`).
    let say = lex.speech.contains(doc.lw[cue.tok].as_str());
    if (words.len() < 2 && !say)
        || lex.clause_start.contains(w0)
        || matches!(
            w0,
            "what" | "this" | "that" | "there" | "it" | "which" | "who" | "how" | "why" | "where"
        )
        || matches!(
            w0,
            "in" | "on" | "at" | "for" | "with" | "from" | "by" | "after" | "before" | "to"
        )
    {
        return None;
    }
    // Its head noun (before a prepositional complement) names people or sources.
    let head_end = words
        .iter()
        .position(|w| PREP_HEADS.contains(w))
        .unwrap_or(words.len());
    if head_end == 0 {
        return None;
    }
    let head = words[head_end - 1];
    let plural = head.len() > 3 && head.ends_with('s') && !head.ends_with("ss");
    let people = words[..head_end]
        .iter()
        .any(|w| lex.sources.contains(w) || lexicon::ROLES.iter().any(|(r, _)| r == w))
        || w0 == "those";
    if !(people || plural && !DOCUMENT_NOUNS.contains(&head)) {
        return None;
    }
    Some(Np {
        first,
        last,
        kind: NpKind::Description,
    })
}

const PREP_HEADS: &[&str] = &[
    "of", "on", "in", "for", "with", "from", "at", "close", "familiar", "who", "that", "i", "we",
];

/// The source after "according to" when it is no speaker phrase (`federal statistics`, `a
/// recent survey of voter lists`): the words up to the next comma or the sentence end.
fn according_source(doc: &Doc, k: usize, s1: usize) -> Option<Np> {
    // "according to" can end the sentence (and the document).
    if k > s1 {
        return None;
    }
    let mut last = k;
    while last < s1 && doc.is_word(last + 1) && doc.qid[last + 1].is_none() {
        last += 1;
    }
    if !doc.is_word(k) || doc.qid[k].is_some() || last - k > 12 {
        return None;
    }
    Some(Np {
        first: k,
        last,
        kind: NpKind::Description,
    })
}

/// Auxiliaries and copulas: a finite clause.
#[rustfmt::skip]
pub(crate) const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "should", "must", "do", "does", "did", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "won't", "wouldn't", "can't", "couldn't", "don't", "doesn't", "didn't",
];

/// Whether the "that" at token `t` after cue verb `w` (words from `k`) belongs to a reported
/// clause that has already begun (`said officials have video that shows ...`) rather than
/// introducing it (`said Friday that`, `said in a statement that`, `told reporters that`).
fn relative_that(doc: &Doc, w: &str, k: usize, t: usize) -> bool {
    if k >= t || doc.is_punct(k, ",") {
        return false;
    }
    // A finite verb before "that": the clause started at `k`.
    if (k..t).any(|x| doc.is_word(x) && AUXILIARIES.contains(&doc.lw[x].as_str())) {
        return true;
    }
    // Only verbs with an object (`told reporters`) take a noun phrase before "that"; others
    // take adverbials (`said Friday`, `said in an interview`, `argued repeatedly`).
    let first = doc.lw[k].as_str();
    let adverbial = TIME_WORDS.contains(&first)
        || NOT_CLAUSE.contains(&first)
        || lexicon().between.contains(first)
        || MONTHS.iter().any(|m| first.starts_with(m))
        || first.starts_with(|c: char| c.is_ascii_digit())
        || (first.len() > 4 && first.ends_with("ly"));
    !adverbial && !WITH_OBJECT.contains(&w)
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Time words between a cue and its content (`said Friday that`).
#[rustfmt::skip]
const TIME_WORDS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "last", "this", "next", "week", "month", "year", "night", "morning",
    "afternoon", "evening", "weekend", "earlier", "later", "recently", "again", "also",
    "repeatedly", "publicly", "privately", "previously", "on", "once", "then", "now",
];

/// Words after which a say-verb does not start a reported clause (`said in a statement`).
#[rustfmt::skip]
const NOT_CLAUSE: &[&str] = &[
    "in", "on", "at", "during", "after", "before", "with", "to", "for", "of", "about", "by",
    "from", "as", "so", "goodbye", "hello", "yes", "no", "nothing", "something", "anything",
    "little", "much", "more", "less", "otherwise", "publicly", "privately", "earlier", "later",
    "recently", "repeatedly", "instead", "through", "via", "over", "under", "while", "when",
    "if", "and", "or", "but", "than", "because", "since", "whether", "who", "which", "what",
    "how", "why", "where",
];

/// Whether the phrase can be a speaker of reported speech: a person or organisation, a
/// pronoun, a source noun ("officials"), a name.
fn person_like(doc: &Doc, np: &Np) -> bool {
    match np.kind {
        NpKind::Pronoun => matches!(
            doc.pronoun_word(np.first),
            "he" | "she" | "they" | "we" | "i"
        ),
        NpKind::Relative => doc.lw[np.first] == "who",
        NpKind::Name | NpKind::Label => true,
        NpKind::Entity(_) => true,
        NpKind::Description => doc.np_head(np).is_some_and(|h| {
            (lexicon().sources.contains(h.as_str()) || lexicon::ROLES.iter().any(|(r, _)| *r == h))
                && !DOCUMENT_NOUNS.contains(&h.as_str())
        }),
    }
}

/// Whether an entity phrase names an organisation: it holds an organisation word
/// ("Harbour Association", "European Union").
fn org_like(doc: &Doc, np: &Np) -> bool {
    (np.first..=np.last).any(|k| lexicon::ORG_WORDS.contains(&doc.lw[k].as_str()))
}

/// Source nouns that are documents, not people: they report, but do not call for or urge.
const DOCUMENT_NOUNS: &[&str] = &[
    "statement",
    "report",
    "reports",
    "poll",
    "polls",
    "survey",
    "study",
    "studies",
    "memo",
    "letter",
    "video",
    "tweet",
    "post",
    "article",
    "paper",
    "data",
    "records",
    "documents",
    "filing",
    "filings",
    "figures",
    "estimates",
    "website",
    "editorial",
];

/// The subject of the sentence's first clause: the first name or pronoun before `limit`.
fn sentence_subject(doc: &Doc, s0: usize, limit: usize) -> Option<Np> {
    for k in s0..limit {
        if doc.qid[k].is_some() || !doc.is_word(k) {
            continue;
        }
        if !doc.clause_boundary_before(k) && doc.ment[k].is_none() {
            continue;
        }
        if let Some(np) = doc.np_core(k, s0) {
            // A capitalised word that a longer name continues: "Prime" of "Prime Minister Eva
            // Lind".
            if matches!(np.kind, NpKind::Name | NpKind::Description)
                && k + 1 < limit
                && doc.is_word(k + 1)
                && doc.qid[k + 1].is_none()
                && text::is_capitalized(doc.tok_text(k + 1))
                && (np.kind == NpKind::Name
                    || doc.ment[k + 1].is_some()
                    || crate::entities::is_title_word(doc.tok_text(k + 1)))
            {
                continue;
            }
            // Take the whole name.
            let mut last = k;
            while last + 1 < limit
                && np.kind != NpKind::Pronoun
                && doc.ment[last + 1].is_some()
                && doc.ment[last + 1] == doc.ment[k]
            {
                last += 1;
            }
            let np = Np {
                first: np.first,
                last,
                kind: np.kind,
            };
            if person_like(doc, &np) {
                return Some(np);
            }
        }
    }
    None
}

/// Speech acts whose object is reported content (`called for an inquiry`, `urged voters to
/// register`, `declined to comment`). Evaluative acts (`accused`, `attacked`, `praised`) are
/// not reported speech.
#[rustfmt::skip]
const OBJECT_VERBS: &[&str] = &[
    "called", "calls", "calling", "call", "urged", "urges", "urging", "asked", "asks", "asking",
    "vowed", "vows", "vowing", "pledged", "pledges", "pledging", "promised", "promises",
    "promising", "announced", "announces", "announcing", "declined", "declines", "refused",
    "refuses", "acknowledged", "acknowledges", "acknowledging", "mentioned", "mentions",
    "mentioning", "cited", "cites", "citing", "noted", "notes", "noting", "described",
    "describes", "describing", "suggested", "suggests", "suggesting", "warned", "warns",
    "warning", "expressed", "expresses", "argued", "argues", "arguing", "insisted", "explained",
    "explains", "reiterated", "revealed", "reveals", "questioned", "questions", "denied",
    "denies", "predicted", "predicts", "recalled", "recalls", "referring", "referred", "talked",
    "demanded", "demands", "threatened", "threatens", "encouraged", "reminded", "concluded",
    "agreed", "agrees", "claimed", "claims", "estimated", "estimates", "hoping", "hopes", "hoped",
    "declared", "declaring", "stressed", "emphasized", "raised", "discussed", "discusses",
    "spoke", "spoken", "echoed", "disclosed", "outlined", "stressing", "emphasizing",
    "questioning", "demanding", "highlighted", "underscored", "articulated", "wondering",
];

/// Verbs of stated intention, reported with an infinitive: `Olsen wants to rebuild the pier`.
#[rustfmt::skip]
const INTENT_VERBS: &[&str] = &[
    "wants", "want", "wanted", "plans", "plan", "planned", "intends", "intend", "intended",
    "aims", "seeks", "sought",
];

/// An intention verb followed by "to": `wants to`, `has planned to` (not the noun: `his plan
/// to`).
fn intent_cue(doc: &Doc, i: usize) -> Option<Cue> {
    if !doc.is_word(i)
        || doc.qid[i].is_some()
        || !INTENT_VERBS.contains(&doc.lw[i].as_str())
        || doc.lw.get(i + 1).is_none_or(|w| w != "to")
        || text::is_capitalized(doc.tok_text(i))
    {
        return None;
    }
    let prev = if i > 0 { doc.lw[i - 1].as_str() } else { "" };
    if doc::DETS.contains(&prev)
        || crate::entities::possessive_len(doc.tok_text(i.saturating_sub(1))) > 0
        || matches!(
            prev,
            "is" | "are" | "was" | "were" | "be" | "been" | "being"
        )
    {
        return None;
    }
    let mut first = i;
    while first > 0 && matches!(doc.lw[first - 1].as_str(), "has" | "have" | "had") {
        first -= 1;
    }
    Some(Cue {
        tok: i,
        first,
        last: i,
        according: false,
    })
}

/// Speech verbs whose content follows "about" or "of": `spoke about the flood`.
const SPEAK_ABOUT: &[&str] = &["spoke", "spoken", "talked"];

/// The end of a reported content from token `k`: the sentence end, or before a following
/// `, VERB-ing` cue or a semicolon.
fn content_end(doc: &Doc, k: usize, s1: usize) -> usize {
    let mut x = k + 1;
    while x <= s1 {
        if doc.is_punct(x - 1, ",")
            && doc.cue_at(x).is_some()
            && (doc.lw[x].ends_with("ing") || doc.lw[x] == "according")
        {
            return x - 2;
        }
        if doc.is_punct(x, ";") {
            return x - 1;
        }
        // The next attribution: `..., and critics warned ...`, `... and criticized ...`.
        if doc.is_word(x)
            && doc.qid[x].is_none()
            && matches!(doc.lw[x].as_str(), "and" | "but")
            && x > k + 1
            && next_attribution(doc, x + 1, s1)
        {
            return if doc.is_punct(x - 1, ",") {
                x - 2
            } else {
                x - 1
            };
        }
        x += 1;
    }
    s1
}

/// Whether a new attribution starts at token `k`: a cue verb (a coordinated predicate,
/// `and warned`) or a speaker and a cue verb (`critics warned`, `the mayor has said`).
fn next_attribution(doc: &Doc, k: usize, s1: usize) -> bool {
    let lex = lexicon();
    let mut v = k;
    while v <= s1 && doc.is_word(v) && lex.between.contains(doc.lw[v].as_str()) {
        v += 1;
    }
    if v > s1 {
        return false;
    }
    if doc.cue_at(v).is_some() && !doc.lw[v].ends_with("ing") {
        return true;
    }
    // A subject of a few words with no verb of its own, then a say-verb.
    for v in k + 1..=(k + 8).min(s1) {
        if !doc.is_word(v - 1) || AUXILIARIES.contains(&doc.lw[v - 1].as_str()) {
            return false;
        }
        if let Some(c) = doc.cue_at(v) {
            let w = doc.lw[c.tok].as_str();
            return lex.clausal.contains(w) && lex.speech.contains(w) && !w.ends_with("ing");
        }
    }
    false
}

/// Reported speech in sentence `s`.
fn indirect(doc: &Doc, s: usize, out: &mut Vec<Cand>) {
    let lex = lexicon();
    let (s0, s1) = doc.sents[s];
    // Words of a span outside every quote.
    let outside = |span: Span| -> usize {
        let mut n = 0;
        let i0 = doc.toks.partition_point(|t| t.span.end <= span.start);
        for i in i0..doc.toks.len() {
            if doc.toks[i].span.start >= span.end {
                break;
            }
            if doc.is_word(i) && doc.qid[i].is_none() {
                n += 1;
            }
        }
        n
    };
    // After the cue: only time words and short prepositional phrases up to the sentence end
    // or a comma (`..., officials said Friday, as they ...`).
    let tail_ok = |from: usize| -> bool {
        let mut words = 0;
        for k in from..=s1 {
            if doc.is_punct(k, ",") {
                return true;
            }
            match doc.toks[k].kind {
                Kind::Punct => {}
                Kind::Mark => return false,
                Kind::Word => {
                    words += 1;
                    let w = doc.lw[k].as_str();
                    let ok = lex.between.contains(w)
                        || matches!(
                            w,
                            "in" | "a"
                                | "an"
                                | "the"
                                | "his"
                                | "her"
                                | "their"
                                | "its"
                                | "statement"
                                | "interview"
                                | "on"
                                | "twitter"
                                | "reporters"
                                | "to"
                                | "during"
                                | "at"
                                | "news"
                                | "conference"
                                | "briefing"
                                | "email"
                                | "by"
                                | "phone"
                                | "afternoon"
                                | "recent"
                                | "speech"
                                | "tuesday's"
                                | "monday's"
                                | "wednesday's"
                                | "thursday's"
                                | "friday's"
                                | "saturday's"
                                | "sunday's"
                        )
                        || doc.ment[k].is_some();
                    if !ok || words > 7 {
                        return false;
                    }
                }
            }
        }
        true
    };
    // A headline `Pat Smith: Voters Worried About the Harbour`: the name speaks.
    if doc.paras[doc.toks[s0].para].0 == s0 && doc.title_case_para(s0) {
        if let Some(c) = (s0 + 1..=(s0 + 4).min(s1)).find(|&x| doc.is_punct(x, ":")) {
            if let Some(np) = doc.np_core(c - 1, s0) {
                let named = matches!(np.kind, NpKind::Entity(_) | NpKind::Name);
                if np.first == s0 && named && c + 3 <= s1 {
                    let cue = Cue {
                        tok: c,
                        first: c,
                        last: c,
                        according: false,
                    };
                    let (_, p1) = doc.paras[doc.toks[s0].para];
                    push_indirect(doc, c + 1, p1, np, cue, Rule::IndirectThat, &outside, out);
                }
            }
        }
    }
    let mut last_subj: Option<Np> = None;
    let mut j = s0;
    while j <= s1 {
        let Some(cue) = doc.cue_at(j).or_else(|| intent_cue(doc, j)) else {
            j += 1;
            continue;
        };
        let w = doc.lw[cue.tok].as_str();
        j = cue.last + 1;
        if cue.according {
            // `According to X, CONTENT.` / `CONTENT, according to X.`
            let Some(np) = doc
                .np_after(cue.last + 1, s1)
                .or_else(|| according_source(doc, cue.last + 1, s1))
            else {
                continue;
            };
            let dash_before = cue.first > s0 + 1 && doc.is_dash(cue.first - 1);
            let (c0, c1) = if cue.first == s0 && np.last + 1 < s1 && doc.is_punct(np.last + 1, ",")
            {
                (np.last + 2, s1)
            } else if cue.first > s0 + 1 && doc.is_punct(cue.first - 1, ",") || dash_before {
                let mut e = cue.first - 1;
                while e > s0 && (doc.is_dash(e) || doc.is_punct(e, ",")) {
                    e -= 1;
                }
                (s0, e)
            } else {
                continue;
            };
            push_indirect(doc, c0, c1, np, cue, Rule::AccordingTo, &outside, out);
            continue;
        }
        let clausal = lex.clausal.contains(w);
        // `CONTENT, said Mr. Barrett, the lawyer for the agency.`
        if clausal && cue.first > s0 + 2 && doc.is_punct(cue.first - 1, ",") {
            if let Some(np) = doc.np_after(cue.last + 1, s1) {
                let next = np.last + 1;
                let ends = next > s1
                    || (next == s1 && doc.toks[s1].kind == Kind::Punct)
                    || doc.is_punct(next, ",")
                    || doc.is_punct(next, "(");
                if ends && person_like(doc, &np) && doc.qid[cue.first - 1].is_none() {
                    push_indirect(
                        doc,
                        s0,
                        cue.first - 2,
                        np,
                        cue,
                        Rule::IndirectAfter,
                        &outside,
                        out,
                    );
                    continue;
                }
            }
        }
        let mut np_b = doc.np_before(cue.tok, s0);
        // "which" speaks only for an organisation or source before it with a say-verb: `the
        // European Union, which contended that ...` (not `a law which says`).
        if np_b.as_ref().is_some_and(|np| {
            np.kind == NpKind::Relative
                && doc.lw[np.first] == "which"
                && !(lex.speech.contains(w)
                    && np.first > s0 + 1
                    && doc.is_punct(np.first - 1, ",")
                    && doc.np_core(np.first - 2, s0).is_some_and(|a| match a.kind {
                        NpKind::Entity(e) => doc.ment[a.last] == Some(e) && org_like(doc, &a),
                        NpKind::Description => person_like(doc, &a),
                        _ => false,
                    }))
        }) {
            np_b = None;
        }
        if np_b.is_none() {
            // `..., and said ...` / `..., saying ...`: the subject of the sentence.
            let before = doc.skip_between_back(cue.first.saturating_sub(1), s0);
            let coordinated = before.is_some_and(|b| b + 1 == cue.first || doc.is_word(b))
                && before.is_some_and(|b| {
                    doc.is_punct(b, ",")
                        || matches!(doc.lw[b].as_str(), "and" | "but")
                        // `"...," adding that ...`
                        || (b > 0
                            && doc.toks[b].kind == Kind::Mark
                            && doc.is_punct(b - 1, ","))
                });
            if coordinated {
                np_b = last_subj
                    .clone()
                    .or_else(|| sentence_subject(doc, s0, cue.first));
            }
        }
        if np_b.is_none() && clausal {
            // `Experts on North Korea and arms control said ...`: a longer subject.
            np_b = subject_phrase(doc, s0, &cue);
        }
        let Some(np) = np_b else { continue };
        let object_verb = OBJECT_VERBS.contains(&w) || INTENT_VERBS.contains(&w);
        if !(clausal || object_verb && person_like(doc, &np)) {
            continue;
        }
        last_subj = Some(np.clone());
        let after = {
            let mut k = cue.last + 1;
            while k <= s1 && doc.is_word(k) && TIME_WORDS.contains(&doc.lw[k].as_str()) {
                k += 1;
            }
            k
        };
        // `..., as one adviser pointed out, ...`
        let as_before =
            np.first > s0 + 2 && doc.lw[np.first - 1] == "as" && doc.is_punct(np.first - 2, ",");
        let comma_before = (np.first > s0 + 1 && doc.is_punct(np.first - 1, ",")) || as_before;
        if clausal
            && np.first > s0
            && doc.lw[s0] == "as"
            && (s0 + 1..np.first).all(|x| {
                doc.qid[x].is_none()
                    && !AUXILIARIES.contains(&doc.lw[x].as_str())
                    && doc.cue_at(x).is_none()
            })
            && after < s1
            && doc.is_punct(after, ",")
        {
            // `As one adviser pointed out, CONTENT.`
            let c1 = content_end(doc, after + 1, s1);
            push_indirect(
                doc,
                after + 1,
                c1,
                np,
                cue,
                Rule::IndirectThat,
                &outside,
                out,
            );
            continue;
        }
        if clausal && comma_before && after <= s1 && doc.is_punct(after, ",") {
            // `The museum, Mr. Bush said, celebrated ...`: the whole sentence.
            push_indirect(doc, s0, s1, np, cue, Rule::IndirectAfter, &outside, out);
            continue;
        }
        if clausal && comma_before && tail_ok(cue.last + 1) {
            // `CONTENT, officials said.`
            let c1 = if as_before {
                np.first - 3
            } else {
                np.first - 2
            };
            push_indirect(doc, s0, c1, np, cue, Rule::IndirectAfter, &outside, out);
            continue;
        }
        if clausal && cue.first > s0 + 1 && doc.is_punct(cue.first - 1, ",") && np.first > cue.last
        {
            continue;
        }
        // `NP CUE (that) CONTENT`.
        let mut k = after;
        let mut has_that = false;
        if clausal {
            let that_at =
                (k..=(k + 12).min(s1)).find(|&x| doc.lw[x] == "that" && doc.qid[x].is_none());
            if let Some(t) = that_at {
                // `told reporters that`, `told MSNBC's "Morning Joe" that`.
                let between_ok = (k..t).all(|x| {
                    doc.is_word(x)
                        || doc.is_punct(x, ",")
                        || (WITH_OBJECT.contains(&w) && doc.toks[x].kind == Kind::Mark)
                }) && (k..t).all(|x| doc.cue_at(x).is_none())
                    && !relative_that(doc, w, k, t);
                if between_ok {
                    k = t + 1;
                    has_that = true;
                }
            }
            if !has_that {
                if WITH_OBJECT.contains(&w) {
                    // `told reporters`, `told the AP`.
                    let mut x = k;
                    while x <= s1 && x < k + 4 && doc.is_word(x) && !clause_like_start(doc, x + 1) {
                        x += 1;
                    }
                    if x <= s1 && x < k + 4 {
                        k = x + 1;
                    }
                }
                // `said no decision had been made` (not `said no.`, `said no to`).
                let no_clause = k < s1
                    && doc.lw[k] == "no"
                    && doc.is_word(k + 1)
                    && !matches!(doc.lw[k + 1].as_str(), "to" | "comment" | "more" | "and");
                // An indirect question: `asked whether`, `did not say when`.
                let question = k < s1
                    && lex.speech.contains(w)
                    && matches!(
                        doc.lw[k].as_str(),
                        "whether" | "how" | "why" | "what" | "if" | "when" | "where" | "who"
                    );
                let clause = k <= s1
                    && doc.is_word(k)
                    && (!NOT_CLAUSE.contains(&doc.lw[k].as_str()) || no_clause || question)
                    && {
                        // `believed linked to`, `expected to`: not a clause.
                        let nw = doc.lw[k].as_str();
                        text::is_capitalized(doc.tok_text(k))
                            || !(nw.ends_with("ed") || nw.ends_with("ing"))
                            || doc.ment[k].is_some()
                    };
                if !clause {
                    // `said as much`: what was said stands for earlier content.
                    if k < s1
                        && doc.lw[k] == "as"
                        && doc.lw[k + 1] == "much"
                        && lex.speech.contains(w)
                    {
                        push_indirect(doc, k, k + 1, np, cue, Rule::IndirectObject, &outside, out);
                        continue;
                    }
                    if object_verb
                        && person_like(doc, &np)
                        && k <= s1
                        && !doc.is_punct(k, ".")
                        && !doc.is_punct(k, ",")
                        && !(doc.is_word(k) && matches!(doc.lw[k].as_str(), "by" | "as" | "which"))
                    {
                        // The object is the content: `acknowledged the problem`.
                        let c1 = content_end(doc, k, s1);
                        push_indirect(doc, k, c1, np, cue, Rule::IndirectObject, &outside, out);
                    }
                    continue;
                }
            }
        } else {
            if SPEAK_ABOUT.contains(&w) {
                // `spoke about the flood`, not `spoke to reporters`.
                if k < s1 && doc.is_word(k) && matches!(doc.lw[k].as_str(), "about" | "of") {
                    k += 1;
                } else {
                    continue;
                }
            }
            // A clause after a speech act: `urged that the vote be delayed`.
            if k < s1
                && doc.lw[k] == "that"
                && doc.qid[k].is_none()
                && OBJECT_VERBS.contains(&w)
                && clause_like_start(doc, k + 1)
            {
                k += 1;
            }
            // Other speech acts: the object is the content (`called for an inquiry`).
            if k > s1
                || doc.is_punct(k, ".")
                || (doc.is_word(k) && matches!(doc.lw[k].as_str(), "by" | "as" | "that" | "which"))
            {
                continue;
            }
        }
        if k > s1 {
            continue;
        }
        let c1 = content_end(doc, k, s1);
        let rule = if clausal {
            Rule::IndirectThat
        } else {
            Rule::IndirectObject
        };
        push_indirect(doc, k, c1, np, cue, rule, &outside, out);
    }
}

#[allow(clippy::too_many_arguments)]
fn push_indirect(
    doc: &Doc,
    c0: usize,
    c1: usize,
    np: Np,
    cue: Cue,
    rule: Rule,
    outside: &dyn Fn(Span) -> usize,
    out: &mut Vec<Cand>,
) {
    if c1 < c0 {
        return;
    }
    let span = marks::trim_content(doc.text, doc.span(c0, c1));
    // Drop an enclosing quote mark at either end.
    let mut span = span;
    let t = span.slice(doc.text);
    if let Some(ch) = t.chars().next().filter(|&ch| text::is_quote_char(ch)) {
        if !t[ch.len_utf8()..].chars().any(text::is_quote_char) {
            span.start += ch.len_utf8();
        }
    }
    let span = marks::trim_content(doc.text, span);
    // Mostly a quote: the quote rules attribute it.
    let starts_quoted = doc.qid[c0].is_some();
    // A short object of a speech act (`noted the clot's existence`) is reported content too,
    // unless a partial quote carries it (`noted the use of "..."`).
    let object = rule == Rule::IndirectObject
        || (rule == Rule::IndirectThat
            && OBJECT_VERBS.contains(&doc.lw[cue.tok].as_str())
            && outside(span) == doc.words_in(span));
    let min = if object { 2 } else { 3 };
    // Reported clauses need some words of their own besides a quote.
    let min_outside = if object {
        2
    } else if outside(span) == doc.words_in(span) {
        3
    } else {
        4
    };
    // A speech act whose object holds a quote: the partial quote carries the attribution.
    if rule == Rule::IndirectObject && outside(span) < doc.words_in(span) {
        return;
    }
    if doc.words_in(span) < min
        || outside(span) < min_outside
        || (starts_quoted && rule == Rule::IndirectAfter)
    {
        return;
    }
    if matches!(np.kind, NpKind::Relative) && np.first == 0 {
        return;
    }
    out.push(Cand {
        kind: QuoteKind::Indirect,
        content: span,
        seg: None,
        attr: Some(Attr {
            np: Some(np),
            cue: Some(cue),
            rule,
        }),
        speaker: None,
        confidence: 0.0,
    });
}

/// The reliability of the rule and of the speaker resolution, 0..1.
fn confidence(c: &Cand, damaged: bool) -> f32 {
    let rule = match c.attr.as_ref().map(|a| a.rule) {
        Some(Rule::PostQuote) => 0.95,
        Some(Rule::Colon) => 0.85,
        Some(Rule::PreCue) => 0.8,
        Some(Rule::SentenceCue) => 0.75,
        Some(Rule::Chain) => 0.85,
        Some(Rule::Sandwich) => 0.8,
        Some(Rule::CarryOver) => 0.6,
        Some(Rule::SentenceSubject) => 0.5,
        Some(Rule::IndirectThat) => 0.6,
        Some(Rule::IndirectAfter) => 0.6,
        Some(Rule::IndirectObject) => 0.45,
        Some(Rule::AccordingTo) => 0.7,
        Some(Rule::Transcript) => 0.85,
        Some(Rule::Learned) => 0.6,
        None => 0.3,
    };
    let who = match c
        .speaker
        .as_ref()
        .map(|s| (s.resolved_by, s.entity.is_some()))
    {
        Some(("name" | "organization" | "according-to" | "colon", _)) => 1.0,
        Some(("transcript" | "issuer" | "role", true)) => 0.9,
        Some(("title", _)) => 0.85,
        Some(("pronoun", true)) => 0.85,
        Some(("pronoun", false)) => 0.6,
        Some(("carry-over", _)) => 1.0,
        Some(_) => 0.8,
        None => 0.5,
    };
    rule * who * if damaged { 0.8 } else { 1.0 }
}

#[cfg(test)]
mod tests;

/// Whether a lowercased word marks an organisation name ("ministry", "party", "times").
pub fn is_org_word(w: &str) -> bool {
    lexicon::ORG_WORDS.contains(&w)
}
