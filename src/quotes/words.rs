//! The small word classes of the quote rules: each set of words that a rule matches by
//! name. The larger lists (verbs, source nouns, roles) are in `lexicon.rs`.

/// Relative pronouns that head a clause (`officials who say`).
pub(super) const RELATIVE_PRONOUNS: &[&str] = &["who", "which"];
/// Words after an -ed word that make it a verb phrase, not a name (`performed well among voters`).
pub(super) const AFTER_VERB_PHRASE: &[&str] = &[
    "well", "among", "in", "at", "on", "by", "to", "with", "as", "that",
];
/// Relative pronouns that end a phrase without their antecedent (`most of whom`).
pub(super) const DANGLING_RELATIVES: &[&str] = &["whom", "whose", "which"];
/// Relative pronouns after "of" (`some of whom`).
pub(super) const OF_RELATIVES: &[&str] = &["whom", "which"];
/// Articles.
pub(super) const ARTICLES: &[&str] = &["a", "an", "the"];
/// Words that cannot name a source on their own: a Source span of the tagger made only of
/// these ("The" of "The email goes on to say") stands for the noun phrase it begins. "Some",
/// "all" and "many" may ("Some say ...").
pub(super) const NOT_ALONE: &[&str] = &[
    "a", "an", "the", "its", "their", "our", "my", "your", "whose",
];
/// A verb and a colon after a name that make it a byline (`Jane Roe reports:`).
pub(super) const BYLINE_VERBS: &[&str] = &["reports:", "writes:", "wrote:", "reported:"];
/// Prepositions that put a place as a location (`in Ohio`).
pub(super) const LOCATIVE_PREPS: &[&str] = &[
    "in",
    "at",
    "from",
    "across",
    "throughout",
    "near",
    "outside",
    "inside",
    "around",
];
/// First-person pronouns (a speaker that is the writer).
pub(super) const FIRST_PERSON: &[&str] = &["i", "me", "my", "myself"];
/// First person plural: the writers of an editorial or a column ("we believe ...").
pub(super) const FIRST_PERSON_PLURAL: &[&str] = &["we", "us", "our", "ourselves"];
/// Punctuation that opens an aside, before a whole-sentence quote closed by `)`.
pub(super) const ASIDE_OPENERS: &[&str] = &["(", "—", "–"];
/// Dashes (a quote's source after a dash: `"..." ― Jane Roe`).
pub(super) const DASHES: &[&str] = &["―", "—", "–", "-"];
/// Verbs whose next phrase is the one addressed, never an inverted speaker (`..., told
/// POLITICO`, `..., assured voters`).
#[rustfmt::skip]
pub(super) const NEVER_INVERTED: &[&str] = &[
    "tell", "tells", "told", "telling", "assure", "assures", "assured", "remind", "reminds",
    "reminded", "inform", "informs", "informed", "show", "shows", "showed", "shown",
];
/// Say-verbs that take their subject after them (`Said Ellis: "..."`).
pub(super) const INVERTING_VERBS: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "continued",
    "replied",
    "explained",
    "noted",
    "recalled",
];
/// `what` and `which` before a pronoun and a naming verb (`what he called`).
pub(super) const WHAT_WHICH: &[&str] = &["what", "which"];
/// Verbs that name a thing (`what he called a "brazen breach"`).
pub(super) const NAMING_VERBS: &[&str] = &["called", "calls", "termed", "dubbed", "described"];
/// Punctuation that ends a sentence inside a quote.
pub(super) const SENTENCE_END_MARKS: &[&str] = &[".", "?", "!"];
/// Words after a short quote that show it is no modifier of a noun (`"disinformation" of`).
pub(super) const MODIFIED_NOUN_NOT: &[&str] = &[
    "of", "to", "in", "for", "on", "at", "with", "by", "from", "is", "was", "are", "were",
];
/// Punctuation that ends a sentence.
pub(super) const SENTENCE_ENDS: &[&str] = &[".", "?", "!", "…"];
/// Singular subject pronouns.
pub(super) const SINGULAR_PRONOUNS: &[&str] = &["he", "she", "it"];
/// Prepositions (and `close`) that start a noun's complement (`a spokeswoman for the campaign`).
pub(super) const HEAD_PREPS: &[&str] = &["for", "of", "at", "in", "with", "from", "close"];
/// Cue verbs that a title-case headline uses (`Putin Says ...`).
pub(super) const HEADLINE_VERBS: &[&str] = &[
    "says", "said", "say", "warns", "claims", "shows", "tells", "admits",
];
/// `state` as a noun, unless a clause follows (`states that`).
pub(super) const STATE_FORMS: &[&str] = &["state", "states"];
/// What follows `state` as a verb (`states that`, `stated:`).
pub(super) const STATE_CLAUSE: &[&str] = &["that", ":"];
/// Adverbs between an auxiliary and a participle (`has been widely accused`).
pub(super) const PASSIVE_ADVERBS: &[&str] =
    &["also", "repeatedly", "widely", "not", "often", "long"];
/// Auxiliaries of the passive (`was told`).
pub(super) const PASSIVE_AUXILIARIES: &[&str] = &[
    "been", "be", "being", "was", "were", "is", "are", "get", "got",
];
/// Participles not in -ed that a passive takes (`was told`).
pub(super) const IRREGULAR_PARTICIPLES: &[&str] = &["told", "said", "known", "thought", "shown"];
/// Auxiliaries of tense that belong to the cue (`has said`, `would say`).
pub(super) const TENSE_AUXILIARIES: &[&str] = &["has", "have", "had", "will", "would"];
/// Forms of `call` (`called for`, `called on`).
pub(super) const CALL_FORMS: &[&str] = &["called", "calls", "calling", "call"];
/// Particles of `call` (`called for`).
pub(super) const CALL_PARTICLES: &[&str] = &["for", "on"];
/// Forms of `point` (`pointed out`, `points to`).
pub(super) const POINT_FORMS: &[&str] = &["pointed", "points", "pointing", "point"];
/// Particles of `point` (`pointed out`).
pub(super) const POINT_PARTICLES: &[&str] = &["out", "to"];
/// Forms of `go` (`went on` is a cue; `go` alone is not).
pub(super) const GO_FORMS: &[&str] = &["went", "goes", "go"];
/// Words in -ly that are no adverbs.
pub(super) const LY_NOT_ADVERBS: &[&str] = &["family", "ally", "rally", "italy"];
/// Prepositions of a place between commas after a name (`Johnnie Wilson, of Springfield,`).
pub(super) const APPOSITION_PREPS: &[&str] = &["of", "from", "in"];
/// Determiners of a definite phrase (`the`, `its`, `their`).
pub(super) const DEFINITE_DETS: &[&str] = &["the", "its", "his", "her", "their"];
/// Percent words (a number, not a source).
pub(super) const PERCENT: &[&str] = &["percent", "%"];
/// Prepositions after a closeness word (`close to`, `familiar with`).
pub(super) const CLOSE_PREPS: &[&str] = &["to", "with"];
/// Closeness words of a source phrase (`people close to him`).
pub(super) const CLOSE_WORDS: &[&str] = &["close", "familiar", "loyal", "near", "closest"];
/// Pronouns that are no speaker subject on their own.
pub(super) const NOT_SUBJECT_PRONOUNS: &[&str] = &["who", "which", "it", "you"];
/// Punctuation before a clause boundary.
pub(super) const CLAUSE_PUNCT: &[&str] = &[",", ";", ":", "(", "—", "–", "-"];
/// Words that can start a reported clause without `that` (`said the vote was ...`).
pub(super) const CLAUSE_OPENERS: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "there",
    "the",
    "a",
    "an",
    "this",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "these",
    "those",
    "some",
    "many",
    "most",
    "no",
    "all",
    "if",
    "such",
    "people",
    "americans",
    "nobody",
    "everyone",
    "anyone",
    "what",
    "whoever",
    "every",
    "each",
    "both",
];
/// Coordinators of a subject (`X and Y said`).
pub(super) const AND_OR: &[&str] = &["and", "or"];
/// Words that do not start a speaker phrase before a cue.
pub(super) const NOT_SUBJECT_HEADS: &[&str] = &[
    "what", "this", "that", "there", "it", "which", "who", "how", "why", "where",
];
/// Prepositions that do not start a speaker phrase before a cue.
pub(super) const SUBJECT_PREPS_BLOCK: &[&str] = &[
    "in", "on", "at", "for", "with", "from", "by", "after", "before", "to",
];
/// Forms of `be`.
pub(super) const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];
/// Forms of `have` (`has planned to`).
pub(super) const HAVE_FORMS: &[&str] = &["has", "have", "had"];
/// Coordinators that can start a new attribution (`..., and critics warned`).
pub(super) const AND_BUT: &[&str] = &["and", "but"];
/// Words of an adverbial between a cue and its content (`said in a statement on Twitter`).
pub(super) const CUE_ADVERBIALS: &[&str] = &[
    "in",
    "a",
    "an",
    "the",
    "his",
    "her",
    "their",
    "its",
    "statement",
    "interview",
    "on",
    "twitter",
    "reporters",
    "to",
    "during",
    "at",
    "news",
    "conference",
    "briefing",
    "email",
    "by",
    "phone",
    "afternoon",
    "recent",
    "speech",
    "tuesday's",
    "monday's",
    "wednesday's",
    "thursday's",
    "friday's",
    "saturday's",
    "sunday's",
];
/// Words after `no` that make it no clause (`said no to`, `no comment`).
pub(super) const NO_NOT_CLAUSE: &[&str] = &["to", "comment", "more", "and"];
/// Words that open an indirect question (`asked whether`).
pub(super) const WH_WORDS: &[&str] = &[
    "whether", "how", "why", "what", "if", "when", "where", "who",
];
/// Words after a speech act that make its object no content (`called by`, `described as`).
pub(super) const AGENT_WORDS: &[&str] = &["by", "as", "which"];
/// Prepositions before the content of `spoke about`.
pub(super) const ABOUT_OF: &[&str] = &["about", "of"];
/// Words after a speech act that make what follows no content.
pub(super) const AGENT_OR_THAT: &[&str] = &["by", "as", "that", "which"];
/// Particles of an issuing verb (`sent out`, `fired off`).
pub(super) const ISSUE_PARTICLES: &[&str] = &["out", "off"];
/// Determiners of an issued document (`a statement`, `its report`).
pub(super) const DOC_DETS: &[&str] = &["a", "an", "the", "its", "his", "her", "their"];
/// Determiners that point back to an earlier document (`the statement`).
pub(super) const DEMONSTRATIVES: &[&str] = &["the", "that", "this", "those", "these"];
/// Prepositions that start a noun's complement (`a spokeswoman for the campaign`).
pub(super) const COMPLEMENT_PREPS: &[&str] = &["for", "of", "at", "in", "with", "from"];
/// Group nouns that `they` can stand for.
pub(super) const GROUP_NOUNS: &[&str] = &[
    "people",
    "police",
    "staff",
    "government",
    "administration",
    "campaign",
];
/// Plural subject pronouns.
pub(super) const PLURAL_PRONOUNS: &[&str] = &["they", "we"];
/// Source nouns that stand for an organisation (`the campaign said`).
pub(super) const ORG_SOURCE_NOUNS: &[&str] = &[
    "campaign",
    "government",
    "administration",
    "committee",
    "company",
];
/// Subject pronouns that can name a speaker.
pub(super) const SPEAKER_PRONOUNS: &[&str] = &["he", "she", "they", "we", "i"];

/// Possessive pronouns and the pronoun whose referent owns the thing ("his report" → "he").
pub(super) const POSSESSIVE_PRONOUNS: &[(&str, &str)] = &[
    ("his", "he"),
    ("her", "she"),
    ("its", "it"),
    ("their", "they"),
];
/// Words naming a US party, and the party ("the GOP candidate" → republican).
pub(super) const PARTY_WORDS: &[(&str, &str)] = &[
    ("democratic", "democratic"),
    ("democrat", "democratic"),
    ("democrats", "democratic"),
    ("dem", "democratic"),
    ("republican", "republican"),
    ("republicans", "republican"),
    ("gop", "republican"),
];

/// The value of `w` in a word table of pairs.
/// Whether a lowercase word has the form of a regular past tense or participle: "-ed" after at
/// least three letters ("angered", "believed"; not "red", "bed", "shed").
pub(super) fn ed_form(w: &str) -> bool {
    w.len() > 4 && w.ends_with("ed")
}

pub(super) fn lookup(table: &[(&str, &'static str)], w: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == w).map(|&(_, v)| v)
}

// Single words that one rule names, and the small sets of the resolver and the agent checks.

/// The definite article: a name can take it (`the Kremlin`, `the Chinese`).
pub(super) const DEFINITE_ARTICLE: &str = "the";
/// `according to X`.
pub(super) const ACCORDING_TO: [&str; 2] = ["according", "to"];
/// The infinitive marker after an intention verb (`wants to`).
pub(super) const INFINITIVE_TO: &str = "to";
/// The word that opens a reported clause (`said that ...`) or a relative clause (`"..." that
/// nobody would question`).
pub(super) const COMPLEMENTIZER: &str = "that";
/// The preposition before a participle cue (`by saying`).
pub(super) const GERUND_BY: &str = "by";
/// The coordinator of names (`Germany, France and Sweden`).
pub(super) const NAME_AND: &str = "and";
/// A word between a subject and its cue ([`super::lexicon`]'s `BETWEEN`) that can sit inside
/// a noun phrase (`the first lady`).
pub(super) const ORDINAL_FIRST: &str = "first";
/// The particle of `go` that makes it a cue (`went on`).
pub(super) const GO_PARTICLE: &str = "on";
/// The demonstrative that heads a group of people (`those surveyed`).
pub(super) const THOSE: &str = "those";
/// The relative pronoun of a person (`officials who say`).
pub(super) const RELATIVE_WHO: &str = "who";
/// The relative pronoun of a thing or body (`the Union, which contended`).
pub(super) const RELATIVE_WHICH: &str = "which";
/// The possessive relative pronoun (`whose allies`).
pub(super) const RELATIVE_WHOSE: &str = "whose";
/// `as` before an aside with a source (`..., as one adviser pointed out, ...`).
pub(super) const AS_ASIDE: &str = "as";
/// What was said standing for earlier content (`said as much`).
pub(super) const AS_MUCH: [&str; 2] = ["as", "much"];
/// `no` opening a clause (`said no decision had been made`).
pub(super) const NEGATIVE_NO: &str = "no";
/// The partitive preposition (`most of whom`).
pub(super) const PARTITIVE_OF: &str = "of";
/// Determiners of an organisation named by its common noun (`the ministry`, `its party`).
pub(super) const ORG_DETS: &[&str] = &["the", "its", "their"];
/// Small words that a quoted title leaves in lower case (`"Fire and Fury"`).
pub(super) const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "with", "at", "by", "from", "is",
];
/// Endings of adjectives (`aggressive`, `dangerous`, `peaceful`).
pub(super) const ADJECTIVE_SUFFIXES: &[&str] =
    &["ive", "ous", "ful", "less", "able", "ible", "ish", "long"];
/// Words of a share in a speaker name (`31 percent`, `63%`).
pub(super) const SHARE_WORDS: &[&str] = &["percent", "per cent", "%"];
/// How a byline starts (`By Jane Doe`).
pub(super) const BYLINE_PREFIXES: &[&str] = &["By ", "by ", "BY "];
/// How a byline line of a plain text starts (not `by`, which starts sentences: `by then`).
pub(super) const TEXT_BYLINE_PREFIXES: &[&str] = &["By ", "BY "];
/// What joins the authors of a byline (`Jane Doe and John Roe`).
pub(super) const AUTHORS_AND: &str = " and ";
/// The verb of a contributor line (`Jane Roe contributed reporting`).
pub(super) const CONTRIBUTED: &str = "contributed";

/// Subject pronouns the resolver tells apart.
pub(super) const HE: &str = "he";
pub(super) const SHE: &str = "she";
pub(super) const IT: &str = "it";
pub(super) const THEY: &str = "they";
/// Pronouns of a man (counted for an entity's gender).
pub(super) const MALE_PRONOUNS: &[&str] = &["he", "his", "him", "himself"];
/// Pronouns of a woman.
pub(super) const FEMALE_PRONOUNS: &[&str] = &["she", "her", "hers", "herself"];
/// Titles and role words of a man (`Mr.`, `spokesman`).
pub(super) const MALE_TITLES: &[&str] = &[
    "mr",
    "king",
    "prince",
    "sir",
    "lord",
    "father",
    "brother",
    "congressman",
    "spokesman",
    "chairman",
];
/// Titles and role words of a woman (`Ms.`, `spokeswoman`).
pub(super) const FEMALE_TITLES: &[&str] = &[
    "mrs",
    "ms",
    "miss",
    "queen",
    "princess",
    "lady",
    "dame",
    "sister",
    "congresswoman",
    "spokeswoman",
    "chairwoman",
    "madam",
];
