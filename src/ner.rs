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
//!   (`core_fraction < 1`); windows run in batches, concurrently on the rayon pool when
//!   `concurrent` is set, in bfloat16 where the CPU has AVX512-BF16 ([`Precision`]);
//! - subword logits → one label per word (first subword) → constrained BIO decoding (Viterbi
//!   with I-X allowed only after B-X/I-X) → mentions with byte spans.
//!
//! It does not merge mentions into entities ([`crate::entities`]) nor train ([`crate::train`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};
use regex::Regex;
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::distilbert::{DistilBertConfig, DistilBertModel};
use tch::{nn, nn::Module, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::fastbert::FastBert;
use crate::pipeline::Tagger;
use crate::types::{EntityType, Mention, Sentence, Span};

/// The label set of the shipped model and of CoNLL-2003 in BIO form.
pub const LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// Number of word-shape ids (0 is reserved for special and padding tokens).
pub const N_SHAPES: i64 = 16;

/// The word shape of `word`: casing class (1..=7) plus 8 when the word starts a sentence.
///
/// This is how the uncased encoder learns casing back: `Putin` and `putin` tokenize the same,
/// their shapes differ.
pub fn word_shape(word: &str, sentence_start: bool) -> i64 {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let has_digit = word.chars().any(|c| c.is_numeric());
    let base = if letters.is_empty() {
        if has_digit {
            2
        } else {
            1
        }
    } else if has_digit {
        6
    } else if letters.iter().all(|c| c.is_lowercase()) {
        3
    } else if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        5
    } else if letters[0].is_uppercase() && letters[1..].iter().all(|c| c.is_lowercase()) {
        4
    } else {
        7
    };
    base + if sentence_start { 8 } else { 0 }
}

/// Splits text into words for tagging, as CoNLL-2003 does: `U.S.` stays whole, `Putin's`
/// becomes `Putin` + `'s`, punctuation stands alone. Spans are bytes into `text`.
pub fn words(text: &str, span: Span) -> Vec<Span> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            \p{L}(?:\.\p{L})+\.?                                # U.S., U.K., a.m.
            | \p{N}+(?:[.,:/]\p{N}+)*                            # 1,000.5  12:30
            | [\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+)*     # words, non-interference
            | [^\s]                                              # any other single char
            ",
        )
        .expect("word regex")
    });
    let mut out = Vec::new();
    for m in re.find_iter(&text[span.start..span.end]) {
        let (s, e) = (span.start + m.start(), span.start + m.end());
        let w = &text[s..e];
        // Split a possessive 's / ’s off a word.
        let poss = ["'s", "’s", "'S", "’S"]
            .iter()
            .find(|p| w.len() > p.len() + 1 && w.ends_with(*p));
        match poss {
            Some(p) => {
                out.push(Span::new(s, e - p.len()));
                out.push(Span::new(e - p.len(), e));
            }
            None => out.push(Span::new(s, e)),
        }
    }
    out
}

/// How a label of the model maps to ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    O,
    B(EntityType),
    I(EntityType),
}

impl Tag {
    /// Parses `O`, `B-PER`, `I-LOC`, also `S-`/`E-` (BIOES as B/I) and `PERSON`-style names.
    pub fn parse(label: &str) -> Tag {
        let (prefix, name) = match label.split_once('-') {
            Some((p, n)) => (p, n),
            None => ("I", label),
        };
        let etype = match name.to_ascii_uppercase().as_str() {
            "PER" | "PERSON" => EntityType::PER,
            "ORG" | "ORGANIZATION" | "ORGANISATION" => EntityType::ORG,
            "LOC" | "LOCATION" | "GPE" => EntityType::LOC,
            "MISC" | "NORP" => EntityType::MISC,
            _ => return Tag::O,
        };
        match prefix {
            "B" | "S" => Tag::B(etype),
            _ => Tag::I(etype),
        }
    }
}

/// Viterbi decoding of per-word label log-probabilities under BIO constraints:
/// `I-X` may only follow `B-X` or `I-X`. Returns one label index per word.
pub fn viterbi_bio(logp: &[Vec<f32>], tags: &[Tag]) -> Vec<usize> {
    let n = logp.len();
    if n == 0 {
        return vec![];
    }
    let l = tags.len();
    let allowed = |prev: Option<usize>, cur: usize| -> bool {
        match tags[cur] {
            Tag::I(t) => match prev.map(|p| tags[p]) {
                Some(Tag::B(pt)) | Some(Tag::I(pt)) => pt == t,
                _ => false,
            },
            _ => true,
        }
    };
    let neg = f32::NEG_INFINITY;
    let mut score = vec![vec![neg; l]; n];
    let mut back = vec![vec![0usize; l]; n];
    for c in 0..l {
        if allowed(None, c) {
            score[0][c] = logp[0][c];
        }
    }
    for i in 1..n {
        for c in 0..l {
            let mut best = (neg, 0);
            for (p, &prev) in score[i - 1].iter().enumerate() {
                if prev > neg && allowed(Some(p), c) && prev > best.0 {
                    best = (prev, p);
                }
            }
            if best.0 > neg {
                score[i][c] = best.0 + logp[i][c];
                back[i][c] = best.1;
            }
        }
    }
    let mut cur = (0..l)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = cur;
        cur = back[i][cur];
    }
    out
}

/// Greedy decoding with BIO repair: an `I-X` that does not continue an `X` becomes `B-X`.
pub fn greedy_bio(logp: &[Vec<f32>]) -> Vec<usize> {
    logp.iter()
        .map(|row| {
            (0..row.len())
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(0)
        })
        .collect()
}

/// Options of the tagger. By default: windows of 128 tokens (as in training; measured better and
/// faster than 256 on eng.testa), batches of 16 windows,
/// constrained (Viterbi) BIO decoding.
#[derive(Debug, Clone)]
pub struct NerOptions {
    /// Subword tokens per window, including [CLS] and [SEP]. By default 128 (at most 512).
    pub max_len: usize,
    /// Windows per forward pass. By default 16.
    pub batch_size: usize,
    /// Constrained BIO decoding (Viterbi). By default on; off = greedy with BIO repair.
    pub viterbi: bool,
    /// Add neighbouring sentences as context around each window's core. By default on.
    pub context: bool,
    /// Share of a window given to the words it labels (the core) when `context` is on; the
    /// rest is context. By default 1.0: windows are packed with whole sentences and get no extra
    /// margins (margins of 0.25 measured +0.04 F1 on eng.testa, 0 on eng.testb, and cost a third
    /// of the speed). Training uses 0.5.
    pub core_fraction: f64,
    /// Run forward passes concurrently on the rayon pool, one single-threaded pass per worker
    /// (see `threads::set_inference_threads`). Off: one pass at a time, each using every core.
    pub concurrent: bool,
    /// Number format of the weights and activations in forward passes. By default `Auto`.
    pub precision: Precision,
}

/// Number format for inference. `Auto` picks bfloat16 where the CPU multiplies bfloat16
/// matrices natively (AVX512-BF16: measured 1.55x the words/s of float32 on an AMD EPYC with
/// CoNLL-2003 testb F1 unchanged, 89.62 against 89.59), int8 elsewhere when the oneDNN int8
/// product is available ([`crate::quant`]), float32 otherwise (emulated bfloat16 is slower).
/// `Int8`: the encoder's linear layers with int8 weights and per-token int8 activations
/// ([`crate::fastbert`]); BERT encoders only (a DistilBERT model runs float32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Auto,
    F32,
    Bf16,
    Int8,
}

impl Precision {
    /// `Auto` made concrete for this CPU.
    pub fn resolve(self) -> Precision {
        match self {
            Precision::Auto if cpu_has_bf16() => Precision::Bf16,
            Precision::Auto if crate::quant::fast_int8_available() => Precision::Int8,
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
            batch_size: 16,
            viterbi: true,
            context: true,
            core_fraction: 1.0,
            concurrent: false,
            precision: Precision::Auto,
        }
    }
}

enum Encoder {
    Bert(BertModel<BertEmbeddings>),
    Distil(DistilBertModel),
    /// The own BERT forward ([`FastBert`]), float or int8; inference only.
    Fast(FastBert),
}

/// The network: encoder + optional word-shape embedding + linear classifier.
pub struct NerNet {
    encoder: Encoder,
    /// The encoder's word embedding matrix (shared storage), used to build input embeddings
    /// when shape features are on.
    word_weight: Option<Tensor>,
    shape: Option<nn::Embedding>,
    classifier: nn::Linear,
    dropout: f64,
}

impl NerNet {
    /// Builds the network under `vs.root()` with Hugging Face parameter names
    /// (`bert.*` or `distilbert.*`, `classifier.*`, and `shape_embeddings.weight`).
    pub fn new(vs: &nn::VarStore, config: &ModelConfig) -> Result<NerNet> {
        let root = vs.root();
        let n_labels = config.labels.len() as i64;
        let (encoder, hidden, word_name, dropout) = match &config.arch {
            Arch::Bert(c) => (
                Encoder::Bert(BertModel::new_with_optional_pooler(
                    &root / "bert",
                    c,
                    false,
                )),
                c.hidden_size,
                "bert.embeddings.word_embeddings.weight",
                c.hidden_dropout_prob,
            ),
            Arch::Distil(c) => (
                Encoder::Distil(DistilBertModel::new(&root, c)),
                c.dim,
                "distilbert.embeddings.word_embeddings.weight",
                c.dropout,
            ),
        };
        let shape = config.shape_features.then(|| {
            nn::embedding(
                &root / "shape_embeddings",
                N_SHAPES,
                hidden,
                nn::EmbeddingConfig {
                    ws_init: nn::Init::Const(0.0),
                    ..Default::default()
                },
            )
        });
        let word_weight = if config.shape_features {
            Some(
                vs.variables()
                    .remove(word_name)
                    .ok_or_else(|| anyhow!("no variable {word_name}"))?,
            )
        } else {
            None
        };
        let classifier = nn::linear(&root / "classifier", hidden, n_labels, Default::default());
        Ok(NerNet {
            encoder,
            word_weight,
            shape,
            classifier,
            dropout,
        })
    }

    /// Logits `[batch, seq, labels]` for token ids, shape ids and attention mask
    /// (all `[batch, seq]`, int64).
    pub fn forward_t(
        &self,
        ids: &Tensor,
        shapes: &Tensor,
        mask: &Tensor,
        train: bool,
    ) -> Result<Tensor> {
        let embeds = match (&self.shape, &self.word_weight) {
            (Some(shape), Some(w)) => {
                Some(Tensor::embedding(w, ids, -1, false, false) + shape.forward(shapes))
            }
            _ => None,
        };
        let ids_opt = if embeds.is_some() { None } else { Some(ids) };
        let hidden = match &self.encoder {
            Encoder::Fast(m) => {
                if train {
                    bail!("the own encoder forward is for inference only");
                }
                m.forward(&self.fast_embeds(ids, embeds), mask)
            }
            Encoder::Bert(m) => {
                m.forward_t(
                    ids_opt,
                    Some(mask),
                    None,
                    None,
                    embeds.as_ref(),
                    None,
                    None,
                    train,
                )
                .map_err(|e| anyhow!("BERT forward: {e}"))?
                .hidden_state
            }
            Encoder::Distil(m) => {
                m.forward_t(ids_opt, Some(mask), embeds.as_ref(), train)
                    .map_err(|e| anyhow!("DistilBERT forward: {e}"))?
                    .hidden_state
            }
        };
        Ok(hidden.dropout(self.dropout, train).apply(&self.classifier))
    }

    /// Input embeddings for [`FastBert`]: word (+ shape) embeddings.
    fn fast_embeds(&self, ids: &Tensor, embeds: Option<Tensor>) -> Tensor {
        match (embeds, &self.word_weight) {
            (Some(e), _) => e,
            (None, Some(w)) => Tensor::embedding(w, ids, -1, false, false),
            (None, None) => unreachable!("FastBert is built with the word embeddings"),
        }
    }

    /// Every encoder layer's output for inference, the embeddings' first
    /// (`num_hidden_layers + 1` tensors `[batch, seq, hidden]`), in whatever number format the
    /// model was loaded: for heads that read the encoder's hidden states. Only with the own
    /// forward ([`NerNet::use_fast_encoder`]); rust-bert's models give the last layer alone.
    pub fn hidden_states(
        &self,
        ids: &Tensor,
        shapes: &Tensor,
        mask: &Tensor,
    ) -> Result<Vec<Tensor>> {
        let embeds = match (&self.shape, &self.word_weight) {
            (Some(shape), Some(w)) => {
                Some(Tensor::embedding(w, ids, -1, false, false) + shape.forward(shapes))
            }
            _ => None,
        };
        match &self.encoder {
            Encoder::Fast(m) => Ok(m.hidden_states(&self.fast_embeds(ids, embeds), mask)),
            _ => bail!("hidden states of every layer need the own encoder forward"),
        }
    }

    /// Replaces rust-bert's BERT encoder by the own forward over the same weights (`vars`: the
    /// var store's variables), with int8 linear layers when `int8`. The float weights of the
    /// linear layers are then held only by the var store. Not for DistilBERT.
    pub fn use_fast_encoder(
        &mut self,
        vars: &HashMap<String, Tensor>,
        config: &ModelConfig,
        int8: bool,
    ) -> Result<()> {
        let Arch::Bert(c) = &config.arch else {
            bail!("the own encoder forward is for BERT models");
        };
        if self.word_weight.is_none() {
            self.word_weight = vars
                .get("bert.embeddings.word_embeddings.weight")
                .map(|t| t.shallow_clone());
        }
        self.encoder = Encoder::Fast(FastBert::new(vars, "bert.", c, int8)?);
        Ok(())
    }
}

/// Which encoder a checkpoint uses.
pub enum Arch {
    Bert(BertConfig),
    Distil(DistilBertConfig),
}

/// What `config.json` says, plus the whosaid extensions.
pub struct ModelConfig {
    pub arch: Arch,
    /// Label names by id.
    pub labels: Vec<String>,
    /// Whether the word-shape embedding is part of the model (`"whosaid_shape_features": true`).
    pub shape_features: bool,
    pub max_position: usize,
    pub raw: serde_json::Value,
}

impl ModelConfig {
    /// Reads a Hugging Face `config.json`. `labels` overrides `id2label` (used for training).
    pub fn from_file(path: &Path, labels: Option<Vec<String>>) -> Result<ModelConfig> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let raw: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let labels = match labels {
            Some(l) => l,
            None => {
                let map = raw
                    .get("id2label")
                    .and_then(|v| v.as_object())
                    .ok_or_else(|| {
                        anyhow!(
                            "{}: no id2label; not a token-classification model",
                            path.display()
                        )
                    })?;
                let mut pairs: Vec<(usize, String)> = map
                    .iter()
                    .map(|(k, v)| {
                        let id = k
                            .parse::<usize>()
                            .map_err(|_| anyhow!("bad label id {k}"))?;
                        Ok((id, v.as_str().unwrap_or_default().to_string()))
                    })
                    .collect::<Result<_>>()?;
                pairs.sort();
                pairs.into_iter().map(|(_, l)| l).collect()
            }
        };
        let model_type = raw
            .get("model_type")
            .and_then(|v| v.as_str())
            .unwrap_or("bert");
        // rust-bert's configs want integer-keyed label maps or none: drop them.
        let mut clean = raw.clone();
        if let Some(o) = clean.as_object_mut() {
            o.remove("id2label");
            o.remove("label2id");
        }
        let arch = match model_type {
            "bert" => Arch::Bert(serde_json::from_value(clean).context("BERT config")?),
            "distilbert" => {
                Arch::Distil(serde_json::from_value(clean).context("DistilBERT config")?)
            }
            other => bail!(
                "{}: model_type {other:?} is not supported (bert or distilbert)",
                path.display()
            ),
        };
        let max_position = raw
            .get("max_position_embeddings")
            .and_then(|v| v.as_u64())
            .unwrap_or(512) as usize;
        let shape_features = raw
            .get("whosaid_shape_features")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        Ok(ModelConfig {
            arch,
            labels,
            shape_features,
            max_position,
            raw,
        })
    }
}

/// Reads named tensors from `model.safetensors`, `pytorch_model.bin` or `*.ot`.
pub fn read_weights(path: &Path) -> Result<Vec<(String, Tensor)>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "safetensors" => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let st = safetensors::SafeTensors::deserialize(&bytes)
                .map_err(|e| anyhow!("{}: not a safetensors file: {e}", path.display()))?;
            let mut out = Vec::new();
            for (name, view) in st.tensors() {
                let kind = match view.dtype() {
                    safetensors::Dtype::F32 => Kind::Float,
                    safetensors::Dtype::F16 => Kind::Half,
                    safetensors::Dtype::BF16 => Kind::BFloat16,
                    safetensors::Dtype::I64 => Kind::Int64,
                    safetensors::Dtype::F64 => Kind::Double,
                    _ => continue,
                };
                let shape: Vec<i64> = view.shape().iter().map(|&d| d as i64).collect();
                out.push((name, Tensor::of_data_size(view.data(), &shape, kind)));
            }
            Ok(out)
        }
        "bin" | "pt" => {
            Tensor::loadz_multi(path).with_context(|| format!("reading {}", path.display()))
        }
        _ => Tensor::load_multi(path).with_context(|| format!("reading {}", path.display())),
    }
}

/// Copies weights into the var store by name, non-strictly: a var store name `bert.X` also
/// matches a file name `X` (base encoders saved without the prefix). Returns the names of the
/// variables left as initialised.
pub fn load_weights(vs: &nn::VarStore, weights: Vec<(String, Tensor)>) -> Result<Vec<String>> {
    let mut by_name: HashMap<String, Tensor> = weights.into_iter().collect();
    let mut missing = Vec::new();
    let vars = vs.variables();
    for (name, var) in vars {
        let src = by_name.remove(&name).or_else(|| {
            name.split_once('.')
                .and_then(|(_, rest)| by_name.remove(rest))
        });
        match src {
            Some(src) => {
                if src.size() != var.size() {
                    bail!(
                        "weight {name}: shape {:?} in the file, {:?} in the model",
                        src.size(),
                        var.size()
                    );
                }
                tch::no_grad(|| {
                    let mut var = var;
                    var.copy_(&src)
                });
            }
            None => missing.push(name),
        }
    }
    missing.sort();
    Ok(missing)
}

/// Writes the var store as safetensors; `half` stores float weights as float16.
pub fn save_weights(vs: &nn::VarStore, path: &Path, half: bool) -> Result<()> {
    let mut vars: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut blobs: Vec<(String, Vec<u8>, Vec<usize>, safetensors::Dtype)> = Vec::new();
    for (name, t) in vars {
        let t = t.detach().contiguous();
        let (t, dtype) = if half {
            (t.to_kind(Kind::Half), safetensors::Dtype::F16)
        } else {
            (t.to_kind(Kind::Float), safetensors::Dtype::F32)
        };
        let numel = t.numel();
        let elem = if half { 2 } else { 4 };
        let mut data = vec![0u8; numel * elem];
        t.copy_data_u8(&mut data, numel);
        let shape = t.size().iter().map(|&d| d as usize).collect();
        blobs.push((name, data, shape, dtype));
    }
    let views: Vec<(String, safetensors::tensor::TensorView)> = blobs
        .iter()
        .map(|(n, d, s, dt)| {
            Ok((
                n.clone(),
                safetensors::tensor::TensorView::new(*dt, s.clone(), d)?,
            ))
        })
        .collect::<Result<_, safetensors::SafeTensorError>>()
        .map_err(|e| anyhow!("{e}"))?;
    safetensors::serialize_to_file(views, &None, path)
        .map_err(|e| anyhow!("writing {}: {e}", path.display()))?;
    Ok(())
}

/// Loads a tokenizer: `tokenizer.json`, or a BERT WordPiece tokenizer from `vocab.txt`.
pub fn load_tokenizer(dir: &Path, lowercase: bool) -> Result<Tokenizer> {
    let json = dir.join("tokenizer.json");
    if json.exists() {
        let mut tok =
            Tokenizer::from_file(&json).map_err(|e| anyhow!("{}: {e}", json.display()))?;
        // Checkpoints often ship truncation/padding settings (MiniLM's: 128 tokens); whosaid
        // encodes whole documents and makes its own windows, so both must be off.
        tok.with_truncation(None)
            .map_err(|e| anyhow!("{}: {e}", json.display()))?;
        tok.with_padding(None);
        return Ok(tok);
    }
    let vocab = dir.join("vocab.txt");
    if vocab.exists() {
        use tokenizers::models::wordpiece::WordPiece;
        use tokenizers::normalizers::BertNormalizer;
        use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
        let wp = WordPiece::from_file(&vocab.to_string_lossy())
            .build()
            .map_err(|e| anyhow!("{}: {e}", vocab.display()))?;
        let mut tok = Tokenizer::new(wp);
        tok.with_normalizer(BertNormalizer::new(true, true, Some(lowercase), lowercase));
        tok.with_pre_tokenizer(BertPreTokenizer);
        return Ok(tok);
    }
    bail!("{}: no tokenizer.json or vocab.txt", dir.display())
}

/// A word to tag: its text and whether it starts a sentence.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    pub text: &'a str,
    pub sentence_start: bool,
}

/// A document tokenized for the model: subwords with the word each belongs to.
pub struct Tokenized {
    pub ids: Vec<i64>,
    pub shapes: Vec<i64>,
    /// For each subword, the index of its word.
    pub word_of: Vec<usize>,
    /// For each word, the index of its first subword (`None` when the tokenizer dropped it).
    pub first_sub: Vec<Option<usize>>,
    /// Sentence boundaries as subword index ranges.
    pub sentences: Vec<(usize, usize)>,
}

/// One window: a range of subwords, and the core range whose words it labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub core_start: usize,
    pub core_end: usize,
}

/// Cuts a tokenized document into windows of at most `body` subwords (without specials).
/// Cores are whole sentences packed up to `core_budget` subwords (a longer sentence is cut at
/// word boundaries); each core is widened with neighbouring sentences up to `body`.
/// `core_budget == body` means no context.
pub fn windows(tok: &Tokenized, body: usize, core_budget: usize) -> Vec<Window> {
    let core_budget = core_budget.clamp(1, body.max(1));
    let context = core_budget < body;
    // Pieces: sentences, long ones cut at word boundaries.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in &tok.sentences {
        let mut start = s;
        while e - start > core_budget {
            let mut cut = start + core_budget;
            // Move the cut back to a word start.
            while cut > start + 1 && tok.word_of[cut] == tok.word_of[cut - 1] {
                cut -= 1;
            }
            pieces.push((start, cut));
            start = cut;
        }
        if e > start {
            pieces.push((start, e));
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let (cs, mut ce) = pieces[i];
        let mut j = i + 1;
        while j < pieces.len() && pieces[j].1 - cs <= core_budget {
            ce = pieces[j].1;
            j += 1;
        }
        let (mut ws, mut we) = (cs, ce);
        if context {
            let (mut left, mut right) = (i, j);
            loop {
                let mut grew = false;
                if left > 0 && we - pieces[left - 1].0 <= body {
                    left -= 1;
                    ws = pieces[left].0;
                    grew = true;
                }
                if right < pieces.len() && pieces[right].1 - ws <= body {
                    we = pieces[right].1;
                    right += 1;
                    grew = true;
                }
                if !grew {
                    break;
                }
            }
        }
        out.push(Window {
            start: ws,
            end: we,
            core_start: cs,
            core_end: ce,
        });
        i = j;
    }
    out
}

/// Tokenizes words (with sentence starts) into subwords.
pub fn tokenize_words(tokenizer: &Tokenizer, words: &[Word]) -> Result<Tokenized> {
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let mut t = Tokenized {
        ids: vec![],
        shapes: vec![],
        word_of: vec![],
        first_sub: vec![None; words.len()],
        sentences: vec![],
    };
    if words.is_empty() {
        return Ok(t);
    }
    let enc = tokenizer
        .encode(texts.as_slice(), false)
        .map_err(|e| anyhow!("tokenizer: {e}"))?;
    for (k, (&id, wid)) in enc.get_ids().iter().zip(enc.get_word_ids()).enumerate() {
        let Some(w) = wid else { continue };
        let w = *w as usize;
        let _ = k;
        if t.first_sub[w].is_none() {
            t.first_sub[w] = Some(t.ids.len());
        }
        t.ids.push(id as i64);
        t.shapes
            .push(word_shape(words[w].text, words[w].sentence_start));
        t.word_of.push(w);
    }
    // Sentence ranges in subwords.
    let mut start = 0;
    for k in 1..=t.ids.len() {
        if k == t.ids.len()
            || (words[t.word_of[k]].sentence_start && t.word_of[k] != t.word_of[k - 1])
        {
            if k > start {
                t.sentences.push((start, k));
            }
            start = k;
        }
    }
    Ok(t)
}

/// A loaded token-classification model with its tokenizer.
pub struct NerModel {
    _vs: nn::VarStore,
    net: NerNet,
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
    /// Subword tokens with [CLS] and [SEP].
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
            bail!("model directory {} does not exist (run scripts/fetch-model.sh or pass --model DIR)", dir.display());
        }
        let config = ModelConfig::from_file(&dir.join("config.json"), None)?;
        let mut vs = nn::VarStore::new(Device::Cpu);
        let mut net = NerNet::new(&vs, &config)?;
        let weights = read_weights(&weights_file(dir)?)?;
        let missing = load_weights(&vs, weights)?;
        let mut precision = options.precision.resolve();
        let is_bert = matches!(config.arch, Arch::Bert(_));
        if precision == Precision::Int8 && !is_bert {
            if options.precision != Precision::Auto {
                bail!(
                    "{}: --precision int8 needs a BERT model (this one is DistilBERT)",
                    dir.display()
                );
            }
            precision = Precision::F32;
        }
        if precision == Precision::Bf16 {
            vs.bfloat16();
        }
        let essential: Vec<&String> = missing
            .iter()
            .filter(|n| {
                n.contains("encoder") || n.contains("transformer") || n.starts_with("classifier")
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
        if precision == Precision::Int8 {
            crate::quant::cap_isa_for_int8();
            net.use_fast_encoder(&vs.variables(), &config, true)?;
            // The float weights of the encoder's linear layers are now unreferenced but by the
            // var store: let them go (the int8 copies are a quarter of their size).
            vs = nn::VarStore::new(Device::Cpu);
        }
        let mut options = options;
        options.max_len = options.max_len.min(config.max_position).max(8);
        Ok(NerModel {
            _vs: vs,
            net,
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

    /// Labels documents given as words: for each document, one (label id, probability) per word.
    pub fn tag_words(&self, docs: &[Vec<Word>]) -> Result<Vec<Vec<(usize, f32)>>> {
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
            for w in windows(&t, body, core) {
                jobs.push((d, w));
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
        // Batch windows of similar length together.
        jobs.sort_by_key(|(_, w)| w.end - w.start);
        let batches: Vec<&[(usize, Window)]> =
            jobs.chunks(self.options.batch_size.max(1)).collect();
        let run = |batch: &[(usize, Window)]| -> Result<(usize, Vec<f32>)> {
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
                if self.precision == Precision::Int8 {
                    // oneDNN's threads for the products started here: one per pass when passes
                    // run concurrently, else every worker of the pool.
                    crate::quant::set_thread_count(if self.options.concurrent {
                        1
                    } else {
                        rayon::current_num_threads()
                    });
                }
                tch::no_grad(|| -> Result<Tensor> {
                    let logits = self.net.forward_t(
                        &Tensor::of_slice(&ids).view(shape),
                        &Tensor::of_slice(&shapes).view(shape),
                        &Tensor::of_slice(&mask).view(shape),
                        false,
                    )?;
                    Ok(logits.log_softmax(-1, Kind::Float))
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
            Ok((seq, Vec::<f32>::from(out.contiguous().view(-1))))
        };
        let outputs: Vec<Result<(usize, Vec<f32>)>> = if self.options.concurrent {
            use rayon::prelude::*;
            batches.par_iter().map(|b| run(b)).collect()
        } else {
            batches.iter().map(|b| run(b)).collect()
        };
        for (batch, out) in batches.iter().zip(outputs) {
            let (seq, flat) = out?;
            for (r, (d, w)) in batch.iter().enumerate() {
                let t = &toks[*d];
                for p in w.core_start..w.core_end {
                    let word = t.word_of[p];
                    if t.first_sub[word] == Some(p) {
                        let off = (r * seq + 1 + (p - w.start)) * n_labels;
                        logp[*d][word].copy_from_slice(&flat[off..off + n_labels]);
                        have[*d][word] = true;
                    }
                }
            }
        }
        let o = self.tags.iter().position(|t| *t == Tag::O).unwrap_or(0);
        Ok(logp
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
            .collect())
    }
}

/// Turns per-word labels into spans of consecutive words: `(first word, end word, type, score)`.
/// An `I-X` after a different type starts a new mention (BIO repair).
pub fn chunks(labels: &[(usize, f32)], tags: &[Tag]) -> Vec<(usize, usize, EntityType, f32)> {
    let mut out: Vec<(usize, usize, EntityType, f32)> = Vec::new();
    let mut cur: Option<(usize, EntityType, f32)> = None;
    for (i, &(l, p)) in labels.iter().enumerate() {
        let tag = tags.get(l).copied().unwrap_or(Tag::O);
        match (tag, cur) {
            (Tag::I(t), Some((s, ct, sum))) if t == ct => cur = Some((s, ct, sum + p)),
            (Tag::B(t), _) | (Tag::I(t), _) => {
                if let Some((s, ct, sum)) = cur {
                    out.push((s, i, ct, sum / (i - s) as f32));
                }
                cur = Some((i, t, p));
            }
            (Tag::O, _) => {
                if let Some((s, ct, sum)) = cur.take() {
                    out.push((s, i, ct, sum / (i - s) as f32));
                }
            }
        }
    }
    if let Some((s, ct, sum)) = cur {
        let n = labels.len();
        out.push((s, n, ct, sum / (n - s) as f32));
    }
    out
}

impl NerModel {
    fn doc_words<'a>(text: &'a str, sentences: &[Sentence]) -> (Vec<Span>, Vec<Word<'a>>) {
        let mut spans = Vec::new();
        let mut ws = Vec::new();
        for s in sentences {
            for (k, sp) in words(text, s.span).into_iter().enumerate() {
                ws.push(Word {
                    text: &text[sp.start..sp.end],
                    sentence_start: k == 0,
                });
                spans.push(sp);
            }
        }
        (spans, ws)
    }

    /// Mentions from word labels. A mention with no capital letter and no digit ("ru" of
    /// "Kremlin.ru") is dropped: in edited news a name has at least one.
    fn mentions_of(&self, text: &str, spans: &[Span], labels: &[(usize, f32)]) -> Vec<Mention> {
        chunks(labels, &self.tags)
            .into_iter()
            .map(|(s, e, etype, score)| Mention {
                span: Span::new(spans[s].start, spans[e - 1].end),
                etype,
                score,
            })
            .filter(|m| {
                text[m.span.start..m.span.end]
                    .chars()
                    .any(|c| c.is_uppercase() || c.is_numeric())
            })
            .collect()
    }
}

impl Tagger for NerModel {
    fn tag(&self, text: &str, sentences: &[Sentence]) -> Result<Vec<Mention>> {
        let (spans, ws) = Self::doc_words(text, sentences);
        let labels = self.tag_words(&[ws])?;
        Ok(self.mentions_of(text, &spans, &labels[0]))
    }

    fn tag_batch(&self, docs: &[(&str, &[Sentence])]) -> Vec<Result<Vec<Mention>>> {
        let prepared: Vec<(Vec<Span>, Vec<Word>)> =
            docs.iter().map(|(t, s)| Self::doc_words(t, s)).collect();
        let words: Vec<Vec<Word>> = prepared.iter().map(|(_, w)| w.clone()).collect();
        match self.tag_words(&words) {
            Ok(labels) => prepared
                .iter()
                .zip(labels)
                .zip(docs)
                .map(|(((spans, _), l), (text, _))| Ok(self.mentions_of(text, spans, &l)))
                .collect(),
            // Fall back to one document at a time so one bad document fails alone.
            Err(_) => docs.iter().map(|(t, s)| self.tag(t, s)).collect(),
        }
    }
}

/// A tiny randomly initialised model of the same architecture, for tests and for trying the
/// pipeline without the trained weights. Writes a Hugging Face style directory: `config.json`
/// (with `id2label`), weights (`model.safetensors`, or `rust_model.ot` when `ot` is set) and a
/// WordPiece `vocab.txt` over letters, digits and punctuation (no `tokenizer.json`), so it
/// also exercises the loader of foreign checkpoints.
///
/// `bias` adds a constant to the classifier bias of the given labels, to make the output
/// predictable in tests.
pub fn write_random_model(
    dir: &Path,
    model_type: &str,
    shape_features: bool,
    ot: bool,
    bias: &[(&str, f64)],
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in ('a'..='z').chain('0'..='9') {
        vocab.push(c.to_string());
        vocab.push(format!("##{c}"));
    }
    for c in ".,;:!?'\"-()“”‘’$%&/".chars() {
        vocab.push(c.to_string());
    }
    std::fs::write(dir.join("vocab.txt"), vocab.join("\n") + "\n")?;
    let id2label: serde_json::Map<String, serde_json::Value> = LABELS
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), serde_json::Value::from(*l)))
        .collect();
    let config = if model_type == "distilbert" {
        serde_json::json!({
            "model_type": "distilbert", "activation": "gelu", "attention_dropout": 0.1, "dim": 32,
            "dropout": 0.1, "hidden_dim": 64, "initializer_range": 0.02, "max_position_embeddings": 128,
            "n_heads": 2, "n_layers": 2, "qa_dropout": 0.1, "seq_classif_dropout": 0.2,
            "sinusoidal_pos_embds": false, "tie_weights_": true, "vocab_size": vocab.len(),
            "id2label": id2label, "do_lower_case": true
        })
    } else {
        serde_json::json!({
            "model_type": "bert", "hidden_act": "gelu", "attention_probs_dropout_prob": 0.1,
            "hidden_dropout_prob": 0.1, "hidden_size": 32, "initializer_range": 0.02,
            "intermediate_size": 64, "max_position_embeddings": 128, "num_attention_heads": 2,
            "num_hidden_layers": 2, "type_vocab_size": 2, "vocab_size": vocab.len(),
            "id2label": id2label, "do_lower_case": true,
            "whosaid_shape_features": shape_features
        })
    };
    std::fs::write(
        dir.join("config.json"),
        serde_json::to_string_pretty(&config)?,
    )?;
    let cfg = ModelConfig::from_file(&dir.join("config.json"), None)?;
    let vs = nn::VarStore::new(Device::Cpu);
    let _net = NerNet::new(&vs, &cfg)?;
    if let Some(b) = vs.variables().get("classifier.bias") {
        tch::no_grad(|| {
            for (label, add) in bias {
                if let Some(i) = LABELS.iter().position(|l| l == label) {
                    let mut x = b.get(i as i64);
                    let _ = x.fill_(*add);
                }
            }
        });
    }
    if ot {
        vs.save(dir.join("rust_model.ot"))
            .map_err(|e| anyhow!("saving: {e}"))?;
    } else {
        save_weights(&vs, &dir.join("model.safetensors"), false)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn own_forward_matches_rust_bert_and_int8_stays_close() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/whosaid-ner-en");
        let config = ModelConfig::from_file(&dir.join("config.json"), None).unwrap();
        let vs = nn::VarStore::new(Device::Cpu);
        let mut net = NerNet::new(&vs, &config).unwrap();
        let missing = load_weights(&vs, read_weights(&weights_file(&dir).unwrap()).unwrap());
        assert!(missing.unwrap().is_empty());
        tch::manual_seed(3);
        let opts = (Kind::Int64, Device::Cpu);
        let ids = Tensor::randint_low(1000, 20000, &[3, 40], opts);
        let shapes = Tensor::randint_low(1, N_SHAPES, &[3, 40], opts);
        // The second window is padded after 25 tokens.
        let mask = Tensor::ones(&[3, 40], opts);
        let _ = mask.get(1).narrow(0, 25, 15).fill_(0);
        let logits =
            |net: &NerNet| tch::no_grad(|| net.forward_t(&ids, &shapes, &mask, false).unwrap());
        let reference = logits(&net);
        assert!(net.hidden_states(&ids, &shapes, &mask).is_err());
        net.use_fast_encoder(&vs.variables(), &config, false)
            .unwrap();
        let own = logits(&net);
        let diff = f64::from((&own - &reference).abs().max());
        assert!(
            diff < 1e-3,
            "own float forward differs from rust-bert by {diff}"
        );
        // Every layer's output; the last one is what the classifier reads.
        let hs = tch::no_grad(|| net.hidden_states(&ids, &shapes, &mask).unwrap());
        assert_eq!(hs.len(), 7);
        assert_eq!(hs[6].size(), vec![3, 40, 384]);
        let from_last = hs[6].apply(&net.classifier);
        assert!(f64::from((&from_last - &own).abs().max()) < 1e-5);
        // int8: the same labels almost everywhere, logits close.
        net.use_fast_encoder(&vs.variables(), &config, true)
            .unwrap();
        let q = logits(&net);
        let same = f64::from(
            q.argmax(-1, false)
                .eq_tensor(&reference.argmax(-1, false))
                .to_kind(Kind::Float)
                .mean(Kind::Float),
        );
        let err = f64::from((&q - &reference).abs().mean(Kind::Float));
        let scale = f64::from(reference.abs().mean(Kind::Float));
        assert!(
            same > 0.97,
            "int8 agrees with float32 on {same} of the labels"
        );
        assert!(
            err < 0.1 * scale,
            "int8 logits off by {err} (mean |logit| {scale})"
        );
        assert_eq!(
            tch::no_grad(|| net.hidden_states(&ids, &shapes, &mask).unwrap()).len(),
            7
        );
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
