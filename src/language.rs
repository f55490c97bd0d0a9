//! Which language a document is in: the model and the quote rules are for English news, so an
//! article in another language is flagged (the output's `language`, a warning from `extract`).
//! Detection is [whatlang](https://docs.rs/whatlang)'s trigram and alphabet model over the
//! first few thousand characters of the cleaned text.

/// Characters looked at: enough for a sure answer, cheap on a 5 MB document.
const SAMPLE_CHARS: usize = 4000;

/// A detected language.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// ISO 639-3 code: `eng`, `deu`, `rus`, ...
    pub code: &'static str,
    /// English name: "English", "German", ...
    pub name: &'static str,
    /// whatlang's own verdict that the answer is sure.
    pub reliable: bool,
}

impl Language {
    pub fn is_english(&self) -> bool {
        self.code == "eng"
    }
}

/// The language of `text`, when it has enough letters to tell.
pub fn detect(text: &str) -> Option<Language> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let info = whatlang::detect(&text[..end])?;
    Some(Language {
        code: info.lang().code(),
        name: info.lang().eng_name(),
        reliable: info.is_reliable(),
    })
}

/// The output's `language`: the code of the detected language when the detection is sure.
pub fn output_code(text: &str) -> Option<String> {
    detect(text)
        .filter(|l| l.reliable)
        .map(|l| l.code.to_string())
}

/// The warning for a document whose output `language` is not English, else `None`.
pub fn warning(code: &str) -> Option<String> {
    if code == "eng" {
        return None;
    }
    let name = whatlang::Lang::from_code(code).map_or(code, |l| l.eng_name());
    Some(format!(
        "the text looks {name} ({code}), not English: the model and the quote rules are for English news, so names and quotes will be unreliable"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_german_and_russian_are_told_apart() {
        let en = "The minister said on Tuesday that the talks would resume next week, \
                  according to two officials familiar with the plans.";
        let de = "Der Bundeskanzler sagte am Dienstag, dass die Gespräche nächste Woche \
                  fortgesetzt werden, wie zwei Beamte der Regierung mitteilten.";
        let ru = "Министр заявил во вторник, что переговоры возобновятся на следующей \
                  неделе, сообщили в Кремле два источника.";
        assert_eq!(output_code(en).as_deref(), Some("eng"));
        assert!(warning("eng").is_none());
        assert_eq!(output_code(de).as_deref(), Some("deu"));
        assert!(warning("deu").unwrap().contains("German (deu)"));
        assert_eq!(output_code(ru).as_deref(), Some("rus"));
        assert!(warning("rus").unwrap().contains("Russian"));
        assert!(detect("").is_none());
    }
}
