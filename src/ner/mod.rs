//! The transformer tagger: words in, PER/ORG/LOC/MISC mentions out.
//!
//! What this module owns:
//! - splitting cleaned text into words ([`words`]), the unit that gets one label each;
//! - loading a token-classification model from a directory ([`NerModel::load`]): the project's
//!   own model (a BERT encoder plus a learned word-shape embedding that feeds casing back into
//!   an uncased encoder), or a Hugging Face BERT / DistilBERT token-classification checkpoint
//!   (`config.json` + `model.safetensors` or `pytorch_model.bin` + `tokenizer.json` or
//!   `vocab.txt`);
//! - windows over documents of any length: whole sentences are packed into windows of 128
//!   subwords (a longer sentence is cut at word boundaries), so each word is labelled exactly
//!   once and sees the neighbouring sentences; optional extra context margins
//!   (`core_fraction < 1`); each window is its own forward pass, unpadded, with its kernels on
//!   one thread, concurrently on the rayon pool when `concurrent` is set: a window's tags and
//!   scores then depend on that window alone, never on its neighbours in a batch, the batch
//!   size, the thread count or the run; the number format is [`Precision`];
//! - subword logits → one label per word (first subword) → constrained BIO decoding (Viterbi
//!   with I-X allowed only after B-X/I-X) → mentions with byte spans.
//!
//! It does not merge mentions into entities ([`crate::entities`]) ; training lives in [`train`].
//!
//! Its rooms: [`windows`](mod@windows) (words, word shapes, subword windows), [`net`] (the network, its
//! configuration and weight files), [`decode`] (labels → BIO-consistent mentions), [`conll`]
//! (CoNLL-2003 reading), [`train`] (fine-tuning), [`threads`] (compute thread setup),
//! [`fastbert`] (an own BERT forward for inference, float or int8) and [`quant`] (int8 linear
//! layers over oneDNN).

pub mod attr_decode;
pub mod attr_head;
pub mod autocast;
pub mod conll;
pub mod decode;
pub mod fastbert;
pub mod net;
pub mod quant;
pub mod score;
pub mod threads;
pub mod train;
pub mod windows;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::tagging::{ChooserWeights, Tagged, Tagger};
use crate::{Mention, Sentence, Span};

pub use decode::{chunks, greedy_bio, viterbi_bio, Tag};
pub use net::{
    load_tokenizer, load_weights, read_weights, save_weights, write_random_model, Arch,
    EncoderStates, ModelConfig, NerNet,
};
pub use windows::{
    doc_words, tokenize_words, windows, word_shape, words, Tokenized, Window, Word, N_SHAPES,
};

/// The label set of the shipped model and of CoNLL-2003 in BIO form.
pub const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// Options of the tagger. By default: windows of 128 tokens (as in training; measured better and
/// faster than 256 on eng.testa), constrained (Viterbi) BIO decoding.
#[derive(Debug, Clone)]
pub struct NerOptions {
    /// Subword tokens per window, including `[CLS]` and `[SEP]`. By default 128 (at most 512).
    pub max_len: usize,
    /// Constrained BIO decoding (Viterbi). By default on; off = greedy with BIO repair.
    pub viterbi: bool,
    /// Add neighbouring sentences as context around each window's core. By default on.
    pub context: bool,
    /// Share of a window given to the words it labels (the core) when `context` is on; the
    /// rest is context. By default 1.0: windows are packed with whole sentences and get no extra
    /// margins (margins of 0.25 measured +0.04 F1 on eng.testa, 0 on eng.testb, and cost a third
    /// of the speed). Training uses 0.5.
    pub core_fraction: f64,
    /// Run forward passes concurrently on the rayon pool, one pass per worker. Off: one pass
    /// at a time. Either way each pass should run its kernels on one thread
    /// (`threads::set_inference_threads`, what the commands call): then a window's output is
    /// the same bit for bit whatever the threads, batch and run.
    pub concurrent: bool,
    /// Number format of the weights and activations in forward passes. By default `Auto`.
    pub precision: Precision,
    /// Load the attribution branch when the model directory has one (`attribution.json`):
    /// the same encoder pass then also gives Content/Cue/Source tags (`--attribution-head`).
    /// By default off: with it on, the seed article gets unquoted attributions outside its
    /// hand annotation (see the model card).
    pub attribution: bool,
    /// Keep every encoder layer's output (what the attribution branch reads; for training it).
    /// Implied by a loaded attribution branch. By default off.
    pub keep_layers: bool,
    /// Load the learned speaker chooser (`chooser.json`) with the attribution branch. By
    /// default off, as the attribution branch is.
    pub chooser: bool,
    /// Keep the attribution branch's input state of each word ([`crate::tagging::WordStates`])
    /// for the speaker chooser's pair score. Implied by a loaded chooser with pair weights; on
    /// for fitting one. By default off.
    pub word_states: bool,
}

/// Number format for inference. `Auto` is the fastest format whose products work in this
/// process (a small probe product at load, not CPUID alone): int8 where oneDNN's int8
/// product is linked and the model is a BERT, else bfloat16 where the CPU and libtorch's
/// kernels multiply it natively, else float32. Every format gives each window the same output
/// whatever its batch, thread count or run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Auto,
    F32,
    Bf16,
    Int8,
}

impl Precision {
    /// `Auto` made concrete for this process, for a BERT model or not.
    pub fn resolve_for(self, bert: bool) -> Precision {
        match self {
            Precision::Auto if bert && quant::fast_int8_works() => Precision::Int8,
            Precision::Auto if cpu_has_bf16() && bf16_works() => Precision::Bf16,
            Precision::Auto => Precision::F32,
            p => p,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Precision::Auto => "auto",
            Precision::F32 => "float32",
            Precision::Bf16 => "bfloat16",
            Precision::Int8 => "int8",
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Precision::Auto),
            "f32" | "fp32" | "float32" => Ok(Precision::F32),
            "bf16" | "bfloat16" => Ok(Precision::Bf16),
            "int8" | "i8" => Ok(Precision::Int8),
            _ => Err(format!(
                "unknown precision {s:?} (expected auto, f32, bf16 or int8)"
            )),
        }
    }
}

/// Whether libtorch multiplies bfloat16 here: a small product through the path a linear
/// layer takes (`matmul` of a `[batch, seq, hidden]` input) succeeds and is close to float32.
/// With oneDNN capped below AVX512 (`DNNL_MAX_CPU_ISA=AVX2`) on a CPU with AVX512-BF16,
/// libtorch still routes bfloat16 to oneDNN, which then fails ("could not create a primitive
/// descriptor iterator"). Computed once per process.
pub fn bf16_works() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        tch::no_grad(|| {
            let x = Tensor::arange(2 * 3 * 64, (Kind::Float, Device::Cpu)).view([2, 3, 64]) / 384.0;
            let w =
                Tensor::arange(32 * 64, (Kind::Float, Device::Cpu)).view([32, 64]) / 2048.0 - 0.5;
            let want = x.matmul(&w.tr());
            let got = x
                .to_kind(Kind::BFloat16)
                .f_matmul(&w.to_kind(Kind::BFloat16).tr())
                .and_then(|y| y.f_to_kind(Kind::Float));
            match got {
                Ok(y) => {
                    let err = f64::from((y - &want).abs().max());
                    let scale = f64::from(want.abs().max());
                    err <= 0.02 * scale.max(1.0)
                }
                Err(_) => false,
            }
        })
    })
}

/// Whether the CPU has native bfloat16 dot products (AVX512-BF16).
pub fn cpu_has_bf16() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions {
            max_len: 128,
            viterbi: true,
            context: true,
            core_fraction: 1.0,
            concurrent: false,
            precision: Precision::Auto,
            attribution: false,
            keep_layers: false,
            chooser: false,
            word_states: false,
        }
    }
}

/// A loaded token-classification model with its tokenizer.
pub struct NerModel {
    _vs: nn::VarStore,
    net: NerNet,
    /// The attribution branch over the encoder's states, when the directory has one and
    /// `options.attribution` is on.
    attr: Option<attr_head::AttrBranch>,
    /// The learned speaker chooser's weights (`chooser.json`), read with the branch.
    chooser: Option<ChooserWeights>,
    /// Whether forward passes keep every layer's output (the branch reads one).
    keep_layers: bool,
    tokenizer: Tokenizer,
    tags: Vec<Tag>,
    cls: i64,
    sep: i64,
    pad: i64,
    pub options: NerOptions,
    /// One forward pass at a time unless `options.concurrent`: then each pass is single-threaded.
    lock: Mutex<()>,
    pub dir: PathBuf,
    /// The number format the forward passes use (`options.precision` resolved).
    pub precision: Precision,
    /// What the forward passes computed so far.
    pub work: Work,
    /// Hidden size, intermediate size, layers.
    dims: (i64, i64, i64),
}

/// Counters of the tagger's forward passes, for benchmarks.
#[derive(Debug, Default)]
pub struct Work {
    pub windows: std::sync::atomic::AtomicU64,
    /// Subword tokens with `[CLS]` and `[SEP]`.
    pub tokens: std::sync::atomic::AtomicU64,
    /// Token slots computed (batch × padded length).
    pub slots: std::sync::atomic::AtomicU64,
    /// Floating-point (or integer) operations of the encoder: 2 per multiply-add.
    pub flop: std::sync::atomic::AtomicU64,
}

impl NerModel {
    /// Tokens per word, padding and encoder operations per word so far, for `words` words.
    pub fn work_summary(&self, words: usize) -> String {
        use std::sync::atomic::Ordering::Relaxed;
        let w = words.max(1) as f64;
        let (tokens, slots) = (
            self.work.tokens.load(Relaxed),
            self.work.slots.load(Relaxed),
        );
        format!(
            "{} windows, {:.3} tokens per word, {:.1}% padding, {:.1} MFLOP per word in the encoder",
            self.work.windows.load(Relaxed),
            tokens as f64 / w,
            100.0 * (slots - tokens) as f64 / slots.max(1) as f64,
            self.work.flop.load(Relaxed) as f64 / w / 1e6
        )
    }
}

// SAFETY: the model's tensors are only read after loading; libtorch allows concurrent forward
// passes over shared read-only tensors (grad mode is thread-local and set in each pass).
unsafe impl Sync for NerModel {}
unsafe impl Send for NerModel {}

/// Finds the weights file in a model directory.
pub fn weights_file(dir: &Path) -> Result<PathBuf> {
    for name in [
        "model.safetensors",
        "pytorch_model.bin",
        "rust_model.ot",
        "model.ot",
    ] {
        let p = dir.join(name);
        if p.exists() {
            return Ok(p);
        }
    }
    bail!(
        "{}: no weights (model.safetensors, pytorch_model.bin or rust_model.ot)",
        dir.display()
    )
}

impl NerModel {
    /// Loads a model directory: `config.json` (with `id2label`), weights, tokenizer.
    pub fn load(dir: &Path, options: NerOptions) -> Result<NerModel> {
        if !dir.is_dir() {
            bail!("model directory {} does not exist (the shipped model is models/whosaid-joint-en; pass --model DIR for another)", dir.display());
        }
        let mut config = ModelConfig::from_file(&dir.join("config.json"), None)?;
        use attr_head as am;
        let attr_config = if options.attribution && dir.join(am::CONFIG_FILE).exists() {
            Some(am::AttrConfig::read(dir)?)
        } else {
            None
        };
        let keep_layers = attr_config.is_some() || options.keep_layers;
        if let Arch::Bert(c) = &mut config.arch {
            if keep_layers {
                c.output_hidden_states = Some(true);
            }
        }
        let is_bert = matches!(config.arch, Arch::Bert(_));
        let precision = options.precision.resolve_for(is_bert);
        if precision == Precision::Int8 && !is_bert {
            bail!(
                "{}: --precision int8 needs a BERT model (this one is DistilBERT)",
                dir.display()
            );
        }
        if precision == Precision::Bf16 && !bf16_works() {
            bail!(
                "{}: --precision bf16: libtorch's bfloat16 products fail on this CPU with these \
                 kernel settings (DNNL_MAX_CPU_ISA, ATEN_CPU_CAPABILITY); use auto, f32 or int8",
                dir.display()
            );
        }
        let mut weights = read_weights(&weights_file(dir)?)?;
        let mut vs = nn::VarStore::new(Device::Cpu);
        let (mut net, attr, missing) = if precision == Precision::Int8 && attr_config.is_none() {
            // Straight from the file's tensors: no rust-bert model to initialise (its random
            // initialisation alone took 0.26 s), no var store.
            quant::cap_isa_for_int8();
            let net = NerNet::new_fast(&weights.into_iter().collect(), &config, true)
                .with_context(|| format!("{}: int8 encoder", dir.display()))?;
            (net, None, Vec::new())
        } else {
            let net = NerNet::new(&vs, &config)?;
            let attr = match (&attr_config, &config.arch) {
                (Some(ac), Arch::Bert(c)) => Some(am::AttrBranch::new(
                    &(vs.root() / "attribution"),
                    c,
                    ac.clone(),
                )?),
                _ => None,
            };
            if attr.is_some() {
                weights.extend(read_weights(&dir.join(am::WEIGHTS_FILE))?);
            }
            let missing = load_weights(&vs, weights)?;
            (net, attr, missing)
        };
        if precision == Precision::Bf16 {
            vs.bfloat16();
        }
        let essential: Vec<&String> = missing
            .iter()
            .filter(|n| {
                n.contains("encoder")
                    || n.contains("transformer")
                    || n.starts_with("classifier")
                    || n.starts_with("attribution.")
            })
            .collect();
        if !essential.is_empty() {
            bail!(
                "{}: weights missing for {} parameters, e.g. {}",
                dir.display(),
                essential.len(),
                essential[0]
            );
        }
        let lowercase = !config.shape_features
            && config
                .raw
                .get("do_lower_case")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
        let tokenizer = load_tokenizer(dir, lowercase)?;
        let id = |t: &str, default: i64| {
            tokenizer
                .token_to_id(t)
                .map(|i| i as i64)
                .unwrap_or(default)
        };
        let (cls, sep, pad) = (id("[CLS]", 101), id("[SEP]", 102), id("[PAD]", 0));
        let tags = config.labels.iter().map(|l| Tag::parse(l)).collect();
        let dims = match &config.arch {
            Arch::Bert(c) => (c.hidden_size, c.intermediate_size, c.num_hidden_layers),
            Arch::Distil(c) => (c.dim, c.hidden_dim, c.n_layers),
        };
        if precision == Precision::Int8 && attr.is_some() {
            // The branch reads the encoder's layers through the own forward, which then runs
            // int8 over the var store's weights; the branch keeps its float weights.
            quant::cap_isa_for_int8();
            net.use_fast_encoder(&vs.variables(), &config, true)?;
        }
        let mut options = options;
        options.max_len = options.max_len.min(config.max_position).max(8);
        let chooser = if attr.is_some() && options.chooser {
            let w = ChooserWeights::read(dir)?;
            anyhow::ensure!(
                w.is_some(),
                "{}: no {} for the speaker chooser (fit one with `whosaid eval fit-chooser`)",
                dir.display(),
                ChooserWeights::FILE
            );
            w
        } else {
            None
        };
        if chooser.as_ref().is_some_and(|c| c.pair.is_some()) {
            options.word_states = true;
        }
        Ok(NerModel {
            _vs: vs,
            net,
            attr,
            chooser,
            keep_layers,
            tokenizer,
            tags,
            cls,
            sep,
            pad,
            options,
            lock: Mutex::new(()),
            dir: dir.to_path_buf(),
            precision,
            work: Work::default(),
            dims,
        })
    }

    /// The model's label tags, by label id.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The network (encoder and NER head).
    pub fn net(&self) -> &NerNet {
        &self.net
    }

    /// The attribution branch, when loaded.
    pub fn attribution(&self) -> Option<&attr_head::AttrBranch> {
        self.attr.as_ref()
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The ids of `[CLS]`, `[SEP]` and `[PAD]`.
    pub fn special_ids(&self) -> (i64, i64, i64) {
        (self.cls, self.sep, self.pad)
    }

    /// Labels documents given as words: for each document, one (label id, probability) per word.
    pub fn tag_words(&self, docs: &[Vec<Word>]) -> Result<Vec<Vec<(usize, f32)>>> {
        Ok(self.tag_words_full(docs)?.labels)
    }

    /// [`NerModel::tag_words`], and from the same encoder pass, when the attribution branch is
    /// loaded, each document's per-word attribution log-probabilities
    /// (`[role][word] = [O, B, I]`, roles Content, Cue, Source) and, with
    /// `options.word_states`, the branch's input state of each word.
    pub fn tag_words_full(&self, docs: &[Vec<Word>]) -> Result<WordTags> {
        let body = self.options.max_len - 2;
        let mut toks = Vec::with_capacity(docs.len());
        let mut jobs: Vec<(usize, Window)> = Vec::new();
        for (d, words) in docs.iter().enumerate() {
            let t = tokenize_words(&self.tokenizer, words)?;
            let core = if self.options.context {
                ((body as f64) * self.options.core_fraction.clamp(0.1, 1.0)) as usize
            } else {
                body
            };
            // A window whose core words have no letter (a run of quote marks or dashes) is
            // not tagged: its words are O, as words the tokenizer dropped are.
            for w in windows(&t, body, core) {
                if (w.core_start..w.core_end).any(|p| windows::has_letter(words[t.word_of[p]].text))
                {
                    jobs.push((d, w));
                }
            }
            toks.push(t);
        }
        let n_labels = self.tags.len();
        // Per word log-probs, filled window by window.
        let mut logp: Vec<Vec<Vec<f32>>> = docs
            .iter()
            .map(|w| vec![vec![0.0f32; n_labels]; w.len()])
            .collect();
        let mut have: Vec<Vec<bool>> = docs.iter().map(|w| vec![false; w.len()]).collect();
        // One window per forward pass, unpadded: every product's shape, and so its rounding,
        // depends on that window alone (see the module doc).
        let batches: Vec<&[(usize, Window)]> = jobs.chunks(1).collect();
        let keep_states = self.options.word_states && self.attr.is_some();
        let run = |batch: &[(usize, Window)]| -> Result<PassOut> {
            let seq = batch
                .iter()
                .map(|(_, w)| w.end - w.start)
                .max()
                .unwrap_or(0)
                + 2;
            let b = batch.len();
            let mut ids = vec![self.pad; b * seq];
            let mut shapes = vec![0i64; b * seq];
            let mut mask = vec![0i64; b * seq];
            for (r, (d, w)) in batch.iter().enumerate() {
                let t = &toks[*d];
                let row = r * seq;
                ids[row] = self.cls;
                mask[row] = 1;
                for (k, p) in (w.start..w.end).enumerate() {
                    ids[row + 1 + k] = t.ids[p];
                    shapes[row + 1 + k] = t.shapes[p];
                    mask[row + 1 + k] = 1;
                }
                let last = row + 1 + (w.end - w.start);
                ids[last] = self.sep;
                mask[last] = 1;
            }
            let shape = [b as i64, seq as i64];
            {
                use std::sync::atomic::Ordering::Relaxed;
                let (h, i, l) = self.dims;
                let (bs, s) = (b as u64, seq as u64);
                let real: u64 = batch
                    .iter()
                    .map(|(_, w)| (w.end - w.start + 2) as u64)
                    .sum();
                // Per token and layer: 4 h×h and 2 h×i products; per window and layer: q·kᵀ and
                // p·v, 2 s²h multiply-adds. The classifier is left out (9 outputs).
                let (h, i, l) = (h as u64, i as u64, l as u64);
                let mac = l * (bs * s * (4 * h * h + 2 * h * i) + bs * 2 * s * s * h);
                self.work.windows.fetch_add(bs, Relaxed);
                self.work.tokens.fetch_add(real, Relaxed);
                self.work.slots.fetch_add(bs * s, Relaxed);
                self.work.flop.fetch_add(2 * mac, Relaxed);
            }
            let forward = || {
                // One OpenMP thread for the oneDNN products started from this thread (int8,
                // bfloat16): the setting is per thread, and a rayon worker starts with all cores.
                // Restored on return: a caller on its own thread (a trainer scoring an epoch)
                // keeps its pool.
                let _threads = quant::OmpThreads::one();
                tch::no_grad(|| -> Result<(Tensor, Option<Tensor>, Option<Tensor>)> {
                    let mask = Tensor::of_slice(&mask).view(shape);
                    let states = self.net.encode(
                        &Tensor::of_slice(&ids).view(shape),
                        &Tensor::of_slice(&shapes).view(shape),
                        &mask,
                        self.keep_layers,
                        false,
                    )?;
                    let (attr, kept) = match &self.attr {
                        Some(branch) => {
                            let input = branch.input(&states)?;
                            let kept = keep_states.then(|| input.to_kind(Kind::Float));
                            let lp = attr_head::AttrBranch::log_probs(&branch.forward_t(
                                &input.to_kind(branch.kind()),
                                &mask,
                                false,
                            ));
                            (Some(lp), kept)
                        }
                        None => (None, None),
                    };
                    let logits = self.net.classify(&states.last, false);
                    Ok((logits.log_softmax(-1, Kind::Float), attr, kept))
                })
            };
            let out = if self.options.concurrent {
                forward()?
            } else {
                let _guard = self
                    .lock
                    .lock()
                    .map_err(|_| anyhow!("tagger lock poisoned"))?;
                forward()?
            };
            let flat = |t: Tensor| Vec::<f32>::from(t.contiguous().view(-1));
            Ok(PassOut {
                seq,
                logp: flat(out.0),
                attr: out.1.map(flat),
                states: out.2.map(flat),
            })
        };
        let outputs: Vec<Result<PassOut>> = if self.options.concurrent {
            use rayon::prelude::*;
            batches.par_iter().map(|b| run(b)).collect()
        } else {
            batches.iter().map(|b| run(b)).collect()
        };
        // Attribution log-probs; words the tokenizer dropped stay O.
        let mut attr: Option<Vec<AttrLogp>> = self.attr.as_ref().map(|_| {
            docs.iter()
                .map(|w| std::array::from_fn(|_| vec![[0.0, -30.0, -30.0]; w.len()]))
                .collect()
        });
        let dim = self.dims.0 as usize;
        let mut states: Option<Vec<Vec<f32>>> =
            keep_states.then(|| docs.iter().map(|w| vec![0.0; w.len() * dim]).collect());
        for (batch, out) in batches.iter().zip(outputs) {
            let PassOut {
                seq,
                logp: flat,
                attr: attr_flat,
                states: states_flat,
            } = out?;
            for (r, (d, w)) in batch.iter().enumerate() {
                let t = &toks[*d];
                for p in w.core_start..w.core_end {
                    let word = t.word_of[p];
                    if t.first_sub[word] == Some(p) {
                        let off = (r * seq + 1 + (p - w.start)) * n_labels;
                        logp[*d][word].copy_from_slice(&flat[off..off + n_labels]);
                        have[*d][word] = true;
                        if let (Some(a), Some(af)) = (attr.as_mut(), attr_flat.as_ref()) {
                            let base = (r * seq + 1 + (p - w.start)) * 9;
                            for (role, layer) in a[*d].iter_mut().enumerate() {
                                let o = base + role * 3;
                                layer[word] = [af[o], af[o + 1], af[o + 2]];
                            }
                        }
                        if let (Some(st), Some(sf)) = (states.as_mut(), states_flat.as_ref()) {
                            let from = (r * seq + 1 + (p - w.start)) * dim;
                            st[*d][word * dim..(word + 1) * dim]
                                .copy_from_slice(&sf[from..from + dim]);
                        }
                    }
                }
            }
        }
        let o = self.tags.iter().position(|t| *t == Tag::O).unwrap_or(0);
        let labels = logp
            .into_iter()
            .zip(have)
            .map(|(mut lp, have)| {
                // Words the tokenizer dropped (odd symbols) are O.
                for (row, h) in lp.iter_mut().zip(&have) {
                    if !h {
                        row.iter_mut().for_each(|x| *x = -30.0);
                        row[o] = 0.0;
                    }
                }
                let labels = if self.options.viterbi {
                    viterbi_bio(&lp, &self.tags)
                } else {
                    greedy_bio(&lp)
                };
                labels
                    .into_iter()
                    .zip(&lp)
                    .map(|(l, row)| (l, row[l].exp()))
                    .collect()
            })
            .collect();
        Ok(WordTags {
            labels,
            attr,
            states,
        })
    }
}

/// What one forward pass gives, flattened: its padded length, the NER log-probabilities, the
/// attribution log-probabilities and the branch's input states (when asked for).
struct PassOut {
    seq: usize,
    logp: Vec<f32>,
    attr: Option<Vec<f32>>,
    states: Option<Vec<f32>>,
}

/// What [`NerModel::tag_words_full`] gives per document: word labels with their
/// probabilities, and with the attribution branch its log-probabilities and (with
/// `options.word_states`) each word's state, `words × hidden` values.
pub struct WordTags {
    pub labels: Vec<Vec<(usize, f32)>>,
    pub attr: Option<Vec<AttrLogp>>,
    pub states: Option<Vec<Vec<f32>>>,
}

/// The longest mention the tagger gives, in characters.
pub const MAX_MENTION_CHARS: usize = 200;

/// Per-word attribution log-probabilities of a document: `[role][word] = [O, B, I]`.
pub type AttrLogp = [Vec<[f32; 3]>; 3];

impl NerModel {
    /// Mentions from word labels. A mention with no capital letter and no digit ("ru" of
    /// "Kremlin.ru") is dropped: in edited news a name has at least one. So is one longer than
    /// [`MAX_MENTION_CHARS`] (a run of text without spaces is no name).
    fn mentions_of(&self, text: &str, spans: &[Span], labels: &[(usize, f32)]) -> Vec<Mention> {
        chunks(labels, &self.tags)
            .into_iter()
            .map(|(s, e, etype, score)| Mention {
                span: Span::new(spans[s].start, spans[e - 1].end),
                etype,
                score,
            })
            .filter(|m| {
                let t = &text[m.span.start..m.span.end];
                t.chars().any(|c| c.is_uppercase() || c.is_numeric())
                    && t.chars().nth(MAX_MENTION_CHARS).is_none()
            })
            .collect()
    }
}

impl Tagger for NerModel {
    fn tag(&self, text: &str, sentences: &[Sentence]) -> Result<Vec<Mention>> {
        let (spans, ws, _) = doc_words(text, sentences);
        let labels = self.tag_words(&[ws])?;
        Ok(self.mentions_of(text, &spans, &labels[0]))
    }

    fn tag_batch(&self, docs: &[(&str, &[Sentence])]) -> Vec<Result<Vec<Mention>>> {
        self.tag_batch_full(docs)
            .into_iter()
            .map(|r| r.map(|t| t.mentions))
            .collect()
    }

    fn chooser(&self) -> Option<&ChooserWeights> {
        self.chooser.as_ref()
    }

    fn min_score(&self) -> Option<f32> {
        self.attr.as_ref().and_then(|a| a.config.min_score)
    }

    fn tag_batch_full(&self, docs: &[(&str, &[Sentence])]) -> Vec<Result<Tagged>> {
        let prepared: Vec<(Vec<Span>, Vec<Word>, Vec<usize>)> =
            docs.iter().map(|(t, s)| doc_words(t, s)).collect();
        let words: Vec<Vec<Word>> = prepared.iter().map(|(_, w, _)| w.clone()).collect();
        match self.tag_words_full(&words) {
            Ok(WordTags {
                labels,
                attr,
                states,
            }) => {
                let mut attr = attr.map(|a| a.into_iter());
                let mut states = states.map(|s| s.into_iter());
                let dim = self.dims.0 as usize;
                prepared
                    .iter()
                    .zip(labels)
                    .zip(docs)
                    .map(|(((spans, _, sentence), l), (text, _))| {
                        let lp = attr.as_mut().and_then(|it| it.next());
                        let states = states.as_mut().and_then(|it| it.next()).map(|data| {
                            crate::tagging::WordStates {
                                spans: spans.clone(),
                                dim,
                                data,
                            }
                        });
                        // Only a model with the attribution head decodes spans.
                        let (attributions, sources) = match &lp {
                            Some(lp) => {
                                let breaks = attr_decode::paragraph_breaks(text, spans, sentence);
                                (
                                    Some(attr_decode::decode_words(lp, spans, sentence, &breaks)),
                                    attr_decode::source_spans(lp, spans, &breaks),
                                )
                            }
                            None => (None, Vec::new()),
                        };
                        Ok(Tagged {
                            mentions: self.mentions_of(text, spans, &l),
                            attributions,
                            sources,
                            states,
                        })
                    })
                    .collect()
            }
            // One document at a time so that one bad document fails alone.
            Err(_) if docs.len() > 1 => docs
                .iter()
                .flat_map(|d| self.tag_batch_full(std::slice::from_ref(d)))
                .collect(),
            Err(e) => vec![Err(e)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType;

    fn texts<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn words_split_like_conll() {
        let t = "Putin's U.S. pact, 1,000.5 non-interference “deal” 🙂 Lavrov";
        let w = words(t, Span::new(0, t.len()));
        assert_eq!(
            texts(t, &w),
            vec![
                "Putin",
                "'s",
                "U.S.",
                "pact",
                ",",
                "1,000.5",
                "non-interference",
                "“",
                "deal",
                "”",
                "🙂",
                "Lavrov"
            ]
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(word_shape("putin", false), 3);
        assert_eq!(word_shape("Putin", false), 4);
        assert_eq!(word_shape("Putin", true), 12);
        assert_eq!(word_shape("NATO", false), 5);
        assert_eq!(word_shape("U.S.", false), 5);
        assert_eq!(word_shape("1996", false), 2);
        assert_eq!(word_shape(",", false), 1);
        assert_eq!(word_shape("McDonald", false), 7);
    }

    #[test]
    fn tags_parse() {
        assert_eq!(Tag::parse("B-PER"), Tag::B(EntityType::PER));
        assert_eq!(Tag::parse("I-ORG"), Tag::I(EntityType::ORG));
        assert_eq!(Tag::parse("O"), Tag::O);
        assert_eq!(Tag::parse("S-LOC"), Tag::B(EntityType::LOC));
    }

    #[test]
    fn viterbi_never_starts_with_inside() {
        let tags: Vec<Tag> = LABELS.iter().map(|l| Tag::parse(l)).collect();
        // Word 0 prefers I-PER, word 1 prefers I-PER: Viterbi must give B-PER I-PER.
        let mut a = vec![-5.0f32; 9];
        a[2] = -0.1;
        a[1] = -1.0;
        let lp = vec![a.clone(), a];
        assert_eq!(viterbi_bio(&lp, &tags), vec![1, 2]);
        // Greedy keeps I I, and chunks() repairs it into one mention.
        let g = greedy_bio(&lp);
        assert_eq!(g, vec![2, 2]);
        let c = chunks(&[(2, 0.9), (2, 0.9)], &tags);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].0, c[0].1, c[0].2), (0, 2, EntityType::PER));
    }

    #[test]
    fn windows_cover_each_subword_once() {
        // 10 sentences of 7 subwords each.
        let n = 70;
        let t = Tokenized {
            ids: vec![5; n],
            shapes: vec![1; n],
            word_of: (0..n).collect(),
            first_sub: (0..n).map(Some).collect(),
            sentences: (0..10).map(|i| (i * 7, i * 7 + 7)).collect(),
        };
        for context in [false, true] {
            let ws = windows(&t, 30, if context { 15 } else { 30 });
            let mut covered = vec![0; n];
            for w in &ws {
                assert!(w.end - w.start <= 30, "{w:?}");
                assert!(w.start <= w.core_start && w.core_end <= w.end);
                for c in &mut covered[w.core_start..w.core_end] {
                    *c += 1;
                }
            }
            assert!(covered.iter().all(|&c| c == 1), "{covered:?}");
            if context {
                assert!(ws
                    .iter()
                    .any(|w| w.start < w.core_start || w.end > w.core_end));
            }
        }
        // A sentence longer than the window is cut.
        let t2 = Tokenized {
            sentences: vec![(0, n)],
            ..t
        };
        let ws = windows(&t2, 30, 15);
        assert!(ws.iter().all(|w| w.end - w.start <= 30));
        assert_eq!(
            ws.iter().map(|w| w.core_end - w.core_start).sum::<usize>(),
            n
        );
    }
}
