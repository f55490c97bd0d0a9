//! Training the attribution branch on PolNeAR train, with the NER encoder frozen.
//!
//! 1. Every article is cleaned, split into sentences and words exactly as at inference, its
//!    gold attributions become per-word BIO labels ([`super::data`]), and its words are packed
//!    into the NER windows (128 pieces, whole sentences).
//! 2. The frozen encoder runs once over all windows; the state the branch reads (one layer's
//!    output) is cached in float16 under `--cache` (not in the repository), so later runs and
//!    ablations skip this step.
//! 3. The branch (initialised from the encoder's layers above its input) and the head train on
//!    the cached states: AdamW, linear warm-up and decay, cross-entropy over the three layers.
//! 4. After each epoch the decoded triples on PolNeAR dev are scored by exact match
//!    ([`super::score`]); the epoch with the best content F1 is written to the model directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context, Result};
use tch::{nn, nn::OptimizerConfig, Device, Kind, Tensor};

use super::data::{self, Attribution};
use super::decode;
use super::model::{AttrBranch, AttrConfig, WEIGHTS_FILE};
use super::score::{self, Counts, PredSpans};
use crate::clean::{self, Format};
use crate::ner::train::{warmup_then_linear, Rng};
use crate::ner::{self, NerModel, NerOptions, Tokenized, Window};
use crate::segment;

/// Training settings. By default: branch of 1 layer over layer 5 of 6, 4 epochs, batch 16
/// windows, AdamW at 1e-4, seed 42.
#[derive(Debug, Clone)]
pub struct AttrTrainOptions {
    pub input_layer: usize,
    pub branch_layers: usize,
    pub epochs: usize,
    pub lr: f64,
    pub batch_size: usize,
    pub seed: u64,
    pub threads: usize,
    /// Folder for the cached encoder states.
    pub cache: PathBuf,
    /// Stop after this many training articles (tests).
    pub max_docs: Option<usize>,
}

impl Default for AttrTrainOptions {
    fn default() -> Self {
        AttrTrainOptions {
            input_layer: 5,
            branch_layers: 1,
            epochs: 4,
            lr: 1e-4,
            batch_size: 16,
            seed: 42,
            threads: 2,
            cache: std::env::temp_dir().join("whosaid-attr-cache"),
            max_docs: None,
        }
    }
}

pub use crate::ner::doc_words;

/// One article ready for training or scoring.
pub struct Article {
    pub name: String,
    pub chars: Vec<char>,
    pub gold: Vec<Attribution>,
    /// Each word's range in code points of the original text.
    pub word_chars: Vec<(usize, usize)>,
    pub sentence: Vec<usize>,
    pub labels: [Vec<u8>; 3],
    pub tok: Tokenized,
    pub windows: Vec<Window>,
}

/// Reads and prepares the articles of a PolNeAR split.
pub fn prepare(dir: &Path, model: &NerModel, max_docs: Option<usize>) -> Result<Vec<Article>> {
    let files = data::split_files(dir)?;
    anyhow::ensure!(
        !files.is_empty(),
        "no PolNeAR articles in {}",
        dir.display()
    );
    prepare_files(
        files
            .into_iter()
            .take(max_docs.unwrap_or(usize::MAX))
            .collect(),
        model,
    )
}

/// Prepares the given articles (name, text file, annotation file) as [`prepare`] does.
pub fn prepare_files(
    files: Vec<(String, PathBuf, PathBuf)>,
    model: &NerModel,
) -> Result<Vec<Article>> {
    let body = model.options.max_len - 2;
    let mut out = Vec::new();
    for (name, text_path, ann_path) in files {
        let text = std::fs::read_to_string(&text_path)
            .with_context(|| format!("reading {}", text_path.display()))?;
        let ann = std::fs::read_to_string(&ann_path)
            .with_context(|| format!("reading {}", ann_path.display()))?;
        let chars: Vec<char> = text.chars().collect();
        let gold = data::read_brat(&ann, chars.len());
        let cleaned = clean::clean(&text, Format::Text);
        let sentences = segment::sentences(&cleaned.text);
        let (spans, words, sentence) = doc_words(&cleaned.text, &sentences);
        let word_chars: Vec<(usize, usize)> =
            spans.iter().map(|&s| cleaned.map.to_original(s)).collect();
        let labels = data::word_labels(&word_chars, &gold);
        let tok = ner::tokenize_words(model.tokenizer(), &words)?;
        let windows = ner::windows(&tok, body, body);
        out.push(Article {
            name,
            chars,
            gold,
            word_chars,
            sentence,
            labels,
            tok,
            windows,
        });
    }
    Ok(out)
}

/// One window of an article: the branch input `[len, hidden]` (float16) and the labels
/// `[len, 3]` (-100 where no word starts), `[CLS]` and `[SEP]` included.
pub struct Example {
    pub doc: usize,
    pub window: usize,
    pub states: Tensor,
    pub labels: Tensor,
}

pub(crate) fn window_ids(model: &NerModel, t: &Tokenized, w: &Window) -> (Vec<i64>, Vec<i64>) {
    let (cls, sep, _) = model.special_ids();
    let mut ids = vec![cls];
    let mut shapes = vec![0];
    ids.extend_from_slice(&t.ids[w.start..w.end]);
    shapes.extend_from_slice(&t.shapes[w.start..w.end]);
    ids.push(sep);
    shapes.push(0);
    (ids, shapes)
}

pub(crate) fn window_labels(a: &Article, w: &Window) -> Vec<i64> {
    let n = w.end - w.start + 2;
    let mut y = vec![-100i64; n * 3];
    for p in w.core_start..w.core_end {
        let word = a.tok.word_of[p];
        if a.tok.first_sub[word] == Some(p) {
            let row = 1 + p - w.start;
            for r in 0..3 {
                y[row * 3 + r] = a.labels[r][word] as i64;
            }
        }
    }
    y
}

/// Runs the frozen encoder over every window and keeps the branch input, in float16.
pub fn encode_all(
    model: &NerModel,
    arts: &[Article],
    layer: usize,
    log: &mut dyn Write,
) -> Result<Vec<Example>> {
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for (d, a) in arts.iter().enumerate() {
        for k in 0..a.windows.len() {
            jobs.push((d, k));
        }
    }
    let started = Instant::now();
    let mut out = Vec::with_capacity(jobs.len());
    let (_, _, pad) = model.special_ids();
    for (bi, batch) in jobs.chunks(16).enumerate() {
        let rows: Vec<(Vec<i64>, Vec<i64>)> = batch
            .iter()
            .map(|&(d, k)| window_ids(model, &arts[d].tok, &arts[d].windows[k]))
            .collect();
        let seq = rows.iter().map(|r| r.0.len()).max().unwrap_or(2);
        let b = rows.len();
        let (mut ids, mut shapes, mut mask) =
            (vec![pad; b * seq], vec![0i64; b * seq], vec![0i64; b * seq]);
        for (r, (i, s)) in rows.iter().enumerate() {
            ids[r * seq..r * seq + i.len()].copy_from_slice(i);
            shapes[r * seq..r * seq + s.len()].copy_from_slice(s);
            mask[r * seq..r * seq + i.len()]
                .iter_mut()
                .for_each(|m| *m = 1);
        }
        let shape = [b as i64, seq as i64];
        let states = tch::no_grad(|| {
            model.net().encode(
                &Tensor::of_slice(&ids).view(shape),
                &Tensor::of_slice(&shapes).view(shape),
                &Tensor::of_slice(&mask).view(shape),
                true,
                false,
            )
        })?;
        let h = states
            .layers
            .as_ref()
            .and_then(|l| l.get(layer - 1))
            .ok_or_else(|| anyhow!("no encoder layer {layer}"))?;
        for (r, &(d, k)) in batch.iter().enumerate() {
            let n = rows[r].0.len() as i64;
            out.push(Example {
                doc: d,
                window: k,
                states: h
                    .get(r as i64)
                    .narrow(0, 0, n)
                    .to_kind(Kind::Half)
                    .contiguous(),
                labels: Tensor::of_slice(&window_labels(&arts[d], &arts[d].windows[k]))
                    .view([n, 3]),
            });
        }
        if bi % 50 == 0 {
            writeln!(
                log,
                "encoded {}/{} windows, {:.0}s",
                out.len(),
                jobs.len(),
                started.elapsed().as_secs_f64()
            )?;
            log.flush()?;
        }
    }
    Ok(out)
}

/// The cached branch inputs of a split, computed and saved on the first call.
pub fn cached(
    model: &NerModel,
    arts: &[Article],
    layer: usize,
    path: &Path,
    log: &mut dyn Write,
) -> Result<Vec<Example>> {
    let n: usize = arts.iter().map(|a| a.windows.len()).sum();
    if path.exists() {
        let named =
            Tensor::load_multi(path).with_context(|| format!("reading {}", path.display()))?;
        let mut map: std::collections::HashMap<String, Tensor> = named.into_iter().collect();
        let mut out = Vec::with_capacity(n);
        for (d, a) in arts.iter().enumerate() {
            for k in 0..a.windows.len() {
                let s = map.remove(&format!("s{d}_{k}"));
                let y = map.remove(&format!("y{d}_{k}"));
                match (s, y) {
                    (Some(states), Some(labels)) => out.push(Example {
                        doc: d,
                        window: k,
                        states,
                        labels,
                    }),
                    _ => anyhow::bail!(
                        "{}: stale cache (window {d}/{k} missing); delete it",
                        path.display()
                    ),
                }
            }
        }
        writeln!(
            log,
            "read {} cached windows from {}",
            out.len(),
            path.display()
        )?;
        return Ok(out);
    }
    let out = encode_all(model, arts, layer, log)?;
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    let mut named: Vec<(String, &Tensor)> = Vec::with_capacity(2 * out.len());
    for e in &out {
        named.push((format!("s{}_{}", e.doc, e.window), &e.states));
        named.push((format!("y{}_{}", e.doc, e.window), &e.labels));
    }
    let tmp = path.with_extension("tmp");
    Tensor::save_multi(&named, &tmp).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path)?;
    writeln!(log, "cached {} windows in {}", out.len(), path.display())?;
    Ok(out)
}

fn batch_tensors(batch: &[&Example]) -> (Tensor, Tensor, Tensor) {
    let seq = batch.iter().map(|e| e.states.size()[0]).max().unwrap_or(2);
    let hidden = batch[0].states.size()[1];
    let b = batch.len() as i64;
    let x = Tensor::zeros(&[b, seq, hidden], (Kind::Float, Device::Cpu));
    let mask = Tensor::zeros(&[b, seq], (Kind::Int64, Device::Cpu));
    let y = Tensor::full(&[b, seq, 3], -100, (Kind::Int64, Device::Cpu));
    for (r, e) in batch.iter().enumerate() {
        let n = e.states.size()[0];
        let r = r as i64;
        x.get(r)
            .narrow(0, 0, n)
            .copy_(&e.states.to_kind(Kind::Float));
        let _ = mask.get(r).narrow(0, 0, n).fill_(1);
        y.get(r).narrow(0, 0, n).copy_(&e.labels);
    }
    (x, mask, y)
}

/// Per-word log-probabilities `[role][word] = [O, B, I]` of each article, from the branch.
pub fn predict(
    branch: &AttrBranch,
    arts: &[Article],
    examples: &[Example],
) -> Vec<[Vec<[f32; 3]>; 3]> {
    let mut out: Vec<[Vec<[f32; 3]>; 3]> = arts
        .iter()
        .map(|a| {
            let n = a.word_chars.len();
            [
                vec![[0.0, -30.0, -30.0]; n],
                vec![[0.0, -30.0, -30.0]; n],
                vec![[0.0, -30.0, -30.0]; n],
            ]
        })
        .collect();
    let refs: Vec<&Example> = examples.iter().collect();
    for batch in refs.chunks(32) {
        let (x, mask, _) = batch_tensors(batch);
        let lp = tch::no_grad(|| AttrBranch::log_probs(&branch.forward_t(&x, &mask, false)));
        let seq = lp.size()[1] as usize;
        let flat = Vec::<f32>::from(lp.contiguous().view(-1));
        for (r, e) in batch.iter().enumerate() {
            let a = &arts[e.doc];
            let w = &a.windows[e.window];
            for p in w.core_start..w.core_end {
                let word = a.tok.word_of[p];
                if a.tok.first_sub[word] != Some(p) {
                    continue;
                }
                let base = (r * seq + 1 + p - w.start) * 9;
                for (role, layer) in out[e.doc].iter_mut().enumerate() {
                    let o = base + role * 3;
                    layer[word] = [flat[o], flat[o + 1], flat[o + 2]];
                }
            }
        }
    }
    out
}

/// Decoded attributions of an article, in code points of the original text.
pub fn decode_article(a: &Article, logp: &[Vec<[f32; 3]>; 3]) -> Vec<PredSpans> {
    let layers = [
        decode::viterbi(&logp[0]),
        decode::viterbi(&logp[1]),
        decode::viterbi(&logp[2]),
    ];
    let range = |(s, e): (usize, usize)| (a.word_chars[s].0, a.word_chars[e - 1].1);
    decode::assemble(&layers, &a.sentence)
        .into_iter()
        .map(|t| PredSpans {
            content: t.content.into_iter().map(range).collect(),
            cue: Some(range(t.cue)),
            source: t.source.map(range),
        })
        .collect()
}

/// Exact-match counts (Content, Cue, Source) of the branch's own triples over the articles.
pub fn score_branch(branch: &AttrBranch, arts: &[Article], examples: &[Example]) -> [Counts; 3] {
    let lps = predict(branch, arts, examples);
    let mut total = [Counts::default(); 3];
    for (a, lp) in arts.iter().zip(&lps) {
        let pred = decode_article(a, lp);
        let c = score::exact_all(&a.chars, &a.gold, &pred);
        for r in 0..3 {
            total[r].add(c[r]);
        }
    }
    total
}

pub(crate) fn fmt_counts(c: &[Counts; 3]) -> String {
    format!(
        "exact content P {:.2} R {:.2} F1 {:.2}; cue F1 {:.2}; source P {:.2} R {:.2} F1 {:.2}",
        100.0 * c[0].precision(),
        100.0 * c[0].recall(),
        100.0 * c[0].f1(),
        100.0 * c[2 - 1].f1(),
        100.0 * c[2].precision(),
        100.0 * c[2].recall(),
        100.0 * c[2].f1()
    )
}

/// Trains the branch of the NER model in `model_dir` on PolNeAR `train_dir`, picks the epoch
/// by exact content F1 on `dev_dir`, and writes `attribution.json` and
/// `attribution.safetensors` to `out`. Returns the best dev exact content F1.
pub fn train(
    model_dir: &Path,
    train_dir: &Path,
    dev_dir: &Path,
    out: &Path,
    opt: &AttrTrainOptions,
    log: &mut dyn Write,
) -> Result<f64> {
    tch::manual_seed(opt.seed as i64);
    crate::ner::threads::set_compute_threads(opt.threads);
    let started = Instant::now();
    let model = NerModel::load(
        model_dir,
        NerOptions {
            precision: ner::Precision::F32,
            attribution: false,
            keep_layers: true,
            ..Default::default()
        },
    )?;
    let ner_config = ner::ModelConfig::from_file(&model_dir.join("config.json"), None)?;
    let ner::Arch::Bert(bert) = &ner_config.arch else {
        anyhow::bail!("the attribution branch needs a BERT encoder");
    };
    let config = AttrConfig {
        input_layer: opt.input_layer,
        branch_layers: opt.branch_layers,
        min_score: None,
    };
    let train_arts = prepare(train_dir, &model, opt.max_docs)?;
    let dev_arts = prepare(dev_dir, &model, opt.max_docs.map(|n| n.div_ceil(4)))?;
    writeln!(
        log,
        "train: {} articles, {} attributions, {} windows; dev: {} articles, {} attributions; branch {:?}; {:?}",
        train_arts.len(),
        train_arts.iter().map(|a| a.gold.len()).sum::<usize>(),
        train_arts.iter().map(|a| a.windows.len()).sum::<usize>(),
        dev_arts.len(),
        dev_arts.iter().map(|a| a.gold.len()).sum::<usize>(),
        config,
        opt
    )?;
    let tag = format!(
        "L{}-{}",
        opt.input_layer,
        opt.max_docs.map_or("all".into(), |n| n.to_string())
    );
    let train_ex = cached(
        &model,
        &train_arts,
        opt.input_layer,
        &opt.cache.join(format!("train-{tag}.ot")),
        log,
    )?;
    let dev_ex = cached(
        &model,
        &dev_arts,
        opt.input_layer,
        &opt.cache.join(format!("dev-{tag}.ot")),
        log,
    )?;
    drop(model);

    // The branch, initialised from the encoder's layers above its input.
    let vs = nn::VarStore::new(Device::Cpu);
    let branch = AttrBranch::new(&(vs.root() / "attribution"), bert, config.clone())?;
    let enc_weights = ner::read_weights(&ner::weights_file(model_dir)?)?;
    let mut init = Vec::new();
    for (name, t) in enc_weights {
        for k in 0..opt.branch_layers {
            let src = format!("bert.encoder.layer.{}.", opt.input_layer + k);
            if let Some(rest) = name.strip_prefix(&src) {
                init.push((
                    format!("attribution.layer.{k}.{rest}"),
                    t.to_kind(Kind::Float),
                ));
            }
        }
    }
    let missing = ner::load_weights(&vs, init)?;
    writeln!(
        log,
        "branch initialised from encoder layers {}..; new: {missing:?}",
        opt.input_layer + 1
    )?;
    let mut optim = nn::AdamW {
        wd: 0.01,
        ..Default::default()
    }
    .build(&vs, opt.lr)
    .map_err(|e| anyhow!("optimizer: {e}"))?;

    let mut order: Vec<usize> = (0..train_ex.len()).collect();
    let steps_per_epoch = order.len().div_ceil(opt.batch_size);
    let total = steps_per_epoch * opt.epochs;
    let warmup = (total / 10).max(1);
    let mut rng = Rng(opt.seed);
    let mut step = 0;
    let mut best = -1.0;
    std::fs::create_dir_all(out)?;
    for epoch in 0..opt.epochs {
        rng.shuffle(&mut order);
        let (mut loss_sum, mut loss_n) = (0.0, 0);
        let (mut epoch_sum, mut epoch_n) = (0.0, 0);
        for chunk in order.chunks(opt.batch_size) {
            let batch: Vec<&Example> = chunk.iter().map(|&i| &train_ex[i]).collect();
            let (x, mask, y) = batch_tensors(&batch);
            let logits = branch.forward_t(&x, &mask, true);
            let loss = logits.view([-1, 3]).cross_entropy_loss::<Tensor>(
                &y.view([-1]),
                None,
                tch::Reduction::Mean,
                -100,
                0.0,
            );
            let lr = warmup_then_linear(opt.lr, step, warmup, total);
            optim.set_lr(lr);
            optim.backward_step_clip_norm(&loss, 1.0);
            let l = f64::from(loss.to_kind(Kind::Double));
            loss_sum += l;
            loss_n += 1;
            epoch_sum += l;
            epoch_n += 1;
            step += 1;
            if step % 100 == 0 || step == 5 {
                writeln!(
                    log,
                    "epoch {} step {step}/{total} loss {:.4} lr {lr:.2e} elapsed {:.0}s",
                    epoch + 1,
                    loss_sum / loss_n as f64,
                    started.elapsed().as_secs_f64()
                )?;
                log.flush()?;
                (loss_sum, loss_n) = (0.0, 0);
            }
        }
        writeln!(
            log,
            "epoch {} mean loss {:.4}",
            epoch + 1,
            epoch_sum / epoch_n.max(1) as f64
        )?;
        let counts = score_branch(&branch, &dev_arts, &dev_ex);
        let f1 = 100.0 * counts[0].f1();
        writeln!(
            log,
            "epoch {} dev (tagger alone, document level): {}; elapsed {:.0}s",
            epoch + 1,
            fmt_counts(&counts),
            started.elapsed().as_secs_f64()
        )?;
        if f1 > best {
            best = f1;
            config.write(out)?;
            ner::save_weights(&vs, &out.join(WEIGHTS_FILE), true)?;
            writeln!(log, "epoch {} kept", epoch + 1)?;
        }
        log.flush()?;
    }
    writeln!(
        log,
        "best dev exact content F1 {best:.2}; total {:.0}s",
        started.elapsed().as_secs_f64()
    )?;
    Ok(best)
}
