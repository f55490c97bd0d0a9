//! NER fine-tuning: tch autograd over rust-bert's BERT, with the word-shape embedding, AdamW,
//! warm-up and linear decay, the best dev epoch kept.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, Context, Result};
use tch::{nn, nn::OptimizerConfig, Device, Kind, Tensor};

use super::conll::{doc_words, read_conll, ConllDoc};
use super::score::evaluate;
use crate::ner::{self, ModelConfig, NerModel, NerNet, LABELS};

/// Training settings. By default: 3 epochs, batch 16 windows of 128 tokens, AdamW at 1e-4
/// with 10% warm-up then linear decay, seed 42, word-shape features and document context on.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub batch_size: usize,
    pub max_len: usize,
    pub lr: f64,
    pub seed: u64,
    pub shape_features: bool,
    pub context: bool,
    pub threads: usize,
    /// Stop after this many optimizer steps (for smoke tests). By default no limit.
    pub max_steps: Option<usize>,
    /// bfloat16 mixed precision for the forward pass ([`crate::ner::autocast`]).
    pub bf16: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 3,
            batch_size: 16,
            max_len: 128,
            lr: 1e-4,
            seed: 42,
            shape_features: true,
            context: true,
            threads: 2,
            max_steps: None,
            bf16: false,
        }
    }
}

pub(crate) struct Example {
    pub(crate) ids: Vec<i64>,
    pub(crate) shapes: Vec<i64>,
    /// Label per subword, -100 where no loss is taken.
    pub(crate) labels: Vec<i64>,
}

pub(crate) fn examples(
    tokenizer: &tokenizers::Tokenizer,
    docs: &[ConllDoc],
    opt: &TrainOptions,
) -> Result<Vec<Example>> {
    let (cls, sep) = (
        tokenizer.token_to_id("[CLS]").unwrap_or(101) as i64,
        tokenizer.token_to_id("[SEP]").unwrap_or(102) as i64,
    );
    let mut out = Vec::new();
    for doc in docs {
        let words = doc_words(doc);
        let gold: Vec<i64> = doc
            .sentences
            .iter()
            .flat_map(|s| {
                s.iter()
                    .map(|(_, l)| LABELS.iter().position(|x| x == l).unwrap_or(0) as i64)
            })
            .collect();
        let t = ner::tokenize_words(tokenizer, &words)?;
        let body = opt.max_len - 2;
        for w in ner::windows(&t, body, if opt.context { body / 2 } else { body }) {
            let mut ex = Example {
                ids: vec![cls],
                shapes: vec![0],
                labels: vec![-100],
            };
            for p in w.start..w.end {
                ex.ids.push(t.ids[p]);
                ex.shapes
                    .push(if opt.shape_features { t.shapes[p] } else { 0 });
                let word = t.word_of[p];
                let first = t.first_sub[word] == Some(p);
                let in_core = (w.core_start..w.core_end).contains(&p);
                ex.labels
                    .push(if first && in_core { gold[word] } else { -100 });
            }
            ex.ids.push(sep);
            ex.shapes.push(0);
            ex.labels.push(-100);
            out.push(ex);
        }
    }
    Ok(out)
}

/// The learning rate at `step` (from 0) of `total`: linear warm-up to `peak` over `warmup`
/// steps, then linear decay to 0 at `total`.
pub(crate) fn warmup_then_linear(peak: f64, step: usize, warmup: usize, total: usize) -> f64 {
    if step < warmup {
        peak * (step + 1) as f64 / warmup as f64
    } else {
        peak * (total - step) as f64 / (total - warmup).max(1) as f64
    }
}

/// A training batch padded to its longest row: ids, shapes and mask `[rows, seq]` (padding
/// id 0, mask 0), and the labels flattened, `per` to a position (-100 in the padding).
pub(crate) struct Padded {
    pub(crate) ids: Tensor,
    pub(crate) shapes: Tensor,
    pub(crate) mask: Tensor,
    pub(crate) labels: Tensor,
}

/// Pads rows of (ids, shapes, labels), each row with `per` labels for each id.
pub(crate) fn pad_rows<'a>(
    rows: impl ExactSizeIterator<Item = (&'a [i64], &'a [i64], &'a [i64])> + Clone,
    per: usize,
) -> Padded {
    let seq = rows.clone().map(|r| r.0.len()).max().unwrap_or(2);
    let b = rows.len();
    let mut ids = vec![0i64; b * seq];
    let mut shapes = vec![0i64; b * seq];
    let mut mask = vec![0i64; b * seq];
    let mut labels = vec![-100i64; b * seq * per];
    for (r, (i, s, l)) in rows.enumerate() {
        let row = r * seq;
        ids[row..row + i.len()].copy_from_slice(i);
        shapes[row..row + i.len()].copy_from_slice(s);
        labels[row * per..row * per + l.len()].copy_from_slice(l);
        mask[row..row + i.len()].iter_mut().for_each(|m| *m = 1);
    }
    let shape = [b as i64, seq as i64];
    Padded {
        ids: Tensor::of_slice(&ids).view(shape),
        shapes: Tensor::of_slice(&shapes).view(shape),
        mask: Tensor::of_slice(&mask).view(shape),
        labels: Tensor::of_slice(&labels),
    }
}

/// A small deterministic PRNG (SplitMix64) for shuffling.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Fine-tunes `base` (a BERT directory: config.json, model.safetensors, tokenizer.json) on
/// `train`, evaluates on `dev` after each epoch, and writes the model with the best dev F1
/// to `out`. Progress goes to `log`.
pub fn train(
    base: &Path,
    train_file: &Path,
    dev_file: &Path,
    out: &Path,
    opt: &TrainOptions,
    log: &mut dyn Write,
) -> Result<f64> {
    tch::manual_seed(opt.seed as i64);
    if opt.bf16 {
        crate::ner::autocast::check_bf16()?;
    }
    crate::ner::threads::set_training_threads(opt.threads, opt.bf16);
    let started = Instant::now();
    let train_docs = read_conll(train_file)?;
    let dev_docs = read_conll(dev_file)?;
    let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
    let config = ModelConfig::from_file(&base.join("config.json"), Some(labels.clone()))?;
    let config = ModelConfig {
        shape_features: opt.shape_features,
        ..config
    };
    let tokenizer = ner::load_tokenizer(base, true)?;
    let mut data = examples(&tokenizer, &train_docs, opt)?;
    writeln!(
        log,
        "train: {} documents, {} windows; dev: {} documents",
        train_docs.len(),
        data.len(),
        dev_docs.len()
    )?;

    let vs = nn::VarStore::new(Device::Cpu);
    let net = NerNet::new(&vs, &config)?;
    let missing = ner::load_weights(&vs, ner::read_weights(&ner::weights_file(base)?)?)?;
    writeln!(
        log,
        "initialised from {}; new parameters: {missing:?}",
        base.display()
    )?;

    let adam = nn::AdamW {
        wd: 0.01,
        ..Default::default()
    };
    let mut optim = adam
        .build(&vs, opt.lr)
        .map_err(|e| anyhow!("optimizer: {e}"))?;
    let steps_per_epoch = data.len().div_ceil(opt.batch_size);
    let total = opt
        .max_steps
        .unwrap_or(usize::MAX)
        .min(steps_per_epoch * opt.epochs);
    let warmup = (total / 10).max(1);
    let mut rng = Rng(opt.seed);
    let mut step = 0;
    let mut best = -1.0;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    'epochs: for epoch in 0..opt.epochs {
        rng.shuffle(&mut data);
        // Batch windows of similar length: sort within blocks of 50 batches.
        let block = opt.batch_size * 50;
        for chunk in data.chunks_mut(block) {
            chunk.sort_by_key(|e| e.ids.len());
        }
        let mut batches: Vec<&[Example]> = data.chunks(opt.batch_size).collect();
        rng.shuffle(&mut batches);
        let mut loss_sum = 0.0;
        let mut loss_n = 0;
        for batch in batches {
            if step >= total {
                break 'epochs;
            }
            let p = pad_rows(
                batch
                    .iter()
                    .map(|e| (&e.ids[..], &e.shapes[..], &e.labels[..])),
                1,
            );
            let logits = {
                let _bf16 = opt
                    .bf16
                    .then(crate::ner::autocast::CpuAutocast::new)
                    .transpose()?;
                net.forward_t(&p.ids, &p.shapes, &p.mask, true)?
            };
            let loss = logits
                .view([-1, LABELS.len() as i64])
                .to_kind(Kind::Float)
                .cross_entropy_loss::<Tensor>(&p.labels, None, tch::Reduction::Mean, -100, 0.0);
            let lr = warmup_then_linear(opt.lr, step, warmup, total);
            optim.set_lr(lr);
            optim.backward_step_clip_norm(&loss, 1.0);
            loss_sum += f64::from(loss.to_kind(Kind::Double));
            loss_n += 1;
            step += 1;
            if step % 50 == 0 || step == 2 || step == 12 {
                writeln!(
                    log,
                    "epoch {} step {step}/{total} loss {:.4} lr {lr:.2e} elapsed {:.0}s",
                    epoch + 1,
                    loss_sum / loss_n as f64,
                    started.elapsed().as_secs_f64()
                )?;
                log.flush()?;
                loss_sum = 0.0;
                loss_n = 0;
            }
        }
        let f1 = save_and_eval(&vs, &config, base, out, &dev_docs, opt, log, &mut best)?;
        writeln!(
            log,
            "epoch {} done: dev F1 {f1:.2}, elapsed {:.0}s",
            epoch + 1,
            started.elapsed().as_secs_f64()
        )?;
    }
    if step >= total && best < 0.0 {
        save_and_eval(&vs, &config, base, out, &dev_docs, opt, log, &mut best)?;
    }
    writeln!(
        log,
        "best dev F1 {best:.2}; total {:.0}s",
        started.elapsed().as_secs_f64()
    )?;
    Ok(best)
}

#[allow(clippy::too_many_arguments)]
fn save_and_eval(
    vs: &nn::VarStore,
    config: &ModelConfig,
    base: &Path,
    out: &Path,
    dev: &[ConllDoc],
    opt: &TrainOptions,
    log: &mut dyn Write,
    best: &mut f64,
) -> Result<f64> {
    let tmp = out.with_extension("candidate");
    std::fs::create_dir_all(&tmp)?;
    write_model_dir(vs, config, base, &tmp, opt)?;
    let model = NerModel::load(
        &tmp,
        ner::NerOptions {
            context: opt.context,
            // Model selection must not depend on the CPU's bfloat16 support.
            precision: ner::Precision::F32,
            ..Default::default()
        },
    )?;
    let scores = evaluate(&model, dev)?;
    writeln!(log, "dev:\n{scores}")?;
    let f1 = scores.micro().2;
    if f1 > *best {
        *best = f1;
        for name in [
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "labels.txt",
        ] {
            std::fs::rename(tmp.join(name), out.join(name))?;
        }
        writeln!(log, "new best, written to {}", out.display())?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(f1)
}

/// Writes config.json (the base config plus labels and the whosaid fields), fp16 weights,
/// the tokenizer and labels.txt.
pub(crate) fn write_model_dir(
    vs: &nn::VarStore,
    config: &ModelConfig,
    base: &Path,
    dir: &Path,
    opt: &TrainOptions,
) -> Result<()> {
    let mut raw = config.raw.clone();
    let o = raw
        .as_object_mut()
        .ok_or_else(|| anyhow!("config is not an object"))?;
    let id2label: serde_json::Map<String, serde_json::Value> = config
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), serde_json::Value::from(l.clone())))
        .collect();
    let label2id: serde_json::Map<String, serde_json::Value> = config
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), serde_json::Value::from(i)))
        .collect();
    o.insert("id2label".into(), id2label.into());
    o.insert("label2id".into(), label2id.into());
    o.insert(
        "architectures".into(),
        serde_json::json!(["BertForTokenClassification"]),
    );
    o.insert("whosaid_shape_features".into(), opt.shape_features.into());
    o.insert("whosaid_context".into(), opt.context.into());
    o.insert("whosaid_train_max_len".into(), opt.max_len.into());
    std::fs::write(dir.join("config.json"), serde_json::to_string_pretty(&raw)?)?;
    ner::save_weights(vs, &dir.join("model.safetensors"), true)?;
    // The tokenizer as used: without the base's truncation and padding settings.
    ner::load_tokenizer(base, true)?
        .save(dir.join("tokenizer.json"), false)
        .map_err(|e| anyhow!("writing tokenizer.json: {e}"))?;
    std::fs::write(dir.join("labels.txt"), config.labels.join("\n") + "\n")?;
    Ok(())
}
