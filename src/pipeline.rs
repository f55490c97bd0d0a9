//! Runs the stages over one document and over a batch, and builds the JSON output.

use crate::clean::{self, CleanOptions, Cleaned, DocMeta, Format};
use crate::entities::entity_key;
use crate::output::{DocOutput, EntityOut, MentionOut, QuoteOut, SpanOut, SpeakerOut};
use crate::{entities, quotes, segment};
use crate::{Entity, Mention, Quote, Sentence, Span};

pub use crate::tagging::{GivenMentions, Tagged, Tagger};

/// Everything the pipeline found in one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub cleaned: Cleaned,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
}

/// Runs cleaning, segmentation, tagging, entity merging and quote attribution on one text.
pub fn analyze(original: &str, format: Format, tagger: &dyn Tagger) -> anyhow::Result<Analysis> {
    let cleaned = clean::clean(original, format);
    let sentences = segment::sentences(&cleaned.text);
    let tagged = tagger
        .tag_batch_full(&[(&cleaned.text, &sentences)])
        .pop()
        .unwrap_or_else(|| Err(anyhow::anyhow!("the tagger returned nothing")))?;
    let mentions = split_at_blocks(&cleaned.text, tagged.mentions);
    let mut entities = entities::merge(&cleaned.text, &mentions);
    let mut quotes = quotes::extract_quotes_learned(
        &cleaned.text,
        &sentences,
        &mut entities,
        tagged.attributions.as_deref(),
    );
    quotes::check_agents(
        &cleaned.text,
        &entities,
        &mut quotes,
        cleaned.meta.byline.as_deref(),
    );
    Ok(Analysis {
        cleaned,
        sentences,
        mentions,
        entities,
        quotes,
    })
}

/// Cuts mentions that run across a line break (the tagger sees a document as one sequence, so
/// the last word of one block and the first of the next can come out as one name): the words
/// of neighbouring blocks, such as two menu items or a headline and its first paragraph,
/// never form one mention. Each part keeps the type and score.
pub fn split_at_blocks(text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    if !mentions.iter().any(|m| m.span.slice(text).contains('\n')) {
        return mentions;
    }
    let mut out = Vec::with_capacity(mentions.len() + 1);
    for m in mentions {
        let mut start = m.span.start;
        for part in m.span.slice(text).split('\n') {
            let s = part.trim_start();
            let e = s.trim_end();
            let span = Span::new(
                start + (part.len() - s.len()),
                start + (part.len() - s.len()) + e.len(),
            );
            if !span.is_empty() && e.chars().any(|c| c.is_uppercase() || c.is_numeric()) {
                out.push(Mention { span, ..m.clone() });
            }
            start += part.len() + 1;
        }
    }
    out
}

fn span_out(a: &Analysis, span: Span) -> SpanOut {
    let (start, end) = a.cleaned.map.to_original(span);
    SpanOut {
        start,
        end,
        text: span.slice(&a.cleaned.text).to_string(),
    }
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Builds the JSON output of one analysed document.
pub fn to_output(id: &str, source: &str, a: &Analysis) -> DocOutput {
    let entities = a
        .entities
        .iter()
        .map(|e| EntityOut {
            id: format!("E{}", e.index + 1),
            etype: e.etype.as_str().to_string(),
            name: e.name.clone(),
            key: entity_key(&e.name),
            identity: String::new(),
            display: String::new(),
            titles: e.descriptions.clone(),
            mentions: e
                .mentions
                .iter()
                .map(|m| {
                    let s = span_out(a, m.span);
                    MentionOut {
                        start: s.start,
                        end: s.end,
                        text: s.text,
                        score: round3(m.score),
                    }
                })
                .collect(),
        })
        .collect();
    let quotes = a
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let content = span_out(a, q.content);
            QuoteOut {
                id: format!("Q{}", i + 1),
                kind: serde_json::to_value(q.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                text: content.text,
                start: content.start,
                end: content.end,
                speaker: q.speaker.as_ref().map(|s| SpeakerOut {
                    name: s.name.clone(),
                    id: String::new(),
                    kind: String::new(),
                    entity: s.entity.map(|e| format!("E{}", e + 1)),
                    mention: span_out(a, s.mention),
                    resolved_by: s.resolved_by.to_string(),
                }),
                cue: q.cue.map(|c| span_out(a, c)),
                confidence: round3(q.confidence),
            }
        })
        .collect();
    let mut out = DocOutput {
        entities,
        quotes,
        language: crate::language::output_code(&a.cleaned.text),
        ..DocOutput::new(id, source, a.cleaned.meta.clone())
    };
    crate::identity::assign(&mut out);
    out
}

/// Settings of a batch run. By default: 32 documents per NER batch, all cores, HTML pages
/// reduced to their article.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Documents analysed together (their NER windows share forward passes). By default 32.
    pub chunk_size: usize,
    /// Worker threads for the CPU stages and for libtorch. By default 0 = all cores.
    pub threads: usize,
    /// How documents are cleaned. By default HTML pages are reduced to their article.
    pub clean: CleanOptions,
    /// Put each document's original text in its output (`text`). Off by default.
    pub keep_text: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            chunk_size: 32,
            threads: 0,
            clean: CleanOptions::default(),
            keep_text: false,
        }
    }
}

/// Counts of a batch run.
#[derive(Debug, Clone, Default)]
pub struct BatchStats {
    pub documents: usize,
    pub failed: usize,
    pub words: usize,
    pub quotes: usize,
}

/// A document to analyse, or the error met reading it.
pub type BatchItem = Result<crate::input::RawDoc, crate::input::InputError>;

fn error_output(id: &str, source: &str, message: String) -> DocOutput {
    DocOutput {
        errors: vec![message],
        ..DocOutput::new(id, source, Default::default())
    }
}

/// The output of a document that could not be read.
fn input_error_output(e: crate::input::InputError) -> DocOutput {
    DocOutput {
        input_sha256: e.hash,
        ..error_output(&e.id, &e.source, e.message)
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Analyses a chunk of documents with the default cleaning, as `extract` does (each output with
/// its input's hash and warnings): see [`analyze_chunk_full`].
pub fn analyze_chunk(items: Vec<BatchItem>, tagger: &dyn Tagger) -> Vec<DocOutput> {
    analyze_chunk_full(items, tagger, &CleanOptions::default(), false)
}

/// Analyses a chunk as [`analyze_chunk_with`] does; each output also gets its input's hash,
/// the input's warnings (first in `errors`) and, with `keep_text`, the original text.
pub fn analyze_chunk_full(
    items: Vec<BatchItem>,
    tagger: &dyn Tagger,
    options: &CleanOptions,
    keep_text: bool,
) -> Vec<DocOutput> {
    // Per item: its hash, its warnings and (keep_text) its text.
    type Extra = Option<(String, Vec<String>, Option<String>)>;
    let extra: Vec<Extra> = items
        .iter()
        .map(|i| {
            i.as_ref().ok().map(|d| {
                (
                    d.hash.clone(),
                    d.warnings.clone(),
                    keep_text.then(|| d.text.clone()),
                )
            })
        })
        .collect();
    let mut outs = analyze_chunk_with(items, tagger, options);
    for (out, extra) in outs.iter_mut().zip(extra) {
        if let Some((hash, warnings, text)) = extra {
            out.input_sha256 = Some(hash);
            if !warnings.is_empty() {
                let mut errors = warnings;
                errors.append(&mut out.errors);
                out.errors = errors;
            }
            out.text = text;
        }
    }
    outs
}

/// The metadata of a document: fields given with it (JSON Lines) win over the page's own.
fn merged_meta(given: &DocMeta, page: DocMeta) -> DocMeta {
    DocMeta {
        title: given.title.clone().or(page.title),
        published: given.published.clone().or(page.published),
        byline: given.byline.clone().or(page.byline),
        url: given.url.clone().or(page.url),
        outlet: given.outlet.clone().or(page.outlet),
    }
}

/// Analyses a chunk of documents: cleaning and segmentation in parallel, one batched NER call,
/// then entities and quotes in parallel. Output order = input order. A failure (even a panic)
/// in one document becomes an entry in its `errors`.
pub fn analyze_chunk_with(
    items: Vec<BatchItem>,
    tagger: &dyn Tagger,
    options: &CleanOptions,
) -> Vec<DocOutput> {
    use rayon::prelude::*;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    type Prepared = Result<(crate::input::RawDoc, Cleaned, Vec<Sentence>), Box<DocOutput>>;
    let prepared: Vec<Prepared> = items
        .into_par_iter()
        .map(|item| match item {
            Err(e) => Err(Box::new(input_error_output(e))),
            Ok(doc) => {
                match catch_unwind(AssertUnwindSafe(|| {
                    let mut cleaned = clean::clean_with(&doc.text, doc.format, options);
                    cleaned.meta = merged_meta(&doc.meta, std::mem::take(&mut cleaned.meta));
                    let sentences = segment::sentences(&cleaned.text);
                    (cleaned, sentences)
                })) {
                    Ok((c, _)) if c.text.is_empty() && doc.format == Format::Html => {
                        Err(Box::new(error_output(
                            &doc.id,
                            &doc.source,
                            format!(
                                "{}: the HTML page has no text (only markup, scripts or styles)",
                                doc.source
                            ),
                        )))
                    }
                    Ok((c, s)) => Ok((doc, c, s)),
                    Err(p) => Err(Box::new(error_output(
                        &doc.id,
                        &doc.source,
                        format!("cleaning failed: {}", panic_message(p)),
                    ))),
                }
            }
        })
        .collect();
    let to_tag: Vec<(&str, &[Sentence])> = prepared
        .iter()
        .filter_map(|p| {
            p.as_ref()
                .ok()
                .map(|(_, c, s)| (c.text.as_str(), s.as_slice()))
        })
        .collect();
    let tagged =
        catch_unwind(AssertUnwindSafe(|| tagger.tag_batch_full(&to_tag))).unwrap_or_else(|p| {
            let m = panic_message(p);
            to_tag
                .iter()
                .map(|_| Err(anyhow::anyhow!("tagger failed: {m}")))
                .collect()
        });
    let mut tagged = tagged.into_iter();
    let jobs: Vec<(Prepared, Option<anyhow::Result<Tagged>>)> = prepared
        .into_iter()
        .map(|p| {
            let t = if p.is_ok() { tagged.next() } else { None };
            (p, t)
        })
        .collect();
    jobs.into_par_iter()
        .map(|(p, tagged)| {
            let (doc, cleaned, sentences) = match p {
                Err(out) => return *out,
                Ok(x) => x,
            };
            let (mentions, learned) = match tagged {
                Some(Ok(t)) => (split_at_blocks(&cleaned.text, t.mentions), t.attributions),
                Some(Err(e)) => {
                    return error_output(&doc.id, &doc.source, format!("tagging failed: {e:#}"))
                }
                None => return error_output(&doc.id, &doc.source, "tagging failed".into()),
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                let mut entities = entities::merge(&cleaned.text, &mentions);
                let mut quotes = quotes::extract_quotes_learned(
                    &cleaned.text,
                    &sentences,
                    &mut entities,
                    learned.as_deref(),
                );
                quotes::check_agents(
                    &cleaned.text,
                    &entities,
                    &mut quotes,
                    cleaned.meta.byline.as_deref(),
                );
                (entities, quotes)
            }));
            match result {
                Ok((entities, quotes)) => {
                    let a = Analysis {
                        cleaned,
                        sentences,
                        mentions,
                        entities,
                        quotes,
                    };
                    to_output(&doc.id, &doc.source, &a)
                }
                Err(p) => error_output(
                    &doc.id,
                    &doc.source,
                    format!("analysis failed: {}", panic_message(p)),
                ),
            }
        })
        .collect()
}

/// Runs a stream of documents through the pipeline, handing each output to `sink` in input
/// order as soon as its chunk is done. Memory is bounded by one chunk, whatever the stream's
/// length. Documents are taken as they arrive: a chunk never waits for more input than is
/// already available once it holds one document, so a line-by-line producer gets its answers
/// line by line.
pub fn run_stream(
    items: impl Iterator<Item = BatchItem> + Send + 'static,
    tagger: &dyn Tagger,
    options: &BatchOptions,
    mut sink: impl FnMut(&DocOutput) -> anyhow::Result<()>,
) -> anyhow::Result<BatchStats> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<BatchItem>(options.chunk_size.max(1) * 2);
    let reader = std::thread::spawn(move || {
        for item in items {
            if tx.send(item).is_err() {
                break;
            }
        }
    });
    let mut stats = BatchStats::default();
    while let Ok(first) = rx.recv() {
        let mut chunk = vec![first];
        while chunk.len() < options.chunk_size.max(1) {
            match rx.try_recv() {
                Ok(item) => chunk.push(item),
                Err(_) => break,
            }
        }
        let words: Vec<usize> = chunk
            .iter()
            .map(|i| {
                i.as_ref()
                    .map(|d| d.text.split_whitespace().count())
                    .unwrap_or(0)
            })
            .collect();
        for (w, out) in words.into_iter().zip(analyze_chunk_full(
            chunk,
            tagger,
            &options.clean,
            options.keep_text,
        )) {
            stats.words += w;
            stats.documents += 1;
            stats.quotes += out.quotes.len();
            if !out.errors.is_empty() {
                stats.failed += 1;
            }
            sink(&out)?;
        }
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("input reader panicked"))?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType;

    /// Issue 14: two club names in neighbouring menu items came out as one ORG.
    #[test]
    fn mentions_never_span_two_blocks() {
        let text = "Harbour United\n\nMillbrook Rovers\n\nkestrel said";
        let m = |s: usize, e: usize| Mention {
            span: Span::new(s, e),
            etype: EntityType::ORG,
            score: 0.9,
        };
        let whole = m(0, text.find(" said").unwrap());
        let parts = split_at_blocks(text, vec![whole, m(0, 7)]);
        let got: Vec<&str> = parts.iter().map(|p| p.span.slice(text)).collect();
        // Lowercase leftovers are no names; the other mention is untouched.
        assert_eq!(got, ["Harbour United", "Millbrook Rovers", "Harbour"]);
        assert!(parts
            .iter()
            .all(|p| p.etype == EntityType::ORG && p.score == 0.9));
        // Nothing to cut: the same mentions back.
        let one = vec![m(0, 14)];
        assert_eq!(split_at_blocks(text, one.clone()), one);
    }
}
