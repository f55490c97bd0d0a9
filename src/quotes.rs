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
mod carry;
pub mod chooser;
mod direct;
mod doc;
mod indirect;
mod learned;
mod lexicon;
mod marks;
mod resolve;
mod subject;
mod text;
mod transcript;
mod words;

pub use agents::{byline_author, check_agents, text_byline};
use carry::{carry_over, propagate};
use direct::{find_attr, is_direct, keep_quote};
use doc::{Cue, Doc, Np, NpKind};
use indirect::indirect;
use resolve::Resolver;
use subject::{sent_range, sentence_subject};
use transcript::{transcript_label, transcript_paragraphs};
use words::RELATIVE_PRONOUNS;

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
    /// How the speaker was resolved.
    pub resolved_by: ResolvedBy,
}

/// How a speaker was resolved. Serialised (and shown) as the strings of the README's output
/// contract: "name", "organization", "pronoun", "title", "role", "issuer", "transcript",
/// "colon", "according-to", "carry-over", "unnamed", "byline", "author".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolvedBy {
    /// A person's name (`Putin said`).
    Name,
    /// An organisation's name (`the ministry said`, `Reuters reported`).
    Organization,
    /// A pronoun linked to the person before it (`he said`).
    Pronoun,
    /// A title or role noun linked to a named holder (`the Russian leader`).
    Title,
    /// A definite description linked to an entity described so (`the CNN host`).
    Role,
    /// A document's issuer (`a statement from X`).
    Issuer,
    /// A transcript's speaker label (`PENCE:`).
    Transcript,
    /// A name and a colon (`Clinton: "..."`).
    Colon,
    /// `according to X`.
    AccordingTo,
    /// The speaker of the previous quote paragraph.
    CarryOver,
    /// An unnamed source (`a source`, `officials`).
    Unnamed,
    /// The article's byline author.
    Byline,
    /// The article's writer, unnamed: a first person outside quote marks in an article
    /// without a byline of one author (a column, an editorial, a letter).
    Author,
}

impl ResolvedBy {
    /// The output string, as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ResolvedBy::Name => "name",
            ResolvedBy::Organization => "organization",
            ResolvedBy::Pronoun => "pronoun",
            ResolvedBy::Title => "title",
            ResolvedBy::Role => "role",
            ResolvedBy::Issuer => "issuer",
            ResolvedBy::Transcript => "transcript",
            ResolvedBy::Colon => "colon",
            ResolvedBy::AccordingTo => "according-to",
            ResolvedBy::CarryOver => "carry-over",
            ResolvedBy::Unnamed => "unnamed",
            ResolvedBy::Byline => "byline",
            ResolvedBy::Author => "author",
        }
    }
}

impl std::fmt::Display for ResolvedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
    /// The whole reported clause around the content, as the learned tagger marks PolNeAR's
    /// content, when it differs from `content` (see `learned::clause`).
    pub clause: Option<Span>,
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
    /// The speaker phrase picked by the learned speaker chooser (`quotes/chooser.rs`) over
    /// the rules' phrase or in place of a carry-over guess.
    Chosen,
}

#[derive(Debug, Clone)]
struct Attr {
    np: Option<Np>,
    cue: Option<Cue>,
    rule: Rule,
}

impl Attr {
    /// A transcript's speaker label, tokens `first..=last` (`PENCE:`).
    fn transcript(first: usize, last: usize) -> Attr {
        Attr {
            np: Some(Np {
                first,
                last,
                kind: NpKind::Label,
            }),
            cue: None,
            rule: Rule::Transcript,
        }
    }
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
/// The sentences are not needed (the parameter stays for the library's callers): the rules
/// segment the text themselves, so that quote marks and paragraph conventions are handled the
/// same whatever the segmenter does.
pub fn extract_quotes(
    text: &str,
    _sentences: &[Sentence],
    entities: &mut Vec<Entity>,
) -> Vec<Quote> {
    extract_quotes_learned(text, entities, Learned::default())
}

/// What a learned attribution tagger adds to the rules: its attributions (`quotes/learned.rs`),
/// its source phrases, and the speaker chooser's weights (`quotes/chooser.rs`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Learned<'a> {
    pub attributions: Option<&'a [crate::tagging::LearnedAttribution]>,
    pub sources: &'a [crate::tagging::SourceSpan],
    pub chooser: Option<&'a crate::tagging::ChooserWeights>,
    /// The attribution branch's state of each word, for the chooser's pair score.
    pub states: Option<&'a crate::tagging::WordStates>,
    /// The confidence the tagger's unquoted attributions need (by default
    /// `learned::MIN_SCORE`).
    pub min_score: Option<f32>,
}

/// [`extract_quotes`], with the learned tagger's attributions merged in (see
/// `quotes/learned.rs`): they add unquoted attributions and lend speakers to quotes the rules
/// left without one. With the chooser's weights, the learned speaker chooser picks each
/// attribution's source phrase where it is confident (`quotes/chooser.rs`); speaker
/// resolution stays the rules'. A speaker's mention inside one of the tagger's source phrases
/// becomes that phrase: the words naming the source as PolNeAR marks them ("House Speaker
/// Paul Ryan" for the rules' "Paul Ryan"). The tagger's source phrases first lose the words
/// they ran on into (`learned::trim_source`: "Republicans choose to" → "Republicans").
pub fn extract_quotes_learned(
    text: &str,
    entities: &mut Vec<Entity>,
    learned: Learned<'_>,
) -> Vec<Quote> {
    let mut doc = Doc::new(text, entities);
    let trimmed = learned::Trimmed::new(&doc, &learned);
    let learned = trimmed.applied(learned);
    let mut cands = find_cands(&doc, &learned);
    if let Some(w) = learned.chooser {
        chooser::choose(&doc, &mut cands, &learned, w);
    }
    resolve_and_finish(&mut doc, entities, cands, &learned)
}

/// The speaker chooser's examples of a document: each attribution the rules and the tagger
/// find, with its candidate source phrases and their features (for fitting the chooser).
pub fn chooser_examples(
    text: &str,
    entities: &[Entity],
    learned: Learned<'_>,
) -> Vec<chooser::Example> {
    let doc = Doc::new(text, entities);
    let trimmed = learned::Trimmed::new(&doc, &learned);
    let learned = trimmed.applied(learned);
    let cands = find_cands(&doc, &learned);
    cands
        .iter()
        .map(|c| chooser::example(&doc, c, &learned))
        .collect()
}

/// Steps 1 and 2: quoted segments and reported speech with their speaker phrases (before
/// resolution), the tagger's attributions merged in.
fn find_cands(doc: &Doc, learned: &Learned<'_>) -> Vec<Cand> {
    let mut cands: Vec<Cand> = Vec::new();

    // 1. Quoted segments and their own attribution.
    for si in 0..doc.segs.len() {
        let kind = if is_direct(doc, si) {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        };
        let label = transcript_label(doc, doc.segs[si].open + 1);
        let mut content = doc.segs[si].content;
        let attr = match label {
            Some((first, last)) if doc.toks[first].para == doc.segs[si].para => {
                // The content starts after the label.
                let from = doc.toks[last + 1].span.end;
                if from < content.end {
                    content = marks::trim_content(doc.text, Span::new(from, content.end));
                }
                Some(Attr::transcript(first, last))
            }
            _ => find_attr(doc, si),
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
    propagate(doc, &mut cands);
    // Partial quotes with no cue: the subject of their sentence (`X criticized the law as a
    // "crazy system"`).
    for c in cands.iter_mut() {
        let Some(si) = c.seg else { continue };
        if c.attr.is_some() || c.kind != QuoteKind::Partial {
            continue;
        }
        let open = doc.segs[si].open;
        let (s0, _) = sent_range(doc, open);
        if let Some(np) = sentence_subject(doc, s0, open) {
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
    cands.retain(|c| keep_quote(doc, c));
    transcript_paragraphs(doc, &mut cands);

    // 2. Reported speech.
    for s in 0..doc.sents.len() {
        indirect(doc, s, &mut cands);
    }
    if let Some(l) = learned.attributions {
        learned::merge(
            doc,
            &mut cands,
            l,
            learned.min_score.unwrap_or(learned::MIN_SCORE),
        );
    }
    cands
}

/// Step 3 and after: speakers resolved, carry-over, mentions widened, confidence, sorted.
fn resolve_and_finish(
    doc: &mut Doc,
    entities: &mut Vec<Entity>,
    mut cands: Vec<Cand>,
    learned: &Learned<'_>,
) -> Vec<Quote> {
    let (sources, attributions) = (learned.sources, learned.attributions);
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
    let mut res = Resolver::new(doc, entities);
    let mut resolved: std::collections::HashMap<(usize, usize), Option<Speaker>> =
        Default::default();
    for &i in &order {
        let Some(Attr { np: Some(np), .. }) = &cands[i].attr else {
            continue;
        };
        let key = (np.first, np.last);
        if let std::collections::hash_map::Entry::Vacant(slot) = resolved.entry(key) {
            slot.insert(res.resolve(doc, entities, np));
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
                Rule::AccordingTo => s.resolved_by = ResolvedBy::AccordingTo,
                Rule::Colon => s.resolved_by = ResolvedBy::Colon,
                Rule::Transcript => s.resolved_by = ResolvedBy::Transcript,
                _ => {}
            }
        }
        c.speaker = sp;
    }
    carry_over(doc, &mut res, entities, &mut cands);
    learned::widen_mentions(&mut cands, sources);
    for sp in cands.iter_mut().filter_map(|c| c.speaker.as_mut()) {
        sp.mention = without_clitic(doc.text, sp.mention);
    }

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
            cue: {
                let rule = c
                    .attr
                    .as_ref()
                    .and_then(|a| a.cue)
                    .map(|cue| doc.span(cue.first, cue.last));
                match attributions {
                    Some(l) => learned::cue(doc.text, c.content, rule, l),
                    None => rule,
                }
            },
            clause: attributions.and_then(|l| learned::clause(doc.text, c.content, l)),
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
                    || doc.lw[k] == words::DEFINITE_ARTICLE
            });
            if all_named {
                NpKind::Entity(e)
            } else {
                NpKind::Description
            }
        } else if first == last && RELATIVE_PRONOUNS.contains(&doc.pronoun_word(first)) {
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
        Some(Rule::Chosen) => 0.6,
        None => 0.3,
    };
    let who = match c
        .speaker
        .as_ref()
        .map(|s| (s.resolved_by, s.entity.is_some()))
    {
        Some((
            ResolvedBy::Name
            | ResolvedBy::Organization
            | ResolvedBy::AccordingTo
            | ResolvedBy::Colon,
            _,
        )) => 1.0,
        Some((ResolvedBy::Transcript | ResolvedBy::Issuer | ResolvedBy::Role, true)) => 0.9,
        Some((ResolvedBy::Title, _)) => 0.85,
        Some((ResolvedBy::Pronoun, true)) => 0.85,
        Some((ResolvedBy::Pronoun, false)) => 0.6,
        Some((ResolvedBy::CarryOver, _)) => 1.0,
        Some(_) => 0.8,
        None => 0.5,
    };
    rule * who * if damaged { 0.8 } else { 1.0 }
}

/// A speaker mention without the clitic its pronoun's token carries ("He's", "they've", "I'm"
/// → "He", "they", "I"): PolNeAR's source is the pronoun, and so is the analyst's mention. A
/// name's "'s" stays ("Ryan's" names the source as the owner of a statement).
fn without_clitic(text: &str, mention: Span) -> Span {
    const CLITICS: &[&str] = &["s", "re", "ve", "ll", "d", "m"];
    let m = mention.slice(text);
    let Some(i) = m.rfind(['\'', '\u{2019}']) else {
        return mention;
    };
    let clitic = m[i..].trim_start_matches(['\'', '\u{2019}']).to_lowercase();
    let last = m[..i].rsplit(char::is_whitespace).next().unwrap_or("");
    if CLITICS.contains(&clitic.as_str())
        && lexicon::PERSONAL_PRONOUNS.contains(&last.to_lowercase().as_str())
    {
        Span::new(mention.start, mention.start + i)
    } else {
        mention
    }
}

#[cfg(test)]
mod tests;

/// Whether a lowercased word is a form of a stance verb ("believes", "wants", "opposed"):
/// belief, feeling, wish, intention, support or opposition, which PolNeAR annotates as an
/// attribution like speech. The `stance` column of the quote lexicon; whether the rules read
/// the word as a cue is a separate matter (they read "believes" as one, "opposed" not).
pub fn is_stance_verb(w: &str) -> bool {
    lexicon::lexicon().stance.contains(w)
}

/// Whether a lowercased word marks an organisation name ("ministry", "party", "times").
pub fn is_org_word(w: &str) -> bool {
    lexicon::ORG_WORDS.contains(&w)
}
