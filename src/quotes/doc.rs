//! The document as the quote rules see it: tokens, quote segments, sentences, entity mentions,
//! cue verbs and the noun phrases next to them.

use super::lexicon::{lexicon, CUE_NOUNS, PERSONAL_PRONOUNS, ROLES};
use super::marks::{pair, Seg};
use super::text::{is_capitalized, lower, tokenize, Kind, Tok};
use super::words::{
    ed_form, ACCORDING_TO, APPOSITION_PREPS, CALL_FORMS, CALL_PARTICLES, CLAUSE_PUNCT, CLOSE_PREPS,
    CLOSE_WORDS, DASHES, DEFINITE_ARTICLE, DEFINITE_DETS, GO_FORMS, GO_PARTICLE, HEADLINE_VERBS,
    HEAD_PREPS, IRREGULAR_PARTICIPLES, LY_NOT_ADVERBS, NAME_AND, NOT_SUBJECT_PRONOUNS,
    ORDINAL_FIRST, PASSIVE_ADVERBS, PASSIVE_AUXILIARIES, PERCENT, POINT_FORMS, POINT_PARTICLES,
    RELATIVE_PRONOUNS, RELATIVE_WHO, RELATIVE_WHOSE, SENTENCE_ENDS, SINGULAR_PRONOUNS,
    STATE_CLAUSE, STATE_FORMS, TENSE_AUXILIARIES,
};
use crate::entities::{possessive_len, NATIONALITIES};
use crate::{Entity, EntityType, Span};

/// A noun phrase that may name a speaker.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NpKind {
    /// An entity mention (entity index).
    Entity(usize),
    /// he, she, they, it, we, I, you.
    Pronoun,
    /// who/which: the speaker is the phrase before it.
    Relative,
    /// A capitalised name the tagger missed.
    Name,
    /// A common noun phrase: "the Russian leader", "a source", "officials".
    Description,
    /// A speaker label of a transcript (`PENCE:`, `Q:`), which may lie inside quote marks.
    Label,
}

#[derive(Debug, Clone)]
pub(crate) struct Np {
    /// First and last token (inclusive).
    pub first: usize,
    pub last: usize,
    pub kind: NpKind,
}

/// A cue: the verb (with particle/auxiliary) that introduces speech.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    /// The token of the verb itself.
    pub tok: usize,
    /// First and last token of the cue phrase ("have said", "called for", "according to").
    pub first: usize,
    pub last: usize,
    /// "according to X".
    pub according: bool,
}

impl Cue {
    /// A cue of the one word at token `k`.
    pub fn word(k: usize) -> Cue {
        Cue {
            tok: k,
            first: k,
            last: k,
            according: false,
        }
    }
}

pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
    /// Lowercased token texts.
    pub lw: Vec<String>,
    pub segs: Vec<Seg>,
    /// For each token, the segment whose marks enclose it (marks included).
    pub qid: Vec<Option<usize>>,
    /// For each token, its sentence.
    pub sent: Vec<usize>,
    /// Sentences as token ranges [first, last].
    pub sents: Vec<(usize, usize)>,
    /// For each paragraph, its token range [first, last].
    pub paras: Vec<(usize, usize)>,
    /// For each token, the entity whose mention covers it.
    pub ment: Vec<Option<usize>>,
    /// The type of each entity.
    pub etypes: Vec<EntityType>,
}

#[rustfmt::skip]
pub(crate) const DETS: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those",
    "that", "some", "many", "several", "two", "three", "four", "other", "another", "one", "whose",
    "both", "all", "most", "few", "no", "each", "every", "any", "such",
];

const PREPS: &[&str] = &[
    "for", "of", "at", "with", "from", "in", "to", "on", "inside", "within", "close",
];

const NOUN_PREPS: &[&str] = &[
    "of", "in", "at", "for", "from", "by", "with", "on", "into", "across", "between", "among",
    "about", "under", "over", "against", "without", "after", "before",
];

/// Prepositions before a phrase that make it an object, not a subject.
const SUBJECT_BLOCKING_PREPS: &[&str] = &[
    "in", "on", "at", "with", "from", "of", "by", "about", "into", "under", "over", "during",
    "without", "against", "toward", "towards", "than", "like",
];

/// Prepositions of place and motion: their object is never the subject of the clause.
const PLACE_PREPS: &[&str] = &[
    "through",
    "across",
    "into",
    "onto",
    "outside",
    "inside",
    "around",
    "near",
    "along",
    "past",
    "toward",
    "towards",
    "throughout",
    "beneath",
    "behind",
];

/// Whether the word names people who speak ("protesters", "officials").
fn lex_source(w: &str) -> bool {
    lexicon().sources.contains(w) || ROLES.iter().any(|(r, _)| *r == w)
}

/// Capitalised words that start sentences and headings but never a name.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "during", "despite", "amid", "among", "following", "under", "without", "within", "through",
    "throughout", "upon", "toward", "towards", "against", "per", "via", "like", "unlike",
    "here", "there", "here's", "there's", "it's", "that's", "what's", "according", "asked",
    "calling", "saying", "partial", "full", "analysis", "furthermore", "moreover", "update",
    "updated", "breaking", "exclusive", "related", "opinion", "editorial", "transcript",
    "watch", "read", "video", "photos", "no", "yes", "not", "why", "how", "what", "who",
    "where", "when", "which", "whether", "other", "others", "another", "more", "less", "most",
    "instead", "indeed", "perhaps", "maybe", "overall", "finally", "ultimately", "later",
];

/// Words for a share of a group, before "of" ("one of the strategists", "some of his aides").
const PARTITIVES: &[&str] = &[
    "one", "two", "three", "four", "some", "many", "several", "most", "all", "each", "both",
    "none", "few", "any", "half",
];
const PARTITIVE_OF: &str = "of";

/// Between a person's name and their place or organisation: "Ted Cruz of Texas".
const PERSON_OF: &[&str] = &["of", "from"];

#[rustfmt::skip]
const NOT_HEADS: &[&str] = &[
    "there", "here", "this", "that", "these", "those", "what", "which", "whom", "whose", "it's",
    "one", "time", "times", "year", "years", "day", "days", "week", "weeks", "month", "months",
    "today", "yesterday", "way", "thing", "things", "lot", "fact", "way", "part", "point",
    "reason", "idea", "issue", "problem", "question", "case", "matter", "moment", "end",
    "something", "nothing", "anything", "everything",
];

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, entities: &[Entity]) -> Doc<'a> {
        let toks = tokenize(text);
        let lw: Vec<String> = toks.iter().map(|t| lower(text, t)).collect();
        let segs = pair(text, &toks);
        let mut qid = vec![None; toks.len()];
        for (si, s) in segs.iter().enumerate() {
            let end = match s.close {
                Some(c) => c,
                None => {
                    let p = toks[s.open].para;
                    let mut e = s.open;
                    while e + 1 < toks.len() && toks[e + 1].para == p {
                        e += 1;
                    }
                    e
                }
            };
            for q in qid.iter_mut().take(end + 1).skip(s.open) {
                *q = Some(si);
            }
        }
        let npara = toks.last().map_or(0, |t| t.para + 1);
        let mut paras = vec![(usize::MAX, 0usize); npara];
        for (i, t) in toks.iter().enumerate() {
            let r = &mut paras[t.para];
            r.0 = r.0.min(i);
            r.1 = i;
        }
        let mut doc = Doc {
            text,
            toks,
            lw,
            segs,
            qid,
            sent: vec![],
            sents: vec![],
            paras,
            ment: vec![],
            etypes: vec![],
        };
        doc.split_sentences();
        doc.map_mentions(entities);
        doc
    }

    pub fn map_mentions(&mut self, entities: &[Entity]) {
        let mut ment = vec![None; self.toks.len()];
        for e in entities {
            for m in &e.mentions {
                let i0 = self.toks.partition_point(|t| t.span.end <= m.span.start);
                for (i, slot) in ment.iter_mut().enumerate().skip(i0) {
                    if self.toks[i].span.start >= m.span.end {
                        break;
                    }
                    if self.toks[i].kind == Kind::Word {
                        *slot = Some(e.index);
                    }
                }
            }
        }
        self.ment = ment;
        self.etypes = entities.iter().map(|e| e.etype).collect();
    }

    fn split_sentences(&mut self) {
        let n = self.toks.len();
        let mut sent = vec![0; n];
        let mut sents = Vec::new();
        let mut start = 0usize;
        for (i, slot) in sent.iter_mut().enumerate() {
            let t = &self.toks[i];
            let last_of_para = i + 1 == n || self.toks[i + 1].para != t.para;
            let s = t.span.slice(self.text);
            let next_starts = i + 1 < n && {
                let nt = &self.toks[i + 1];
                let ns = nt.span.slice(self.text);
                nt.kind == Kind::Mark
                    || is_capitalized(ns)
                    || ns
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit() || c == '(')
            };
            let boundary = if last_of_para {
                !(t.kind == Kind::Punct && s == ",")
            } else if t.kind == Kind::Punct && SENTENCE_ENDS.contains(&s) {
                self.qid[i].is_none() && next_starts
            } else if t.kind == Kind::Mark {
                // A closing mark after sentence punctuation ends the sentence when a new one starts.
                let closes = self.qid[i].is_some_and(|q| self.segs[q].close == Some(i));
                closes
                    && i > 0
                    && SENTENCE_ENDS.contains(&self.toks[i - 1].span.slice(self.text))
                    && next_starts
                    && !(i + 1 < n && self.cue_at(i + 1).is_some())
            } else {
                false
            };
            *slot = sents.len();
            if boundary {
                sents.push((start, i));
                start = i + 1;
            }
        }
        if start < n {
            sents.push((start, n - 1));
        }
        self.sent = sent;
        self.sents = sents;
    }

    /// The type of the entity mentioned at token `i`.
    pub fn etype_at(&self, i: usize) -> Option<EntityType> {
        self.ment
            .get(i)
            .copied()
            .flatten()
            .and_then(|e| self.etypes.get(e).copied())
    }

    /// Whether token `i` is a MISC mention in the singular, an adjective ("Democratic voters",
    /// "European immigrants", "Republican claims"), which never speaks (unlike the plural
    /// "Republicans").
    pub fn adjective_at(&self, i: usize) -> bool {
        self.etype_at(i) == Some(EntityType::MISC) && !self.lw[i].ends_with('s')
    }

    /// The lowercased word at `i`, without the "'s" of a pronoun's contraction ("He's
    /// claiming" → "he").
    pub fn pronoun_word(&self, i: usize) -> &str {
        let w = self.lw[i].as_str();
        match w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            Some(p) if SINGULAR_PRONOUNS.contains(&p) => p,
            _ => w,
        }
    }

    pub fn tok_text(&self, i: usize) -> &'a str {
        self.toks[i].span.slice(self.text)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks[i].kind == Kind::Word
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks[i].kind == Kind::Punct && self.tok_text(i) == p
    }

    pub fn span(&self, first: usize, last: usize) -> Span {
        Span::new(self.toks[first].span.start, self.toks[last].span.end)
    }

    /// Words of the noun phrase, lowercased.
    pub fn np_words(&self, np: &Np) -> Vec<String> {
        (np.first..=np.last)
            .filter(|&i| self.is_word(i))
            .map(|i| self.lw[i].clone())
            .collect()
    }

    /// The head noun of a noun phrase, lowercased: its last word before a prepositional
    /// complement ("a spokeswoman for the campaign" → "spokeswoman").
    pub fn np_head(&self, np: &Np) -> Option<String> {
        let mut words = self.np_words(np);
        let cut = words
            .iter()
            .position(|w| HEAD_PREPS.contains(&w.as_str()))
            .unwrap_or(words.len());
        words.truncate(cut);
        words.pop()
    }

    pub fn np_text(&self, np: &Np) -> &'a str {
        self.span(np.first, np.last).slice(self.text)
    }

    /// Whether the token is a word outside every quote.
    fn free_word(&self, i: usize) -> bool {
        self.is_word(i) && self.qid[i].is_none()
    }

    /// Whether the paragraph of token `i` is a title-case headline.
    pub fn title_case_para(&self, i: usize) -> bool {
        let (a, b) = self.paras[self.toks[i].para];
        let words: Vec<usize> = (a..=b).filter(|&k| self.is_word(k)).collect();
        let caps = words
            .iter()
            .filter(|&&k| is_capitalized(self.tok_text(k)))
            .count();
        words.len() >= 3 && words.len() <= 25 && caps * 10 >= words.len() * 7
    }

    /// The cue whose verb is token `i`, if any.
    pub fn cue_at(&self, i: usize) -> Option<Cue> {
        if i >= self.toks.len() || !self.free_word(i) {
            return None;
        }
        let lex = lexicon();
        let w = self.lw[i].as_str();
        let next = |k: usize| self.lw.get(i + k).map(String::as_str).unwrap_or("");
        if w == ACCORDING_TO[0] && next(1) == ACCORDING_TO[1] {
            return Some(Cue {
                tok: i,
                first: i,
                last: i + 1,
                according: true,
            });
        }
        if !lex.cues.contains(w) {
            return None;
        }
        // A capitalised cue word is a name or the start of a heading ("Tell", "Claims"),
        // except a say-verb in a title-case headline ("Lindsey Graham Says").
        if is_capitalized(self.tok_text(i))
            && (self.sent.len() <= i || (i > 0 && self.sent[i - 1] == self.sent[i]))
            && !(HEADLINE_VERBS.contains(&w) && self.title_case_para(i))
        {
            return None;
        }
        let prev = |k: usize| if i >= k { self.lw[i - k].as_str() } else { "" };
        // Nouns: "the report", "a call", "his claims".
        if DETS.contains(&prev(1)) || prev(1).ends_with("'s") {
            return None;
        }
        // Words that are nouns as often as verbs: a noun after a preposition ("secretary of
        // state", "in swing states") or before a verb ("the states were"); "state" and
        // "states" speak only before "that" or a colon.
        if lex.noun_verbs.contains(w) {
            let after_prep = i > 0 && self.free_word(i - 1) && NOUN_PREPS.contains(&prev(1));
            let before_verb = super::lexicon::AUXILIARIES.contains(&next(1));
            let state = STATE_FORMS.contains(&w) && !STATE_CLAUSE.contains(&next(1));
            if after_prep || before_verb || state {
                return None;
            }
        }
        // Passive: "has been accused", "was told".
        let mut k = 1;
        while k <= i && PASSIVE_ADVERBS.contains(&prev(k)) {
            k += 1;
        }
        if PASSIVE_AUXILIARIES.contains(&prev(k))
            && (w.ends_with("ed") || IRREGULAR_PARTICIPLES.contains(&w))
        {
            return None;
        }
        // Adjectival participles before a noun: "the said report" is rare; "called" + name is naming.
        let mut first = i;
        while first > 0
            && TENSE_AUXILIARIES.contains(&self.lw[first - 1].as_str())
            && self.free_word(first - 1)
        {
            first -= 1;
        }
        let mut last = i;
        let particle = (CALL_FORMS.contains(&w) && CALL_PARTICLES.contains(&next(1)))
            || (POINT_FORMS.contains(&w) && POINT_PARTICLES.contains(&next(1)))
            || (GO_FORMS.contains(&w) && next(1) == GO_PARTICLE);
        if particle {
            last = i + 1;
        } else if GO_FORMS.contains(&w) {
            return None;
        }
        Some(Cue {
            tok: i,
            first,
            last,
            according: false,
        })
    }

    /// A speech noun used as a cue ("Kremlin accusations", "his remarks").
    pub fn cue_noun_at(&self, i: usize) -> bool {
        self.free_word(i) && CUE_NOUNS.contains(&self.lw[i].as_str())
    }

    /// Whether token `i` is an adverb in -ly ("publicly", "newly"): lowercase, longer than
    /// four letters, not a noun in -ly ("family", "rally").
    fn ly_adverb(&self, i: usize) -> bool {
        let w = self.lw[i].as_str();
        w.len() > 4
            && w.ends_with("ly")
            && !is_capitalized(self.tok_text(i))
            && !LY_NOT_ADVERBS.contains(&w)
    }

    /// Skips adverbs, auxiliaries and time expressions backwards from `i` (inclusive); returns
    /// the first token that is none of them.
    pub fn skip_between_back(&self, mut i: usize, floor: usize) -> Option<usize> {
        let lex = lexicon();
        loop {
            if i < floor {
                return None;
            }
            let w = self.lw[i].as_str();
            if self.free_word(i) && (lex.between.contains(w) || self.ly_adverb(i)) {
                if i == 0 {
                    return None;
                }
                i -= 1;
            } else if self.is_punct(i, ")") {
                // A parenthesis: "Rep. John Mica (R-Fla.) said".
                let lo = i.saturating_sub(10).max(floor);
                let open = (lo..i).rev().find(|&k| self.is_punct(k, "("))?;
                if open == 0 {
                    return None;
                }
                i = open - 1;
            } else if self.is_dash(i) && i > floor {
                // A dashed appositive: "Kall -- co-editor of a book on debates -- said".
                let mut k = i;
                while k > floor && self.is_dash(k - 1) {
                    k -= 1;
                }
                let lo = k.saturating_sub(40).max(floor);
                let mut open = (lo..k).rev().find(|&x| self.is_dash(x))?;
                while open > floor && self.is_dash(open - 1) {
                    open -= 1;
                }
                if open == 0 || self.sent[open] != self.sent[i] {
                    return None;
                }
                i = open - 1;
            } else {
                return Some(i);
            }
        }
    }

    pub fn is_dash(&self, i: usize) -> bool {
        self.toks[i].kind == Kind::Punct && DASHES.contains(&self.tok_text(i))
    }

    /// The subject noun phrase before cue token `cue` (not before token `floor`).
    pub fn np_before(&self, cue: usize, floor: usize) -> Option<Np> {
        if cue == 0 || cue <= floor {
            return None;
        }
        let j = self.skip_between_back(cue - 1, floor)?;
        if self.qid[j].is_some() {
            return None;
        }
        if self.is_punct(j, ",") {
            // "John Smith, a spokesman for the campaign, said"
            let mut k = j;
            let lo = j.saturating_sub(12).max(floor);
            while k > lo {
                k -= 1;
                if self.is_punct(k, ",") && k > floor {
                    // "The state's campaign chairman, Phil Lovas, said": the name between.
                    if let Some(np) = self.np_core(j - 1, k + 1) {
                        // Not a place in an address: "in Tulsa, Oklahoma, arguing".
                        let place = self.etype_at(np.last) == Some(EntityType::LOC);
                        if matches!(np.kind, NpKind::Entity(_) | NpKind::Name)
                            && np.first == k + 1
                            && !place
                        {
                            return Some(np);
                        }
                    }
                    let mut np = self.np_core(k - 1, floor)?;
                    // A place between commas belongs to the name before it: "Johnnie Wilson,
                    // of Springfield, Va., said".
                    let loc = |i: usize| self.etype_at(i) == Some(EntityType::LOC);
                    let prep = |i: usize| {
                        self.free_word(i) && APPOSITION_PREPS.contains(&self.lw[i].as_str())
                    };
                    let mut place = false;
                    for _ in 0..3 {
                        let Some(mut p) = np.first.checked_sub(1).filter(|&p| p > floor) else {
                            break;
                        };
                        let address = prep(p) || (self.is_punct(p, ",") && p > 0 && loc(p - 1));
                        if !loc(np.last) || !address {
                            break;
                        }
                        place = true;
                        if prep(p) {
                            p -= 1;
                        }
                        if p <= floor || !self.is_punct(p, ",") {
                            break;
                        }
                        // An age: "Donna Rawlings, 59, of Ashton, Md., said".
                        if p > floor + 2
                            && self.lw[p - 1].chars().all(|c| c.is_ascii_digit())
                            && self.is_punct(p - 2, ",")
                        {
                            p -= 2;
                        }
                        np = self.np_core(p - 1, floor)?;
                        place = false;
                    }
                    let place = place && loc(np.last);
                    return match np.kind {
                        NpKind::Entity(_) | NpKind::Name if !place => Some(np),
                        _ => None,
                    };
                }
                if self.qid[k].is_some()
                    || self.toks[k].kind == Kind::Punct && self.tok_text(k) != "."
                {
                    return None;
                }
            }
            return None;
        }
        let np = self.np_core(j, floor)?;
        // The object of a preposition inside the subject: "Protesters marching through the
        // streets chanted" → "Protesters".
        if np.first > floor + 1
            && self.free_word(np.first - 1)
            && PLACE_PREPS.contains(&self.lw[np.first - 1].as_str())
            && !self.clause_boundary_before(np.first - 1)
        {
            let mut b = np.first - 1;
            while b > floor && b + 8 > np.first && !self.clause_boundary_before(b) {
                b -= 1;
            }
            if self.clause_boundary_before(b) {
                let head = (b..np.first - 1).find_map(|k| {
                    self.np_core(k, b).filter(|h| {
                        h.first == b
                            && match h.kind {
                                NpKind::Entity(_) | NpKind::Name => true,
                                NpKind::Description => {
                                    self.np_head(h).is_some_and(|w| lex_source(&w))
                                }
                                _ => false,
                            }
                    })
                });
                if let Some(h) = head {
                    return Some(h);
                }
            }
        }
        // The object of a clause-initial preposition is not a subject ("In a statement
        // announcing ..."), unlike "many of his supporters".
        if np.first > floor
            && self.free_word(np.first - 1)
            && SUBJECT_BLOCKING_PREPS.contains(&self.lw[np.first - 1].as_str())
            && self.clause_boundary_before(np.first - 1)
        {
            return None;
        }
        Some(np)
    }

    /// Whether the word can head a common-noun speaker phrase.
    fn nounish(&self, i: usize) -> bool {
        let w = self.lw[i].as_str();
        let lex = lexicon();
        self.is_word(i)
            && !lex.clause_start.contains(w)
            && !lex.between.contains(w)
            && !DETS.contains(&w)
            && !PREPS.contains(&w)
            && !NOT_HEADS.contains(&w)
            && !lex.cues.contains(w)
            && !w.chars().all(|c| c.is_ascii_digit())
    }

    /// Whether token `i` is a verb in the past tense after its subject noun: a lowercase word
    /// in -ed right after a lowercase noun-like word that is no determiner, possessive or
    /// adverb, and before no preposition ("The deal angered mutual fund managers", "Obama's
    /// coalition included centrists"), where "the newly elected mayor", "the retired general",
    /// "Democratic registered voters" and "a poll conducted by" stay one phrase.
    fn verb_after_noun(&self, i: usize, floor: usize) -> bool {
        let w = self.lw[i].as_str();
        if !ed_form(w) || is_capitalized(self.tok_text(i)) || i <= floor {
            return false;
        }
        // A participle after its noun ("a poll conducted by", "a document filed in") is no verb
        // of the phrase's noun.
        if i + 1 < self.lw.len() && NOUN_PREPS.contains(&self.lw[i + 1].as_str()) {
            return false;
        }
        let p = i - 1;
        let pw = self.lw[p].as_str();
        self.free_word(p)
            && !is_capitalized(self.tok_text(p))
            && self.nounish(p)
            && possessive_len(self.tok_text(p)) == 0
            && !self.ly_adverb(p)
            && !pw.ends_with("ed")
            && !PERSONAL_PRONOUNS.contains(&pw)
    }

    /// The noun phrase that ends at token `e`.
    pub fn np_core(&self, e: usize, floor: usize) -> Option<Np> {
        if e < floor || !self.free_word(e) {
            return None;
        }
        let lex = lexicon();
        // An adjective ("Democratic", "European") heads no speaker phrase; "the Chinese" may.
        if self.adjective_at(e) && !(e > floor && self.lw[e - 1] == DEFINITE_ARTICLE) {
            return None;
        }
        let w = self.pronoun_word(e);
        if PERSONAL_PRONOUNS.contains(&w) {
            let kind = if RELATIVE_PRONOUNS.contains(&w) {
                NpKind::Relative
            } else {
                NpKind::Pronoun
            };
            return Some(Np {
                first: e,
                last: e,
                kind,
            });
        }
        let sentence_first = |i: usize| {
            i == 0 || self.sent[i - 1] != self.sent[i] || self.toks[i - 1].kind == Kind::Mark
        };
        if let Some(ent) = self.ment[e] {
            let mut first = e;
            while first > floor && self.ment[first - 1] == Some(ent) && self.free_word(first - 1) {
                first -= 1;
            }
            // Determiners and titles before the name: "its Foreign Ministry", "Sen. Cruz".
            while first > floor
                && self.free_word(first - 1)
                && self.ment[first - 1].is_none()
                && (DEFINITE_DETS.contains(&self.lw[first - 1].as_str())
                    || crate::entities::is_title_word(self.tok_text(first - 1))
                        && is_capitalized(self.tok_text(first - 1)))
            {
                first -= 1;
            }
            if let Some(head) = self.person_before_of(first, floor) {
                return Some(Np { last: e, ..head });
            }
            return Some(self.extend_pp(
                Np {
                    first,
                    last: e,
                    kind: NpKind::Entity(ent),
                },
                floor,
            ));
        }
        let tw = self.tok_text(e);
        if is_capitalized(tw)
            && !(sentence_first(e) && lex.sources.contains(w))
            && !lex.sources.contains(w)
        {
            // A name the tagger missed: a run of capitalised words.
            if DETS.contains(&w)
                || lex.clause_start.contains(w)
                || lex.between.contains(w)
                || PREPS.contains(&w)
                || NOT_NAMES.contains(&w)
            {
                return None;
            }
            let mut first = e;
            while first > floor && self.free_word(first - 1) {
                let pw = self.tok_text(first - 1);
                if is_capitalized(pw)
                    && !lex.clause_start.contains(self.lw[first - 1].as_str())
                    && !DETS.contains(&self.lw[first - 1].as_str())
                    && possessive_len(pw) == 0
                {
                    first -= 1;
                } else {
                    break;
                }
            }
            if e - first > 4 {
                return None;
            }
            return Some(self.extend_pp(
                Np {
                    first,
                    last: e,
                    kind: NpKind::Name,
                },
                floor,
            ));
        }
        // A share of a poll: "63 percent said", "a third of voters".
        if PERCENT.contains(&w)
            && e > floor
            && self.lw[e - 1].starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(Np {
                first: e - 1,
                last: e,
                kind: NpKind::Description,
            });
        }
        // A common noun phrase.
        if !self.nounish(e) || is_capitalized(tw) && !lex.sources.contains(w) {
            return None;
        }
        let mut first = e;
        let mut has_det = false;
        while first > floor && e - first < 6 && self.free_word(first - 1) {
            let pw = self.lw[first - 1].as_str();
            if DETS.contains(&pw) {
                first -= 1;
                has_det = true;
                break;
            }
            if possessive_len(self.tok_text(first - 1)) > 0 {
                first -= 1;
                has_det = true;
                // "Russia's top diplomat": include the possessor's name.
                while first > floor
                    && self.free_word(first - 1)
                    && self.ment[first - 1].is_some()
                    && self.ment[first - 1] == self.ment[first]
                {
                    first -= 1;
                }
                break;
            }
            if lex.clause_start.contains(pw)
                || lex.between.contains(pw)
                || PREPS.contains(&pw)
                || lex.cues.contains(pw)
                || PERSONAL_PRONOUNS.contains(&pw)
                || self.verb_after_noun(first - 1, floor)
            {
                break;
            }
            first -= 1;
        }
        let head_ok = lex.sources.contains(w)
            || ROLES.iter().any(|(r, _)| *r == w)
            || has_det
            || (first < e
                && (self.ment[first].is_some()
                    || NATIONALITIES.contains(&self.lw[first].as_str())));
        if !head_ok {
            return None;
        }
        Some(self.extend_pp(
            Np {
                first,
                last: e,
                kind: NpKind::Description,
            },
            floor,
        ))
    }

    /// The person a name phrase starting at `first` belongs to: "Sen. Ted Cruz of Texas",
    /// "Aris Shirvanian of the Armenian Patriarchate of Jerusalem", "Jim Jordan from Ohio" are
    /// the person, not the place or organisation after "of" / "from". Walks left over a chain
    /// of such names to a person mention right before "of" / "from"; that person's phrase
    /// (with its titles) is returned, or none.
    fn person_before_of(&self, first: usize, floor: usize) -> Option<Np> {
        let mut f = first;
        while f >= floor + 2
            && self.free_word(f - 1)
            && PERSON_OF.contains(&self.lw[f - 1].as_str())
            && self.free_word(f - 2)
        {
            let k = f - 2;
            let ent = self.ment[k]?;
            if self.etype_at(k) == Some(EntityType::PER) {
                let head = self.np_core(k, floor)?;
                return matches!(head.kind, NpKind::Entity(_)).then_some(head);
            }
            // An organisation or place in between: "of the Armenian Patriarchate of".
            f = k;
            while f > floor && self.ment[f - 1] == Some(ent) && self.free_word(f - 1) {
                f -= 1;
            }
            if f > floor && self.free_word(f - 1) && self.lw[f - 1] == DEFINITE_ARTICLE {
                f -= 1;
            }
        }
        None
    }

    /// The phrase a relative pronoun at token `rel` stands for, from `floor` on: `Graham` in
    /// `Graham, who says`, `officials` in `officials who say`; none when that is itself a
    /// pronoun or a relative pronoun.
    pub fn antecedent(&self, rel: usize, floor: usize) -> Option<Np> {
        let mut k = rel.checked_sub(1)?;
        if self.is_punct(k, ",") {
            k = k.checked_sub(1)?;
        } else {
            // The dash of an aside: "economists -- who believe in taxing polluters --".
            while k > floor && self.is_dash(k) {
                k -= 1;
            }
        }
        let np = match self.np_core(k, floor) {
            Some(np) => np,
            None => self.who_antecedent(rel, k, floor)?,
        };
        (!matches!(np.kind, NpKind::Relative | NpKind::Pronoun)).then_some(np)
    }

    /// The people "who" stands for when no speaker noun heads them: the common nouns right
    /// before it ("bankers who concluded", "mutual fund managers who think"), lowercase, with
    /// their determiner. Only for "who", which names people.
    fn who_antecedent(&self, rel: usize, k: usize, floor: usize) -> Option<Np> {
        if self.lw[rel] != RELATIVE_WHO
            || !self.free_word(k)
            || !self.nounish(k)
            || is_capitalized(self.tok_text(k))
            || PERSONAL_PRONOUNS.contains(&self.pronoun_word(k))
        {
            return None;
        }
        let mut first = k;
        while first > floor && k - first < 3 && self.free_word(first - 1) {
            let pw = self.lw[first - 1].as_str();
            if DETS.contains(&pw) {
                first -= 1;
                break;
            }
            // Modifiers only: no preposition, verb form or capitalised word ("included",
            // "by", "angered" end the phrase).
            let verb_form = pw.len() > 4 && (pw.ends_with("ed") || pw.ends_with("ing"));
            if !self.nounish(first - 1)
                || is_capitalized(self.tok_text(first - 1))
                || NOUN_PREPS.contains(&pw)
                || SUBJECT_BLOCKING_PREPS.contains(&pw)
                || verb_form
            {
                break;
            }
            first -= 1;
        }
        Some(Np {
            first,
            last: k,
            kind: NpKind::Description,
        })
    }

    /// Extends a phrase left over a prepositional attachment or coordination:
    /// "Labs in Germany, France and Sweden", "a spokeswoman for the campaign".
    fn extend_pp(&self, np: Np, floor: usize) -> Np {
        let mut first = np.first;
        let lex = lexicon();
        // Coordination of names: "Germany, France and Sweden" (kept only inside a
        // prepositional attachment: "Labs in Germany, France and Sweden").
        loop {
            if first < floor + 2 {
                break;
            }
            let p = first - 1;
            let conj = self.is_punct(p, ",") || (self.free_word(p) && self.lw[p] == NAME_AND);
            if conj
                && self.free_word(p - 1)
                && self.ment[p - 1].is_some()
                && self.ment[first].is_some()
            {
                let mut f = p - 1;
                let ent = self.ment[f];
                while f > floor && self.ment[f - 1] == ent && self.free_word(f - 1) {
                    f -= 1;
                }
                first = f;
            } else {
                break;
            }
        }
        if first >= floor + 2 && first > 1 {
            let mut p = first - 1;
            // "a source close to", "people familiar with"
            if p > floor + 1
                && CLOSE_PREPS.contains(&self.lw[p].as_str())
                && CLOSE_WORDS.contains(&self.lw[p - 1].as_str())
            {
                p -= 1;
            }
            if self.free_word(p) && PREPS.contains(&self.lw[p].as_str()) && self.free_word(p - 1) {
                let h = self.lw[p - 1].as_str();
                let role = lex.sources.contains(h) || ROLES.iter().any(|(r, _)| *r == h);
                if role {
                    if let Some(head) = self.np_core(p - 1, floor) {
                        if head.kind == NpKind::Description {
                            return Np {
                                first: head.first,
                                last: np.last,
                                kind: NpKind::Description,
                            };
                        }
                    }
                }
            }
        }
        np
    }

    /// A noun phrase that starts at token `s` (after an inverted cue: `said Putin`).
    pub fn np_after(&self, s: usize, ceil: usize) -> Option<Np> {
        if s > ceil || s >= self.toks.len() || !self.free_word(s) {
            return None;
        }
        let w = self.lw[s].as_str();
        // A clause, not a phrase: `..., adding that its value quadrupled`; nor a prepositional
        // phrase: `when asked about the inquiry: "..."`.
        if lexicon().clause_start.contains(w) || NOUN_PREPS.contains(&w) {
            return None;
        }
        if PERSONAL_PRONOUNS.contains(&w) && !NOT_SUBJECT_PRONOUNS.contains(&w) {
            return Some(Np {
                first: s,
                last: s,
                kind: NpKind::Pronoun,
            });
        }
        // Extend to the end of the phrase: stop at punctuation, prepositions (except a role's
        // "for"/"of"), verbs and clause words.
        let lex = lexicon();
        let mut last = s;
        let mut i = s;
        while i <= ceil && i < self.toks.len() && self.free_word(i) {
            let wi = self.lw[i].as_str();
            // A relative clause ends the phrase: "said a former official who oversaw ...".
            if i > s
                && (lex.clause_start.contains(wi)
                    || lex.cues.contains(wi)
                    || RELATIVE_PRONOUNS.contains(&wi)
                    || wi == RELATIVE_WHOSE
                    || lex.between.contains(wi) && wi != ORDINAL_FIRST)
            {
                break;
            }
            if PREPS.contains(&wi) {
                let h = self.lw[i - 1].as_str();
                // A role's "for"/"of" ("a spokesman for the campaign") and a share's "of"
                // ("one of the strategists", "a strategist for one of the candidates").
                let share = wi == PARTITIVE_OF && PARTITIVES.contains(&h);
                if i > s
                    && (lex.sources.contains(h) || ROLES.iter().any(|(r, _)| *r == h) || share)
                    && i < ceil
                {
                    i += 1;
                    continue;
                }
                break;
            }
            last = i;
            i += 1;
            if i - s > 8 {
                return None;
            }
        }
        // The head: an entity mention inside, else a name or description.
        if let Some(ent) = (s..=last).rev().find_map(|k| self.ment[k]) {
            // Title + name: the whole phrase names the entity (not a title after it: "the
            // Florida senator" is a senator, not Florida).
            let all_named = self.ment[last] == Some(ent)
                && (s..=last).all(|k| {
                    self.ment[k] == Some(ent)
                        || crate::entities::is_title_word(self.tok_text(k))
                        || self.lw[k] == DEFINITE_ARTICLE
                });
            if all_named {
                return Some(Np {
                    first: s,
                    last,
                    kind: NpKind::Entity(ent),
                });
            }
        }
        if (s..=last).all(|k| is_capitalized(self.tok_text(k))) && !lex.sources.contains(w) {
            return Some(Np {
                first: s,
                last,
                kind: NpKind::Name,
            });
        }
        let np = self.np_core(last, s)?;
        Some(Np {
            first: s,
            last,
            kind: np.kind,
        })
    }

    /// Whether the token starts a clause: the sentence start, a comma, a clause word or a quote.
    pub fn clause_boundary_before(&self, i: usize) -> bool {
        if i == 0 || self.sent[i - 1] != self.sent[i] {
            return true;
        }
        let p = i - 1;
        match self.toks[p].kind {
            Kind::Mark => true,
            Kind::Punct => CLAUSE_PUNCT.contains(&self.tok_text(p)),
            Kind::Word => {
                lexicon().clause_start.contains(self.lw[p].as_str())
                    || RELATIVE_PRONOUNS.contains(&self.lw[p].as_str())
            }
        }
    }

    /// Number of words in a span of tokens.
    pub fn words_in(&self, span: Span) -> usize {
        span.slice(self.text).split_whitespace().count()
    }
}
