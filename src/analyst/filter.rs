//! The filters that `export`, `report` and `who` share: one [`Filter`] (its options are flattened
//! into each command) and one function, [`apply`].
//!
//! - `--since DATE`, `--until DATE` (YYYY-MM-DD, both ends included) keep the documents whose
//!   `published` day lies in the range; a document without a date (no `published`, or one that
//!   does not start with YYYY-MM-DD) is excluded when either is given, and counted.
//! - `--kind` (direct, partial, indirect), `--speaker-kind` (person, organisation, place,
//!   group, unnamed, document), `--min-confidence X` (0 to 1) and `--speaker NAME` keep the
//!   quotes that pass all of them, and the documents that keep a quote. Speakers are the
//!   batch's identities ([`crate::identity::batch_identity`] over the documents in the date
//!   range): NAME takes any form of a name or an id, as `who` does ([`super::who::ask`]); a
//!   NAME that fits no speaker or several is an error that says which. A quote whose speaker
//!   names nobody (a pronoun without antecedent) passes no `--speaker-kind` or `--speaker`.
//!
//! Documents keep all their entities; only quotes and whole documents are dropped.

use anyhow::{bail, Result};
use clap::ValueEnum;

use super::corpus::day_of;
use super::who::{ask, Answer};
use crate::identity::{self, Kind};
use crate::output::DocOutput;

/// A quote's kind, as `--kind` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuoteKindArg {
    Direct,
    Partial,
    Indirect,
}

impl QuoteKindArg {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKindArg::Direct => "direct",
            QuoteKindArg::Partial => "partial",
            QuoteKindArg::Indirect => "indirect",
        }
    }
}

/// A speaker's kind, as `--speaker-kind` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpeakerKindArg {
    Person,
    #[value(alias = "organization")]
    Organisation,
    Place,
    Group,
    Unnamed,
    Document,
}

impl SpeakerKindArg {
    pub fn kind(self) -> Kind {
        match self {
            SpeakerKindArg::Person => Kind::Person,
            SpeakerKindArg::Organisation => Kind::Organisation,
            SpeakerKindArg::Place => Kind::Place,
            SpeakerKindArg::Group => Kind::Group,
            SpeakerKindArg::Unnamed => Kind::Unnamed,
            SpeakerKindArg::Document => Kind::Document,
        }
    }
}

/// The filter options of `export`, `report` and `who` (`#[command(flatten)]`).
#[derive(clap::Args, Debug, Clone, Default, PartialEq)]
#[command(next_help_heading = "Filters")]
pub struct Filter {
    /// Keep documents published on or after DATE (YYYY-MM-DD); undated documents are dropped.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<String>,
    /// Keep documents published on or before DATE (YYYY-MM-DD); undated documents are dropped.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<String>,
    /// Keep quotes of these kinds (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub kind: Vec<QuoteKindArg>,
    /// Keep quotes whose speaker is of these kinds (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub speaker_kind: Vec<SpeakerKindArg>,
    /// Keep quotes with a confidence of at least X (0 to 1).
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub min_confidence: Option<f32>,
    /// Keep quotes of this speaker: any form of the name, or a speaker id, as `who` takes it.
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
}

/// What [`apply`] kept and dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents_in: usize,
    pub documents_out: usize,
    /// Documents dropped for having no date while a date filter was given.
    pub undated: usize,
    pub quotes_in: usize,
    pub quotes_out: usize,
}

impl Summary {
    /// One line for stderr: "filters kept 3 of 10 documents and 5 of 40 quotes (2 documents
    /// without a date excluded)".
    pub fn line(&self) -> String {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        let mut out = format!(
            "filters kept {} of {} document{} and {} of {} quote{}",
            self.documents_out,
            self.documents_in,
            s(self.documents_in),
            self.quotes_out,
            self.quotes_in,
            s(self.quotes_in)
        );
        if self.undated > 0 {
            out.push_str(&format!(
                " ({} document{} without a date excluded)",
                self.undated,
                s(self.undated)
            ));
        }
        out
    }
}

/// `YYYY-MM-DD` with a real month and day; the error names what is wrong.
pub fn parse_date(s: &str) -> Result<String, String> {
    let bad = || format!("{s:?} is not a date of the form YYYY-MM-DD (e.g. 2025-03-14)");
    let t = s.trim();
    if day_of(Some(t)) != Some(t) {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        t[..4].parse().map_err(|_| bad())?,
        t[5..7].parse().map_err(|_| bad())?,
        t[8..10].parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("{s:?}: there is no month {m}")),
    };
    if d == 0 || d > days {
        return Err(format!("{s:?}: month {m} of {y} has no day {d}"));
    }
    Ok(t.to_string())
}

/// A number from 0 to 1.
pub fn parse_confidence(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err(format!("{s} is outside 0 to 1")),
        Err(_) => Err(format!("{s:?} is not a number (0 to 1)")),
    }
}

impl Filter {
    fn dated(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    fn on_quotes(&self) -> bool {
        !self.kind.is_empty()
            || !self.speaker_kind.is_empty()
            || self.min_confidence.is_some()
            || self.speaker.is_some()
    }

    /// Whether any filter is given.
    pub fn is_active(&self) -> bool {
        self.dated() || self.on_quotes()
    }
}

/// Applies `f` to a batch (see the module docs). `None` for the summary when no filter is
/// given (the batch is returned as it is). Errors name the option: an empty date range, or a
/// `--speaker` NAME that fits no speaker or several.
pub fn apply(docs: Vec<DocOutput>, f: &Filter) -> Result<(Vec<DocOutput>, Option<Summary>)> {
    if !f.is_active() {
        return Ok((docs, None));
    }
    if let (Some(a), Some(b)) = (&f.since, &f.until) {
        if a > b {
            bail!("--since {a} is after --until {b}: no date is in that range");
        }
    }
    let mut sum = Summary {
        documents_in: docs.len(),
        quotes_in: docs.iter().map(|d| d.quotes.len()).sum(),
        ..Default::default()
    };
    let mut docs: Vec<DocOutput> = if f.dated() {
        docs.into_iter()
            .filter(|d| match day_of(d.meta.published.as_deref()) {
                None => {
                    sum.undated += 1;
                    false
                }
                Some(day) => {
                    f.since.as_deref().is_none_or(|s| day >= s)
                        && f.until.as_deref().is_none_or(|u| day <= u)
                }
            })
            .collect()
    } else {
        docs
    };
    if f.on_quotes() {
        let wanted = match &f.speaker {
            None => None,
            Some(name) => Some(speaker_id(&docs, name)?),
        };
        let ids = identity::batch_identity(&docs);
        let kinds: Vec<&str> = f.kind.iter().map(|k| k.as_str()).collect();
        let speaker_kinds: Vec<Kind> = f.speaker_kind.iter().map(|k| k.kind()).collect();
        for (d, di) in docs.iter_mut().zip(&ids) {
            let mut keep = Vec::with_capacity(d.quotes.len());
            for (qi, q) in d.quotes.iter().enumerate() {
                let who = di.speakers.get(qi).and_then(|s| s.as_ref());
                keep.push(
                    (kinds.is_empty() || kinds.contains(&q.kind.as_str()))
                        && f.min_confidence.is_none_or(|m| q.confidence >= m)
                        && (speaker_kinds.is_empty()
                            || who.is_some_and(|w| speaker_kinds.contains(&w.kind)))
                        && wanted
                            .as_deref()
                            .is_none_or(|id| who.is_some_and(|w| w.id == id)),
                );
            }
            let mut it = keep.into_iter();
            d.quotes.retain(|_| it.next().unwrap_or(false));
        }
        docs.retain(|d| !d.quotes.is_empty());
    }
    sum.documents_out = docs.len();
    sum.quotes_out = docs.iter().map(|d| d.quotes.len()).sum();
    Ok((docs, Some(sum)))
}

/// The speaker id `--speaker NAME` names in `docs`, or an error saying why there is none.
fn speaker_id(docs: &[DocOutput], name: &str) -> Result<String> {
    match ask(docs, name) {
        Answer::Found { speaker, .. } => Ok(speaker.id),
        Answer::Several { speakers } => {
            let list: Vec<String> = speakers
                .iter()
                .take(8)
                .map(|c| format!("{} ({}, {} quotes)", c.name, c.id, c.quotes))
                .collect();
            bail!(
                "--speaker {name:?} fits {} speakers: {}; give a full name or an id",
                speakers.len(),
                list.join(", ")
            )
        }
        Answer::None { suggestions } if suggestions.is_empty() => {
            bail!("--speaker {name:?} fits no speaker")
        }
        Answer::None { suggestions } => bail!(
            "--speaker {name:?} fits no speaker; did you mean {}?",
            suggestions.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2025-03-14").unwrap(), "2025-03-14");
        assert_eq!(parse_date("2024-02-29").unwrap(), "2024-02-29");
        assert!(parse_date("2025-02-29").unwrap_err().contains("no day 29"));
        assert!(parse_date("2025-13-01")
            .unwrap_err()
            .contains("no month 13"));
        assert!(parse_date("14/03/2025").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2025-03-14T10:00").is_err());
        assert!(parse_confidence("0.5").is_ok());
        assert!(parse_confidence("1.5").unwrap_err().contains("outside"));
        assert!(parse_confidence("high")
            .unwrap_err()
            .contains("not a number"));
    }
}
