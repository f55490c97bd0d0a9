//! The command line: one module per command, each with its clap arguments and its `run`.
//! What they share is here: the model lookup, where output goes, and reading extract output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};

use whosaid::analyst::export::{self, AtomicFile};
use whosaid::output::DocOutput;

pub mod bench;
pub mod eval;
pub mod export_cmd;
pub mod extract;
pub mod report;
pub mod train;
pub mod train_attribution;
pub mod who;

/// whosaid: who is mentioned in news articles, and who said what.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and attributed quotes from articles; JSON Lines out, one per document.
    Extract(extract::Args),
    /// One self-contained HTML page over extract output: speakers ranked by quotes, entities
    /// by documents, each article with its quotes coloured by speaker.
    Report(report::Args),
    /// Convert extract output to CSV (one row per quote; entity mentions with --entities-csv).
    Export(export_cmd::Args),
    /// The quotes attributed to a speaker (canonical name or any alias, case-insensitive).
    Who(who::Args),
    /// Fine-tune the NER model on CoNLL-format files.
    Train(train::Args),
    /// Train the attribution branch (Content, Cue, Source) of a NER model on PolNeAR, with the
    /// encoder frozen; writes attribution.json and attribution.safetensors.
    TrainAttribution(train_attribution::Args),
    /// Benchmark: tagging throughput alone (NER forward passes and decoding) on files or folders.
    BenchTag(bench::Args),
    /// Evaluate.
    Eval(eval::Args),
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Report(args) => report::run(args),
        Command::Export(args) => export_cmd::run(args),
        Command::Who(args) => who::run(args),
        Command::Train(args) => train::run(args),
        Command::TrainAttribution(args) => train_attribution::run(args),
        Command::BenchTag(args) => bench::run(args),
        Command::Eval(args) => eval::run(args),
    }
}

/// The model directory name shipped in `models/`.
pub const DEFAULT_MODEL: &str = "whosaid-ner-en";

/// `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Jsonl,
    Json,
    Csv,
}

impl From<OutFormat> for export::Format {
    fn from(f: OutFormat) -> export::Format {
        match f {
            OutFormat::Jsonl => export::Format::Jsonl,
            OutFormat::Json => export::Format::Json,
            OutFormat::Csv => export::Format::Csv,
        }
    }
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
        candidates
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Where output goes: stdout, a temporary file renamed into place at the end, or (resume) the
/// output file itself, appended to a document at a time.
pub enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File(AtomicFile),
    Append(std::fs::File, PathBuf),
}

/// Whether `-o` names standard output (`-o -`, or no `-o`).
pub fn is_stdout(output: Option<&Path>) -> bool {
    output.is_none_or(|p| p.as_os_str() == "-")
}

/// An io error with the file it happened on in its message (same kind).
fn named(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("writing {}: {e}", path.display()))
}

impl Sink {
    /// Standard output for no `-o` or `-o -`, else a file written atomically (through a
    /// symlink to its target; never over a FIFO, device or folder).
    pub fn open(output: Option<&Path>) -> Result<Sink> {
        Ok(match output {
            o if is_stdout(o) => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
            Some(dest) => Sink::File(AtomicFile::create(dest)?),
            None => unreachable!(),
        })
    }
    /// Makes what was written durable (resume), or at least visible.
    pub fn sync(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Append(f, p) => f.sync_data().map_err(|e| named(e, p)),
            s => s.flush(),
        }
    }
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File(f) => f.commit(),
            Sink::Append(f, p) => Ok(f.sync_all().map_err(|e| named(e, &p))?),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(w) => w.write(buf),
            Sink::Append(w, p) => w.write(buf).map_err(|e| named(e, p)),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::File(w) => w.write_all(buf),
            Sink::Append(w, p) => w.write_all(buf).map_err(|e| named(e, p)),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w) => w.flush(),
            Sink::Append(w, p) => w.flush().map_err(|e| named(e, p)),
        }
    }
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

impl Sink {
    pub fn discard(self) {
        if let Sink::File(f) = self {
            f.discard();
        }
    }
}

/// Reads extract output (JSON Lines or a JSON array) from files; stdin when none or `-`.
pub fn read_docs(files: &[PathBuf]) -> Result<Vec<DocOutput>> {
    let mut docs = Vec::new();
    if files.is_empty() || files.iter().any(|f| f.as_os_str() == "-") {
        docs.extend(whosaid::analyst::who::read_outputs(
            std::io::stdin().lock(),
            "-",
        )?);
    }
    for f in files.iter().filter(|f| f.as_os_str() != "-") {
        let file = std::fs::File::open(f).with_context(|| format!("reading {}", f.display()))?;
        docs.extend(whosaid::analyst::who::read_outputs(
            std::io::BufReader::new(file),
            &f.display().to_string(),
        )?);
    }
    Ok(docs)
}
