//! `whosaid train`: fine-tune the NER model on CoNLL-format files; with `--polnear`, fine-tune
//! one encoder on NER and PolNeAR attribution spans together (multi-task).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::attribution::joint::{self, JointOptions};
use whosaid::ner::train::{train, TrainOptions};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Starting weights: a base encoder directory (config.json, model.safetensors,
    /// tokenizer.json) or, for joint training, the NER model to continue from.
    #[arg(long, default_value = "models/base/all-minilm-l6-v2")]
    base: PathBuf,
    /// Training file (CoNLL format).
    #[arg(long)]
    train: PathBuf,
    /// Development file (CoNLL format): picks the best epoch of NER training; scored after
    /// each epoch of joint training.
    #[arg(long)]
    dev: PathBuf,
    /// Output model directory.
    #[arg(long, short)]
    out: PathBuf,
    /// Epochs (default 3 for NER, 2 for joint training).
    #[arg(long)]
    epochs: Option<usize>,
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    #[arg(long, default_value_t = 128)]
    max_len: usize,
    /// Peak learning rate (default 1e-4 for NER, 5e-5 for joint training).
    #[arg(long)]
    lr: Option<f64>,
    /// Joint training: also learn PolNeAR's Content/Cue/Source spans from this split (text/
    /// and attributions/), with an attribution head over the same encoder.
    #[arg(long)]
    polnear: Option<PathBuf>,
    /// Joint training: CoNLL batches per PolNeAR batch.
    #[arg(long, default_value_t = 0.5)]
    conll_ratio: f64,
    /// Joint training: the attribution head's learning rate as a multiple of the encoder's.
    #[arg(long, default_value_t = 1.0)]
    head_lr_factor: f64,
    /// Joint training: folder of the PolNeAR train fold lists.
    #[arg(long, default_value = "scripts/folds")]
    folds: PathBuf,
    /// Joint training: leave this fold (1 to 5) out and score the tagger on it after each epoch.
    #[arg(long)]
    heldout_fold: Option<usize>,
    /// Joint training: at most this many PolNeAR training articles (small runs).
    #[arg(long)]
    max_docs: Option<usize>,
    /// Joint training: continue in --out after its last finished epoch.
    #[arg(long)]
    resume: bool,
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
    /// bfloat16 mixed precision (matrix products in bfloat16, weights and optimizer in
    /// float32). Fast only on CPUs with AVX512-BF16 or AMX.
    #[arg(long)]
    bf16: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(polnear) = &args.polnear {
        if args
            .heldout_fold
            .is_some_and(|k| !(1..=joint::FOLDS).contains(&k))
        {
            anyhow::bail!("--heldout-fold must be 1 to {}", joint::FOLDS);
        }
        let opt = JointOptions {
            epochs: args.epochs.unwrap_or(2),
            batch_size: args.batch_size,
            lr: args.lr.unwrap_or(5e-5),
            conll_ratio: args.conll_ratio,
            head_lr_factor: args.head_lr_factor,
            seed: args.seed,
            threads: args.threads,
            folds: args.folds.clone(),
            heldout: args.heldout_fold,
            max_docs: args.max_docs,
            max_steps: args.max_steps,
            bf16: args.bf16,
        };
        let score = joint::train(
            &args.base,
            &joint::Corpora {
                conll: &args.train,
                conll_dev: &args.dev,
                polnear,
            },
            &args.out,
            &opt,
            args.resume,
            &mut std::io::stderr(),
        )?;
        println!(
            "last epoch's score {score:.2}; model in {}",
            args.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let opt = TrainOptions {
        epochs: args.epochs.unwrap_or(3),
        batch_size: args.batch_size,
        max_len: args.max_len,
        lr: args.lr.unwrap_or(1e-4),
        seed: args.seed,
        shape_features: !args.no_shape,
        context: !args.no_context,
        threads: args.threads,
        max_steps: args.max_steps,
        bf16: args.bf16,
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
