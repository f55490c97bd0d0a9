//! `whosaid extract`: the batch driver (arguments → resolved settings → stream → output).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use whosaid::input::{self, InputSource};
use whosaid::ner::{NerModel, NerOptions};
use whosaid::pipeline::{self, BatchOptions};

/// The model directory name shipped in `models/`.
pub const DEFAULT_MODEL: &str = "whosaid-ner-en";

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files, folders (recursively: .txt .md .html .jsonl) or `-` for stdin (plain text, or
    /// JSON Lines `{"id":..,"text":..}` per line).
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// Write to FILE (atomically: a crash leaves no half file) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Model directory: the shipped model by default ($WHOSAID_MODEL, else models/whosaid-ner-en
    /// next to the binary's project or the current folder). Also any Hugging Face BERT or
    /// DistilBERT token-classification checkpoint.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Worker threads (CPU stages and matrix products). By default all cores.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Documents per NER batch. By default 32.
    #[arg(long, default_value_t = 32)]
    pub chunk_size: usize,
    /// Refuse documents larger than this many bytes. By default 5 MiB.
    #[arg(long, default_value_t = input::DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Subword tokens per NER window (at most 512). By default 256.
    #[arg(long, default_value_t = 256)]
    pub max_len: usize,
    /// Show progress on stderr even when it is not a terminal.
    #[arg(long)]
    pub progress: bool,
}

/// Finds the model directory: the flag, $WHOSAID_MODEL, then `models/whosaid-ner-en` in the
/// current folder or above the binary (for `target/release/whosaid` in a checkout).
pub fn resolve_model(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WHOSAID_MODEL") {
        return Ok(PathBuf::from(p));
    }
    let mut candidates = vec![PathBuf::from("models").join(DEFAULT_MODEL)];
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            candidates.push(dir.join("models").join(DEFAULT_MODEL));
        }
    }
    for c in &candidates {
        if c.join("config.json").exists() {
            return Ok(c.clone());
        }
    }
    bail!(
        "no model found (looked in {}); pass --model DIR or set WHOSAID_MODEL",
        candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", ")
    )
}

/// Where output lines go: stdout, or a temporary file renamed into place at the end.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File { tmp: PathBuf, dest: PathBuf, w: std::io::BufWriter<std::fs::File> },
}

impl Sink {
    fn open(output: Option<&Path>) -> Result<Sink> {
        Ok(match output {
            None => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
            Some(dest) => {
                let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let tmp = dest.with_file_name(format!(".{name}.partial-{}", std::process::id()));
                let f = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
                Sink::File { tmp, dest: dest.to_path_buf(), w: std::io::BufWriter::new(f) }
            }
        })
    }
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File { w, .. } => w,
        }
    }
    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File { tmp, dest, mut w } => {
                w.flush()?;
                w.get_ref().sync_all()?;
                std::fs::rename(&tmp, &dest).with_context(|| format!("moving output to {}", dest.display()))?;
                Ok(())
            }
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let threads = args.threads.unwrap_or_else(whosaid::threads::default_threads).max(1);
    whosaid::threads::set_compute_threads(threads);
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().ok();
    let model_dir = resolve_model(args.model.as_deref())?;
    let t0 = Instant::now();
    let model = NerModel::load(&model_dir, NerOptions { max_len: args.max_len, ..Default::default() })
        .with_context(|| format!("loading model {}", model_dir.display()))?;
    let load_s = t0.elapsed().as_secs_f64();
    let (sources, errors) = input::expand_inputs(&args.inputs);
    let stdin_only = sources.iter().all(|s| *s == InputSource::Stdin);
    let items = errors.into_iter().map(Err).chain(input::read_all(sources, args.max_bytes));
    let show = args.progress || std::io::stderr().is_terminal();
    let mut sink = Sink::open(args.output.as_deref())?;
    // Streaming from stdin to stdout: flush every line so a consumer sees it at once.
    let flush_each = stdin_only && args.output.is_none();
    let started = Instant::now();
    let (mut done, mut words) = (0usize, 0usize);
    let options = BatchOptions { chunk_size: args.chunk_size.max(1), threads };
    let result = pipeline::run_stream(items, &model, &options, |out| {
        for e in &out.errors {
            eprintln!("whosaid: {}: {e}", out.id);
        }
        let w = sink.writer();
        serde_json::to_writer(&mut *w, out)?;
        w.write_all(b"\n")?;
        if flush_each {
            w.flush()?;
        }
        done += 1;
        words += out.quotes.len();
        if show {
            let secs = started.elapsed().as_secs_f64().max(1e-6);
            eprint!("\r\x1b[K{done} documents, {:.1} documents/s", done as f64 / secs);
        }
        Ok(())
    });
    let _ = words;
    if show {
        eprintln!();
    }
    let stats = match result {
        Ok(s) => s,
        Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    match sink.finish() {
        Err(e) if is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        r => r?,
    }
    let secs = started.elapsed().as_secs_f64();
    if show || std::env::var_os("WHOSAID_STATS").is_some() {
        eprintln!(
            "whosaid: {} documents ({} failed), {} words, {} quotes in {:.2}s ({:.0} words/s; model loaded in {:.2}s)",
            stats.documents,
            stats.failed,
            stats.words,
            stats.quotes,
            secs,
            stats.words as f64 / secs.max(1e-9),
            load_s
        );
    }
    Ok(if stats.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
