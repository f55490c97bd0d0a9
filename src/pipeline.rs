//! The one runner: a [`Document`] (text, format, given metadata, then each stage's results)
//! goes through cleaning, segmentation, tagging, entity merging and quote attribution in
//! `run_docs`, the only place the stages are called in order. Around it: [`run_chunk`] (a
//! batch, panics caught per document), [`run_one`] and [`analyze`] (one text: eval, fuzzing),
//! [`run_stream`] (extract), and [`Document::to_output`] (the JSON output).

use crate::clean::{self, CleanOptions, Cleaned, DocMeta, Format};
use crate::entities::entity_key;
use crate::output::{DocOutput, EntityOut, MentionOut, QuoteOut, SpanOut, SpeakerOut};
use crate::{entities, quotes, segment};
use crate::{Entity, Mention, Quote, Sentence, Span};

pub use crate::tagging::{GivenMentions, Tagged, Tagger};

/// One document on its way through the stages: what was given with it (text, format,
/// metadata, input hash, warnings) and what each stage found. It is the one value the runner
/// ([`run_chunk`]) passes from stage to stage, for `extract`, `eval`, fuzzing and the library
/// API alike; [`Document::to_output`] makes its JSON output.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem, or the `id` from JSON Lines input.
    pub id: String,
    /// Path of the input file, or `-` for stdin.
    pub source: String,
    /// The original text as read: what the output's offsets point into.
    pub text: String,
    pub format: Format,
    /// `title`, `published`, `byline`, `url` given with the document (JSON Lines fields);
    /// they win over what an HTML page says of itself (see [`Document::cleaned`]).
    pub given: DocMeta,
    /// SHA-256 of the raw input bytes; `None` for a text handed in directly ([`analyze`]).
    pub input_sha256: Option<String>,
    /// Problems that did not stop the document; they come first in the output's `errors`.
    pub warnings: Vec<String>,
    /// Why the stages stopped for this document (a panic, a page without text, a tagger
    /// error); the output then has this error and no results.
    pub failed: Option<String>,
    /// The cleaned text, its map to [`Document::text`], and the metadata (the given fields
    /// first, then the page's own).
    pub cleaned: Cleaned,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
}

impl Document {
    /// A document of `text` read as `format`, with no metadata, not yet analysed.
    pub fn new(id: &str, source: &str, text: String, format: Format) -> Document {
        Document {
            id: id.to_string(),
            source: source.to_string(),
            text,
            format,
            given: DocMeta::default(),
            input_sha256: None,
            warnings: Vec::new(),
            failed: None,
            cleaned: Cleaned::default(),
            sentences: Vec::new(),
            mentions: Vec::new(),
            entities: Vec::new(),
            quotes: Vec::new(),
        }
    }

    /// Cleaning (the given metadata wins over the page's own) and segmentation.
    fn prepare(&mut self, options: &CleanOptions) {
        let mut cleaned = clean::clean_with(&self.text, self.format, options);
        cleaned.meta = merged_meta(&self.given, std::mem::take(&mut cleaned.meta));
        self.sentences = segment::sentences(&cleaned.text);
        self.cleaned = cleaned;
        if self.cleaned.text.is_empty() && self.format == Format::Html {
            self.failed = Some(format!(
                "{}: the HTML page has no text (only markup, scripts or styles)",
                self.source
            ));
        }
    }

    /// The stages after tagging: mentions cut at blocks, entities merged, quotes found and
    /// attributed, agents checked.
    fn attribute(&mut self, mut tagged: Tagged, tagger: &dyn Tagger) {
        let text = &self.cleaned.text;
        self.mentions = split_at_blocks(text, std::mem::take(&mut tagged.mentions));
        let mut entities = entities::merge(text, &self.mentions);
        let mut quotes = quotes::extract_quotes_learned(
            text,
            &mut entities,
            learned(&tagged, tagger, tagger.chooser()),
        );
        quotes::check_agents(
            text,
            &entities,
            &mut quotes,
            self.cleaned.meta.byline.as_deref(),
        );
        self.entities = entities;
        self.quotes = quotes;
    }

    /// The JSON output of the document: its results, or its error when it failed; with
    /// `keep_text`, the original text too.
    pub fn to_output(&self, keep_text: bool) -> DocOutput {
        let mut out = match &self.failed {
            Some(message) => error_output(&self.id, &self.source, message.clone()),
            None => analysed_output(self),
        };
        out.input_sha256 = self.input_sha256.clone();
        if !self.warnings.is_empty() {
            let mut errors = self.warnings.clone();
            errors.append(&mut out.errors);
            out.errors = errors;
        }
        if keep_text {
            out.text = Some(self.text.clone());
        }
        out
    }
}

impl From<crate::input::RawDoc> for Document {
    fn from(raw: crate::input::RawDoc) -> Document {
        Document {
            given: raw.meta,
            input_sha256: Some(raw.hash),
            warnings: raw.warnings,
            ..Document::new(&raw.id, &raw.source, raw.text, raw.format)
        }
    }
}

/// Runs one document through the stages, as [`run_chunk`] does but without catching panics
/// (the fuzz target must see them). A failure (a tagger error, an HTML page without text) is
/// in [`Document::failed`].
pub fn run_one(doc: Document, tagger: &dyn Tagger) -> Document {
    run_docs(vec![doc], tagger, &CleanOptions::default(), false)
        .pop()
        .expect("the runner returns one document per document")
}

/// Runs cleaning, segmentation, tagging, entity merging and quote attribution on one text
/// (no metadata, no id): [`run_one`] of a [`Document::new`]; an error when it failed.
pub fn analyze(original: &str, format: Format, tagger: &dyn Tagger) -> anyhow::Result<Document> {
    let doc = run_one(Document::new("", "", original.to_string(), format), tagger);
    match doc.failed {
        Some(message) => Err(anyhow::anyhow!("{message}")),
        None => Ok(doc),
    }
}

/// The speaker chooser's examples of one text (`quotes::chooser_examples`): the document after
/// cleaning and tagging, and each attribution with its candidate source phrases, before the
/// chooser and speaker resolution (for fitting the chooser).
pub fn chooser_examples(
    original: &str,
    tagger: &dyn Tagger,
) -> anyhow::Result<(Document, Vec<quotes::chooser::Example>)> {
    let mut doc = Document::new("", "", original.to_string(), Format::Text);
    doc.prepare(&CleanOptions::default());
    if let Some(m) = &doc.failed {
        anyhow::bail!("{m}");
    }
    let mut tagged = tagger
        .tag_batch_full(&[(doc.cleaned.text.as_str(), doc.sentences.as_slice())])
        .pop()
        .unwrap_or_else(|| Err(anyhow::anyhow!("the tagger gave no result")))?;
    let text = &doc.cleaned.text;
    let mentions = split_at_blocks(text, std::mem::take(&mut tagged.mentions));
    let entities = entities::merge(text, &mentions);
    let examples = quotes::chooser_examples(text, &entities, learned(&tagged, tagger, None));
    Ok((doc, examples))
}

/// What the tagger adds to the quote rules: its attributions and source phrases, its
/// threshold, and the chooser's weights given.
fn learned<'a>(
    tagged: &'a Tagged,
    tagger: &dyn Tagger,
    chooser: Option<&'a crate::tagging::ChooserWeights>,
) -> quotes::Learned<'a> {
    quotes::Learned {
        attributions: tagged.attributions.as_deref(),
        sources: &tagged.sources,
        chooser,
        states: tagged.states.as_ref(),
        min_score: tagger.min_score(),
    }
}

/// Calls `f`, and with `catch` turns a panic into an error message.
fn guarded<T>(catch: bool, f: impl FnOnce() -> T) -> Result<T, String> {
    if !catch {
        return Ok(f());
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(panic_message)
}

/// The runner: the stages over a chunk of documents. Cleaning and segmentation in parallel,
/// one batched tagger call over the documents still going (each NER window its own forward
/// pass, so a document's results do not depend on its neighbours), then entities and quotes
/// in parallel. Order = input order. With `catch`, a panic in a stage becomes the
/// document's [`Document::failed`].
fn run_docs(
    docs: Vec<Document>,
    tagger: &dyn Tagger,
    options: &CleanOptions,
    catch: bool,
) -> Vec<Document> {
    use rayon::prelude::*;
    let prepared: Vec<Document> = docs
        .into_par_iter()
        .map(|mut doc| {
            if let Err(p) = guarded(catch, || doc.prepare(options)) {
                doc.failed = Some(format!("cleaning failed: {p}"));
            }
            doc
        })
        .collect();
    let to_tag: Vec<(&str, &[Sentence])> = prepared
        .iter()
        .filter(|d| d.failed.is_none())
        .map(|d| (d.cleaned.text.as_str(), d.sentences.as_slice()))
        .collect();
    let tagged = guarded(catch, || tagger.tag_batch_full(&to_tag)).unwrap_or_else(|m| {
        to_tag
            .iter()
            .map(|_| Err(anyhow::anyhow!("tagger failed: {m}")))
            .collect()
    });
    let mut tagged = tagged.into_iter();
    let jobs: Vec<(Document, Option<anyhow::Result<Tagged>>)> = prepared
        .into_iter()
        .map(|d| {
            let t = if d.failed.is_none() {
                tagged.next()
            } else {
                None
            };
            (d, t)
        })
        .collect();
    jobs.into_par_iter()
        .map(|(mut doc, tagged)| {
            if doc.failed.is_some() {
                return doc;
            }
            match tagged {
                Some(Ok(t)) => {
                    if let Err(p) = guarded(catch, || doc.attribute(t, tagger)) {
                        doc.failed = Some(format!("analysis failed: {p}"));
                    }
                }
                Some(Err(e)) => doc.failed = Some(format!("tagging failed: {e:#}")),
                None => doc.failed = Some("tagging failed".into()),
            }
            doc
        })
        .collect()
}

/// Runs a chunk of inputs through the stages (`run_docs`, panics caught per document):
/// each readable input as a [`Document`], each unreadable one as its error.
pub fn run_chunk(
    items: Vec<BatchItem>,
    tagger: &dyn Tagger,
    options: &CleanOptions,
) -> Vec<Result<Document, crate::input::InputError>> {
    let mut slots: Vec<Option<crate::input::InputError>> = Vec::with_capacity(items.len());
    let mut docs = Vec::new();
    for item in items {
        match item {
            Ok(raw) => {
                docs.push(Document::from(raw));
                slots.push(None);
            }
            Err(e) => slots.push(Some(e)),
        }
    }
    let mut done = run_docs(docs, tagger, options, true).into_iter();
    slots
        .into_iter()
        .map(|slot| match slot {
            Some(e) => Err(e),
            None => Ok(done.next().expect("one document per readable input")),
        })
        .collect()
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

fn span_out(a: &Document, span: Span) -> SpanOut {
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

/// The JSON output of an analysed document: its metadata, language, entities and quotes,
/// with their identities.
fn analysed_output(a: &Document) -> DocOutput {
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
                clause: q.clause.map(|c| span_out(a, c)),
                confidence: round3(q.confidence),
            }
        })
        .collect();
    let mut out = DocOutput {
        entities,
        quotes,
        language: crate::language::output_code(&a.cleaned.text),
        ..DocOutput::new(&a.id, &a.source, a.cleaned.meta.clone())
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

/// The outputs of a chunk run through [`run_chunk`], in input order: a failure (even a
/// panic) in one document becomes an entry in its `errors`.
pub fn chunk_outputs(
    items: Vec<BatchItem>,
    tagger: &dyn Tagger,
    options: &BatchOptions,
) -> Vec<DocOutput> {
    run_chunk(items, tagger, &options.clean)
        .into_iter()
        .map(|r| match r {
            Ok(doc) => doc.to_output(options.keep_text),
            Err(e) => input_error_output(e),
        })
        .collect()
}

/// The outputs of a chunk with the default settings, as `extract` writes them.
pub fn analyze_chunk(items: Vec<BatchItem>, tagger: &dyn Tagger) -> Vec<DocOutput> {
    chunk_outputs(items, tagger, &BatchOptions::default())
}

/// The outputs of a chunk cleaned as `options` say.
pub fn analyze_chunk_with(
    items: Vec<BatchItem>,
    tagger: &dyn Tagger,
    options: &CleanOptions,
) -> Vec<DocOutput> {
    let options = BatchOptions {
        clean: *options,
        ..BatchOptions::default()
    };
    chunk_outputs(items, tagger, &options)
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
        for (w, out) in words.into_iter().zip(chunk_outputs(chunk, tagger, options)) {
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

    fn raw(id: &str, text: &str, format: Format, meta: DocMeta) -> crate::input::RawDoc {
        crate::input::RawDoc {
            id: id.into(),
            source: format!("{id}.src"),
            text: text.into(),
            format,
            meta,
            hash: format!("hash-of-{id}"),
            warnings: vec![],
        }
    }

    fn tagger() -> GivenMentions {
        GivenMentions(vec![("Ann Lee".into(), EntityType::PER)])
    }

    /// One runner: a text analysed alone (eval, fuzzing) and in a batch (extract) gives the
    /// same results, and the batch keeps input order, input errors in their place.
    #[test]
    fn one_runner_for_a_text_and_a_batch() {
        let text = "\"We will win,\" Ann Lee said on Monday.";
        let alone = analyze(text, Format::Text, &tagger()).unwrap();
        assert_eq!(alone.quotes.len(), 1);
        let bad = crate::input::InputError {
            id: "bad".into(),
            source: "bad.txt".into(),
            message: "bad.txt: not UTF-8".into(),
            hash: None,
        };
        let items = vec![
            Ok(raw("a", text, Format::Text, DocMeta::default())),
            Err(bad),
            Ok(raw("b", "Nothing here.", Format::Text, DocMeta::default())),
        ];
        let outs = analyze_chunk(items, &tagger());
        let ids: Vec<&str> = outs.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["a", "bad", "b"]);
        assert_eq!(outs[1].errors, ["bad.txt: not UTF-8"]);
        assert_eq!(outs[0].input_sha256.as_deref(), Some("hash-of-a"));
        let batch = outs[0].clone();
        let single = Document {
            id: "a".into(),
            source: "a.src".into(),
            input_sha256: Some("hash-of-a".into()),
            ..alone
        }
        .to_output(false);
        assert_eq!(batch, single);
        assert_eq!(batch.quotes[0].speaker.as_ref().unwrap().name, "Ann Lee");
    }

    /// The metadata given with a document wins over the page's own, field by field, and
    /// the page fills the rest; warnings come first in `errors`, `keep_text` keeps the text.
    #[test]
    fn given_metadata_merges_with_the_pages_own() {
        let page = "<html><head><title>Page title</title>\
                    <meta name=\"author\" content=\"Page Author\"></head>\
                    <body><article><p>\"It works,\" Ann Lee said.</p></article></body></html>";
        let given = DocMeta {
            title: Some("Given title".into()),
            published: Some("2025-03-14".into()),
            ..DocMeta::default()
        };
        let mut doc = Document::from(raw("p", page, Format::Html, given));
        doc.warnings
            .push("p.src:1: `url` is not a string; dropped".into());
        let done = run_one(doc, &tagger());
        assert!(done.failed.is_none(), "{:?}", done.failed);
        let out = done.to_output(true);
        assert_eq!(out.meta.title.as_deref(), Some("Given title"));
        assert_eq!(out.meta.published.as_deref(), Some("2025-03-14"));
        assert_eq!(out.meta.byline.as_deref(), Some("Page Author"));
        assert_eq!(out.errors, ["p.src:1: `url` is not a string; dropped"]);
        assert_eq!(out.text.as_deref(), Some(page));
        assert_eq!(out.quotes.len(), 1);
    }

    /// A page without text stops before tagging: an error output (no metadata), and
    /// `analyze` reports it as an error.
    #[test]
    fn a_page_without_text_fails_with_its_source() {
        let page = "<html><head><script>x()</script><style>p {}</style></head><body></body></html>";
        let done = run_one(
            Document::new("e", "e.html", page.into(), Format::Html),
            &tagger(),
        );
        let out = done.to_output(false);
        assert_eq!(
            out.errors,
            ["e.html: the HTML page has no text (only markup, scripts or styles)"]
        );
        assert_eq!(out.meta.title, None);
        assert!(analyze(page, Format::Html, &tagger()).is_err());
    }

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
