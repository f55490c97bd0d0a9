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
pub mod progress;
pub mod report;
pub mod train;
pub mod train_attribution;
pub mod who;

/// whosaid: who is mentioned in news articles, and who said what.
#[derive(Parser)]
#[command(version, about, after_help = DEVELOPER_HELP)]
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
    #[command(hide = true)]
    Train(train::Args),
    /// Train the attribution branch (Content, Cue, Source) of a NER model on PolNeAR, with the
    /// encoder frozen; writes attribution.json and attribution.safetensors.
    #[command(hide = true)]
    TrainAttribution(train_attribution::Args),
    /// Benchmark: tagging throughput alone (NER forward passes and decoding) on files or folders.
    #[command(hide = true)]
    BenchTag(bench::Args),
    /// Measure against annotated data: `eval quotes` (attribution against PolNeAR or a gold
    /// file), `eval ner` (entity F1 on a CoNLL-2003 file).
    #[command(hide = true)]
    Eval(eval::Args),
}

/// The developer commands, listed apart from the analyst ones in `whosaid --help`.
const DEVELOPER_HELP: &str = "\
Developer commands (training and measuring; `whosaid help COMMAND` for each):
  train              Fine-tune the NER model on CoNLL-format files
  train-attribution  Train the attribution branch on PolNeAR
  bench-tag          Tagging throughput alone, on files or folders
  eval               Measure: `eval quotes` against PolNeAR or a gold file, `eval ner` on CoNLL";

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

/// The model directory name shipped in `models/` and used by default: the jointly trained
/// encoder with its attribution branch and speaker chooser.
pub const DEFAULT_MODEL: &str = "whosaid-joint-en";

/// `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Jsonl,
    Json,
    Csv,
    Parquet,
}

impl From<OutFormat> for export::Format {
    fn from(f: OutFormat) -> export::Format {
        match f {
            OutFormat::Jsonl => export::Format::Jsonl,
            OutFormat::Json => export::Format::Json,
            OutFormat::Csv => export::Format::Csv,
            OutFormat::Parquet => export::Format::Parquet,
        }
    }
}

/// The model options of every command that runs the model (`extract`, `eval`, `bench-tag`):
/// declared once, with one set of defaults.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// Model directory: the shipped model by default ($WHOSAID_MODEL, else
    /// models/whosaid-joint-en next to the binary's project or the current folder). Also any
    /// Hugging Face BERT or DistilBERT token-classification checkpoint (the rule layer then
    /// attributes the quotes alone).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Worker threads (CPU stages and matrix products). By default all cores.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Subword tokens per NER window (at most 512).
    #[arg(long, default_value_t = 128)]
    pub max_len: usize,
    /// Number format of the NER forward passes: auto (the fastest whose products work here,
    /// found by a probe product when the model loads; the README says which), f32, bf16 or
    /// int8. Output is the same whatever the threads, chunk size and run.
    #[arg(long, default_value = "auto")]
    pub precision: whosaid::ner::Precision,
    /// Use the model's learned attribution branch: unquoted attributions (speech acts,
    /// stances) the rules miss, from the same encoder pass. The default wherever the model has
    /// the branch (`attribution.json`); a model without it leaves the rules alone.
    #[arg(long, conflicts_with = "rules_only")]
    pub attribution_head: bool,
    /// Let the learned speaker chooser (`chooser.json` in the model folder) pick each
    /// attribution's source phrase where it is confident. The default wherever the model has
    /// the branch and `chooser.json`; with this flag a missing `chooser.json` is an error.
    #[arg(long, conflicts_with = "rules_only")]
    pub speaker_chooser: bool,
    /// Attribute with the rule layer alone, without the model's attribution branch and speaker
    /// chooser (the NER tags still come from the model).
    #[arg(long)]
    pub rules_only: bool,
}

/// A model loaded from [`ModelArgs`].
pub struct Loaded {
    pub model: whosaid::ner::NerModel,
    pub threads: usize,
    /// Seconds the load took.
    pub load_s: f64,
}

impl ModelArgs {
    /// Starts the inference thread pool and loads the model with these options; `more` sets
    /// the options a command adds (decoding, context).
    pub fn load(&self, more: impl FnOnce(&mut whosaid::ner::NerOptions)) -> Result<Loaded> {
        let threads = self
            .threads
            .unwrap_or_else(whosaid::ner::threads::default_threads)
            .max(1);
        let concurrent = whosaid::ner::threads::start_inference_pool(threads);
        let dir = resolve_model(self.model.as_deref())?;
        let t0 = std::time::Instant::now();
        let mut options = whosaid::ner::NerOptions {
            max_len: self.max_len,
            precision: self.precision,
            concurrent,
            attribution: !self.rules_only,
            chooser: self.speaker_chooser
                || (!self.rules_only && dir.join(whosaid::tagging::ChooserWeights::FILE).exists()),
            ..Default::default()
        };
        more(&mut options);
        let model = whosaid::ner::NerModel::load(&dir, options)
            .with_context(|| format!("loading model {}", dir.display()))?;
        anyhow::ensure!(
            !(self.attribution_head || self.speaker_chooser) || model.attribution().is_some(),
            "{}: --{}: the model has no attribution head (attribution.json); without the flag \
             the rule layer attributes its quotes",
            dir.display(),
            if self.attribution_head {
                "attribution-head"
            } else {
                "speaker-chooser"
            }
        );
        Ok(Loaded {
            model,
            threads,
            load_s: t0.elapsed().as_secs_f64(),
        })
    }
}

/// The entity mention table of `--entities FILE`: Parquet with `--format parquet` or a FILE
/// ending in `.parquet`, else CSV.
pub fn entity_table(path: &Path, format: OutFormat) -> Result<export::EntityCsv<AtomicFile>> {
    entity_table_bom(path, format, false)
}

/// [`entity_table`], a CSV starting with a UTF-8 byte order mark when `bom` (`--excel`).
pub fn entity_table_bom(
    path: &Path,
    format: OutFormat,
    bom: bool,
) -> Result<export::EntityCsv<AtomicFile>> {
    let mut file = AtomicFile::create(path)?;
    if format == OutFormat::Parquet || path.extension().is_some_and(|e| e == "parquet") {
        Ok(export::EntityCsv::parquet(file))
    } else {
        if bom {
            file.write_all(export::BOM)?;
        }
        Ok(export::EntityCsv::new(file)?)
    }
}

/// Finds the model directory: the flag, $WHOSAID_MODEL, then `models/whosaid-joint-en` in the
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
