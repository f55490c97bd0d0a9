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
//! the reader, whom the article does not name, and are not counted. The error file lists them
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
use crate::pipeline::{analyze, Analysis, Tagger};
use crate::{EntityType, Mention, QuoteKind, Sentence, Span};

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

/// Reads a brat `.ann` file of PolNeAR (`text` is the article, for the quoted test).
pub fn read_ann(ann: &str, text: &str) -> Vec<GoldAttribution> {
    let chars: Vec<char> = text.chars().collect();
    let mut tspans: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let mut out = Vec::new();
    let mut events: Vec<HashMap<&str, &str>> = Vec::new();
    for line in ann.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if parts.len() < 2 {
            continue;
        }
        if parts[0].starts_with('T') {
            let Some((_, ranges)) = parts[1].split_once(' ') else {
                continue;
            };
            let spans: Vec<(usize, usize)> = ranges
                .split(';')
                .filter_map(|r| {
                    let mut it = r.split_whitespace().map(|x| x.parse::<usize>());
                    match (it.next(), it.next()) {
                        (Some(Ok(a)), Some(Ok(b))) if a <= b && a < chars.len() => {
                            Some((a, b.min(chars.len())))
                        }
                        _ => None,
                    }
                })
                .collect();
            tspans.insert(parts[0], spans);
        } else if parts[0].starts_with('E') {
            events.push(
                parts[1]
                    .split_whitespace()
                    .filter_map(|a| a.split_once(':'))
                    .map(|(k, v)| (k.trim_end_matches(|c: char| c.is_ascii_digit()), v))
                    .collect(),
            );
        }
    }
    for ev in events {
        let get = |k: &str| {
            ev.get(k)
                .and_then(|t| tspans.get(t))
                .cloned()
                .unwrap_or_default()
        };
        let content = get("Content");
        if content.is_empty() {
            continue;
        }
        let quoted = content.iter().any(|&(a, b)| {
            chars[a.min(chars.len())..b]
                .iter()
                .any(|c| matches!(c, '"' | '“' | '”'))
        });
        out.push(GoldAttribution {
            content,
            source: get("Source"),
            cue: get("Cue"),
            quoted,
        });
    }
    out
}

/// One predicted attribution: the quotes sharing a cue.
#[derive(Debug, Clone)]
struct PredAttr {
    content: Vec<(usize, usize)>,
    quoted: bool,
    speaker: Option<(usize, usize)>,
    speaker_name: Option<String>,
    entity_spans: Vec<(usize, usize)>,
    cue: Option<(usize, usize)>,
}

fn overlap(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
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

fn predicted(a: &Analysis) -> Vec<PredAttr> {
    let map = |s: Span| a.cleaned.map.to_original(s);
    let mut groups: Vec<PredAttr> = Vec::new();
    let mut by_cue: HashMap<(usize, usize), usize> = HashMap::new();
    for q in &a.quotes {
        let content = map(q.content);
        let cue = q.cue.map(map);
        let quoted = q.kind != QuoteKind::Indirect;
        if let Some(&g) = cue.and_then(|c| by_cue.get(&c)) {
            groups[g].content.push(content);
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
            let ov = overlap(&p.content, &g.content);
            let shorter = total(&p.content).min(total(&g.content)).max(1);
            if ov * 2 >= shorter && ov > 0 {
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

/// Evaluates one article; returns its report part and its error lines.
fn eval_article(
    name: &str,
    text: &str,
    gold: &[GoldAttribution],
    a: &Analysis,
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
            content: p.content.clone(),
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
    for q in &a.quotes {
        let quoted = q.kind != QuoteKind::Indirect;
        r.pred_quotes += 1;
        r.pred_quoted_quotes += quoted as usize;
        match &q.speaker {
            None => {
                r.no_speaker += 1;
                r.quoted_no_speaker += quoted as usize;
            }
            Some(s) if s.resolved_by == "pronoun" && s.entity.is_none() => {
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
/// writing missed, spurious and wrongly attributed quotes with context to `errors_out`.
pub fn eval_polnear(
    dir: &Path,
    tagger: &dyn Tagger,
    errors_out: &Path,
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
    std::fs::write(errors_out, errors)
        .with_context(|| format!("writing {}", errors_out.display()))?;
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// The seed gold file.

/// Folds text for comparison: lowercase letters and digits only (quote marks, punctuation,
/// white space and line-end hyphens disappear).
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One document's result against the seed gold file.
#[derive(Debug, Clone, Default)]
pub struct GoldDocReport {
    pub doc: String,
    /// Required gold quotes, found, and found with the right speaker.
    pub required: usize,
    pub found: usize,
    pub speaker_ok: usize,
    /// Reported speech of the gold file, found, and found with the right speaker.
    pub reported: usize,
    pub reported_found: usize,
    pub reported_speaker_ok: usize,
    /// Required quotes not found.
    pub missing: Vec<String>,
    /// (quote, predicted speaker, gold speaker).
    pub wrong_speaker: Vec<(String, String, String)>,
    /// Predicted quotes matching nothing in the gold file (quotes or reported speech).
    pub spurious: Vec<String>,
    /// Stances of the gold file (speech acts and stances without a say-verb: acceptable
    /// either way) that were reported, and of them with another speaker than the gold one.
    pub stance_found: usize,
    pub stance_wrong_speaker: Vec<(String, String, String)>,
}

/// The result of [`eval_gold_json`].
#[derive(Debug, Clone, Default)]
pub struct GoldReport {
    pub docs: Vec<GoldDocReport>,
}

impl GoldReport {
    /// Every required quote found with its speaker, and nothing outside the gold file.
    pub fn passes(&self) -> bool {
        self.docs.iter().all(|d| {
            d.found == d.required
                && d.speaker_ok == d.required
                && d.spurious.is_empty()
                && d.stance_wrong_speaker.is_empty()
        })
    }
}

impl fmt::Display for GoldReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.docs {
            writeln!(
                f,
                "{}: quotes {}/{} found, {}/{} right speaker; reported speech {}/{} found, {}/{} right speaker; {} spurious",
                d.doc, d.found, d.required, d.speaker_ok, d.required, d.reported_found, d.reported, d.reported_speaker_ok, d.reported, d.spurious.len()
            )?;
            for m in &d.missing {
                writeln!(f, "  missing: {m:?}")?;
            }
            for (q, p, g) in &d.wrong_speaker {
                writeln!(f, "  wrong speaker: {q:?}: {p:?} (gold {g:?})")?;
            }
            for s in &d.spurious {
                writeln!(f, "  spurious: {s:?}")?;
            }
            writeln!(f, "  stances reported: {}", d.stance_found)?;
            for (q, p, g) in &d.stance_wrong_speaker {
                writeln!(
                    f,
                    "  stance with a wrong speaker: {q:?}: {p:?} (gold {g:?})"
                )?;
            }
        }
        Ok(())
    }
}

/// Whether a document looks like Markdown (links, emphasis, headings).
/// A tagger for the gold file: its entity names and the aliases that are proper names.
pub fn gold_tagger(gold: &serde_json::Value) -> crate::pipeline::GivenMentions {
    let mut names = Vec::new();
    for e in gold["entities"].as_array().into_iter().flatten() {
        let Some(t) = e["type"].as_str().and_then(EntityType::parse) else {
            continue;
        };
        if let Some(n) = e["name"].as_str() {
            names.push((n.to_string(), t));
        }
        for a in e["aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
        {
            let proper = a
                .split(' ')
                .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
                && !a.contains("'s ")
                && !a.contains("’s ");
            if proper {
                names.push((a.to_string(), t));
            }
        }
    }
    crate::pipeline::GivenMentions(names)
}

/// Evaluates against the seed gold file (`gold`: JSON with `documents`, `entities`, `quotes`,
/// `reported_speech`), reading the documents from `docs_dir`.
pub fn eval_gold_json(
    gold: &Path,
    docs_dir: &Path,
    tagger: &dyn Tagger,
) -> anyhow::Result<GoldReport> {
    let g: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(gold).with_context(|| format!("reading {}", gold.display()))?,
    )?;
    // Speaker names and aliases, folded.
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for e in g["entities"].as_array().into_iter().flatten() {
        let Some(n) = e["name"].as_str() else {
            continue;
        };
        let mut v = vec![fold(n)];
        v.extend(
            e["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
                .map(fold),
        );
        aliases.insert(fold(n), v);
    }
    let speaker_ok = |pred: Option<&str>, gold: Option<&str>| -> bool {
        match (pred, gold) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(gs)) => {
                let (p, gf) = (fold(p), fold(gs));
                if let Some(al) = aliases.get(&gf) {
                    return al.contains(&p);
                }
                // An unnamed source: one name contains the other ("the British government").
                let strip = |s: &str| {
                    s.strip_prefix("the")
                        .map(str::to_string)
                        .unwrap_or_else(|| s.to_string())
                };
                let (p, gf) = (strip(&p), strip(&gf));
                !p.is_empty() && (p.contains(&gf) || gf.contains(&p))
            }
        }
    };
    let mut report = GoldReport::default();
    for d in g["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str())
    {
        let path = docs_dir.join(d);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let format = crate::clean::detect_format(d, &text);
        let a = analyze(&text, format, tagger)?;
        let preds: Vec<(String, Option<String>)> = a
            .quotes
            .iter()
            .map(|q| {
                (
                    fold(q.content.slice(&a.cleaned.text)),
                    q.speaker.as_ref().map(|s| s.name.clone()),
                )
            })
            .collect();
        let raw: Vec<String> = a
            .quotes
            .iter()
            .map(|q| q.content.slice(&a.cleaned.text).to_string())
            .collect();
        let same = |p: &str, gq: &str| p == gq;
        // Loose: one contains the other, the shorter at least half of the longer.
        let near = |p: &str, gq: &str| {
            let (s, l) = if p.len() < gq.len() { (p, gq) } else { (gq, p) };
            !s.is_empty() && l.contains(s) && s.len() * 2 >= l.len()
        };
        let mut r = GoldDocReport {
            doc: d.to_string(),
            ..Default::default()
        };
        let mut used = vec![false; preds.len()];
        for q in g["quotes"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            let required = q["required"].as_bool().unwrap_or(true);
            let hit = preds.iter().position(|(p, _)| same(p, &gt));
            if let Some(i) = hit {
                used[i] = true;
            }
            if !required {
                continue;
            }
            r.required += 1;
            match hit {
                None => r
                    .missing
                    .push(q["text"].as_str().unwrap_or_default().to_string()),
                Some(i) => {
                    r.found += 1;
                    if speaker_ok(preds[i].1.as_deref(), q["speaker"].as_str()) {
                        r.speaker_ok += 1;
                    } else {
                        r.wrong_speaker.push((
                            raw[i].clone(),
                            preds[i].1.clone().unwrap_or_default(),
                            q["speaker"].as_str().unwrap_or_default().to_string(),
                        ));
                    }
                }
            }
        }
        for q in g["reported_speech"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            r.reported += 1;
            let hit = preds
                .iter()
                .position(|(p, _)| same(p, &gt))
                .or_else(|| preds.iter().position(|(p, _)| near(p, &gt)));
            if let Some(i) = hit {
                used[i] = true;
                r.reported_found += 1;
                if speaker_ok(preds[i].1.as_deref(), q["speaker"].as_str()) {
                    r.reported_speaker_ok += 1;
                } else {
                    r.wrong_speaker.push((
                        raw[i].clone(),
                        preds[i].1.clone().unwrap_or_default(),
                        q["speaker"].as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
        // Stances: acceptable either way; when reported, with the gold speaker.
        for q in g["stance"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            for (i, (p, sp)) in preds.iter().enumerate() {
                if used[i] || !(same(p, &gt) || near(p, &gt) || gt.contains(p.as_str())) {
                    continue;
                }
                used[i] = true;
                r.stance_found += 1;
                if !speaker_ok(sp.as_deref(), q["speaker"].as_str()) {
                    r.stance_wrong_speaker.push((
                        raw[i].clone(),
                        sp.clone().unwrap_or_default(),
                        q["speaker"].as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
        // Anything else must at least overlap a gold quote or reported speech text.
        let all_gold: Vec<String> = g["quotes"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(g["reported_speech"].as_array().into_iter().flatten())
            .map(|q| fold(q["text"].as_str().unwrap_or_default()))
            .collect();
        for (i, (p, _)) in preds.iter().enumerate() {
            if !used[i]
                && !all_gold
                    .iter()
                    .any(|gq| near(p, gq) || gq.contains(p.as_str()))
            {
                r.spurious.push(raw[i].clone());
            }
        }
        report.docs.push(r);
    }
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// A development tagger.

/// A capitalised-word-sequence tagger: a **development baseline** for iterating on the quote
/// rules before the trained NER model exists (never the default tagger). Runs of capitalised
/// words (with "of"/"de" inside, initials, "U.S.") are mentions; the type comes from a few word
/// lists (organisation words, countries, nationalities), else PER.
pub struct CapsTagger;

#[rustfmt::skip]
const CAPS_SKIP: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "as", "after",
    "before", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "you",
    "his", "her", "their", "our", "my", "its", "there", "here", "what", "who", "why", "how",
    "for", "from", "to", "by", "with", "of", "so", "yet", "still", "also", "now", "then", "not",
    "no", "yes", "mr", "mrs", "ms", "dr", "some", "many", "most", "all", "both", "each", "every",
    "one", "two", "three", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "sept", "oct", "nov", "dec", "jan", "feb",
    "aug", "read", "related", "photo", "image", "according", "asked", "said", "says", "do",
    "does", "did", "is", "are", "was", "were", "be", "being", "just", "even", "only", "like",
    "because", "since", "although", "though", "until", "during", "despite", "about", "over",
    "under", "into", "than", "among", "between", "whether", "would", "could", "should", "will",
    "can", "may", "might", "must", "let", "let's", "don't", "it's", "i'm", "we're", "that's",
];

#[rustfmt::skip]
const CAPS_LOC: &[&str] = &[
    "russia", "moscow", "washington", "china", "iran", "siberia", "germany", "france", "sweden",
    "london", "america", "u.s.", "us", "united states", "britain", "uk", "u.k.", "europe",
    "ukraine", "syria", "iraq", "israel", "mexico", "canada", "japan", "india", "paris", "berlin",
    "beijing", "new york", "california", "texas", "florida", "ohio", "pennsylvania", "virginia",
    "north carolina", "iowa", "michigan", "wisconsin", "nevada", "arizona", "colorado",
    "georgia", "new hampshire", "chicago", "los angeles", "charlotte", "tulsa", "oklahoma",
    "illinois", "missouri", "minnesota", "utah", "alabama", "south carolina", "tennessee",
    "kentucky", "louisiana", "maryland", "massachusetts", "new jersey", "indiana", "mississippi",
    "arkansas", "kansas", "oregon", "connecticut", "d.c.", "afghanistan", "libya", "benghazi",
    "cuba", "venezuela", "korea", "north korea", "south korea", "turkey", "egypt", "saudi arabia",
    "white house", "capitol hill", "wall street", "silicon valley", "manhattan", "brooklyn",
    "philadelphia", "cleveland", "detroit", "miami", "boston", "atlanta", "denver", "dallas",
    "houston", "new orleans", "san francisco", "seattle", "baltimore", "milwaukee", "st. louis",
];

impl Tagger for CapsTagger {
    fn tag(&self, text: &str, _sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
        use crate::entities::NATIONALITIES;
        let mut out = Vec::new();
        // Words with byte spans.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let part = c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-' | '&');
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        let clean = |&(s, e): &(usize, usize)| -> (usize, usize) {
            let w = &text[s..e];
            let t = w.trim_end_matches(['.', '\'', '’', '-']);
            // Keep the period of initials and abbreviations ("U.S.", "J.").
            let keep = w.ends_with('.') && (t.contains('.') || t.chars().count() == 1);
            let t = if keep { &w[..t.len() + 1] } else { t };
            let p = crate::entities::possessive_len(t);
            (s, s + t.len() - p)
        };
        let is_cap =
            |&(s, e): &(usize, usize)| text[s..e].chars().next().is_some_and(char::is_uppercase);
        let sentence_start = |s: usize| {
            let before = text[..s].trim_end_matches([' ', '"', '“', '‘', '\'', '(']);
            before.is_empty() || before.ends_with(['.', '?', '!', '\n', ':'])
        };
        let mut i = 0;
        while i < words.len() {
            if !is_cap(&words[i])
                || CAPS_SKIP.contains(
                    &text[clean(&words[i]).0..clean(&words[i]).1]
                        .to_lowercase()
                        .as_str(),
                )
            {
                i += 1;
                continue;
            }
            let mut j = i;
            // Extend over capitalised words, "of"/"de" between capitalised words; stop after a
            // possessive.
            while j + 1 < words.len() {
                let gap = &text[words[j].1..words[j + 1].0];
                let cur = &text[words[j].0..words[j].1];
                let sentence_end = cur.ends_with('.') && {
                    let t = cur.trim_end_matches('.');
                    !(t.contains('.')
                        || t.chars().count() == 1
                        || matches!(
                            t,
                            "Mr" | "Mrs"
                                | "Ms"
                                | "Dr"
                                | "Sen"
                                | "Rep"
                                | "Gov"
                                | "Gen"
                                | "St"
                                | "Jr"
                                | "Sr"
                        ))
                };
                if gap != " " || cur.ends_with("'s") || cur.ends_with("’s") || sentence_end {
                    break;
                }
                let nw = &text[words[j + 1].0..words[j + 1].1];
                if is_cap(&words[j + 1]) && !CAPS_SKIP.contains(&nw.to_lowercase().as_str()) {
                    j += 1;
                } else if matches!(nw, "of" | "de" | "van" | "von" | "al")
                    && j + 2 < words.len()
                    && is_cap(&words[j + 2])
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let (s, _) = clean(&words[i]);
            let (_, e) = clean(&words[j]);
            i = j + 1;
            if e <= s {
                continue;
            }
            let name = &text[s..e];
            let lname = name.to_lowercase();
            let n_words = name.split(' ').count();
            // A lone capitalised word at a sentence start is usually not a name.
            if n_words == 1 && sentence_start(s) && !CAPS_LOC.contains(&lname.as_str()) {
                let next_is_verb = text[e..].trim_start().split(' ').next().is_some_and(|w| {
                    matches!(
                        w.trim_end_matches([',', '.']),
                        "said"
                            | "says"
                            | "told"
                            | "added"
                            | "wrote"
                            | "argued"
                            | "has"
                            | "was"
                            | "is"
                    )
                });
                if !next_is_verb {
                    continue;
                }
            }
            let words_l: Vec<&str> = lname.split(' ').collect();
            let etype = if CAPS_LOC.contains(&lname.as_str()) {
                EntityType::LOC
            } else if n_words == 1
                && (NATIONALITIES.contains(&lname.as_str()) || lname.ends_with("ans"))
            {
                EntityType::MISC
            } else if words_l.iter().any(|w| crate::quotes::is_org_word(w))
                || (n_words == 1
                    && name
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
                    && name.len() >= 2)
            {
                EntityType::ORG
            } else {
                EntityType::PER
            };
            out.push(Mention {
                span: Span::new(s, e),
                etype,
                score: 0.5,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn polnear_dir() -> Option<PathBuf> {
        let d = std::env::var("WHOSAID_POLNEAR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear")
            });
        d.join("dev").exists().then_some(d)
    }

    /// WHOSAID_MODEL, else the shipped model.
    fn model_path() -> PathBuf {
        std::env::var("WHOSAID_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en"))
    }

    /// [`model_path`] when it holds a model.
    fn model_dir() -> Option<PathBuf> {
        let m = model_path();
        m.join("config.json").exists().then_some(m)
    }

    fn seed_paths() -> Option<(PathBuf, PathBuf)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = [root.join("fixtures/seeds"), root.join("../shared/seeds")]
            .into_iter()
            .find(|d| d.join("001_b6b131d2156dd4a4.txt").exists())?;
        let gold = [
            root.join("fixtures/rules/seed-article.gold.json"),
            root.join("../shared/gold/seed-article.json"),
        ]
        .into_iter()
        .find(|g| g.exists())?;
        Some((docs, gold))
    }

    #[test]
    fn reads_brat_annotations() {
        let text = "He said “yes” today. Officials said it was fine.";
        let ann = "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 13\t“yes”\nE1\tAttribution:T9 Content:T3 Cue:T2 Source:T1\n\
                   T4\tContent 36 47\tit was fine\nT5\tCue 31 35\tsaid\nE2\tAttribution:T8 Cue:T5 Content:T4\n";
        let g = read_ann(ann, text);
        assert_eq!(g.len(), 2);
        assert!(g[0].quoted);
        assert_eq!(g[0].source, vec![(0, 2)]);
        assert!(!g[1].quoted);
        assert!(g[1].source.is_empty());
    }

    #[test]
    fn caps_tagger_finds_names() {
        let text = "Russian President Vladimir Putin met officials in Moscow. The FBI said so.";
        let ms = CapsTagger.tag(text, &[]).unwrap();
        let got: Vec<(&str, EntityType)> =
            ms.iter().map(|m| (m.span.slice(text), m.etype)).collect();
        assert!(got.contains(&("Moscow", EntityType::LOC)), "{got:?}");
        assert!(got.contains(&("FBI", EntityType::ORG)), "{got:?}");
        assert!(
            got.iter()
                .any(|(n, t)| n.ends_with("Vladimir Putin") && *t == EntityType::PER),
            "{got:?}"
        );
    }

    /// Seed acceptance: with mentions given from the gold entity names, every required gold
    /// quote is found with its speaker and nothing outside the gold file is emitted.
    #[test]
    fn seed_article_gold() {
        let Some((docs, gold)) = seed_paths() else {
            eprintln!("skipping seed acceptance: seeds or gold file not found");
            return;
        };
        let g: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&gold).unwrap()).unwrap();
        let tagger = gold_tagger(&g);
        let report = eval_gold_json(&gold, &docs, &tagger).unwrap();
        if std::env::var("WHOSAID_VERBOSE").is_ok() {
            for d in g["documents"].as_array().unwrap() {
                let name = d.as_str().unwrap();
                let text = std::fs::read_to_string(docs.join(name)).unwrap();
                let fmt = crate::clean::detect_format(name, &text);
                let a = analyze(&text, fmt, &tagger).unwrap();
                for q in &a.quotes {
                    eprintln!("{}", describe_quote(&a, q));
                }
            }
        }
        eprintln!("{report}");
        assert!(report.passes(), "{report}");
    }

    /// Seed acceptance with the trained tagger instead of the gold names (WHOSAID_MODEL,
    /// default `models/whosaid-ner-en`).
    #[test]
    #[ignore]
    fn seed_article_gold_model() {
        let Some((docs, gold)) = seed_paths() else {
            eprintln!("skipping seed acceptance: seeds or gold file not found");
            return;
        };
        let Some(model) = model_dir() else {
            eprintln!("skipping: no model in {}", model_path().display());
            return;
        };
        let tagger = crate::ner::NerModel::load(&model, Default::default()).unwrap();
        let report = eval_gold_json(&gold, &docs, &tagger).unwrap();
        println!("{report}");
        assert!(report.passes(), "{report}");
    }

    /// Prints the PolNeAR dev report with the trained tagger (WHOSAID_MODEL, default
    /// `models/whosaid-ner-en`): `cargo test --release --lib quote_eval -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn polnear_dev_report_model() {
        let Some(dir) = polnear_dir() else {
            eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
            return;
        };
        let Some(model) = model_dir() else {
            eprintln!(
                "skipping PolNeAR model report: no model in {}",
                model_path().display()
            );
            return;
        };
        let tagger = crate::ner::NerModel::load(&model, Default::default()).unwrap();
        let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
        let errors = std::env::temp_dir().join(format!("whosaid-polnear-{split}-model-errors.tsv"));
        let report = eval_polnear(&dir.join(&split), &tagger, &errors).unwrap();
        println!("{report}");
        println!("errors: {}", errors.display());
    }

    /// One line for debugging: kind, content, speaker (rule, mention), cue, confidence.
    fn describe_quote(a: &crate::pipeline::Analysis, q: &crate::Quote) -> String {
        let t = &a.cleaned.text;
        let sp = q.speaker.as_ref().map(|s| {
            format!(
                "{} [{} via {:?}]",
                s.name,
                s.resolved_by,
                s.mention.slice(t)
            )
        });
        format!(
            "{:?} {:?} <- {:?} cue={:?} conf={}",
            q.kind,
            q.content.slice(t),
            sp,
            q.cue.map(|c| c.slice(t)),
            q.confidence
        )
    }

    /// Prints the quotes found in the file named by WHOSAID_DEBUG_FILE (with [`CapsTagger`]).
    #[test]
    #[ignore]
    fn debug_file() {
        let Ok(path) = std::env::var("WHOSAID_DEBUG_FILE") else {
            eprintln!("set WHOSAID_DEBUG_FILE");
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let format = crate::clean::detect_format(&path, &text);
        let model: Option<crate::ner::NerModel> = std::env::var("WHOSAID_MODEL")
            .ok()
            .map(|m| crate::ner::NerModel::load(Path::new(&m), Default::default()).unwrap());
        let a = match &model {
            Some(m) => analyze(&text, format, m).unwrap(),
            None => analyze(&text, format, &CapsTagger).unwrap(),
        };
        for e in &a.entities {
            println!(
                "E{} {:?} {:?} {:?} x{}",
                e.index + 1,
                e.etype,
                e.name,
                e.descriptions,
                e.mentions.len()
            );
        }
        for q in &a.quotes {
            println!("{}", describe_quote(&a, q));
        }
    }

    /// The trained tagger with its mentions cached on disk (in WHOSAID_NER_CACHE, default a
    /// folder in the temp dir), keyed by a hash of the text: rule work re-runs in seconds.
    struct CachedTagger {
        model: crate::ner::NerModel,
        dir: PathBuf,
    }

    impl Tagger for CachedTagger {
        fn tag(&self, text: &str, sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            let path = self.dir.join(format!("{:016x}.tsv", h.finish()));
            if let Ok(s) = std::fs::read_to_string(&path) {
                let mut out = Vec::new();
                for line in s.lines() {
                    let f: Vec<&str> = line.split('\t').collect();
                    out.push(Mention {
                        span: Span::new(f[0].parse()?, f[1].parse()?),
                        etype: EntityType::parse(f[2]).context("type")?,
                        score: f[3].parse()?,
                    });
                }
                return Ok(out);
            }
            let out = self.model.tag(text, sentences)?;
            let mut s = String::new();
            for m in &out {
                let _ = writeln!(
                    s,
                    "{}\t{}\t{:?}\t{}",
                    m.span.start, m.span.end, m.etype, m.score
                );
            }
            std::fs::create_dir_all(&self.dir)?;
            std::fs::write(&path, s)?;
            Ok(out)
        }
    }

    /// The PolNeAR report with [`CachedTagger`] (the first run fills the cache):
    /// `cargo test --release --lib polnear_cached -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn polnear_cached() {
        let Some(dir) = polnear_dir() else {
            eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
            return;
        };
        let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en");
        let tagger = CachedTagger {
            model: crate::ner::NerModel::load(&model, Default::default()).unwrap(),
            dir: std::env::var("WHOSAID_NER_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|_| std::env::temp_dir().join("whosaid-ner-cache")),
        };
        let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
        let errors = std::env::var("WHOSAID_ERRORS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join(format!("whosaid-{split}-errors.tsv")));
        let report = eval_polnear(&dir.join(&split), &tagger, &errors).unwrap();
        println!("{report}");
        println!("errors: {}", errors.display());
        // Extract output (the JSON Lines contract) for `whosaid report`.
        if let Ok(out) = std::env::var("WHOSAID_OUT") {
            let mut lines = String::new();
            for (name, text_path, _) in polnear_articles(&dir.join(&split)).unwrap() {
                let text = std::fs::read_to_string(&text_path).unwrap();
                let a = analyze(&text, Format::Text, &tagger).unwrap();
                let doc = crate::pipeline::to_output(&name, &text_path.to_string_lossy(), &a);
                lines.push_str(&serde_json::to_string(&doc).unwrap());
                lines.push('\n');
            }
            std::fs::write(out, lines).unwrap();
        }
        // Predictions as JSON Lines for analysis scripts (code point offsets).
        if let Ok(out) = std::env::var("WHOSAID_PRED") {
            let mut lines = String::new();
            for (name, text_path, _) in polnear_articles(&dir.join(&split)).unwrap() {
                let text = std::fs::read_to_string(text_path).unwrap();
                let a = analyze(&text, Format::Text, &tagger).unwrap();
                let map = |s: Span| a.cleaned.map.to_original(s);
                for q in &a.quotes {
                    let v = serde_json::json!({
                        "article": name,
                        "kind": q.kind,
                        "content": map(q.content),
                        "speaker": q.speaker.as_ref().map(|s| map(s.mention)),
                        "cue": q.cue.map(map),
                    });
                    lines.push_str(&v.to_string());
                    lines.push('\n');
                }
            }
            std::fs::write(out, lines).unwrap();
        }
    }

    /// Prints the PolNeAR dev report with the development tagger:
    /// `cargo test --release --lib quote_eval -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn polnear_dev_report() {
        let Some(dir) = polnear_dir() else {
            eprintln!("skipping PolNeAR report: set WHOSAID_POLNEAR to the polnear folder");
            return;
        };
        let split = std::env::var("WHOSAID_SPLIT").unwrap_or_else(|_| "dev".into());
        let errors = std::env::temp_dir().join(format!("whosaid-polnear-{split}-errors.tsv"));
        let report = eval_polnear(&dir.join(&split), &CapsTagger, &errors).unwrap();
        println!("{report}");
        println!("errors: {}", errors.display());
    }
}
