//! `whosaid extract`: the batch driver (arguments → resolved settings → stream → output).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Args as ClapArgs;

use whosaid::analyst::export::{self, DocWriter};
use whosaid::input::{self, InputSource};
use whosaid::pipeline::{self, BatchOptions};

use super::{is_broken_pipe, ModelArgs, OutFormat, Sink};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Files, folders (recursively: .txt .md .html .jsonl) or `-` for stdin (plain text, or
    /// JSON Lines `{"id":..,"text":..}` per line). None: stdin, unless it is a terminal (then
    /// this help is shown).
    pub inputs: Vec<String>,
    /// Write to FILE (atomically: a crash leaves no half file; with --resume, appended to a
    /// document at a time) instead of stdout (`-`: stdout). A symlink is followed to its
    /// target; a FIFO, device or folder is refused.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Documents per batch (read, cleaned and tagged together, then written in input order).
    #[arg(long, default_value_t = 32)]
    pub chunk_size: usize,
    /// How to read the inputs: auto (JSON Lines for .jsonl files and for stdin whose first
    /// non-blank character is `{`; otherwise the format from the extension or the text),
    /// jsonl (every input is JSON Lines), or text, markdown, html (every input is one document
    /// in that format).
    #[arg(long, default_value = "auto", value_name = "FORMAT")]
    pub input_format: input::InputFormat,
    /// Which text of an HTML page to analyse: article (the headline, standfirst and body;
    /// menus, teasers, sidebars, cookie notices and footers dropped) or all (all the page's
    /// text).
    #[arg(long, default_value = "article", value_name = "MODE")]
    pub html_mode: whosaid::clean::HtmlMode,
    /// Refuse documents larger than this many bytes (5 MiB).
    #[arg(long, default_value_t = input::DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Show progress on stderr even when it is not a terminal (a line every half second).
    #[arg(long)]
    pub progress: bool,
    /// No progress line and no summary at the end (warnings and errors still go to stderr).
    #[arg(long, conflicts_with = "progress")]
    pub quiet: bool,
    /// Output format: JSON Lines (one document a line), one JSON array, or CSV (one row per
    /// quote: document, speaker, speaker type, kind, cue, text, offsets, confidence).
    #[arg(long, value_enum, default_value_t = OutFormat::Jsonl)]
    pub format: OutFormat,
    /// Also write one row per entity mention to FILE: a Parquet table with --format parquet or
    /// a FILE ending in .parquet, else CSV.
    #[arg(long = "entities", visible_alias = "entities-csv", value_name = "FILE")]
    pub entities_csv: Option<PathBuf>,
    /// Go on from an earlier run into the same `-o FILE` (JSON Lines): inputs whose content
    /// (`input_sha256`) is already in it are skipped, whatever their path or id, the rest
    /// appended; a partial last line left by a killed run is cut off, and the temporary file
    /// of a killed run without --resume is taken over. Each document is written whole as it
    /// is done (synced to disk every chunk), so a killed run loses none it reported.
    #[arg(long)]
    pub resume: bool,
    /// Put each document's original text in its output line (`text`), for `report` to show
    /// without reading the input files again.
    #[arg(long)]
    pub keep_text: bool,
    /// Write CSV fields as they are: no `'` before a field starting with = + - @ (which a
    /// spreadsheet would run as a formula).
    #[arg(long)]
    pub raw_csv: bool,
    /// A CSV giving documents their metadata: a column id or file (which document), then any
    /// of published, title, byline, url, outlet; its values override the document's own.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
}

/// Makes document ids unique within a batch, in input order: the second "same" becomes
/// "same#2" (the third "same#3", ...), with a warning on stderr. Every run over the same
/// inputs gives the same ids, whatever it skips on resume.
#[derive(Default)]
struct UniqueIds {
    seen: std::collections::HashSet<String>,
}

impl UniqueIds {
    fn assign(&mut self, id: &mut String, source: &str) {
        if self.seen.insert(id.clone()) {
            return;
        }
        let mut n = 2usize;
        let new = loop {
            let candidate = format!("{id}#{n}");
            if !self.seen.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        eprintln!("whosaid: {source}: duplicate id {id:?} in this batch; written as {new:?}");
        self.seen.insert(new.clone());
        *id = new;
    }
}

/// Bytes and words of the documents read and not yet written, by (source, id): what the
/// progress line counts as done when a document is written.
type DocSizes = HashMap<(String, String), (u64, usize)>;

/// Test hook: abort (as a crash would) right after this many documents were written.
const ABORT_AFTER_ENV: &str = "WHOSAID_TEST_ABORT_AFTER";
/// Test hook: stop (SIGSTOP) at a point for a test to kill the process there: `start` (the
/// output is open, no document written), a number of documents written, or `end` (all
/// written, before the output is committed).
const PAUSE_AT_ENV: &str = "WHOSAID_TEST_PAUSE_AT";

fn pause_if(at: &Option<String>, point: &str) {
    if at.as_deref() == Some(point) {
        // SAFETY: raising a signal at ourselves.
        unsafe { libc::raise(libc::SIGSTOP) };
    }
}

pub fn run(mut args: Args) -> Result<ExitCode> {
    if args.inputs.is_empty() {
        // Nothing named and nothing piped in: say how to use it instead of waiting for typing.
        if std::io::stdin().is_terminal() {
            use clap::CommandFactory;
            if let Err(help) =
                super::Cli::command().try_get_matches_from(["whosaid", "extract", "--help"])
            {
                help.print()?;
            }
            return Ok(ExitCode::from(2));
        }
        args.inputs.push("-".into());
    }
    export::cleanup::install();
    let format = export::Format::from(args.format);
    let to_stdout = super::is_stdout(args.output.as_deref());
    if args.resume {
        if to_stdout {
            bail!("--resume needs -o FILE: the output to go on with");
        }
        if format != export::Format::Jsonl {
            bail!("--resume works with --format jsonl only (convert afterwards with `whosaid export`)");
        }
        if args.entities_csv.is_some() {
            bail!(
                "--resume cannot write --entities-csv (convert afterwards with `whosaid export`)"
            );
        }
    }
    // Read before the output is opened: a bad sidecar leaves nothing behind.
    let sidecar = match &args.metadata {
        Some(p) => Some(std::sync::Arc::new(input::metadata::Sidecar::read(p)?)),
        None => None,
    };
    let sidecar_rows = sidecar.clone();
    // Open (and repair) the output of an earlier run before the slow model load.
    let mut done_before: Option<export::ResumeState> = None;
    let sink = match (&args.output, args.resume) {
        (Some(out), true) => {
            let (file, state) = export::resume_state(out)?;
            for p in &state.partials {
                eprintln!("whosaid: took over {} (left by a killed run)", p.display());
            }
            eprintln!(
                "whosaid: resuming {}: {} documents already written{}{}",
                out.display(),
                state.lines,
                if state.picked_up > 0 {
                    format!(
                        " ({} of them from a killed run's temporary file)",
                        state.picked_up
                    )
                } else {
                    String::new()
                },
                if state.truncated > 0 {
                    format!(", a partial last line of {} bytes cut off", state.truncated)
                } else {
                    String::new()
                }
            );
            done_before = Some(state);
            Sink::Append(file, out.clone())
        }
        (out, _) => {
            let sink = Sink::open(out.as_deref())?;
            if let (Some(out), false) = (out, to_stdout) {
                // Temporary files of killed runs: nothing will take them over.
                for p in export::stale_partials(&export::output_target(out)?) {
                    if std::fs::remove_file(&p).is_ok() {
                        eprintln!(
                            "whosaid: removed {} (left by a killed run; --resume takes such a file over)",
                            p.display()
                        );
                    }
                }
            }
            sink
        }
    };
    let abort_after: Option<usize> = std::env::var(ABORT_AFTER_ENV)
        .ok()
        .and_then(|v| v.parse().ok());
    let pause_at: Option<String> = std::env::var(PAUSE_AT_ENV).ok();
    let super::Loaded {
        model,
        threads,
        load_s,
        ..
    } = args.model.load(|_| {})?;
    let (sources, errors, notes) = input::expand_inputs_as(&args.inputs, args.input_format);
    for n in notes {
        eprintln!("whosaid: {n}");
    }
    if sources.is_empty() && errors.is_empty() {
        sink.discard();
        bail!(
            "no documents in {}: folders are searched for .txt, .md, .markdown, .html, .htm and .jsonl files",
            args.inputs.join(", ")
        );
    }
    let show = !args.quiet && (args.progress || std::io::stderr().is_terminal());
    let totals = if show {
        super::progress::Totals::of(&sources)
    } else {
        Default::default()
    };
    let counters = std::sync::Arc::new(super::progress::Counters::default());
    let sizes: std::sync::Arc<std::sync::Mutex<DocSizes>> = Default::default();
    let record = sizes.clone();
    let stdin_only = sources
        .iter()
        .all(|s| matches!(s, InputSource::Stdin | InputSource::Pipe(_)));
    let skipped = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let skip_count = skipped.clone();
    let mut ids = UniqueIds::default();
    let items = errors
        .into_iter()
        .map(Err)
        .chain(input::read_all_as(
            sources,
            args.max_bytes,
            args.input_format,
        ))
        .map(move |mut item| {
            match &mut item {
                Ok(d) => {
                    ids.assign(&mut d.id, &d.source);
                    if let Some(s) = &sidecar_rows {
                        s.apply(d);
                    }
                    if show {
                        let words = d.text.split_whitespace().count();
                        if let Ok(mut m) = record.lock() {
                            m.insert(
                                (d.source.clone(), d.id.clone()),
                                (d.text.len() as u64, words),
                            );
                        }
                    }
                }
                Err(e) => {
                    ids.assign(&mut e.id, &e.source);
                    if let Some(s) = &sidecar_rows {
                        s.touch(&e.id, &e.source);
                    }
                }
            }
            item
        })
        .filter(move |item| {
            // Resume: skip what is written, and what this run already wrote (the same
            // content met twice, as through two spellings of one folder).
            let Some(done) = done_before.as_mut() else {
                return true;
            };
            let (hash, source, id) = match item {
                Ok(d) => (Some(d.hash.as_str()), &d.source, &d.id),
                Err(e) => (e.hash.as_deref(), &e.source, &e.id),
            };
            if done.is_done(hash, source, id) {
                skip_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return false;
            }
            match hash {
                Some(h) => {
                    done.hashes.insert(h.to_string());
                }
                None => {
                    done.keys
                        .insert((export::source_key(source), id.to_string()));
                }
            }
            true
        });
    let mut entities = match &args.entities_csv {
        Some(p) => Some(super::entity_table(p, args.format)?.raw_csv(args.raw_csv)),
        None => None,
    };
    let mut writer = DocWriter::new(sink, format, true)?.raw_csv(args.raw_csv);
    // Streaming from stdin to stdout: flush every document so a consumer sees it at once.
    let flush_each = stdin_only && to_stdout;
    let sync_every = args.chunk_size.max(1);
    let started = Instant::now();
    let mut done = 0usize;
    let options = BatchOptions {
        chunk_size: args.chunk_size.max(1),
        threads,
        clean: whosaid::clean::CleanOptions {
            html_mode: args.html_mode,
        },
        keep_text: args.keep_text,
    };
    pause_if(&pause_at, "start");
    let stop_drawing = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        if show {
            scope.spawn(|| {
                super::progress::draw_until(&stop_drawing, totals, &counters, || {
                    model.work.tokens.load(std::sync::atomic::Ordering::Relaxed)
                })
            });
        }
        let result = pipeline::run_stream(items, &model, &options, |out| {
            for e in &out.errors {
                // Input errors already start with the file (and line); others get it here.
                if e.starts_with(&out.source) {
                    eprintln!("whosaid: {e}");
                } else {
                    eprintln!("whosaid: {} ({}): {e}", out.source, out.id);
                }
            }
            if let Some(w) = out.language.as_deref().and_then(whosaid::language::warning) {
                eprintln!("whosaid: warning: {} ({}): {w}", out.source, out.id);
            }
            writer.write(out)?;
            if let Some(e) = entities.as_mut() {
                e.write(out)?;
            }
            done += 1;
            if flush_each {
                writer.get_mut().flush()?;
            } else if args.resume && done.is_multiple_of(sync_every) {
                writer.get_mut().sync()?;
            }
            if abort_after == Some(done) {
                std::process::abort();
            }
            if pause_at.is_some() {
                writer.get_mut().flush()?;
                pause_if(&pause_at, &done.to_string());
            }
            if show {
                use std::sync::atomic::Ordering::Relaxed;
                let size = sizes
                    .lock()
                    .ok()
                    .and_then(|mut m| m.remove(&(out.source.clone(), out.id.clone())));
                if let Some((bytes, words)) = size {
                    counters.bytes.fetch_add(bytes, Relaxed);
                    counters.words.fetch_add(words, Relaxed);
                }
                counters.documents.fetch_add(1, Relaxed);
                counters
                    .tokens_at_last
                    .store(model.work.tokens.load(Relaxed), Relaxed);
            }
            Ok(())
        });
        stop_drawing.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    });
    pause_if(&pause_at, "end");
    let stats = match result {
        Ok(s) => s,
        Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => {
            writer.into_inner().discard();
            if let Some(e) = entities {
                e.into_inner().discard();
            }
            return Err(e);
        }
    };
    let rows = writer.rows();
    let sink = writer.finish().map_err(anyhow::Error::from);
    match sink.and_then(Sink::finish) {
        Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        r => r?,
    }
    let entity_rows = match entities {
        Some(e) => {
            let n = e.rows();
            e.finish()?.commit()?;
            Some(n)
        }
        None => None,
    };
    for w in sidecar.iter().flat_map(|s| s.unmatched()) {
        eprintln!("whosaid: warning: {w}");
    }
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet {
        let skipped = skipped.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "whosaid: {} documents ({} failed{}), {} words, {} quotes in {:.2}s ({:.0} words/s; model loaded in {:.2}s, {}); {} {} written{}",
            stats.documents,
            stats.failed,
            if args.resume { format!(", {skipped} skipped as already written") } else { String::new() },
            stats.words,
            stats.quotes,
            secs,
            stats.words as f64 / secs.max(1e-9),
            load_s,
            model.precision.name(),
            rows,
            match format {
                export::Format::Csv | export::Format::Parquet => "quote rows",
                _ => "documents",
            },
            entity_rows.map(|n| format!(", {n} entity mention rows")).unwrap_or_default()
        );
    }
    if stats.documents == 0 && skipped.load(std::sync::atomic::Ordering::Relaxed) == 0 {
        eprintln!(
            "whosaid: error: no documents in {} (empty JSON Lines or stdin)",
            args.inputs.join(", ")
        );
        return Ok(ExitCode::from(1));
    }
    Ok(if stats.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
