//! Word lists used by the quote rules.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Cue words learned from PolNeAR train (see `scripts/learn_cues.py`).
const LEARNED_CUES: &str = include_str!("../cues.txt");

/// Learned cue words that are rarely speech cues on their own.
#[rustfmt::skip]
const NOT_CUES: &[&str] = &[
    "acquiesced", "adamant", "aimed", "aiming", "aims", "alarmed", "angered", "appointed",
    "approved", "attempted", "attempting", "authorized", "avoided", "backed", "backing", "billed",
    "blocked", "cast", "celebrated", "confident", "considered", "considering", "considers",
    "covered", "decided", "deciding", "dedicated", "delivered", "delivering", "determined",
    "determining", "devoted", "displayed", "drew", "eager", "embraced", "exposed", "filed",
    "fired", "focused", "focuses", "follows", "glad", "hired", "imposed", "inclined",
    "introduced", "introducing", "issued", "knocked", "known", "laid", "launched", "launching",
    "laying", "lays", "listed", "listing", "lists", "mounting", "named", "naming", "negotiated",
    "nervous", "nominated", "opened", "opted", "ordered", "outraged", "outspoken", "painting",
    "paints", "passed", "passing", "pivoted", "planning", "presented", "projected", "published",
    "puts", "quick", "rattled", "released", "releasing", "reluctant", "relying", "resisted",
    "restricting", "ruled", "seeking", "seeks", "seem", "seemed", "seems", "seen", "sentenced",
    "shocked", "signed", "singled", "sought", "sounded", "sounds", "spotted", "startled", "stern",
    "struck", "stuck", "sued", "tend", "thrilled", "titled", "touched", "unleashed", "unveiled",
    "upset", "viewed", "voted", "wary", "watched", "went", "withdrew", "appear", "appeared",
    "appears", "found", "finds", "show", "showed", "showing", "shown", "shows",
    "re", "cheer", "cheered", "chanted", "chanting", "chants", "hope", "support", "supported",
    "supporting", "supports", "oppose", "opposed", "opposes", "favored", "prefer", "preferred",
    "prefers", "wanted", "wants", "dislike", "complaints", "rumors", "sentiment", "allegations",
    "assertion", "assumption", "contention", "disagreement", "suggestion", "pressed", "pressing",
    "pushed", "pushing", "accuse", "blame",
];

/// Verbs that introduce a quotation or reported clause in every sense ("said", "told").
#[rustfmt::skip]
const SPEECH: &[&str] = &[
    "say", "says", "said", "saying", "add", "adds", "added", "adding", "tell", "tells", "told",
    "telling", "ask", "asks", "asked", "asking", "write", "writes", "wrote", "writing", "tweet",
    "tweets", "tweeted", "tweeting", "explain", "explains", "explained", "explaining", "continue",
    "continues", "continued", "note", "notes", "noted", "noting", "insist", "insists",
    "insisted", "insisting", "argue", "argues", "argued", "arguing", "warn", "warns", "warned",
    "warning", "reply", "replies", "replied", "respond", "responds", "responded", "recall",
    "recalls", "recalled", "state", "states", "stated", "declare", "declares", "declared",
    "announce", "announces", "announced", "claim", "claims", "claimed", "claiming",
    "acknowledge", "acknowledges", "acknowledged", "admit", "admits", "admitted", "concede",
    "concedes", "conceded", "counter", "counters", "countered", "remark", "remarks", "remarked",
    "observe", "observes", "observed", "joke", "jokes", "joked", "quip", "quips", "quipped",
    "shout", "shouted", "yell", "yelled", "exclaimed", "whispered", "caution", "cautioned",
    "stress", "stresses", "stressed", "emphasize", "emphasized", "emphasised", "complain",
    "complains", "complained", "predict", "predicts", "predicted", "suggest", "suggests",
    "suggested", "suggesting", "agree", "agrees", "agreed", "conclude", "concludes",
    "concluded", "confirm", "confirms", "confirmed", "post", "posted", "report", "reports",
    "reported", "muse", "mused", "wonder", "wondered", "assert", "asserts", "asserted",
    "maintain", "maintains", "maintained", "contend", "contends", "contended", "charge",
    "charged", "allege", "alleges", "alleged", "vow", "vows", "vowed", "promise", "promises",
    "promised", "pledge", "pledged", "urge", "urges", "urged", "urging", "boast", "boasted",
    "brag", "bragged", "lament", "lamented", "testify", "testified", "recount", "recounted",
    "reiterate", "reiterated", "repeat", "repeated", "call", "calls", "called", "calling",
    "accuse", "accuses", "accused", "accusing", "describe", "describes", "described",
    "describing", "dub", "dubbed", "label", "labeled", "labelled", "mention", "mentioned",
    "believe", "believes", "believed", "think", "thinks", "thought", "fear", "fears", "feared",
    "worry", "worries", "worried", "hope", "hopes", "hoped", "estimate", "estimates",
    "estimated", "deny", "denies", "denied", "reveal", "reveals", "revealed", "point", "pointed",
    "indicate", "indicates", "indicated", "propose", "proposes", "proposed", "quote", "quoted",
    "cite", "cites", "cited", "speculate", "speculated", "hint", "hinted", "signal", "signaled",
    "know", "knows", "knew", "expect", "expects", "expected", "demand", "demands", "demanded",
    "criticize", "criticized", "criticised", "slam", "slams", "slammed", "blast", "blasted",
    "praise", "praised", "condemn", "condemned", "dismiss", "dismissed", "reject", "rejected",
    "question", "questioned", "opine", "opined", "chided", "mocked", "derided", "decried",
    "lambasted", "touted", "hailed", "defended", "thanked", "welcomed", "barked", "beamed",
    "retorted", "boomed", "mocks", "snapped", "quipped", "deadpanned", "scoffed", "fumed",
    "gushed", "marveled", "pleaded", "interjected", "sniped", "teased", "cracked", "chimed",
    "shrugged", "laughed", "sighed", "screamed", "chanted", "sang", "sings", "exclaims",
    "insists", "jokes", "reads", "read", "stated",
];

/// Verbs that take a reported clause ("X said that ...") for indirect speech.
#[rustfmt::skip]
const CLAUSAL: &[&str] = &[
    "say", "says", "said", "saying", "add", "adds", "added", "adding", "tell", "tells", "told",
    "telling", "write", "writes", "wrote", "tweet", "tweets", "tweeted", "explain", "explains",
    "explained", "note", "notes", "noted", "noting", "insist", "insists", "insisted",
    "insisting", "argue", "argues", "argued", "arguing", "warn", "warns", "warned", "warning",
    "reply", "replied", "respond", "responded", "recall", "recalled", "state", "states",
    "stated", "declare", "declares", "declared", "announce", "announces", "announced", "claim",
    "claims", "claimed", "claiming", "acknowledge", "acknowledges", "acknowledged", "admit",
    "admits", "admitted", "concede", "conceded", "counter", "countered", "remark", "remarked",
    "observe", "observed", "stress", "stressed", "emphasize", "emphasized", "complain",
    "complained", "predict", "predicts", "predicted", "suggest", "suggests", "suggested",
    "suggesting", "agree", "agreed", "conclude", "concluded", "confirm", "confirmed", "report",
    "reports", "reported", "assert", "asserted", "maintain", "maintains", "maintained",
    "contend", "contends", "contended", "charge", "charged", "allege", "alleges", "alleged",
    "vow", "vowed", "promise", "promised", "pledge", "pledged", "believe", "believes",
    "believed", "think", "thinks", "thought", "fear", "fears", "feared", "worry", "worries",
    "worried", "hope", "hopes", "hoped", "estimate", "estimates", "estimated", "deny", "denies",
    "denied", "reveal", "revealed", "indicate", "indicated", "indicates", "know", "knows",
    "knew", "expect", "expects", "expected", "speculate", "speculated", "hint", "hinted",
    "signal", "signaled", "testify", "testified", "reiterate", "reiterated", "recount",
    "recounted", "boast", "boasted", "brag", "bragged", "lament", "lamented", "caution",
    "cautioned", "mention", "mentioned", "point", "pointed", "joke", "joked", "muse", "mused",
    "assure", "assured", "assures", "show", "shows", "showed", "find", "finds", "found",
    "learn", "learned", "writes", "posted", "remind", "reminded", "reminds", "inform",
    "informed", "assume", "assumed", "realize", "realized", "recognize", "recognized",
    "acknowledging", "explaining", "stating", "declaring", "announcing", "insisting",
    "confirming", "stressing", "emphasizing", "hoping", "predicting", "maintaining",
    "indicating", "admitting", "denying", "revealing", "asserting", "contending",
    "complaining", "demanding", "demanded", "demands",
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
    "on", "weekend",
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
    pub speech: HashSet<&'static str>,
    pub clausal: HashSet<&'static str>,
    pub between: HashSet<&'static str>,
    pub clause_start: HashSet<&'static str>,
    pub sources: HashSet<&'static str>,
    pub male: HashSet<&'static str>,
    pub female: HashSet<&'static str>,
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let not: HashSet<&str> = set(NOT_CUES);
        let mut cues: HashSet<String> = LEARNED_CUES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter(|l| !not.contains(l))
            .map(str::to_string)
            .collect();
        cues.extend(SPEECH.iter().chain(CLAUSAL.iter()).map(|s| s.to_string()));
        Lexicon {
            cues,
            speech: set(SPEECH),
            clausal: set(CLAUSAL),
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
