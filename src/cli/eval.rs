//! `whosaid eval quotes|ner`: quote attribution against PolNeAR or a gold file, NER against
//! CoNLL.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
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
        /// Also write the errors (missed, spurious, wrong speaker) with their context to FILE.
        #[arg(long, value_name = "FILE", conflicts_with = "gold")]
        errors: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Fits the learned speaker chooser on PolNeAR articles (`DIR` with text/ and
    /// attributions/, e.g. a train fold from scripts/polnear-fold.sh) with the model's
    /// attribution head, after a cross-validation by article that picks its threshold; writes
    /// `chooser.json` (by default into the model folder, where `--attribution-head` finds it).
    FitChooser {
        dir: PathBuf,
        /// Where to write the weights (default: MODEL/chooser.json).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Folds of the cross-validation (by article).
        #[arg(long, default_value_t = 5)]
        cv: usize,
        /// Also fit the pair score over the attribution branch's word states, of this rank
        /// (0: the linear score over the named features alone).
        #[arg(long, default_value_t = 4)]
        pair_rank: usize,
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
                    let report = eval::quotes::eval_polnear(&dir, &model, errors.as_deref())?;
                    println!("{report}");
                    if let Some(errors) = &errors {
                        eprintln!("errors written to {}", errors.display());
                    }
                }
            }
        }
        EvalCommand::FitChooser {
            dir,
            output,
            cv,
            pair_rank,
            model,
        } => {
            let loaded = model
                .load(|o| {
                    o.word_states = pair_rank > 0;
                    o.attribution = true;
                    // The chooser being fitted, not the one in the folder.
                    o.chooser = false;
                })?
                .model;
            anyhow::ensure!(
                loaded.attribution().is_some(),
                "{}: the model has no attribution head (attribution.json)",
                loaded.dir.display()
            );
            let command = format!(
                "whosaid eval fit-chooser {} --model {} --cv {cv}{}",
                dir.display(),
                loaded.dir.display(),
                if pair_rank > 0 {
                    format!(" --pair-rank {pair_rank}")
                } else {
                    String::new()
                }
            );
            let w = eval::chooser::fit_chooser(&dir, &loaded, cv.max(2), pair_rank, &command)?;
            println!("{}", w.about);
            let out =
                output.unwrap_or_else(|| loaded.dir.join(whosaid::tagging::ChooserWeights::FILE));
            std::fs::write(&out, serde_json::to_string_pretty(&w)? + "\n")
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!("chooser written to {}", out.display());
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
