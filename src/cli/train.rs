//! `whosaid train`: fine-tune the NER model on CoNLL-format files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::ner::train::{train, TrainOptions};

#[derive(ClapArgs, Debug)]
pub struct Args {
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
}

pub fn run(args: Args) -> Result<ExitCode> {
    let opt = TrainOptions {
        epochs: args.epochs,
        batch_size: args.batch_size,
        max_len: args.max_len,
        lr: args.lr,
        seed: args.seed,
        shape_features: !args.no_shape,
        context: !args.no_context,
        threads: args.threads,
        max_steps: args.max_steps,
    };
    let mut log = std::io::stderr();
    let f1 = train(
        &args.base,
        &args.train,
        &args.dev,
        &args.out,
        &opt,
        &mut log,
    )?;
    println!("best dev F1 {f1:.2}; model in {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
