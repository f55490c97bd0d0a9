//! `whosaid eval quotes|ner`: quote attribution against PolNeAR or a gold file, NER against
//! CoNLL.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args as ClapArgs, Subcommand};

use whosaid::eval;
use whosaid::ner;

use super::ModelArgs;

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
        /// Where to write the errors (missed, spurious, wrong speaker) for reading.
        #[arg(long, default_value = "quote-errors.txt")]
        errors: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Entity-level precision/recall/F1 on a CoNLL file (exact spans, as conlleval counts).
    Ner {
        file: PathBuf,
        /// Greedy decoding with BIO repair instead of constrained Viterbi decoding.
        #[arg(long)]
        greedy: bool,
        /// No neighbouring-sentence context around windows.
        #[arg(long)]
        no_context: bool,
        /// Share of each window that is labelled; the rest is context.
        #[arg(long, default_value_t = 1.0)]
        core_fraction: f64,
        #[command(flatten)]
        model: ModelArgs,
    },
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.what {
        EvalCommand::Quotes {
            dir,
            gold,
            errors,
            model,
        } => {
            let model = model.load(|_| {})?.model;
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
            greedy,
            no_context,
            core_fraction,
            model,
        } => {
            let t = std::time::Instant::now();
            let model = model
                .load(|o| {
                    o.viterbi = !greedy;
                    o.context = !no_context;
                    o.core_fraction = core_fraction;
                })?
                .model;
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
