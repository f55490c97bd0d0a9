//! Word lists used by the quote rules.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Cue words learned from PolNeAR train (see `scripts/learn_cues.py`).
const LEARNED_CUES: &str = include_str!("../cues.txt");

/// Verb lemmas, one a line: the lemma (`+` when it doubles its last consonant: `admit+` →
/// `admitted`, `admitting`; irregular past and participle after slashes: `say/said`,
/// `speak/spoke/spoken`, variants with `|`), then the lists that hold its forms. The forms are
/// generated (see [`inflect`]): `b` base (`say`), `s` third person (`says`), `d` past
/// (`said`), `n` past participle where it differs from the past (`spoken`), `g` -ing
/// (`saying`). A list without `=` holds every form; `speech=bd` holds only those.
///
/// The lists:
/// - `speech`: introduces a quotation or reported clause in every sense ("said", "told");
/// - `clausal`: takes a reported clause ("X said that ...") for indirect speech;
/// - `object`: a speech act whose object is reported content (`called for an inquiry`,
///   `urged voters to register`, `declined to comment`);
/// - `with-object`: takes an object before the reported clause (`told reporters that ...`);
/// - `intent`: stated intention, reported with an infinitive (`Olsen wants to rebuild ...`);
/// - `about`: content follows "about" or "of" (`spoke about the flood`);
/// - `issue`: issues a document or message (`X issued a statement`);
/// - `not-cue`: a learned cue word (`src/cues.txt`) that is rarely a speech cue on its own;
/// - `stance`: a verb of stance (belief, feeling, wish, intention, support or opposition:
///   "believes that", "wants to", "opposes the bill"), which PolNeAR annotates as an
///   attribution like speech. It makes no form a cue: that is the other lists' job (`believe`
///   is also `speech` and `clausal`, `support` is `not-cue`); [`super::is_stance_verb`] reads it.
///
/// `speech` and `clausal` win over `not-cue`: their forms are cues whatever `not-cue` says
/// (`not-cue` only filters the learned cue words), so no form is in both.
///
/// The masks keep the former hand-written lists exactly (a form they left out stays out).
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "say/said                    speech clausal",
    "add                         speech clausal",
    "tell/told                   speech clausal with-object",
    "ask                         speech object=sdg",
    "write/wrote/written         speech=bsdg clausal=bsd issue=sd",
    "tweet                       speech clausal=bsd issue=d",
    "explain                     speech clausal object=sd",
    "continue                    speech=bsd",
    "note                        speech clausal object=sdg",
    "insist                      speech clausal object=d",
    "argue                       speech clausal object=sdg",
    "warn                        speech clausal object=sdg with-object=sd",
    "reply                       speech=bsd clausal=bd",
    "respond                     speech=bsd clausal=bd",
    "recall                      speech=bsd clausal=bd object=sd",
    "state                       speech=bsd clausal",
    "declare                     speech=bsd clausal object=dg",
    "announce                    speech=bsd clausal object=sdg",
    "claim                       speech clausal object=sd",
    "acknowledge                 speech=bsd clausal object=sdg",
    "admit+                      speech=bsd clausal",
    "concede                     speech=bsd clausal=bd",
    "counter                     speech=bsd clausal=bd",
    "remark                      speech=bsd clausal=bd",
    "observe                     speech=bsd clausal=bd",
    "joke                        speech=bsd clausal=bd",
    "quip+                       speech=bsd",
    "shout                       speech=bd",
    "yell                        speech=bd",
    "exclaim                     speech=sd",
    "whisper                     speech=d",
    "caution                     speech=bd clausal=bd",
    "stress                      speech=bsd clausal=bdg object=dg",
    "emphasise                   speech=d",
    "complain                    speech=bsd clausal=bdg",
    "predict                     speech=bsd clausal object=sd",
    "suggest                     speech clausal object=sdg",
    "agree                       speech=bsd clausal=bd object=sd stance",
    "conclude                    speech=bsd clausal=bd object=d",
    "confirm                     speech=bsd clausal=bdg",
    "post                        speech=bd clausal=d issue=sd",
    "report                      speech=bsd clausal=bsd",
    "muse                        speech=bd clausal=bd",
    "wonder                      speech=bd object=g",
    "assert                      speech=bsd clausal=bdg",
    "maintain                    speech=bsd clausal",
    "contend                     speech=bsd clausal",
    "charge                      speech=bd clausal=bd",
    "allege                      speech=bsd clausal=bsd",
    "vow                         speech=bsd clausal=bd object=sdg",
    "promise                     speech=bsd clausal=bd object=sdg with-object=sd",
    "pledge                      speech=bd clausal=bd object=sdg",
    "urge                        speech object=sdg",
    "boast                       speech=bd clausal=bd",
    "brag+                       speech=bd clausal=bd",
    "lament                      speech=bd clausal=bd",
    "testify                     speech=bd clausal=bd",
    "recount                     speech=bd clausal=bd",
    "reiterate                   speech=bd clausal=bd object=d",
    "repeat                      speech=bd",
    "call                        speech object",
    "accuse                      speech",
    "describe                    speech object=sdg",
    "dub+                        speech=bd",
    "label/labeled|labelled      speech=bd",
    "mention                     speech=bd clausal=bd object=sdg",
    "believe                     speech=bsd clausal=bsd stance",
    "think/thought               speech=bsd clausal=bsd stance",
    "fear                        speech=bsd clausal=bsd stance",
    "worry                       speech=bsd clausal=bsd stance",
    "hope                        speech=bsd clausal object=sdg stance",
    "estimate                    speech=bsd clausal=bsd object=sd",
    "deny                        speech=bsd clausal object=sd",
    "reveal                      speech=bsd clausal=bdg object=sd",
    "point                       speech=bd clausal=bd",
    "indicate                    speech=bsd clausal",
    "propose                     speech=bsd",
    "quote                       speech=bd",
    "cite                        speech=bsd object=sdg",
    "speculate                   speech=bd clausal=bd",
    "hint                        speech=bd clausal=bd",
    "signal                      speech=bd clausal=bd",
    "know/knew/known             speech=bsd clausal=bsd not-cue=n stance",
    "expect                      speech=bsd clausal=bsd stance",
    "demand                      speech=bsd clausal=sdg object=sdg",
    "criticise                   speech=d",
    "slam+                       speech=bsd",
    "blast                       speech=bd",
    "praise                      speech=bd",
    "condemn                     speech=bd",
    "dismiss                     speech=bd",
    "reject                      speech=bd",
    "question                    speech=bd object=sdg",
    "opine                       speech=bd",
    "chide                       speech=d",
    "mock                        speech=sd",
    "deride                      speech=d",
    "lambaste                    speech=d",
    "tout                        speech=d",
    "hail                        speech=d",
    "defend                      speech=d",
    "thank                       speech=d",
    "welcome                     speech=d",
    "bark                        speech=d",
    "beam                        speech=d",
    "retort                      speech=d",
    "boom                        speech=d",
    "snap+                       speech=d",
    "deadpan+                    speech=d",
    "scoff                       speech=d",
    "fume                        speech=d",
    "gush                        speech=d",
    "marvel                      speech=d",
    "plead                       speech=d",
    "interject                   speech=d",
    "snipe                       speech=d",
    "tease                       speech=d",
    "crack                       speech=d",
    "chime                       speech=d",
    "shrug+                      speech=d",
    "laugh                       speech=d",
    "sigh                        speech=d",
    "scream                      speech=d",
    "chant                       speech=d not-cue=sg",
    "sing/sang/sung              speech=sd",
    "read/read                   speech=bsd",
    "assure                      clausal=bsd with-object=sd",
    "show/showed/shown           clausal=bsd with-object=sd not-cue=ng",
    "find/found                  clausal=bsd",
    "learn                       clausal=bd",
    "remind                      clausal=bsd object=d with-object=sd",
    "inform                      clausal=bd with-object=d",
    "assume                      clausal=bd stance",
    "realize                     clausal=bd stance",
    "recognize                   clausal=bd stance",
    "decline                     object=sd",
    "refuse                      object=sd",
    "express                     object=sd",
    "refer+                      object=dg",
    "talk                        object=d about=d",
    "threaten                    object=sd",
    "encourage                   object=d",
    "raise                       object=d",
    "discuss                     object=sd",
    "speak/spoke/spoken          object=dn about=dn",
    "echo                        object=d",
    "disclose                    object=d",
    "outline                     object=d",
    "highlight                   object=d",
    "underscore                  object=d",
    "articulate                  object=d",
    "convince                    with-object=d",
    "persuade                    with-object=d",
    "want                        intent=bsd not-cue=sd stance",
    "plan+                       intent=bsd not-cue=g stance",
    "intend                      intent=bsd stance",
    "aim                         intent=s not-cue=sdg",
    "seek/sought                 intent=sd not-cue=sdg",
    "issue                       issue=sd not-cue=d",
    "release                     issue=sd not-cue=dg",
    "send/sent                   issue=sd",
    "publish                     issue=sd not-cue=d",
    "put/put                     issue=bsd not-cue=s",
    "distribute                  issue=d",
    "circulate                   issue=d",
    "sign                        issue=d not-cue=d",
    "deliver                     issue=d not-cue=dg",
    "email                       issue=d",
    "commission                  issue=d",
    "conduct                     issue=d",
    "acquiesce                   not-cue=d",
    "alarm                       not-cue=d",
    "anger                       not-cue=d",
    "appoint                     not-cue=d",
    "approve                     not-cue=d",
    "attempt                     not-cue=dg",
    "authorize                   not-cue=d",
    "avoid                       not-cue=d",
    "back                        not-cue=dg",
    "bill                        not-cue=d",
    "block                       not-cue=d",
    "cast/cast                   not-cue=bd",
    "celebrate                   not-cue=d",
    "consider                    not-cue=sdg",
    "cover                       not-cue=d",
    "decide                      not-cue=dg",
    "dedicate                    not-cue=d",
    "determine                   not-cue=dg",
    "devote                      not-cue=d",
    "display                     not-cue=d",
    "draw/drew/drawn             not-cue=d",
    "embrace                     not-cue=d",
    "expose                      not-cue=d",
    "file                        not-cue=d",
    "fire                        not-cue=d",
    "focus                       not-cue=sd",
    "follow                      not-cue=s",
    "hire                        not-cue=d",
    "impose                      not-cue=d",
    "incline                     not-cue=d",
    "introduce                   not-cue=dg",
    "knock                       not-cue=d",
    "lay/laid                    not-cue=sdg",
    "launch                      not-cue=dg",
    "list                        not-cue=sdg",
    "mount                       not-cue=g",
    "name                        not-cue=dg",
    "negotiate                   not-cue=d",
    "nominate                    not-cue=d",
    "open                        not-cue=d",
    "opt                         not-cue=d",
    "order                       not-cue=d",
    "outrage                     not-cue=d",
    "paint                       not-cue=sg",
    "pass                        not-cue=dg",
    "pivot                       not-cue=d",
    "present                     not-cue=d",
    "project                     not-cue=d",
    "rattle                      not-cue=d",
    "rely                        not-cue=g",
    "resist                      not-cue=d",
    "restrict                    not-cue=g",
    "rule                        not-cue=d",
    "seem                        not-cue=bsd",
    "see/saw/seen                not-cue=n",
    "sentence                    not-cue=d",
    "shock                       not-cue=d",
    "single                      not-cue=d",
    "sound                       not-cue=sd",
    "spot+                       not-cue=d",
    "startle                     not-cue=d",
    "strike/struck               not-cue=d",
    "stick/stuck                 not-cue=d",
    "sue                         not-cue=d",
    "tend                        not-cue=b",
    "thrill                      not-cue=d",
    "title                       not-cue=d",
    "touch                       not-cue=d",
    "unleash                     not-cue=d",
    "unveil                      not-cue=d",
    "upset                       not-cue=b",
    "view                        not-cue=d",
    "vote                        not-cue=d",
    "watch                       not-cue=d",
    "go/went/gone                not-cue=d",
    "withdraw/withdrew/withdrawn not-cue=d",
    "appear                      not-cue=bsd",
    "cheer                       not-cue=bd",
    "support                     not-cue stance",
    "oppose                      not-cue=bsd stance",
    "favor                       not-cue=d stance",
    "prefer+                     not-cue=bsd stance",
    "press                       not-cue=dg",
    "push                        not-cue=dg",
    "blame                       not-cue=b",
    "decry                       speech=d",
    "emphasize                   speech=bd clausal=bdg object=dg",
    "criticize                   speech=bd",
    "doubt                       stance",
    "suspect                     stance",
    "feel/felt                   stance",
    "wish                        stance",
    "disagree                    stance",
    "dislike                     not-cue=b stance",
];

/// Learned cue words that are no verbs and rarely speech cues on their own.
#[rustfmt::skip]
const NOT_CUE_WORDS: &[&str] = &[
    "adamant", "confident", "eager", "glad", "nervous", "quick", "reluctant", "stern", "wary",
    "outspoken", "re", "complaints", "rumors", "sentiment", "allegations", "assertion",
    "assumption", "contention", "disagreement", "suggestion",
];

/// The word lists a verb's forms can be in (the columns of [`VERBS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VerbList {
    Speech,
    Clausal,
    Object,
    WithObject,
    Intent,
    About,
    Issue,
    NotCue,
    Stance,
}

impl VerbList {
    const ALL: [VerbList; 9] = [
        VerbList::Speech,
        VerbList::Clausal,
        VerbList::Object,
        VerbList::WithObject,
        VerbList::Intent,
        VerbList::About,
        VerbList::Issue,
        VerbList::NotCue,
        VerbList::Stance,
    ];

    fn name(self) -> &'static str {
        match self {
            VerbList::Speech => "speech",
            VerbList::Clausal => "clausal",
            VerbList::Object => "object",
            VerbList::WithObject => "with-object",
            VerbList::Intent => "intent",
            VerbList::About => "about",
            VerbList::Issue => "issue",
            VerbList::NotCue => "not-cue",
            VerbList::Stance => "stance",
        }
    }
}

/// The forms of a verb by letter (`b`, `s`, `d`, `n`, `g`; see [`VERBS`]).
#[derive(Debug, PartialEq)]
pub(crate) struct Forms {
    pub base: String,
    pub third: String,
    pub past: Vec<String>,
    /// Past participles that differ from every past form.
    pub participle: Vec<String>,
    pub ing: String,
}

impl Forms {
    /// The forms that the letters of `mask` name.
    fn select(&self, mask: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for c in mask.chars() {
            match c {
                'b' => out.push(self.base.as_str()),
                's' => out.push(self.third.as_str()),
                'd' => out.extend(self.past.iter().map(String::as_str)),
                'n' => out.extend(self.participle.iter().map(String::as_str)),
                'g' => out.push(self.ing.as_str()),
                _ => panic!("lexicon: unknown form letter {c:?} in {mask:?}"),
            }
        }
        out
    }
}

fn vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// A consonant and a final "y" (`reply` → `replies`, `replied`).
fn consonant_y(b: &str) -> bool {
    let mut cs = b.chars().rev();
    cs.next() == Some('y') && cs.next().is_some_and(|c| !vowel(c))
}

/// The forms of a [`VERBS`] lemma spec (`say/said`, `admit+`, `speak/spoke/spoken`).
pub(crate) fn inflect(spec: &str) -> Forms {
    let mut parts = spec.split('/');
    let lemma = parts.next().unwrap_or_default();
    let double = lemma.ends_with('+');
    let b = lemma.trim_end_matches('+');
    let last = b.chars().last().unwrap_or_default();
    let stem = &b[..b.len() - last.len_utf8()];
    let third = if ["s", "sh", "ch", "x", "z", "o"]
        .iter()
        .any(|e| b.ends_with(e))
    {
        format!("{b}es")
    } else if consonant_y(b) {
        format!("{stem}ies")
    } else {
        format!("{b}s")
    };
    let regular_past = if b.ends_with('e') {
        format!("{b}d")
    } else if consonant_y(b) {
        format!("{stem}ied")
    } else if double {
        format!("{b}{last}ed")
    } else {
        format!("{b}ed")
    };
    let ing = if let Some(s) = b.strip_suffix("ie") {
        format!("{s}ying")
    } else if b.ends_with('e') && !["ee", "ye", "oe"].iter().any(|e| b.ends_with(e)) {
        format!("{stem}ing")
    } else if double {
        format!("{b}{last}ing")
    } else {
        format!("{b}ing")
    };
    let list = |p: Option<&str>| p.map(|p| p.split('|').map(str::to_string).collect::<Vec<_>>());
    let past = list(parts.next()).unwrap_or_else(|| vec![regular_past]);
    let participle = list(parts.next())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !past.contains(p))
        .collect();
    Forms {
        base: b.to_string(),
        third,
        past,
        participle,
        ing,
    }
}

/// Every form in list `which`, generated from [`VERBS`].
fn verb_forms(which: VerbList) -> HashSet<String> {
    let mut out = HashSet::new();
    for row in VERBS {
        let mut fields = row.split_whitespace();
        let forms = inflect(fields.next().unwrap_or_default());
        for field in fields {
            let (name, mask) = field.split_once('=').unwrap_or((field, "bsdng"));
            let list = VerbList::ALL
                .into_iter()
                .find(|l| l.name() == name)
                .unwrap_or_else(|| panic!("lexicon: unknown list {name:?} in {row:?}"));
            if list == which {
                out.extend(forms.select(mask).into_iter().map(str::to_string));
            }
        }
    }
    out
}

/// Cue words that are also common nouns (`secretary of state`, `a call`): the lemma and its
/// plural, which is its third person (`reply` → `replies`), are generated.
#[rustfmt::skip]
const NOUN_VERBS: &[&str] = &[
    "state", "show", "signal", "note", "claim", "report", "call", "demand", "charge", "question",
    "comment", "estimate", "find", "point", "post", "tweet", "promise", "pledge", "vow",
    "warning", "hint", "quote", "reply", "remark", "fear", "worry", "hope",
];

/// Speech nouns that can cue partial quotes ("Kremlin accusations that ...").
#[rustfmt::skip]
pub(crate) const CUE_NOUNS: &[&str] = &[
    "statement", "statements", "remarks", "comments", "comment", "claim", "claims",
    "accusation", "accusations", "allegation", "allegations", "assertion", "warning", "words",
    "tweet", "tweets", "speech", "interview", "letter", "message", "post", "testimony",
    "announcement", "promise", "pledge", "call",
];

/// Words skipped between a subject and its cue verb ("Putin also said", "he has said").
#[rustfmt::skip]
const BETWEEN: &[&str] = &[
    "also", "has", "have", "had", "later", "previously", "then", "once", "again", "would",
    "will", "did", "does", "do", "is", "was", "were", "are", "been", "just", "recently",
    "further", "even", "never", "only", "still", "often", "already", "ever", "first", "had",
    "publicly", "privately", "reportedly", "initially", "subsequently", "earlier", "separately",
    "simply", "flatly", "not", "instead", "too", "has also", "could", "might", "may", "can",
    "should", "must", "allegedly", "repeatedly", "consistently", "once", "long", "since",
    "frequently", "usually", "finally", "quickly", "immediately", "last", "this", "next",
    "week", "month", "year", "night", "morning", "afternoon", "evening", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight",
    "on", "weekend", "won't", "wouldn't", "didn't", "doesn't", "don't", "hasn't", "haven't",
    "hadn't", "can't", "couldn't", "isn't", "wasn't",
];

/// Words that start a clause: a subject noun phrase begins right after them.
#[rustfmt::skip]
pub(crate) const CLAUSE_START: &[&str] = &[
    "and", "but", "or", "that", "while", "as", "because", "when", "although", "though",
    "since", "if", "after", "before", "so", "yet", "where", "whereas", "whether", "nor",
    "once", "until", "unless", "meanwhile", "however", "also", "then", "now", "still",
    "instead",
];

pub(crate) const PERSONAL_PRONOUNS: &[&str] =
    &["he", "she", "they", "we", "i", "it", "you", "who", "which"];

/// Nouns that head an unnamed source ("a source", "officials", "a spokeswoman").
#[rustfmt::skip]
pub(crate) const SOURCE_NOUNS: &[&str] = &[
    "source", "sources", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
    "spokespeople", "aide", "aides", "adviser", "advisers", "advisor", "advisors", "ally",
    "allies", "expert", "experts", "analyst", "analysts", "critic", "critics", "supporter",
    "supporters", "observer", "observers", "lawmaker", "lawmakers", "people", "residents",
    "resident", "witness", "witnesses", "police", "investigators", "investigator",
    "prosecutors", "prosecutor", "authorities", "diplomat", "diplomats", "report", "reports",
    "poll", "polls", "survey", "study", "studies", "statement", "campaign", "administration",
    "government", "ministry", "department", "agency", "committee", "labs", "lab", "scientists",
    "researchers", "leaders", "leader", "members", "member", "voters", "democrats",
    "republicans", "economists", "lawyer", "lawyers", "attorney", "attorneys", "family",
    "friends", "friend", "colleagues", "documents", "data", "court", "judge", "panel", "group",
    "organization", "organisation", "company", "firm", "website", "paper", "newspaper",
    "article", "post", "memo", "letter", "video", "report", "tweet", "estimates", "figures",
    "records", "documents", "filing", "filings", "website", "office", "staff", "team",
    "representative", "representatives", "senator", "senators", "governor", "mayor",
    "candidate", "nominee", "president", "minister", "secretary", "chief", "head", "director",
    "chairman", "chairwoman", "manager", "strategist", "strategists", "insiders", "insider",
    "person", "man", "woman", "men", "women", "someone", "everyone", "many", "others", "some",
    "both", "several", "few", "most", "all", "anyone", "nobody", "activists", "organizers",
    "protesters", "demonstrators", "workers", "employees", "students", "teachers", "doctors",
    "officers", "agents", "spokesmen", "spokeswomen", "operatives", "pollster", "pollsters",
    "economist", "historian", "professor", "scholar", "scholars", "commentators", "pundits",
    "reporters", "journalists", "editorial", "editors", "board", "council", "union", "unions",
    "countries", "nations", "governments", "companies", "firms", "groups", "organizations",
    "outlets", "networks", "newspapers", "banks", "agencies", "parties", "campaigns",
];

/// Source nouns that are documents, not people: they report, but do not call for or urge.
pub(crate) const DOCUMENT_NOUNS: &[&str] = &[
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

/// Role nouns and the title words they stand for ("the Russian leader" ≈ "president").
#[rustfmt::skip]
pub(crate) const ROLES: &[(&str, &[&str])] = &[
    ("leader", &["president", "prime minister", "premier", "chancellor", "leader", "king", "queen", "chief", "head", "chairman", "ceo"]),
    ("chief", &["president", "prime minister", "premier", "chancellor", "leader", "chief", "head", "director", "chairman", "ceo"]),
    ("head", &["president", "prime minister", "premier", "chancellor", "leader", "chief", "head", "director", "chairman", "ceo"]),
    ("president", &["president"]),
    ("strongman", &["president", "prime minister", "leader"]),
    ("diplomat", &["foreign minister", "secretary of state", "ambassador", "envoy", "diplomat", "foreign secretary"]),
    ("envoy", &["ambassador", "envoy", "diplomat"]),
    ("minister", &["minister"]),
    ("premier", &["prime minister", "premier"]),
    ("senator", &["sen", "senator"]),
    ("lawmaker", &["sen", "senator", "rep", "representative", "congressman", "congresswoman", "lawmaker", "mp"]),
    ("congressman", &["rep", "representative", "congressman"]),
    ("congresswoman", &["rep", "representative", "congresswoman"]),
    ("spokesman", &["spokesman", "spokesperson", "press secretary"]),
    ("spokeswoman", &["spokeswoman", "spokesperson", "press secretary"]),
    ("spokesperson", &["spokesman", "spokeswoman", "spokesperson", "press secretary"]),
    ("director", &["director"]),
    ("governor", &["gov", "governor"]),
    ("mayor", &["mayor"]),
    ("secretary", &["secretary"]),
    ("general", &["gen", "general"]),
    ("judge", &["judge", "justice"]),
    ("lawyer", &["attorney", "lawyer", "counsel"]),
    ("attorney", &["attorney", "lawyer", "counsel"]),
    ("nominee", &["nominee", "candidate"]),
    ("candidate", &["nominee", "candidate"]),
    ("chairman", &["chairman", "chair"]),
    ("chairwoman", &["chairwoman", "chair"]),
    ("ambassador", &["ambassador"]),
    ("prosecutor", &["prosecutor", "attorney"]),
    ("sheriff", &["sheriff"]),
    ("speaker", &["speaker"]),
];

/// Organisations standing for a country ("the Kremlin chief").
#[rustfmt::skip]
pub(crate) const SEATS: &[(&str, &str)] = &[
    ("kremlin", "russian"),
    ("white house", "american"),
    ("downing street", "british"),
    ("elysee", "french"),
    ("élysée", "french"),
    ("beijing", "chinese"),
    ("moscow", "russian"),
    ("washington", "american"),
    ("pentagon", "american"),
    ("tehran", "iranian"),
    ("kiev", "ukrainian"),
    ("kyiv", "ukrainian"),
    ("berlin", "german"),
    ("paris", "french"),
    ("london", "british"),
];

/// Country names and their adjectives ("Russia's top diplomat" → "russian").
#[rustfmt::skip]
pub(crate) const COUNTRIES: &[(&str, &str)] = &[
    ("russia", "russian"),
    ("u.s.", "american"),
    ("us", "american"),
    ("america", "american"),
    ("united states", "american"),
    ("britain", "british"),
    ("uk", "british"),
    ("u.k.", "british"),
    ("china", "chinese"),
    ("france", "french"),
    ("germany", "german"),
    ("iran", "iranian"),
    ("ukraine", "ukrainian"),
    ("israel", "israeli"),
    ("japan", "japanese"),
    ("india", "indian"),
    ("turkey", "turkish"),
    ("syria", "syrian"),
    ("iraq", "iraqi"),
    ("mexico", "mexican"),
    ("canada", "canadian"),
    ("italy", "italian"),
    ("spain", "spanish"),
    ("sweden", "swedish"),
    ("poland", "polish"),
    ("north korea", "korean"),
    ("south korea", "korean"),
    ("saudi arabia", "saudi"),
    ("egypt", "egyptian"),
    ("pakistan", "pakistani"),
    ("afghanistan", "afghan"),
    ("venezuela", "venezuelan"),
    ("cuba", "cuban"),
    ("brazil", "brazilian"),
    ("australia", "australian"),
];

/// Words in a name that make it an organisation rather than a person.
#[rustfmt::skip]
pub(crate) const ORG_WORDS: &[&str] = &[
    "ministry", "department", "party", "committee", "agency", "council", "office", "court",
    "times", "post", "news", "association", "institute", "university", "campaign",
    "foundation", "bank", "inc", "inc.", "corp", "corp.", "company", "group", "center", "centre",
    "commission", "bureau", "service", "administration", "senate", "house", "congress",
    "police", "network", "journal", "press", "union", "organization", "fund", "board",
    "watch", "project", "coalition", "network", "tribune", "herald", "magazine", "cnn",
    "reuters", "daily", "guardian", "telegraph", "review", "federation", "league", "alliance",
    "trust", "society", "club", "church", "pac", "caucus", "government", "army", "navy",
    "forces", "school", "college",
];

/// First names with a known gender (a short list for pronoun agreement).
#[rustfmt::skip]
const MALE_NAMES: &[&str] = &[
    "donald", "vladimir", "sergei", "christopher", "alexei", "joe", "jonathan", "barack", "bill",
    "george", "john", "james", "robert", "michael", "william", "david", "richard", "joseph",
    "thomas", "charles", "daniel", "matthew", "anthony", "mark", "paul", "steven", "andrew",
    "kenneth", "kevin", "brian", "edward", "ronald", "timothy", "jason", "jeffrey", "ryan",
    "jacob", "gary", "nicholas", "eric", "stephen", "larry", "justin", "scott", "brandon",
    "frank", "benjamin", "gregory", "samuel", "raymond", "patrick", "alexander", "jack",
    "dennis", "jerry", "tyler", "aaron", "henry", "peter", "douglas", "adam", "nathan", "zachary",
    "walter", "kyle", "harold", "carl", "jeremy", "keith", "roger", "gerald", "ethan", "arthur",
    "terry", "christian", "sean", "lawrence", "austin", "noah", "jesse", "albert", "bryan",
    "billy", "bruce", "willie", "jordan", "dylan", "alan", "ralph", "gabriel", "roy", "juan",
    "wayne", "eugene", "logan", "randy", "louis", "russell", "vincent", "philip", "bobby",
    "johnny", "bradley", "mike", "mitt", "ted", "marco", "bernie", "chris", "jeb", "rand",
    "newt", "rudy", "rudolph", "reince", "paul", "tim", "mitch", "harry", "chuck", "lindsey",
    "rick", "ben", "corey", "steve", "jim", "tom", "dan", "bob", "ron", "jon",
    "al", "sergey", "dmitry", "dmitri", "emmanuel", "boris", "xi", "recep",
    "rex", "mike", "reince", "sean", "jared", "eric", "hunter", "beau", "lester", "anderson",
    "martin", "luther", "colin", "elijah", "jeff",
];

#[rustfmt::skip]
const FEMALE_NAMES: &[&str] = &[
    "hillary", "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan",
    "jessica", "sarah", "karen", "nancy", "lisa", "betty", "margaret", "sandra", "ashley",
    "kimberly", "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa",
    "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy",
    "shirley", "angela", "helen", "anna", "brenda", "pamela", "nicole", "emma", "samantha",
    "katherine", "christine", "debra", "rachel", "catherine", "carolyn", "janet", "ruth",
    "maria", "heather", "diane", "virginia", "julie", "joyce", "victoria", "olivia", "kelly",
    "christina", "lauren", "joan", "evelyn", "judith", "megan", "cheryl", "andrea", "hannah",
    "martha", "jacqueline", "frances", "gloria", "ann", "teresa", "kathryn", "sara", "janice",
    "jean", "alice", "madison", "doris", "abigail", "julia", "judy", "grace", "denise", "amber",
    "marilyn", "beverly", "danielle", "theresa", "sophia", "marie", "diana", "brittany",
    "natalie", "isabella", "charlotte", "rose", "alexis", "kayla", "melania", "ivanka",
    "chelsea", "kellyanne", "elizabeth", "loretta", "huma", "donna", "debbie", "jill", "tulsi",
    "condoleezza", "condi", "madeleine", "theresa", "kamala", "sarah", "nikki", "susana",
    "michele", "carly", "ava", "alicia", "mika", "megyn", "gennifer", "juanita", "paula",
    "kathleen", "marine", "angela", "ursula", "jacinda", "nicola", "dilma",
];

fn set(words: &'static [&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

pub(crate) struct Lexicon {
    pub cues: HashSet<String>,
    pub speech: HashSet<String>,
    pub clausal: HashSet<String>,
    pub object: HashSet<String>,
    pub with_object: HashSet<String>,
    pub intent: HashSet<String>,
    pub about: HashSet<String>,
    pub issue: HashSet<String>,
    /// The forms of the `stance` verbs (not cues by themselves).
    pub stance: HashSet<String>,
    /// [`NOUN_VERBS`] and their plurals.
    pub noun_verbs: HashSet<String>,
    pub between: HashSet<&'static str>,
    pub clause_start: HashSet<&'static str>,
    pub sources: HashSet<&'static str>,
    pub male: HashSet<&'static str>,
    pub female: HashSet<&'static str>,
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut not = verb_forms(VerbList::NotCue);
        not.extend(NOT_CUE_WORDS.iter().map(|w| w.to_string()));
        let speech = verb_forms(VerbList::Speech);
        let clausal = verb_forms(VerbList::Clausal);
        let mut cues: HashSet<String> = LEARNED_CUES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| !not.contains(*l))
            .map(str::to_string)
            .collect();
        cues.extend(speech.iter().chain(clausal.iter()).cloned());
        Lexicon {
            cues,
            speech,
            clausal,
            object: verb_forms(VerbList::Object),
            with_object: verb_forms(VerbList::WithObject),
            intent: verb_forms(VerbList::Intent),
            about: verb_forms(VerbList::About),
            issue: verb_forms(VerbList::Issue),
            stance: verb_forms(VerbList::Stance),
            noun_verbs: NOUN_VERBS
                .iter()
                .flat_map(|n| {
                    let f = inflect(n);
                    [f.base, f.third]
                })
                .collect(),
            between: set(BETWEEN),
            clause_start: set(CLAUSE_START),
            sources: set(SOURCE_NOUNS),
            male: set(MALE_NAMES),
            female: set(FEMALE_NAMES),
        }
    })
}

/// Auxiliaries and copulas: a finite clause.
#[rustfmt::skip]
pub(crate) const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "should", "must", "do", "does", "did", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "won't", "wouldn't", "can't", "couldn't", "don't", "doesn't", "didn't",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_follow_the_spelling_rules() {
        let f = inflect("say/said");
        assert_eq!(
            (f.base.as_str(), f.third.as_str(), f.ing.as_str()),
            ("say", "says", "saying")
        );
        assert_eq!(f.past, ["said"]);
        let f = inflect("reply");
        assert_eq!(
            (f.third.as_str(), f.past[0].as_str()),
            ("replies", "replied")
        );
        let f = inflect("note");
        assert_eq!((f.past[0].as_str(), f.ing.as_str()), ("noted", "noting"));
        let f = inflect("admit+");
        assert_eq!(
            (f.past[0].as_str(), f.ing.as_str()),
            ("admitted", "admitting")
        );
        let f = inflect("stress");
        assert_eq!(f.third, "stresses");
        let f = inflect("speak/spoke/spoken");
        assert_eq!(
            (f.past.clone(), f.participle.clone()),
            (vec!["spoke".to_string()], vec!["spoken".to_string()])
        );
        let f = inflect("label/labeled|labelled");
        assert_eq!(f.past, ["labeled", "labelled"]);
        assert!(f.participle.is_empty());
    }

    #[test]
    fn every_verb_row_parses_and_speech_wins_over_not_cue() {
        for list in VerbList::ALL {
            assert!(!verb_forms(list).is_empty(), "{list:?} is empty");
        }
        let lex = lexicon();
        let not = verb_forms(VerbList::NotCue);
        for w in lex.speech.iter().chain(lex.clausal.iter()) {
            assert!(
                !not.contains(w),
                "{w} is both a speech or clausal form and not-cue"
            );
            assert!(lex.cues.contains(w), "{w} is no cue");
        }
        assert!(lex.speech.contains("said") && lex.speech.contains("shouted"));
        assert!(!lex.speech.contains("shouts"), "a form the list leaves out");
        assert!(lex.with_object.contains("told") && lex.about.contains("spoken"));
        assert_eq!(lex.noun_verbs.len(), 2 * NOUN_VERBS.len());
        assert!(lex.noun_verbs.contains("replies") && lex.noun_verbs.contains("warnings"));
    }

    /// The stance column marks verbs and leaves the cue lists alone: a verb only in it
    /// (`doubt`) is in no verb list, and a stance verb is a cue only through its other lists.
    #[test]
    fn stance_marks_verbs_without_making_cues() {
        let lex = lexicon();
        for w in [
            "believes", "thought", "hoping", "wants", "opposed", "doubts", "felt",
        ] {
            assert!(lex.stance.contains(w), "{w} is no stance form");
        }
        for w in ["said", "told", "warned", "according"] {
            assert!(!lex.stance.contains(w), "{w} is a stance form");
        }
        assert!(crate::quotes::is_stance_verb("opposes") && !crate::quotes::is_stance_verb("says"));
        assert!(lex.speech.contains("believes") && lex.clausal.contains("believes"));
        for w in [
            "doubt",
            "doubts",
            "doubted",
            "suspects",
            "felt",
            "wishes",
            "disagreed",
        ] {
            let listed = [
                &lex.speech,
                &lex.clausal,
                &lex.object,
                &lex.intent,
                &lex.issue,
            ];
            assert!(
                listed.iter().all(|l| !l.contains(w)),
                "{w} is in a cue list"
            );
        }
    }
}
