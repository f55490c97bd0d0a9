//! Evaluation of quote extraction and attribution: on PolNeAR ([`eval_polnear`]) and on the
//! hand-annotated seed gold file ([`eval_gold_json`]).
//!
//! PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates attributions as brat standoff:
//! `T<n>\tSource|Cue|Content START END[;START END]\tTEXT` (code point offsets into the raw
//! article) and `E<n>\tAttribution:T.. Content:T.. Cue:T.. Source:T..`. A gold attribution is
//! *quoted* (direct or partial) when its content contains a quotation mark, else *indirect*.
//!
//! Matching: the predicted quotes that share one cue form one predicted attribution (a split
//! quote `"A," he said. "B."` is one PolNeAR attribution with discontinuous content). A
//! predicted attribution matches a gold one when their content spans overlap by at least half
//! of the shorter; pairs are matched one-to-one, greedily by overlap. Precision is counted per
//! predicted kind, recall per gold kind. On matched pairs, the source is right when the
//! predicted speaker mention overlaps the gold Source span (strict), or the predicted speaker's
//! entity has a mention overlapping it (entity); the cue likewise.
//!
//! **Bad speakers** (issue 12): of the predicted quotes with a speaker in articles that name a
//! person or organisation before the quote, the share whose speaker name is a third-person
//! pronoun, a bare title ("Mr.", "the senator"), a document or message ("a statement", "the
//! poll") whose issuer is named in or just before the phrase, or a function word
//! ([`crate::entities::name_defect`]). "I", "we" and "you" outside quotes are the writer and
//! the reader, whom the article does not name, and are not counted (nor the unnamed "author"
//! and "authors" they resolve to). The error file lists them
//! as `BAD-SPEAKER` lines; `SPEAKER-SPAN` lines are matched pairs whose speaker entity is right
//! but whose mention misses the annotated source.

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use crate::attribution::score::{f1, ratio};
use crate::clean::Format;
use crate::pipeline::{analyze, Document, Tagger};
use crate::{EntityType, QuoteKind, Span};

/// Counts for one group of attributions (quoted or indirect).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupStats {
    /// Gold attributions in the group.
    pub gold: usize,
    /// Gold attributions matched by a prediction.
    pub gold_matched: usize,
    /// Predicted attributions in the group.
    pub pred: usize,
    /// Predicted attributions that match a gold one.
    pub pred_matched: usize,
    /// Matched pairs whose gold attribution has a Source.
    pub with_source: usize,
    /// ... of which the predicted speaker mention overlaps the gold source.
    pub source_strict: usize,
    /// ... of which the speaker mention or the speaker's entity overlaps the gold source.
    pub source_entity: usize,
    /// ... of which the prediction has no speaker (a miss, not a wrong person).
    pub source_missing: usize,
    /// Matched pairs whose gold attribution has no Source.
    pub without_source: usize,
    /// Matched pairs whose gold attribution has a Cue.
    pub with_cue: usize,
    /// ... of which the predicted cue overlaps it.
    pub cue_ok: usize,
}

impl GroupStats {
    pub fn precision(&self) -> f64 {
        ratio(self.pred_matched, self.pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.gold_matched, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    /// Source accuracy on matched pairs with a gold source (speaker or entity).
    pub fn source_accuracy(&self) -> f64 {
        ratio(self.source_entity, self.with_source)
    }
    /// Source accuracy on the matched pairs with a gold source whose prediction has a speaker:
    /// of the people named, how many are right.
    pub fn source_accuracy_attributed(&self) -> f64 {
        ratio(self.source_entity, self.with_source - self.source_missing)
    }
    pub fn cue_accuracy(&self) -> f64 {
        ratio(self.cue_ok, self.with_cue)
    }
    fn add(&mut self, o: &GroupStats) {
        self.gold += o.gold;
        self.gold_matched += o.gold_matched;
        self.pred += o.pred;
        self.pred_matched += o.pred_matched;
        self.with_source += o.with_source;
        self.source_strict += o.source_strict;
        self.source_entity += o.source_entity;
        self.source_missing += o.source_missing;
        self.without_source += o.without_source;
        self.with_cue += o.with_cue;
        self.cue_ok += o.cue_ok;
    }
}

/// The result of [`eval_polnear`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    pub articles: usize,
    /// Direct and partial quotes (gold content with a quotation mark).
    pub quoted: GroupStats,
    /// Reported speech.
    pub indirect: GroupStats,
    /// Predicted quotes (not grouped), and of them: without speaker, resolved only to a
    /// pronoun (no entity).
    pub pred_quotes: usize,
    pub no_speaker: usize,
    pub pronoun_only: usize,
    /// The same counts for direct and partial quotes only.
    pub pred_quoted_quotes: usize,
    pub quoted_no_speaker: usize,
    pub quoted_pronoun_only: usize,
    /// Predicted quotes with a speaker, in articles that name a person or organisation before
    /// the quote.
    pub named_speakers: usize,
    /// ... of which the speaker is a pronoun, a bare title, a non-agent noun (statement,
    /// email, poll, …) or a function word ([`crate::entities::name_defect`]), counted per
    /// defect in that order.
    pub bad_speakers: [usize; 4],
    /// Exact-match span counts over all attributions, for Content, Cue and Source
    /// ([`crate::attribution::score`]: distinct spans per document, trimmed of white space and
    /// punctuation; a discontinuous content counts as its ranges).
    pub exact: [crate::attribution::score::Counts; 3],
}

impl EvalReport {
    /// The share of [`EvalReport::named_speakers`] with a bad speaker name.
    pub fn bad_speaker_share(&self) -> f64 {
        ratio(self.bad_speakers.iter().sum(), self.named_speakers)
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "PolNeAR quote evaluation, {} articles", self.articles)?;
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>7} {:>7} {:>7} {:>9} {:>9} {:>7}",
            "group", "gold", "pred", "P", "R", "F1", "src", "src-span", "cue"
        )?;
        let mut all = self.quoted.clone();
        all.add(&self.indirect);
        for (name, g) in [
            ("direct+partial", &self.quoted),
            ("indirect", &self.indirect),
            ("all", &all),
        ] {
            writeln!(
                f,
                "{:<16} {:>6} {:>6} {:>6.1}% {:>6.1}% {:>6.1}% {:>8.1}% {:>8.1}% {:>6.1}%",
                name,
                g.gold,
                g.pred,
                100.0 * g.precision(),
                100.0 * g.recall(),
                100.0 * g.f1(),
                100.0 * g.source_accuracy(),
                100.0 * ratio(g.source_strict, g.with_source),
                100.0 * g.cue_accuracy(),
            )?;
        }
        writeln!(
            f,
            "predicted quotes: {}, without speaker {:.1}%, pronoun only {:.1}%; direct+partial: {}, without speaker {:.1}%, pronoun only {:.1}%",
            self.pred_quotes,
            100.0 * ratio(self.no_speaker, self.pred_quotes),
            100.0 * ratio(self.pronoun_only, self.pred_quotes),
            self.pred_quoted_quotes,
            100.0 * ratio(self.quoted_no_speaker, self.pred_quoted_quotes),
            100.0 * ratio(self.quoted_pronoun_only, self.pred_quoted_quotes),
        )?;
        writeln!(
            f,
            "bad speakers: {:.2}% of {} quotes with a speaker in articles naming a person or organisation before them (pronoun {}, bare title {}, non-agent {}, function word {})",
            100.0 * self.bad_speaker_share(),
            self.named_speakers,
            self.bad_speakers[0],
            self.bad_speakers[1],
            self.bad_speakers[2],
            self.bad_speakers[3],
        )?;
        writeln!(
            f,
            "matched pairs without a gold source: {} (direct+partial), {} (indirect); src = speaker mention or its entity overlaps the gold source, src-span = the mention itself",
            self.quoted.without_source, self.indirect.without_source
        )?;
        let mut all = self.quoted.clone();
        all.add(&self.indirect);
        writeln!(
            f,
            "matched pairs with a gold source but no predicted speaker (a miss, not a wrong person): {} of {}; src on the pairs with a speaker: {:.1}% (direct+partial {:.1}%, indirect {:.1}%)",
            all.source_missing,
            all.with_source,
            100.0 * all.source_accuracy_attributed(),
            100.0 * self.quoted.source_accuracy_attributed(),
            100.0 * self.indirect.source_accuracy_attributed()
        )?;
        for (name, c) in ["content", "cue", "source"].iter().zip(&self.exact) {
            writeln!(
                f,
                "exact {name:<8} P {:>5.1}% R {:>5.1}% F1 {:>5.1}%  ({} right of {} predicted, {} gold spans)",
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.tp,
                c.pred,
                c.gold
            )?;
        }
        write!(
            f,
            "exact = span-level exact match over all attributions, per document (distinct spans, ends trimmed of white space and punctuation)"
        )
    }
}

/// One gold attribution of PolNeAR, in code point offsets.
#[derive(Debug, Clone)]
pub struct GoldAttribution {
    pub content: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
    pub cue: Vec<(usize, usize)>,
    /// The content contains a quotation mark.
    pub quoted: bool,
}

/// Reads a brat `.ann` file of PolNeAR (`text` is the article, for the quoted test) with the
/// one brat reader, [`crate::attribution::data::read_brat`].
pub fn read_ann(ann: &str, text: &str) -> Vec<GoldAttribution> {
    let chars: Vec<char> = text.chars().collect();
    crate::attribution::data::read_brat(ann, chars.len())
        .into_iter()
        .map(|a| GoldAttribution {
            quoted: a
                .content
                .iter()
                .any(|&(s, e)| chars[s..e].iter().any(|c| matches!(c, '"' | '“' | '”'))),
            content: a.content,
            source: a.source,
            cue: a.cue,
        })
        .collect()
}

/// One predicted attribution: the quotes sharing a cue.
#[derive(Debug, Clone)]
struct PredAttr {
    content: Vec<(usize, usize)>,
    /// The spans scored by the exact-match figures: each quote's reported clause when the
    /// output gives one (`clause`, with the attribution head), else its content.
    exact_content: Vec<(usize, usize)>,
    quoted: bool,
    speaker: Option<(usize, usize)>,
    speaker_name: Option<String>,
    entity_spans: Vec<(usize, usize)>,
    cue: Option<(usize, usize)>,
}

pub(super) fn overlap(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let mut n = 0;
    for &(s, e) in a {
        for &(t, u) in b {
            n += e.min(u).saturating_sub(s.max(t));
        }
    }
    n
}

fn total(a: &[(usize, usize)]) -> usize {
    a.iter().map(|(s, e)| e - s).sum()
}

/// The overlap of two contents when it is at least half of the shorter (how a predicted
/// attribution matches a gold one), else `None`.
pub(super) fn half_overlap(a: &[(usize, usize)], b: &[(usize, usize)]) -> Option<usize> {
    let ov = overlap(a, b);
    let shorter = total(a).min(total(b)).max(1);
    (ov * 2 >= shorter && ov > 0).then_some(ov)
}

fn predicted(a: &Document) -> Vec<PredAttr> {
    let map = |s: Span| a.cleaned.map.to_original(s);
    let mut groups: Vec<PredAttr> = Vec::new();
    let mut by_cue: HashMap<(usize, usize), usize> = HashMap::new();
    for q in &a.quotes {
        let content = map(q.content);
        let exact = map(q.clause.unwrap_or(q.content));
        let cue = q.cue.map(map);
        let quoted = q.kind != QuoteKind::Indirect;
        if let Some(&g) = cue.and_then(|c| by_cue.get(&c)) {
            groups[g].content.push(content);
            groups[g].exact_content.push(exact);
            groups[g].quoted |= quoted;
            continue;
        }
        let entity_spans = q
            .speaker
            .as_ref()
            .and_then(|s| s.entity)
            .and_then(|e| a.entities.get(e))
            .map(|e| e.mentions.iter().map(|m| map(m.span)).collect())
            .unwrap_or_default();
        if let Some(c) = cue {
            by_cue.insert(c, groups.len());
        }
        groups.push(PredAttr {
            content: vec![content],
            exact_content: vec![exact],
            quoted,
            speaker: q.speaker.as_ref().map(|s| map(s.mention)),
            speaker_name: q.speaker.as_ref().map(|s| s.name.clone()),
            entity_spans,
            cue,
        });
    }
    groups
}

/// Greedy one-to-one matching by overlap; returns (pred index, gold index) pairs.
fn match_pairs(pred: &[PredAttr], gold: &[GoldAttribution]) -> Vec<(usize, usize)> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            if let Some(ov) = half_overlap(&p.content, &g.content) {
                cands.push((
                    ov as f64 / total(&p.content).max(total(&g.content)).max(1) as f64,
                    i,
                    j,
                ));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut pu, mut gu) = (vec![false; pred.len()], vec![false; gold.len()]);
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if !pu[i] && !gu[j] {
            pu[i] = true;
            gu[j] = true;
            out.push((i, j));
        }
    }
    out
}

fn snippet(chars: &[char], spans: &[(usize, usize)], max: usize) -> String {
    let mut s = String::new();
    for (k, &(a, b)) in spans.iter().enumerate() {
        if k > 0 {
            s.push_str(" … ");
        }
        let t: String = chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect();
        s.push_str(&t);
    }
    let s = s.replace('\n', " ");
    if s.chars().count() > max {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    } else {
        s
    }
}

fn context(chars: &[char], spans: &[(usize, usize)]) -> String {
    let Some(&(a, _)) = spans.first() else {
        return String::new();
    };
    let Some(&(_, b)) = spans.last() else {
        return String::new();
    };
    let lo = a.min(chars.len()).saturating_sub(80);
    let hi = (b + 80).min(chars.len()).max(lo);
    chars[lo..hi]
        .iter()
        .collect::<String>()
        .replace('\n', " ¶ ")
}

/// Error lines for the exact-match figures: each predicted span that is no gold span
/// (`EXACT-CONTENT`, `EXACT-CUE`, `EXACT-SOURCE`, with the gold span it overlaps most, or `-`),
/// and each gold span no predicted span overlaps (`EXACT-CUE-MISSED`, ...).
fn exact_errors(
    name: &str,
    chars: &[char],
    gold: &[crate::attribution::data::Attribution],
    pred: &[crate::attribution::score::PredSpans],
    err: &mut String,
) {
    use crate::attribution::data::Role;
    use crate::attribution::score::{distinct, role_spans};
    let text = |r: (usize, usize)| snippet(chars, &[r], 80);
    for (role, label) in [
        (Role::Content, "CONTENT"),
        (Role::Cue, "CUE"),
        (Role::Source, "SOURCE"),
    ] {
        let (g, p) = role_spans(gold, pred, role);
        let (g, p) = (distinct(chars, &g), distinct(chars, &p));
        let ov = |x: (usize, usize), y: (usize, usize)| overlap(&[x], &[y]);
        for &r in p.iter().filter(|r| g.binary_search(r).is_err()) {
            let near = g
                .iter()
                .filter(|&&x| ov(x, r) > 0)
                .max_by_key(|&&x| ov(x, r))
                .map_or("-".to_string(), |&x| format!("{:?}", text(x)));
            err.push_str(&format!(
                "{name}\tEXACT-{label}\tpred={:?}\tgold={near}\n",
                text(r)
            ));
        }
        for &x in g.iter().filter(|&&x| p.iter().all(|&r| ov(x, r) == 0)) {
            err.push_str(&format!(
                "{name}\tEXACT-{label}-MISSED\tgold={:?}\t{}\n",
                text(x),
                context(chars, &[x])
            ));
        }
    }
}

/// Evaluates one article; returns its report part and its error lines.
fn eval_article(
    name: &str,
    text: &str,
    gold: &[GoldAttribution],
    a: &Document,
) -> (EvalReport, String) {
    let chars: Vec<char> = text.chars().collect();
    let pred = predicted(a);
    let pairs = match_pairs(&pred, gold);
    let gold_spans: Vec<crate::attribution::data::Attribution> = gold
        .iter()
        .map(|g| crate::attribution::data::Attribution {
            content: g.content.clone(),
            cue: g.cue.clone(),
            source: g.source.clone(),
        })
        .collect();
    let pred_spans: Vec<crate::attribution::score::PredSpans> = pred
        .iter()
        .map(|p| crate::attribution::score::PredSpans {
            content: p.exact_content.clone(),
            cue: p.cue,
            source: p.speaker,
        })
        .collect();
    let mut r = EvalReport {
        articles: 1,
        exact: crate::attribution::score::exact_all(&chars, &gold_spans, &pred_spans),
        ..Default::default()
    };
    let mut err = String::new();
    exact_errors(name, &chars, &gold_spans, &pred_spans, &mut err);
    for q in &a.quotes {
        let quoted = q.kind != QuoteKind::Indirect;
        r.pred_quotes += 1;
        r.pred_quoted_quotes += quoted as usize;
        match &q.speaker {
            None => {
                r.no_speaker += 1;
                r.quoted_no_speaker += quoted as usize;
            }
            Some(s) if s.resolved_by == crate::ResolvedBy::Pronoun && s.entity.is_none() => {
                r.pronoun_only += 1;
                r.quoted_pronoun_only += quoted as usize;
            }
            _ => {}
        }
        let Some(s) = &q.speaker else { continue };
        let named_before = a.entities.iter().any(|e| {
            matches!(e.etype, EntityType::PER | EntityType::ORG)
                && e.mentions
                    .first()
                    .is_some_and(|m| m.span.start < q.content.start)
        });
        if !named_before {
            continue;
        }
        r.named_speakers += 1;
        // The writer ("I", "we" outside quotes) is not named in the article: "author" is no
        // unresolved title.
        if s.resolved_by == crate::ResolvedBy::Author {
            continue;
        }
        let defect = crate::entities::name_defect(&s.name, s.entity.is_none()).filter(|d| {
            use crate::entities::NameDefect;
            match d {
                // "I", "we", "you" outside quotes are the writer and the reader, whom the
                // article does not name.
                NameDefect::Pronoun => !matches!(
                    s.name.to_lowercase().as_str(),
                    "i" | "we" | "you" | "me" | "us" | "someone" | "somebody" | "one"
                ),
                // A document counts when its issuer is named with it: a person or
                // organisation inside the phrase or in the few words before it ("X issued a
                // statement", "the X campaign's website"), in the same sentence.
                NameDefect::NonAgent => a.sentences.iter().any(|sen| {
                    let before = a.cleaned.text[..s.mention.start]
                        .char_indices()
                        .rev()
                        .filter(|(_, c)| c.is_whitespace())
                        .nth(4)
                        .map_or(0, |(i, _)| i)
                        .max(sen.span.start);
                    let near = Span::new(before, s.mention.end);
                    sen.span.overlaps(s.mention)
                        && a.entities.iter().any(|e| {
                            matches!(e.etype, EntityType::PER | EntityType::ORG)
                                && e.mentions.iter().any(|m| m.span.overlaps(near))
                        })
                }),
                _ => true,
            }
        });
        if let Some(d) = defect {
            r.bad_speakers[d as usize] += 1;
            let (st, en) = a.cleaned.map.to_original(s.mention);
            let _ = writeln!(
                err,
                "{name}\tBAD-SPEAKER\t{}\t{:?} ({:?}, {})\t{}",
                if quoted { "quoted" } else { "indirect" },
                s.name,
                d,
                s.resolved_by,
                context(&chars, &[(st, en)])
            );
        }
    }
    for g in gold {
        let grp = if g.quoted {
            &mut r.quoted
        } else {
            &mut r.indirect
        };
        grp.gold += 1;
    }
    for p in &pred {
        let grp = if p.quoted {
            &mut r.quoted
        } else {
            &mut r.indirect
        };
        grp.pred += 1;
    }
    let mut pm = vec![false; pred.len()];
    let mut gm = vec![false; gold.len()];
    for &(i, j) in &pairs {
        pm[i] = true;
        gm[j] = true;
        let (p, g) = (&pred[i], &gold[j]);
        let _ = writeln!(
            err,
            "{name}\tMATCHED\t{}\tspeaker={:?} cue={:?}\t{}",
            if p.quoted { "quoted" } else { "indirect" },
            p.speaker_name.clone().unwrap_or_default(),
            p.cue.map(|c| snippet(&chars, &[c], 30)).unwrap_or_default(),
            snippet(&chars, &p.content, 160),
        );
        r.quoted.pred_matched += p.quoted as usize;
        r.indirect.pred_matched += !p.quoted as usize;
        let grp = if g.quoted {
            &mut r.quoted
        } else {
            &mut r.indirect
        };
        grp.gold_matched += 1;
        if g.source.is_empty() {
            grp.without_source += 1;
        } else {
            grp.with_source += 1;
            let strict = p.speaker.is_some_and(|s| overlap(&[s], &g.source) > 0);
            let ent = strict || overlap(&p.entity_spans, &g.source) > 0;
            grp.source_strict += strict as usize;
            grp.source_entity += ent as usize;
            grp.source_missing += p.speaker.is_none() as usize;
            if !strict {
                let _ = writeln!(
                    err,
                    "{name}\t{}\t{}\tpred={:?} ({})\tgold={:?}\t{}",
                    if ent { "SPEAKER-SPAN" } else { "WRONG-SPEAKER" },
                    if g.quoted { "quoted" } else { "indirect" },
                    p.speaker
                        .map(|s| snippet(&chars, &[s], 60))
                        .unwrap_or_else(|| "-".into()),
                    p.speaker_name.clone().unwrap_or_default(),
                    snippet(&chars, &g.source, 60),
                    context(&chars, &g.content)
                );
            }
        }
        if !g.cue.is_empty() {
            grp.with_cue += 1;
            grp.cue_ok += p.cue.is_some_and(|c| overlap(&[c], &g.cue) > 0) as usize;
        }
    }
    for (j, g) in gold.iter().enumerate() {
        if !gm[j] {
            let _ = writeln!(
                err,
                "{name}\tMISSED\t{}\tsource={:?} cue={:?}\t{}\t{}",
                if g.quoted { "quoted" } else { "indirect" },
                snippet(&chars, &g.source, 60),
                snippet(&chars, &g.cue, 30),
                snippet(&chars, &g.content, 160),
                context(&chars, &g.content)
            );
        }
    }
    for (i, p) in pred.iter().enumerate() {
        if !pm[i] {
            let _ = writeln!(
                err,
                "{name}\tSPURIOUS\t{}\tspeaker={:?} cue={:?}\t{}\t{}",
                if p.quoted { "quoted" } else { "indirect" },
                p.speaker_name.clone().unwrap_or_default(),
                p.cue.map(|c| snippet(&chars, &[c], 30)).unwrap_or_default(),
                snippet(&chars, &p.content, 160),
                context(&chars, &p.content)
            );
        }
    }
    (r, err)
}

fn add_report(a: &mut EvalReport, b: &EvalReport) {
    a.articles += b.articles;
    a.quoted.add(&b.quoted);
    a.indirect.add(&b.indirect);
    a.pred_quotes += b.pred_quotes;
    a.no_speaker += b.no_speaker;
    a.pronoun_only += b.pronoun_only;
    a.pred_quoted_quotes += b.pred_quoted_quotes;
    a.quoted_no_speaker += b.quoted_no_speaker;
    a.quoted_pronoun_only += b.quoted_pronoun_only;
    a.named_speakers += b.named_speakers;
    for (x, y) in a.bad_speakers.iter_mut().zip(b.bad_speakers) {
        *x += y;
    }
    for (x, y) in a.exact.iter_mut().zip(&b.exact) {
        x.add(*y);
    }
}

/// The articles of a PolNeAR split folder: (name, text path, annotation path), the first
/// annotator file in sorted order for each article.
pub use crate::attribution::data::split_files as polnear_articles;

/// Evaluates quote extraction on a PolNeAR split folder (`text/*.txt` + `attributions/*.ann`),
/// writing missed, spurious and wrongly attributed quotes with context to `errors_out` when
/// one is given.
pub fn eval_polnear(
    dir: &Path,
    tagger: &dyn Tagger,
    errors_out: Option<&Path>,
) -> anyhow::Result<EvalReport> {
    let arts = polnear_articles(dir)?;
    anyhow::ensure!(!arts.is_empty(), "no PolNeAR articles in {}", dir.display());
    let results: Vec<anyhow::Result<(EvalReport, String)>> = arts
        .par_iter()
        .map(|(name, text_path, ann_path)| {
            let text = std::fs::read_to_string(text_path)?;
            let ann = std::fs::read_to_string(ann_path)?;
            let gold = read_ann(&ann, &text);
            let a = analyze(&text, Format::Text, tagger)?;
            Ok(eval_article(name, &text, &gold, &a))
        })
        .collect();
    let mut report = EvalReport::default();
    let mut errors = String::new();
    for r in results {
        let (rep, err) = r?;
        add_report(&mut report, &rep);
        errors.push_str(&err);
    }
    if let Some(out) = errors_out {
        std::fs::write(out, errors).with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(report)
}

mod gold;
pub use gold::*;

#[cfg(test)]
mod caps_tagger;
#[cfg(test)]
mod tests;
