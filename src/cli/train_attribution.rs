//! `whosaid train-attribution`: the attribution branch (Content, Cue, Source) of a NER model,
//! trained on PolNeAR with the encoder frozen.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use whosaid::attribution::train::{train, AttrTrainOptions};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// PolNeAR training split (text/ and attributions/).
    #[arg(long)]
    train: PathBuf,
    /// PolNeAR articles held out for choosing the epoch: a fold of the training split that
    /// `--train` leaves out (`scripts/polnear-fold.sh`), so that dev stays unread.
    #[arg(long)]
    dev: PathBuf,
    /// The NER model whose encoder the branch reads.
    #[arg(long, default_value = "models/whosaid-ner-en")]
    model: PathBuf,
    /// Where the branch files go (by default the model directory).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Encoder layer the branch reads (1-based).
    #[arg(long, default_value_t = 5)]
    input_layer: usize,
    /// Transformer layers in the branch (0: a linear head on the layer's output).
    #[arg(long, default_value_t = 1)]
    branch_layers: usize,
    #[arg(long, default_value_t = 4)]
    epochs: usize,
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Folder for the cached encoder states (never the repository).
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Use only this many training articles (smoke tests).
    #[arg(long)]
    max_docs: Option<usize>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut opt = AttrTrainOptions {
        input_layer: a.input_layer,
        branch_layers: a.branch_layers,
        epochs: a.epochs,
        batch_size: a.batch_size,
        lr: a.lr,
        seed: a.seed,
        threads: a.threads,
        max_docs: a.max_docs,
        ..Default::default()
    };
    if let Some(c) = a.cache {
        opt.cache = c;
    }
    let out = a.out.unwrap_or_else(|| a.model.clone());
    let mut log = std::io::stderr();
    let f1 = train(&a.model, &a.train, &a.dev, &out, &opt, &mut log)?;
    println!(
        "best dev exact content F1 {f1:.2}; branch in {}",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
