//! Reported speech without quote marks: `X said (that) ...`, `..., officials said.`,
//! `according to X, ...`, `X called for ...`, `X wants to ...`.

use super::doc::{self, Cue, Doc, Np, NpKind};
use super::lexicon::{self, lexicon, AUXILIARIES};
use super::marks;
use super::subject::{org_like, person_like};
use super::text::{self, Kind};
use super::words::{
    ABOUT_OF, ACCORDING_TO, AGENT_OR_THAT, AGENT_WORDS, AND_BUT, AND_OR, AS_ASIDE, AS_MUCH,
    BE_FORMS, CLAUSE_OPENERS, COMPLEMENTIZER, CUE_ADVERBIALS, HAVE_FORMS, INFINITIVE_TO,
    INVERTING_VERBS, NEGATIVE_NO, NEVER_INVERTED, NOT_SUBJECT_HEADS, NO_NOT_CLAUSE, RELATIVE_WHICH,
    SUBJECT_PREPS_BLOCK, THOSE, WH_WORDS,
};
use super::{sentence_subject, Attr, Cand, QuoteKind, Rule};
use crate::span::Span;

/// Whether token `k` can start a reported clause without "that".
pub(super) fn clause_like_start(doc: &Doc, k: usize) -> bool {
    if k >= doc.toks.len() || !doc.is_word(k) {
        return doc.toks.get(k).is_some_and(|t| t.kind == Kind::Mark);
    }
    let w = doc.lw[k].as_str();
    CLAUSE_OPENERS.contains(&w)
        || (text::is_capitalized(doc.tok_text(k)) && !lexicon().clause_start.contains(w))
        || w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The subject of a cue verb that the noun phrase rules do not parse: the words from the
/// start of the clause to the cue (`Experts on river ecology and flood control said`,
/// `all the analysts we asked said`, `Those close to him say`), when they hold no verb and
/// name people or sources.
pub(super) fn subject_phrase(doc: &Doc, s0: usize, cue: &Cue) -> Option<Np> {
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
            && AND_OR.contains(&doc.lw[first - 1].as_str())
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
        || NOT_SUBJECT_HEADS.contains(&w0)
        || SUBJECT_PREPS_BLOCK.contains(&w0)
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
        || w0 == THOSE;
    if !(people || plural && !lexicon::DOCUMENT_NOUNS.contains(&head)) {
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
pub(super) fn according_source(doc: &Doc, k: usize, s1: usize) -> Option<Np> {
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

/// Whether the "that" at token `t` after cue verb `w` (words from `k`) belongs to a reported
/// clause that has already begun (`said officials have video that shows ...`) rather than
/// introducing it (`said Friday that`, `said in a statement that`, `told reporters that`).
pub(super) fn relative_that(doc: &Doc, w: &str, k: usize, t: usize) -> bool {
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
    !adverbial && !lexicon().with_object.contains(w)
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

/// An intention verb followed by "to": `wants to`, `has planned to` (not the noun: `his plan
/// to`).
pub(super) fn intent_cue(doc: &Doc, i: usize) -> Option<Cue> {
    if !doc.is_word(i)
        || doc.qid[i].is_some()
        || !lexicon().intent.contains(doc.lw[i].as_str())
        || doc.lw.get(i + 1).is_none_or(|w| w != INFINITIVE_TO)
        || text::is_capitalized(doc.tok_text(i))
    {
        return None;
    }
    let prev = if i > 0 { doc.lw[i - 1].as_str() } else { "" };
    if doc::DETS.contains(&prev)
        || crate::entities::possessive_len(doc.tok_text(i.saturating_sub(1))) > 0
        || BE_FORMS.contains(&prev)
    {
        return None;
    }
    let mut first = i;
    while first > 0 && HAVE_FORMS.contains(&doc.lw[first - 1].as_str()) {
        first -= 1;
    }
    Some(Cue {
        tok: i,
        first,
        last: i,
        according: false,
    })
}

/// The end of a reported content from token `k`: the sentence end, or before a following
/// `, VERB-ing` cue or a semicolon.
pub(super) fn content_end(doc: &Doc, k: usize, s1: usize) -> usize {
    let mut x = k + 1;
    while x <= s1 {
        if doc.is_punct(x - 1, ",")
            && doc.cue_at(x).is_some()
            && (doc.lw[x].ends_with("ing") || doc.lw[x] == ACCORDING_TO[0])
        {
            return x - 2;
        }
        if doc.is_punct(x, ";") {
            return x - 1;
        }
        // The next attribution: `..., and critics warned ...`, `... and criticized ...`.
        if doc.is_word(x)
            && doc.qid[x].is_none()
            && AND_BUT.contains(&doc.lw[x].as_str())
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
pub(super) fn next_attribution(doc: &Doc, k: usize, s1: usize) -> bool {
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
pub(super) fn indirect(doc: &Doc, s: usize, out: &mut Vec<Cand>) {
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
                        || CUE_ADVERBIALS.contains(&w)
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
                    let cue = Cue::word(c);
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
        // `CONTENT, said Mr. Barrett, the lawyer for the agency.` (Not a verb whose next phrase
        // is the one told: `Dick Dever, who was on the slate, told POLITICO, "..."`.)
        if clausal
            && cue.first > s0 + 2
            && doc.is_punct(cue.first - 1, ",")
            && !NEVER_INVERTED.contains(&w)
        {
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
                && doc.lw[np.first] == RELATIVE_WHICH
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
                        || AND_BUT.contains(&doc.lw[b].as_str())
                        // `"...," adding that ...` (not `"...," said a former official.`,
                        // where the phrase after the cue is its speaker)
                        || (b > 0
                            && doc.toks[b].kind == Kind::Mark
                            && doc.is_punct(b - 1, ",")
                            && !inverted_speaker(doc, &cue, s1))
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
        let object_verb = lex.object.contains(w) || lex.intent.contains(w);
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
        let as_before = np.first > s0 + 2
            && doc.lw[np.first - 1] == AS_ASIDE
            && doc.is_punct(np.first - 2, ",");
        let comma_before = (np.first > s0 + 1 && doc.is_punct(np.first - 1, ",")) || as_before;
        if clausal
            && np.first > s0
            && doc.lw[s0] == AS_ASIDE
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
            let that_at = (k..=(k + 12).min(s1))
                .find(|&x| doc.lw[x] == COMPLEMENTIZER && doc.qid[x].is_none());
            if let Some(t) = that_at {
                // `told reporters that`, `told MSNBC's "Morning Joe" that`.
                let between_ok = (k..t).all(|x| {
                    doc.is_word(x)
                        || doc.is_punct(x, ",")
                        || (lex.with_object.contains(w) && doc.toks[x].kind == Kind::Mark)
                }) && (k..t).all(|x| doc.cue_at(x).is_none())
                    && !relative_that(doc, w, k, t);
                if between_ok {
                    k = t + 1;
                    has_that = true;
                }
            }
            if !has_that {
                if lex.with_object.contains(w) {
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
                    && doc.lw[k] == NEGATIVE_NO
                    && doc.is_word(k + 1)
                    && !NO_NOT_CLAUSE.contains(&doc.lw[k + 1].as_str());
                // An indirect question: `asked whether`, `did not say when`.
                let question =
                    k < s1 && lex.speech.contains(w) && WH_WORDS.contains(&doc.lw[k].as_str());
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
                        && doc.lw[k] == AS_MUCH[0]
                        && doc.lw[k + 1] == AS_MUCH[1]
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
                        && !(doc.is_word(k) && AGENT_WORDS.contains(&doc.lw[k].as_str()))
                    {
                        // The object is the content: `acknowledged the problem`.
                        let c1 = content_end(doc, k, s1);
                        push_indirect(doc, k, c1, np, cue, Rule::IndirectObject, &outside, out);
                    }
                    continue;
                }
            }
        } else {
            if lex.about.contains(w) {
                // `spoke about the flood`, not `spoke to reporters`.
                if k < s1 && doc.is_word(k) && ABOUT_OF.contains(&doc.lw[k].as_str()) {
                    k += 1;
                } else {
                    continue;
                }
            }
            // A clause after a speech act: `urged that the vote be delayed`.
            if k < s1
                && doc.lw[k] == COMPLEMENTIZER
                && doc.qid[k].is_none()
                && lex.object.contains(w)
                && clause_like_start(doc, k + 1)
            {
                k += 1;
            }
            // Other speech acts: the object is the content (`called for an inquiry`).
            if k > s1
                || doc.is_punct(k, ".")
                || (doc.is_word(k) && AGENT_OR_THAT.contains(&doc.lw[k].as_str()))
            {
                continue;
            }
        }
        if k > s1 {
            continue;
        }
        let mut c1 = content_end(doc, k, s1);
        if np.kind == NpKind::Relative && np.first > s0 && doc.is_punct(np.first - 1, ",") {
            c1 = relative_clause_end(doc, k, c1);
        }
        let rule = if clausal {
            Rule::IndirectThat
        } else {
            Rule::IndirectObject
        };
        push_indirect(doc, k, c1, np, cue, rule, &outside, out);
    }
}

/// The end of a reported clause inside a relative clause between commas: `Cruz, who says Trump
/// is attacking him, said voters ...` reports "Trump is attacking him"; the comma before the
/// main clause's say-verb closes it.
fn relative_clause_end(doc: &Doc, k: usize, c1: usize) -> usize {
    (k + 1..c1)
        .find(|&x| {
            doc.is_punct(x, ",")
                && doc.qid[x].is_none()
                && doc
                    .cue_at(x + 1)
                    .is_some_and(|c| c.tok == x + 1 && !doc.lw[x + 1].ends_with("ing"))
        })
        .map_or(c1, |x| x - 1)
}

/// Whether a say-verb is followed by its speaker, a phrase that ends the clause (`"...," said
/// a former official.`, `said Mr. Sperling, but ...`), rather than by what was said.
fn inverted_speaker(doc: &Doc, cue: &Cue, s1: usize) -> bool {
    INVERTING_VERBS.contains(&doc.lw[cue.tok].as_str())
        && doc
            .np_after(cue.last + 1, s1)
            .is_some_and(|np| np.last >= s1 || !doc.is_word(np.last + 1))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn push_indirect(
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
            && lexicon().object.contains(doc.lw[cue.tok].as_str())
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
