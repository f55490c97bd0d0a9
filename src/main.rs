use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use whosaid::{ner, train};

mod extract;
use extract::{ExportArgs, ExtractArgs, ReportArgs};

/// whosaid: who is mentioned in news articles, and who said what.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and attributed quotes from articles; JSON Lines out, one per document.
    Extract(ExtractArgs),
    /// One self-contained HTML page over extract output: speakers ranked by quotes, entities
    /// by documents, each article with its quotes coloured by speaker.
    Report(ReportArgs),
    /// Convert extract output to CSV (one row per quote; entity mentions with --entities-csv).
    Export(ExportArgs),
    /// The quotes attributed to a speaker (canonical name or any alias, case-insensitive).
    Who {
        /// Speaker name, e.g. "Putin" or "Vladimir Putin".
        name: String,
        /// Extract output (JSON Lines); stdin when absent or `-`.
        files: Vec<PathBuf>,
        /// JSON out instead of readable text.
        #[arg(long)]
        json: bool,
    },
    /// Fine-tune the NER model on CoNLL-format files.
    Train {
        /// Base encoder directory (config.json, model.safetensors, tokenizer.json).
        #[arg(long, default_value = "models/base/all-minilm-l6-v2")]
        base: PathBuf,
        /// Training file (CoNLL format).
        #[arg(long)]
        train: PathBuf,
        /// Development file, for choosing the best epoch.
        #[arg(long)]
        dev: PathBuf,
        /// Output model directory.
        #[arg(long, short)]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        epochs: usize,
        #[arg(long, default_value_t = 16)]
        batch_size: usize,
        #[arg(long, default_value_t = 128)]
        max_len: usize,
        #[arg(long, default_value_t = 1e-4)]
        lr: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Turn the word-shape (casing) features off.
        #[arg(long)]
        no_shape: bool,
        /// Train on single windows without neighbouring-sentence context.
        #[arg(long)]
        no_context: bool,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Stop after this many steps (smoke tests).
        #[arg(long)]
        max_steps: Option<usize>,
    },
    /// Benchmark: tagging throughput alone (NER forward passes and decoding) on files or folders.
    BenchTag {
        inputs: Vec<String>,
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Subword tokens per NER window.
        #[arg(long, default_value_t = 128)]
        max_len: usize,
        /// Share of each window that is labelled; the rest is context.
        #[arg(long, default_value_t = 1.0)]
        core_fraction: f64,
        /// Number format of the forward passes: auto, f32, bf16 or int8.
        #[arg(long, default_value = "auto")]
        precision: ner::Precision,
    },
    /// Evaluate.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Quote extraction and attribution against PolNeAR (`DIR` with text/ and attributions/),
    /// or with `--gold FILE` against a hand annotation in the seed-article.json format
    /// (`DIR` then holds the documents it names).
    Quotes {
        dir: PathBuf,
        /// Gold file in the format of seed-article.json.
        #[arg(long)]
        gold: Option<PathBuf>,
        #[arg(long)]
        model: Option<PathBuf>,
        /// Where to write the errors (missed, spurious, wrong speaker) for reading.
        #[arg(long, default_value = "quote-errors.txt")]
        errors: PathBuf,
        #[arg(long)]
        threads: Option<usize>,
        /// Number format of the forward passes: auto, f32, bf16 or int8.
        #[arg(long, default_value = "auto")]
        precision: ner::Precision,
    },
    /// Entity-level precision/recall/F1 on a CoNLL file (exact spans, as conlleval counts).
    Ner {
        file: PathBuf,
        #[arg(long, default_value = "models/whosaid-ner-en")]
        model: PathBuf,
        /// Greedy decoding with BIO repair instead of constrained Viterbi decoding.
        #[arg(long)]
        greedy: bool,
        /// No neighbouring-sentence context around windows.
        #[arg(long)]
        no_context: bool,
        /// Share of each window that is labelled; the rest is context.
        #[arg(long, default_value_t = 1.0)]
        core_fraction: f64,
        /// Subword tokens per window.
        #[arg(long, default_value_t = 128)]
        max_len: usize,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Number format of the forward passes: auto, f32, bf16 or int8.
        #[arg(long, default_value = "auto")]
        precision: ner::Precision,
    },
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => return extract::run(args),
        Command::BenchTag {
            inputs,
            model,
            threads,
            max_len,
            core_fraction,
            precision,
        } => {
            let concurrent = whosaid::threads::start_inference_pool(threads);
            let dir = extract::resolve_model(model.as_deref())?;
            let t = std::time::Instant::now();
            let opts = ner::NerOptions {
                max_len,
                core_fraction,
                concurrent,
                precision,
                ..Default::default()
            };
            let model = ner::NerModel::load(&dir, opts)?;
            eprintln!(
                "model loaded in {:.2}s ({})",
                t.elapsed().as_secs_f64(),
                model.precision.name()
            );
            let b = whosaid::bench::bench_tag(&inputs, &model, 32)?;
            println!("{b}");
            println!("{}", model.work_summary(b.words));
        }
        Command::Report(args) => return extract::run_report(args),
        Command::Export(args) => return extract::run_export(args),
        Command::Who { name, files, json } => {
            let docs = extract::read_docs(&files)?;
            let found = whosaid::who::find(&docs, &name);
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                print!("{}", whosaid::who::render_text(&name, &found));
            }
        }
        Command::Train {
            base,
            train: train_file,
            dev,
            out,
            epochs,
            batch_size,
            max_len,
            lr,
            seed,
            no_shape,
            no_context,
            threads,
            max_steps,
        } => {
            let opt = train::TrainOptions {
                epochs,
                batch_size,
                max_len,
                lr,
                seed,
                shape_features: !no_shape,
                context: !no_context,
                threads,
                max_steps,
            };
            let mut log = std::io::stderr();
            let f1 = train::train(&base, &train_file, &dev, &out, &opt, &mut log)?;
            println!("best dev F1 {f1:.2}; model in {}", out.display());
        }
        Command::Eval {
            what:
                EvalCommand::Quotes {
                    dir,
                    gold,
                    model,
                    errors,
                    threads,
                    precision,
                },
        } => {
            let threads = threads.unwrap_or_else(whosaid::threads::default_threads);
            let concurrent = whosaid::threads::start_inference_pool(threads);
            let model_dir = extract::resolve_model(model.as_deref())?;
            let opts = ner::NerOptions {
                concurrent,
                precision,
                ..Default::default()
            };
            let model = ner::NerModel::load(&model_dir, opts)?;
            match gold {
                Some(gold) => {
                    let report = whosaid::quote_eval::eval_gold_json(&gold, &dir, &model)?;
                    println!("{report}");
                    if !report.passes() {
                        return Ok(ExitCode::from(2));
                    }
                }
                None => {
                    let report = whosaid::quote_eval::eval_polnear(&dir, &model, &errors)?;
                    println!("{report}");
                    eprintln!("errors written to {}", errors.display());
                }
            }
        }
        Command::Eval {
            what:
                EvalCommand::Ner {
                    file,
                    model,
                    greedy,
                    no_context,
                    core_fraction,
                    max_len,
                    threads,
                    precision,
                },
        } => {
            let concurrent = whosaid::threads::start_inference_pool(threads);
            let t = std::time::Instant::now();
            let opts = ner::NerOptions {
                viterbi: !greedy,
                context: !no_context,
                core_fraction,
                max_len,
                concurrent,
                precision,
                ..Default::default()
            };
            let model = ner::NerModel::load(&model, opts)?;
            let docs = train::read_conll(&file)?;
            let scores = train::evaluate(&model, &docs)?;
            println!("{scores}");
            eprintln!(
                "{} documents in {:.1}s",
                docs.len(),
                t.elapsed().as_secs_f64()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("whosaid: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
