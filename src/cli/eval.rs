//! `whosaid eval quotes|ner`: quote attribution against PolNeAR or a gold file, NER against
//! CoNLL.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args as ClapArgs, Subcommand};

use whosaid::eval;
use whosaid::ner;

use super::resolve_model;

#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: EvalCommand,
}

#[derive(Subcommand, Debug)]
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
        /// Load the model's learned attribution branch (off: the rules alone; for `eval ner`,
        /// to check the branch leaves the NER output unchanged).
        #[arg(long)]
        attribution_head: bool,
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
        /// Load the model's learned attribution branch (off: the rules alone; for `eval ner`,
        /// to check the branch leaves the NER output unchanged).
        #[arg(long)]
        attribution_head: bool,
    },
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.what {
        EvalCommand::Quotes {
            dir,
            gold,
            model,
            errors,
            threads,
            precision,
            attribution_head,
        } => {
            let threads = threads.unwrap_or_else(ner::threads::default_threads);
            let concurrent = ner::threads::start_inference_pool(threads);
            let model_dir = resolve_model(model.as_deref())?;
            let opts = ner::NerOptions {
                concurrent,
                precision,
                attribution: attribution_head,
                ..Default::default()
            };
            let model = ner::NerModel::load(&model_dir, opts)?;
            eprintln!(
                "attribution branch: {}",
                if model.attribution().is_some() {
                    "on"
                } else {
                    "off"
                }
            );
            match gold {
                Some(gold) => {
                    let report = eval::quotes::eval_gold_json(&gold, &dir, &model)?;
                    println!("{report}");
                    if !report.passes() {
                        return Ok(ExitCode::from(2));
                    }
                }
                None => {
                    let report = eval::quotes::eval_polnear(&dir, &model, &errors)?;
                    println!("{report}");
                    eprintln!("errors written to {}", errors.display());
                }
            }
        }
        EvalCommand::Ner {
            file,
            model,
            greedy,
            no_context,
            core_fraction,
            max_len,
            threads,
            precision,
            attribution_head,
        } => {
            let concurrent = ner::threads::start_inference_pool(threads);
            let t = std::time::Instant::now();
            let opts = ner::NerOptions {
                viterbi: !greedy,
                context: !no_context,
                core_fraction,
                max_len,
                concurrent,
                precision,
                attribution: attribution_head,
                ..Default::default()
            };
            let model = ner::NerModel::load(&model, opts)?;
            let docs = ner::conll::read_conll(&file)?;
            let scores = eval::ner::evaluate(&model, &docs)?;
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
