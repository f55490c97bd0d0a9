//! The fuzz target: cleaning, sentence splitting, entity merging, quote detection, the JSON
//! output, the CSV rows and the report's highlighting, on any bytes, with a rule-based tagger
//! standing in for the model (so a run needs no model and millions of inputs are cheap).
//!
//! Two narrower targets: [`fuzz_clean`] (input decoding and the cleaner of every format, with
//! its offset map) and [`fuzz_quotes`] (the quote rules straight on the text, no cleaning).
//!
//! [`fuzz_one`] is what `cargo fuzz run pipeline` calls (fuzz/fuzz_targets/pipeline.rs) and what
//! the bounded mutation test runs in `cargo test` (tests/fuzz_seeds.rs). It panics when a stage
//! panics or when an invariant of the output breaks (an offset past the end of the original
//! text, a span that ends before it starts, output that does not serialize).

use crate::clean::{detect_format, Format};
use crate::pipeline::{self, Document, Tagger};
use crate::{EntityType, Mention, Sentence, Span};

/// A stand-in tagger: every run of capitalised words is a mention; two words or more are PER,
/// a single word ORG, LOC or PER by its length. Enough to give the rule layer names to attach
/// quotes to.
pub struct CapitalTagger;

impl Tagger for CapitalTagger {
    fn tag(&self, text: &str, _sentences: &[Sentence]) -> anyhow::Result<Vec<Mention>> {
        let mut out = Vec::new();
        let mut run: Option<(usize, usize, usize)> = None; // start, end, words
        let mut flush = |run: &mut Option<(usize, usize, usize)>| {
            if let Some((s, e, words)) = run.take() {
                let etype = if words >= 2 {
                    EntityType::PER
                } else {
                    [EntityType::ORG, EntityType::LOC, EntityType::PER][(e - s) % 3]
                };
                out.push(Mention {
                    span: Span::new(s, e),
                    etype,
                    score: 0.9,
                });
            }
        };
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                words.push((s, i));
            }
        }
        if let Some(s) = start {
            words.push((s, text.len()));
        }
        for (s, e) in words {
            if text[s..e].chars().next().is_some_and(char::is_uppercase) {
                match run {
                    Some((rs, re, w)) if &text[re..s] == " " => run = Some((rs, e, w + 1)),
                    _ => {
                        flush(&mut run);
                        run = Some((s, e, 1));
                    }
                }
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
        Ok(out)
    }
}

/// Runs the whole rule pipeline on `original` read as `format` and checks the output.
pub fn check_document(original: &str, format: Format) {
    let analysis = pipeline::run_one(
        Document::new("fuzz", "-", original.to_string(), format),
        &CapitalTagger,
    );
    let cleaned = &analysis.cleaned.text;
    for s in &analysis.sentences {
        assert!(
            s.span.start <= s.span.end
                && s.span.end <= cleaned.len()
                && cleaned.is_char_boundary(s.span.start)
                && cleaned.is_char_boundary(s.span.end),
            "sentence {:?} outside the cleaned text ({} bytes)",
            s.span,
            cleaned.len()
        );
    }
    let out = analysis.to_output(false);
    let n = original.chars().count();
    let check = |what: &str, start: usize, end: usize| {
        assert!(
            start <= end && end <= n,
            "{what} [{start}, {end}) outside the original text ({n} code points)"
        );
    };
    for e in &out.entities {
        for m in &e.mentions {
            check("mention", m.start, m.end);
        }
    }
    for q in &out.quotes {
        check("quote", q.start, q.end);
        if let Some(c) = &q.cue {
            check("cue", c.start, c.end);
        }
        if let Some(s) = &q.speaker {
            check("speaker", s.mention.start, s.mention.end);
        }
        assert!(q.confidence.is_finite(), "confidence {}", q.confidence);
    }
    let json = serde_json::to_string(&out).expect("output serializes");
    let back: crate::output::DocOutput = serde_json::from_str(&json).expect("output parses back");
    assert_eq!(back.quotes.len(), out.quotes.len());
    crate::analyst::export::quote_rows(&out);
    crate::analyst::export::entity_rows(&out);
    crate::analyst::report::render(
        &[out],
        &[Ok(original.to_string())],
        &crate::analyst::report::ReportOptions::default(),
    );
}

/// Opening and closing marks of `depth` nested quotes, alternating double and single curly
/// quotes (“‘“‘… …’”’”): a pathological input for the quote detector.
pub fn nested_quotes(depth: usize) -> (String, String) {
    let mark =
        |i: usize, double: char, single: char| if i.is_multiple_of(2) { double } else { single };
    let open = (0..depth)
        .map(|i| mark(i, '\u{201c}', '\u{2018}'))
        .collect();
    let close = (0..depth)
        .rev()
        .map(|i| mark(i, '\u{201d}', '\u{2019}'))
        .collect();
    (open, close)
}

/// The fuzz target: `data` as text (lossily decoded), read as plain text, then as the format
/// its content suggests, then as the format its first byte picks.
pub fn fuzz_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut formats = vec![Format::Text];
    let detected = detect_format("", &text);
    if detected != Format::Text {
        formats.push(detected);
    }
    let picked =
        [Format::Markdown, Format::Html, Format::Text][data.first().map_or(2, |b| *b as usize % 3)];
    if !formats.contains(&picked) {
        formats.push(picked);
    }
    for f in formats {
        check_document(&text, f);
        if f == Format::Html {
            check_html_all(&text);
        }
    }
}

/// An HTML page read whole (`--html-mode all`): every cleaned byte maps inside the original,
/// and it holds at least as much text as the article.
fn check_html_all(original: &str) {
    let all = crate::clean::CleanOptions {
        html_mode: crate::clean::HtmlMode::All,
    };
    let whole = crate::clean::clean_with(original, Format::Html, &all);
    let n = original.chars().count();
    let (s, e) = whole.map.to_original(crate::Span::new(0, whole.text.len()));
    assert!(s <= e && e <= n, "cleaned text maps to [{s}, {e}) of {n}");
    let article = crate::clean::clean(original, Format::Html);
    let chars = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        chars(&article.text) <= chars(&whole.text),
        "the article has more text than the page"
    );
}

/// The `clean` target: the bytes decoded as `extract` decodes a file (UTF-8, a BOM, UTF-16),
/// then cleaned as text, Markdown and HTML (article and whole page). Every cleaned span maps
/// to a span of the original, in order: starts never go back as the span moves right.
pub fn fuzz_clean(data: &[u8]) {
    if let Ok(text) = crate::input::decode(data.to_vec()) {
        let _ = crate::input::check_text(&text, usize::MAX);
    }
    let text = String::from_utf8_lossy(data);
    let n = text.chars().count();
    let all = crate::clean::CleanOptions {
        html_mode: crate::clean::HtmlMode::All,
    };
    let article = crate::clean::CleanOptions::default();
    for (format, options) in [
        (Format::Text, &article),
        (Format::Markdown, &article),
        (Format::Html, &article),
        (Format::Html, &all),
    ] {
        let c = crate::clean::clean_with(&text, format, options);
        let bounds: Vec<usize> = c
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(c.text.len()))
            .collect();
        let step = (bounds.len() / 64).max(1);
        let mut last_start = 0;
        for w in bounds.windows(2).step_by(step) {
            let (s, e) = c.map.to_original(Span::new(w[0], w[1]));
            assert!(
                s <= e && e <= n,
                "{format:?}: cleaned [{}, {}) maps to [{s}, {e}) of {n}",
                w[0],
                w[1]
            );
            assert!(
                s >= last_start,
                "{format:?}: cleaned byte {} maps before the one to its left",
                w[0]
            );
            last_start = s;
        }
        let _ = detect_format("x.html", &c.text);
    }
}

/// The `quotes` target: sentence splitting, the stand-in tagger, entity merging and the quote
/// rules straight on the text (no cleaning, so marks and cues reach the rules as given). Every
/// span lies inside the text on character boundaries, a quote's content is not empty and
/// ends before the text does, a speaker's entity exists.
pub fn fuzz_quotes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sentences = crate::segment::sentences(&text);
    let mentions = CapitalTagger.tag(&text, &sentences).expect("never fails");
    let mut entities = crate::entities::merge(&text, &mentions);
    let quotes = crate::quotes::extract_quotes(&text, &sentences, &mut entities);
    let inside = |what: &str, sp: Span| {
        assert!(
            sp.start <= sp.end
                && sp.end <= text.len()
                && text.is_char_boundary(sp.start)
                && text.is_char_boundary(sp.end),
            "{what} {sp:?} outside the text ({} bytes) or inside a character",
            text.len()
        );
    };
    for q in &quotes {
        inside("quote", q.content);
        if let Some(c) = q.cue {
            inside("cue", c);
        }
        if let Some(sp) = &q.speaker {
            inside("speaker", sp.mention);
            if let Some(e) = sp.entity {
                assert!(
                    e < entities.len(),
                    "speaker entity {e} of {}",
                    entities.len()
                );
            }
        }
        assert!(q.confidence.is_finite());
    }
    for e in &entities {
        for m in &e.mentions {
            inside("mention", m.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_and_quote_targets_pass_edge_inputs() {
        for s in [
            "".as_bytes(),
            b"\xff\xfe\x00",
            b"\xfe\xff\xd8\x00",
            b"\xef\xbb\xbf\"a\" said B.",
            "\u{201c}".repeat(500).as_bytes(),
            b"<p>\"a</p><script>x",
            b"# \"\n\n* '[a](b",
            b"Ann Lee said: \"Yes\". \"No,\" he added.",
        ] {
            fuzz_clean(s);
            fuzz_quotes(s);
        }
    }

    #[test]
    fn capital_tagger_finds_name_runs() {
        let text = "Russian President Vladimir Putin said, \"Yes.\" Lavrov agreed.";
        let m = CapitalTagger.tag(text, &[]).unwrap();
        let names: Vec<&str> = m.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(
            names,
            vec!["Russian President Vladimir Putin", "Yes", "Lavrov"]
        );
        assert_eq!(m[0].etype, EntityType::PER);
    }

    #[test]
    fn edge_inputs_pass() {
        for s in [
            "".as_bytes(),
            b"\xff\xfe\x00",
            "\u{201c}".repeat(500).as_bytes(),
            b"<p>\"a</p>",
            b"# \"\n\n* '",
        ] {
            fuzz_one(s);
        }
    }
}
