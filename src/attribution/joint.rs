//! Multi-task fine-tuning: one encoder, two heads. The whole encoder (MiniLM with the
//! word-shape embedding) trains on CoNLL-2003 NER and on PolNeAR's Content/Cue/Source spans
//! at once; the NER head is the token classifier, the attribution head a linear layer over
//! the encoder's last state (`attribution.json`: input layer = the last, no branch layers),
//! so inference still runs one encoder pass per window for both.
//!
//! - Batches are of one task each: every PolNeAR batch of the epoch, and `conll_ratio` times
//!   as many CoNLL batches, shuffled together (seeded).
//! - PolNeAR windows are the inference windows (128 pieces, whole sentences), every word
//!   labelled; CoNLL windows are the NER trainer's (labelled core with context).
//! - AdamW (weight decay 0.01), 10% linear warm-up then linear decay, gradient norm ≤ 1.
//! - Articles can be restricted to PolNeAR train folds (`folds/` lists, by article): a fold
//!   left out is scored after each epoch (tagger alone, exact spans), for choosing the design
//!   without reading dev.
//! - After each epoch the model directory is written (it is the checkpoint) with
//!   `train-state.json`; `resume` continues after the last finished epoch, with the same
//!   batch order and learning-rate schedule (AdamW's moments start again from zero).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use tch::{nn, nn::OptimizerConfig, Device, Kind, Tensor};

use super::data;
use super::model::{AttrBranch, AttrConfig, WEIGHTS_FILE};
use super::train::{fmt_counts, prepare_files, score_branch, window_ids, window_labels, Article};
use crate::ner::conll::read_conll;
use crate::ner::score::evaluate;
use crate::ner::train::{
    examples, pad_rows, warmup_then_linear, write_model_dir, Rng, TrainOptions,
};
use crate::ner::{self, ModelConfig, NerModel, NerNet, NerOptions, LABELS};

/// Settings of a joint run. By default: 2 epochs, batch 16 windows, AdamW at 5e-5 (the head
/// too), one CoNLL batch for every two PolNeAR batches, seed 42, 2 threads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JointOptions {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    /// CoNLL batches per PolNeAR batch.
    pub conll_ratio: f64,
    /// The attribution head's learning rate as a multiple of the encoder's (the head starts
    /// from random weights).
    pub head_lr_factor: f64,
    pub seed: u64,
    pub threads: usize,
    /// Folder of the fold lists (`polnear-train-fold-K.txt`, one article name per line).
    pub folds: PathBuf,
    /// The fold (1..=5) left out of training and scored after each epoch.
    pub heldout: Option<usize>,
    /// At most this many PolNeAR training articles (small runs), taken in the fold lists'
    /// order.
    pub max_docs: Option<usize>,
    /// Stop after this many steps (smoke tests).
    pub max_steps: Option<usize>,
    /// bfloat16 mixed precision for the forward pass ([`ner::autocast`]).
    #[serde(default)]
    pub bf16: bool,
}

impl Default for JointOptions {
    fn default() -> Self {
        JointOptions {
            epochs: 2,
            batch_size: 16,
            lr: 5e-5,
            conll_ratio: 0.5,
            head_lr_factor: 1.0,
            seed: 42,
            threads: 2,
            folds: PathBuf::from("scripts/folds"),
            heldout: None,
            max_docs: None,
            max_steps: None,
            bf16: false,
        }
    }
}

/// What the model directory records after each finished epoch.
#[derive(Debug, Serialize, Deserialize)]
pub struct TrainState {
    pub epochs_done: usize,
    pub step: usize,
    pub options: JointOptions,
}

pub const STATE_FILE: &str = "train-state.json";
pub const FOLDS: usize = 5;

/// PolNeAR articles: (name, text file, annotation file).
pub type ArticleFiles = Vec<(String, PathBuf, PathBuf)>;

/// The corpora of a joint run: CoNLL training and dev files, PolNeAR's train split.
pub struct Corpora<'a> {
    pub conll: &'a Path,
    pub conll_dev: &'a Path,
    pub polnear: &'a Path,
}

/// The article names of fold `k` (1..=5).
pub fn read_fold(folds: &Path, k: usize) -> Result<Vec<String>> {
    let p = folds.join(format!("polnear-train-fold-{k}.txt"));
    let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// The PolNeAR articles of `dir` in the folds' order: (training articles, held-out articles).
/// Every article of `dir` must be in exactly one fold.
pub fn fold_files(
    dir: &Path,
    folds: &Path,
    heldout: Option<usize>,
) -> Result<(ArticleFiles, ArticleFiles)> {
    let files = data::split_files(dir)?;
    let mut by_name: std::collections::HashMap<String, (String, PathBuf, PathBuf)> =
        files.into_iter().map(|f| (f.0.clone(), f)).collect();
    let (mut train, mut held) = (Vec::new(), Vec::new());
    // Interleave the training folds so that the first N articles come from every fold.
    let lists: Vec<Vec<String>> = (1..=FOLDS)
        .map(|k| read_fold(folds, k))
        .collect::<Result<_>>()?;
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        for (k, list) in lists.iter().enumerate() {
            let Some(name) = list.get(i) else { continue };
            let f = by_name.remove(name).ok_or_else(|| {
                anyhow!(
                    "fold {} lists {name}, which {} lacks (or lists twice)",
                    k + 1,
                    dir.display()
                )
            })?;
            if heldout == Some(k + 1) {
                held.push(f);
            } else {
                train.push(f);
            }
        }
    }
    if let Some(extra) = by_name.keys().next() {
        bail!(
            "{} has {} articles in no fold, e.g. {extra}",
            dir.display(),
            by_name.len()
        );
    }
    Ok((train, held))
}

/// One training window: ids, shapes, and per position one NER label or three attribution
/// labels (-100 where no loss is taken).
struct Window {
    ids: Vec<i64>,
    shapes: Vec<i64>,
    labels: Vec<i64>,
    attribution: bool,
}

fn polnear_windows(model: &NerModel, arts: &[Article]) -> Vec<Window> {
    let mut out = Vec::new();
    for a in arts {
        for w in &a.windows {
            let (ids, shapes) = window_ids(model, &a.tok, w);
            out.push(Window {
                ids,
                shapes,
                labels: window_labels(a, w),
                attribution: true,
            });
        }
    }
    out
}

/// Two writers at once (the log file and stderr).
struct Tee<'a>(std::fs::File, &'a mut dyn Write);
impl Write for Tee<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(b)?;
        self.1.write_all(b)?;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.1.flush()
    }
}

/// Fine-tunes the model in `init` (the shipped NER model, or a base encoder) on the CoNLL
/// training file and PolNeAR's train split, scores NER on the CoNLL dev file after each epoch and,
/// with a held-out fold, the attribution tagger on it; writes the model after each epoch to
/// `out` with its log (`train-joint.log`). Returns the last epoch's held-out exact content F1
/// (or the NER dev F1 without a held-out fold).
pub fn train(
    init: &Path,
    data: &Corpora,
    out: &Path,
    opt: &JointOptions,
    resume: bool,
    log: &mut dyn Write,
) -> Result<f64> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let logfile = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out.join("train-joint.log"))
        .with_context(|| format!("opening {}/train-joint.log", out.display()))?;
    let mut log = Tee(logfile, log);
    let log = &mut log;
    tch::manual_seed(opt.seed as i64);
    if opt.bf16 {
        ner::autocast::check_bf16()?;
    }
    ner::threads::set_training_threads(opt.threads, opt.bf16);
    let started = Instant::now();

    let state: Option<TrainState> = if resume && out.join(STATE_FILE).exists() {
        let p = out.join(STATE_FILE);
        Some(
            serde_json::from_str(&std::fs::read_to_string(&p)?)
                .with_context(|| format!("parsing {}", p.display()))?,
        )
    } else {
        None
    };
    let from = if state.is_some() { out } else { init };
    writeln!(
        log,
        "joint training: {opt:?}; weights from {}",
        from.display()
    )?;

    // Articles and windows, tokenized as at inference (by the starting model's tokenizer, also
    // on resume).
    let tok_model = NerModel::load(
        init,
        NerOptions {
            precision: ner::Precision::F32,
            ..Default::default()
        },
    )?;
    let (train_files, held_files) = fold_files(data.polnear, &opt.folds, opt.heldout)?;
    let train_files: Vec<_> = train_files
        .into_iter()
        .take(opt.max_docs.unwrap_or(usize::MAX))
        .collect();
    let train_arts = prepare_files(train_files, &tok_model)?;
    let held_arts = prepare_files(held_files, &tok_model)?;
    let mut pol = polnear_windows(&tok_model, &train_arts);
    let ner_opt = TrainOptions::default();
    let conll_docs = read_conll(data.conll)?;
    let dev_docs = read_conll(data.conll_dev)?;
    let mut con: Vec<Window> = examples(tok_model.tokenizer(), &conll_docs, &ner_opt)?
        .into_iter()
        .map(|e| Window {
            ids: e.ids,
            shapes: e.shapes,
            labels: e.labels,
            attribution: false,
        })
        .collect();
    writeln!(
        log,
        "PolNeAR: {} training articles ({} windows), {} held out; CoNLL: {} documents ({} windows)",
        train_arts.len(),
        pol.len(),
        held_arts.len(),
        conll_docs.len(),
        con.len()
    )?;
    drop(tok_model);

    // The encoder with its NER head, and the attribution head over the last layer.
    let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
    let config = ModelConfig::from_file(&from.join("config.json"), Some(labels))?;
    let ner::Arch::Bert(bert) = &config.arch else {
        bail!("joint training needs a BERT encoder");
    };
    let attr_config = AttrConfig {
        input_layer: bert.num_hidden_layers as usize,
        branch_layers: 0,
        min_score: None,
    };
    let vs = nn::VarStore::new(Device::Cpu);
    let net = NerNet::new(&vs, &config)?;
    let missing = ner::load_weights(&vs, ner::read_weights(&ner::weights_file(from)?)?)?;
    let vs_attr = nn::VarStore::new(Device::Cpu);
    let head = AttrBranch::new(&(vs_attr.root() / "attribution"), bert, attr_config.clone())?;
    if state.is_some() {
        let w = ner::read_weights(&out.join(WEIGHTS_FILE))?;
        let m = ner::load_weights(&vs_attr, w)?;
        if !m.is_empty() {
            bail!("{}: attribution weights missing: {m:?}", out.display());
        }
    }
    writeln!(log, "new parameters in the encoder's store: {missing:?}")?;
    let adamw = nn::AdamW {
        wd: 0.01,
        ..Default::default()
    };
    let mut optim = adamw
        .build(&vs, opt.lr)
        .map_err(|e| anyhow!("optimizer: {e}"))?;
    let mut optim_attr = adamw
        .build(&vs_attr, opt.lr)
        .map_err(|e| anyhow!("optimizer: {e}"))?;

    let n_con = ((pol.len().div_ceil(opt.batch_size)) as f64 * opt.conll_ratio).round() as usize;
    let steps_per_epoch = pol.len().div_ceil(opt.batch_size) + n_con;
    let total = opt
        .max_steps
        .unwrap_or(usize::MAX)
        .min(steps_per_epoch * opt.epochs);
    let warmup = (total / 10).max(1);
    let mut rng = Rng(opt.seed);
    let (done, mut step) = state.as_ref().map_or((0, 0), |s| (s.epochs_done, s.step));
    let mut con_cursor = 0usize;
    let mut result = 0.0;
    rng.shuffle(&mut con);
    for epoch in 0..opt.epochs {
        // The batch order of every epoch, replayed for finished ones on resume.
        rng.shuffle(&mut pol);
        let mut batches: Vec<(bool, usize)> = (0..pol.len().div_ceil(opt.batch_size))
            .map(|b| (true, b))
            .collect();
        let con_batches = con.len().div_ceil(opt.batch_size);
        for _ in 0..n_con {
            batches.push((false, con_cursor % con_batches));
            con_cursor += 1;
        }
        rng.shuffle(&mut batches);
        if epoch < done {
            continue;
        }
        let (mut sums, mut ns) = ([0.0f64; 2], [0usize; 2]);
        let (mut epoch_sums, mut epoch_ns) = ([0.0f64; 2], [0usize; 2]);
        for &(is_attr, b) in &batches {
            if step >= total {
                break;
            }
            let src = if is_attr { &pol } else { &con };
            let lo = b * opt.batch_size;
            let batch = &src[lo..(lo + opt.batch_size).min(src.len())];
            let loss = {
                let _bf16 = opt.bf16.then(ner::autocast::CpuAutocast::new).transpose()?;
                batch_loss(&net, &head, batch)?
            };
            let lr = warmup_then_linear(opt.lr, step, warmup, total);
            optim.set_lr(lr);
            optim_attr.set_lr(lr * opt.head_lr_factor);
            optim.zero_grad();
            optim_attr.zero_grad();
            loss.backward();
            clip_grad_norm(&[&vs, &vs_attr], 1.0);
            optim.step();
            optim_attr.step();
            let t = usize::from(is_attr);
            let l = f64::from(loss.to_kind(Kind::Double));
            sums[t] += l;
            ns[t] += 1;
            epoch_sums[t] += l;
            epoch_ns[t] += 1;
            step += 1;
            if step % 50 == 0 || step == 5 || step == total {
                writeln!(
                    log,
                    "epoch {} step {step}/{total} loss NER {:.4} attribution {:.4} lr {lr:.2e} elapsed {:.0}s",
                    epoch + 1,
                    sums[0] / ns[0].max(1) as f64,
                    sums[1] / ns[1].max(1) as f64,
                    started.elapsed().as_secs_f64()
                )?;
                log.flush()?;
                (sums, ns) = ([0.0; 2], [0; 2]);
            }
        }
        writeln!(
            log,
            "epoch {} mean loss NER {:.4} attribution {:.4}",
            epoch + 1,
            epoch_sums[0] / epoch_ns[0].max(1) as f64,
            epoch_sums[1] / epoch_ns[1].max(1) as f64,
        )?;
        // The checkpoint is the model directory itself.
        write_model_dir(&vs, &config, from, out, &ner_opt)?;
        attr_config.write(out)?;
        ner::save_weights(&vs_attr, &out.join(WEIGHTS_FILE), true)?;
        std::fs::write(
            out.join(STATE_FILE),
            serde_json::to_string_pretty(&TrainState {
                epochs_done: epoch + 1,
                step,
                options: opt.clone(),
            })? + "\n",
        )?;
        result = score_epoch(out, &dev_docs, &held_arts, epoch + 1, log)?;
        writeln!(
            log,
            "epoch {} written to {}; elapsed {:.0}s",
            epoch + 1,
            out.display(),
            started.elapsed().as_secs_f64()
        )?;
        log.flush()?;
        if step >= total {
            break;
        }
    }
    writeln!(log, "total {:.0}s", started.elapsed().as_secs_f64())?;
    Ok(result)
}

/// Scales the gradients of both stores so that their joint norm is at most `max`. (tch's own
/// clipping fails on a parameter without a gradient, and a single-task batch leaves the other
/// head without one.)
fn clip_grad_norm(stores: &[&nn::VarStore], max: f64) {
    tch::no_grad(|| {
        let grads: Vec<Tensor> = stores
            .iter()
            .flat_map(|vs| vs.trainable_variables())
            .map(|v| v.grad())
            .filter(Tensor::defined)
            .collect();
        let total = grads
            .iter()
            .map(|g| f64::from(g.square().sum(Kind::Double)))
            .sum::<f64>()
            .sqrt();
        if total > max {
            let scale = max / (total + 1e-6);
            for mut g in grads {
                g *= scale;
            }
        }
    });
}

/// The loss of one single-task batch.
fn batch_loss(net: &NerNet, head: &AttrBranch, batch: &[Window]) -> Result<Tensor> {
    let per = if batch[0].attribution { 3 } else { 1 };
    let p = pad_rows(
        batch
            .iter()
            .map(|e| (&e.ids[..], &e.shapes[..], &e.labels[..])),
        per,
    );
    let states = net.encode(&p.ids, &p.shapes, &p.mask, false, true)?;
    let (logits, classes) = if batch[0].attribution {
        (head.forward_t(&states.last, &p.mask, true), 3)
    } else {
        (net.classify(&states.last, true), LABELS.len() as i64)
    };
    Ok(logits
        .view([-1, classes])
        .to_kind(Kind::Float)
        .cross_entropy_loss::<Tensor>(&p.labels, None, tch::Reduction::Mean, -100, 0.0))
}

/// NER F1 on the CoNLL dev file and, when there are held-out articles, the tagger's exact
/// figures on them, from the model just written (float32).
fn score_epoch(
    dir: &Path,
    dev: &[ner::conll::ConllDoc],
    held: &[Article],
    epoch: usize,
    log: &mut dyn Write,
) -> Result<f64> {
    let model = NerModel::load(
        dir,
        NerOptions {
            precision: ner::Precision::F32,
            attribution: true,
            ..Default::default()
        },
    )?;
    let scores = evaluate(&model, dev)?;
    let ner_f1 = scores.micro().2;
    writeln!(log, "epoch {epoch} NER dev F1 {ner_f1:.2}")?;
    if held.is_empty() {
        return Ok(ner_f1);
    }
    let branch = model
        .attribution()
        .ok_or_else(|| anyhow!("{}: no attribution head loaded", dir.display()))?;
    let layer = branch.config.input_layer;
    let examples = super::train::encode_all(&model, held, layer, &mut std::io::sink())?;
    let counts = score_branch(branch, held, &examples);
    writeln!(
        log,
        "epoch {epoch} held-out fold, tagger alone (document level): {}",
        fmt_counts(&counts)
    )?;
    Ok(100.0 * counts[0].f1())
}
