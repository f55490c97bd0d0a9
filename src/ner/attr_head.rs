//! The attribution branch: a short stack of transformer layers over one of the NER encoder's
//! hidden states, initialised from the encoder's own layers above it, and a linear head with
//! three BIO label sets (Content, Cue, Source). It reads the states of the NER pass
//! ([`crate::ner::EncoderStates`]), so the encoder runs once per window.
//!
//! Files next to the NER model: `attribution.json` ([`AttrConfig`]) and
//! `attribution.safetensors` (float16, parameter names `attribution.*`).

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use rust_bert::bert::{BertConfig, BertLayer};
use serde::{Deserialize, Serialize};
use tch::{nn, Kind, Tensor};

use crate::ner::EncoderStates;

pub const CONFIG_FILE: &str = "attribution.json";
pub const WEIGHTS_FILE: &str = "attribution.safetensors";

/// Labels per role, in the order of the head's outputs: `[O, B, I]` for Content, Cue, Source.
pub const N_OUT: i64 = 9;

/// What `attribution.json` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttrConfig {
    /// The encoder layer whose output the branch reads, counted from 1 (5 of 6: the branch
    /// replaces the top layer).
    pub input_layer: usize,
    /// Transformer layers in the branch (0: the head reads the state directly).
    pub branch_layers: usize,
    /// The confidence an unquoted attribution of the head needs to be kept (see
    /// `quotes/learned.rs`); by default `quotes`' `MIN_SCORE`. Chosen per model on train folds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f32>,
}

impl AttrConfig {
    pub fn read(dir: &Path) -> Result<AttrConfig> {
        let p = dir.join(CONFIG_FILE);
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", p.display()))
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::write(
            dir.join(CONFIG_FILE),
            serde_json::to_string_pretty(self)? + "\n",
        )?;
        Ok(())
    }
}

/// The branch and its head.
pub struct AttrBranch {
    pub config: AttrConfig,
    layers: Vec<BertLayer>,
    classifier: nn::Linear,
    dropout: f64,
}

impl AttrBranch {
    /// Builds the branch under `p` (`p / "layer" / k`, `p / "classifier"`).
    pub fn new(p: &nn::Path, bert: &BertConfig, config: AttrConfig) -> Result<AttrBranch> {
        if config.input_layer == 0 || config.input_layer as i64 > bert.num_hidden_layers {
            bail!(
                "attribution input layer {} outside 1..={}",
                config.input_layer,
                bert.num_hidden_layers
            );
        }
        let layers = (0..config.branch_layers)
            .map(|k| BertLayer::new(p / "layer" / k as i64, bert))
            .collect();
        let classifier = nn::linear(
            p / "classifier",
            bert.hidden_size,
            N_OUT,
            Default::default(),
        );
        Ok(AttrBranch {
            config,
            layers,
            classifier,
            dropout: bert.hidden_dropout_prob,
        })
    }

    /// The encoder's state the branch reads.
    pub fn input<'a>(&self, states: &'a EncoderStates) -> Result<&'a Tensor> {
        states
            .layers
            .as_ref()
            .and_then(|l| l.get(self.config.input_layer - 1))
            .ok_or_else(|| anyhow!("the encoder pass kept no layer {}", self.config.input_layer))
    }

    /// Logits `[batch, seq, 9]` from the branch input `[batch, seq, hidden]` and the
    /// attention mask `[batch, seq]` (1 = token).
    pub fn forward_t(&self, input: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let mut h = input.shallow_clone();
        if !self.layers.is_empty() {
            let m = mask.unsqueeze(1).unsqueeze(1);
            let ext = ((m.ones_like() - m) * -10000.0).to_kind(h.kind());
            for l in &self.layers {
                h = l.forward_t(&h, Some(&ext), None, None, train).hidden_state;
            }
        }
        h.dropout(self.dropout, train).apply(&self.classifier)
    }

    /// The number format of the branch's weights (its input is converted to it).
    pub fn kind(&self) -> Kind {
        self.classifier.ws.kind()
    }

    /// Log-probabilities `[batch, seq, 3 roles, 3 tags]` (float32) from logits.
    pub fn log_probs(logits: &Tensor) -> Tensor {
        let s = logits.size();
        logits
            .to_kind(Kind::Float)
            .view([s[0], s[1], 3, 3])
            .log_softmax(-1, Kind::Float)
    }
}
