//! The network (encoder + word-shape embedding + classifier), its configuration, weight
//! files and tokenizer.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::distilbert::{DistilBertConfig, DistilBertModel};
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use super::fastbert::FastBert;
use super::*;

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
    /// The word-shape embedding matrix `[N_SHAPES, hidden]`.
    shape: Option<Tensor>,
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
            .ws
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

    /// The network for inference with the own encoder forward ([`FastBert`], int8 linear layers
    /// when `int8`), built straight from a weights file's tensors (`bert.*` or unprefixed
    /// encoder names, `classifier.*`, `shape_embeddings.weight`). BERT only.
    pub fn new_fast(
        weights: &HashMap<String, Tensor>,
        config: &ModelConfig,
        int8: bool,
    ) -> Result<NerNet> {
        let Arch::Bert(c) = &config.arch else {
            bail!("the own encoder forward is for BERT models");
        };
        let prefix = if weights.contains_key("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            ""
        };
        let get = |name: &str| -> Result<Tensor> {
            weights
                .get(name)
                .map(|t| t.to_kind(Kind::Float).contiguous())
                .ok_or_else(|| anyhow!("no weights {name}"))
        };
        let word_weight = get(&format!("{prefix}embeddings.word_embeddings.weight"))?;
        let shape = if config.shape_features {
            // Missing: all zeros, as the var store would leave it.
            Some(get("shape_embeddings.weight").unwrap_or_else(|_| {
                Tensor::zeros(&[N_SHAPES, c.hidden_size], (Kind::Float, Device::Cpu))
            }))
        } else {
            None
        };
        let classifier = nn::Linear {
            ws: get("classifier.weight")?,
            bs: Some(get("classifier.bias")?),
        };
        if classifier.ws.size() != [config.labels.len() as i64, c.hidden_size] {
            bail!(
                "classifier.weight: shape {:?}, expected [{}, {}]",
                classifier.ws.size(),
                config.labels.len(),
                c.hidden_size
            );
        }
        Ok(NerNet {
            encoder: Encoder::Fast(FastBert::new(weights, prefix, c, int8)?),
            word_weight: Some(word_weight),
            shape,
            classifier,
            dropout: c.hidden_dropout_prob,
        })
    }

    /// Word embeddings plus word-shape embeddings, when the model has shape features (the
    /// encoder then takes embeddings instead of ids).
    fn input_embeds(&self, ids: &Tensor, shapes: &Tensor) -> Option<Tensor> {
        match (&self.shape, &self.word_weight) {
            (Some(shape), Some(w)) => Some(
                Tensor::embedding(w, ids, -1, false, false)
                    + Tensor::embedding(shape, shapes, -1, false, false),
            ),
            _ => None,
        }
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
        let states = self.encode(ids, shapes, mask, false, train)?;
        Ok(self.classify(&states.last, train))
    }

    /// The NER head over the encoder's last hidden state.
    pub fn classify(&self, last: &Tensor, train: bool) -> Tensor {
        last.dropout(self.dropout, train).apply(&self.classifier)
    }

    /// The one encoder pass the heads share: the last hidden state, and when `keep_layers`
    /// every layer's output (what the attribution branch reads). rust-bert's BERT keeps them
    /// when built with `output_hidden_states`; the own forward ([`FastBert`], float or int8)
    /// through [`NerNet::hidden_states`]. Any other forward feeds the heads by returning the
    /// same [`EncoderStates`].
    pub fn encode(
        &self,
        ids: &Tensor,
        shapes: &Tensor,
        mask: &Tensor,
        keep_layers: bool,
        train: bool,
    ) -> Result<EncoderStates> {
        if let (Encoder::Fast(_), true) = (&self.encoder, keep_layers) {
            let mut hs = self.hidden_states(ids, shapes, mask)?;
            let last = hs.pop().ok_or_else(|| anyhow!("no hidden states"))?;
            // Without the embeddings' output, with the last layer's.
            let mut layers: Vec<Tensor> = hs.into_iter().skip(1).collect();
            layers.push(last.shallow_clone());
            return Ok(EncoderStates {
                last,
                layers: Some(layers),
            });
        }
        let embeds = self.input_embeds(ids, shapes);
        let ids_opt = if embeds.is_some() { None } else { Some(ids) };
        Ok(match &self.encoder {
            Encoder::Fast(m) => {
                if train {
                    bail!("the own encoder forward is for inference only");
                }
                EncoderStates {
                    last: m.forward(&self.fast_embeds(ids, embeds), mask),
                    layers: None,
                }
            }
            Encoder::Bert(m) => {
                let out = m
                    .forward_t(
                        ids_opt,
                        Some(mask),
                        None,
                        None,
                        embeds.as_ref(),
                        None,
                        None,
                        train,
                    )
                    .map_err(|e| anyhow!("BERT forward: {e}"))?;
                EncoderStates {
                    last: out.hidden_state,
                    layers: out.all_hidden_states,
                }
            }
            Encoder::Distil(m) => {
                let out = m
                    .forward_t(ids_opt, Some(mask), embeds.as_ref(), train)
                    .map_err(|e| anyhow!("DistilBERT forward: {e}"))?;
                EncoderStates {
                    last: out.hidden_state,
                    layers: out.all_hidden_states,
                }
            }
        })
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
        let embeds = self.input_embeds(ids, shapes);
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

/// What one encoder pass gives the heads.
pub struct EncoderStates {
    /// The last layer's output `[batch, seq, hidden]` (the NER head's input).
    pub last: Tensor,
    /// Each layer's output, first layer first (`layers[k]` is layer `k + 1`'s output, the
    /// embeddings left out), when the pass kept them.
    pub layers: Option<Vec<Tensor>>,
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
}
