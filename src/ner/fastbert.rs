//! A BERT encoder forward pass of its own, over the same weights as rust-bert's `BertModel`,
//! for inference: its linear layers are either float (the weights as loaded) or int8
//! ([`super::quant::QLinear`]). rust-bert builds its layers from `nn::Linear`, which cannot
//! hold int8 weights, hence this short forward: embeddings (given as input embeddings: the
//! tagger adds its word-shape embedding first) + position + token type 0 → LayerNorm, then per
//! layer self-attention (query/key/value fused into one product, the 1/√d scale folded into
//! the query weights), output dense + residual → LayerNorm, intermediate dense → GELU (erf),
//! output dense + residual → LayerNorm. Dropout is off (inference only).
//!
//! [`FastBert::hidden_states`] returns every layer's output (the embeddings' first), the same
//! in float and int8, so any head reading the encoder's hidden states runs on either.

use std::collections::HashMap;

use anyhow::{anyhow, bail, Result};
use rust_bert::bert::BertConfig;
use rust_bert::Activation;
use tch::{Kind, Tensor};

use super::quant::QLinear;

const EPS: f64 = 1e-12;

/// A linear layer `y = x·Wᵀ + b`, float or int8.
pub enum Linear {
    Float { w: Tensor, b: Tensor },
    Int8(QLinear),
}

impl Linear {
    /// `x·Wᵀ + b (+ residual)`.
    pub fn forward(&self, x: &Tensor, residual: Option<&Tensor>) -> Tensor {
        match self {
            Linear::Float { w, b } => {
                let y = x.linear(w, Some(b));
                match residual {
                    Some(r) => y + r,
                    None => y,
                }
            }
            Linear::Int8(q) => q.forward_t(x, residual),
        }
    }
}

struct Norm {
    w: Tensor,
    b: Tensor,
}

impl Norm {
    fn forward(&self, x: &Tensor) -> Tensor {
        let h = x.size().last().copied().unwrap_or(0);
        x.layer_norm(&[h], Some(&self.w), Some(&self.b), EPS, false)
    }
}

struct Layer {
    qkv: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    inter: Linear,
    out: Linear,
    out_norm: Norm,
}

/// The encoder.
pub struct FastBert {
    position: Tensor,
    token_type0: Tensor,
    emb_norm: Norm,
    layers: Vec<Layer>,
    heads: i64,
    hidden: i64,
}

impl FastBert {
    /// Builds the encoder from variables named as in Hugging Face / rust-bert
    /// (`{prefix}embeddings.position_embeddings.weight`, `{prefix}encoder.layer.{i}.…`),
    /// copied to float32. `int8` quantizes the linear layers.
    pub fn new(
        vars: &HashMap<String, Tensor>,
        prefix: &str,
        config: &BertConfig,
        int8: bool,
    ) -> Result<FastBert> {
        if !matches!(config.hidden_act, Activation::gelu) {
            bail!("the own encoder forward supports the gelu activation only");
        }
        let get = |name: &str| -> Result<Tensor> {
            let full = format!("{prefix}{name}");
            vars.get(&full)
                .map(|t| t.detach().to_kind(Kind::Float).contiguous())
                .ok_or_else(|| anyhow!("no variable {full}"))
        };
        let norm = |name: &str| -> Result<Norm> {
            Ok(Norm {
                w: get(&format!("{name}.weight"))?,
                b: get(&format!("{name}.bias"))?,
            })
        };
        let heads = config.num_attention_heads;
        let hidden = config.hidden_size;
        if hidden % heads != 0 {
            bail!("hidden size {hidden} is not a multiple of {heads} heads");
        }
        let scale = 1.0 / ((hidden / heads) as f64).sqrt();
        let mut layers = Vec::new();
        for i in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{i}.");
            let a = format!("{p}attention.self.");
            let (qw, qb) = (
                get(&format!("{a}query.weight"))?,
                get(&format!("{a}query.bias"))?,
            );
            let (kw, kb) = (
                get(&format!("{a}key.weight"))?,
                get(&format!("{a}key.bias"))?,
            );
            let (vw, vb) = (
                get(&format!("{a}value.weight"))?,
                get(&format!("{a}value.bias"))?,
            );
            let w = Tensor::cat(&[qw * scale, kw, vw], 0);
            let b = Tensor::cat(&[qb * scale, kb, vb], 0);
            let lin = |name: &str| -> Result<Linear> {
                Ok(Linear::Float {
                    w: get(&format!("{p}{name}.weight"))?,
                    b: get(&format!("{p}{name}.bias"))?,
                })
            };
            layers.push(Layer {
                qkv: Linear::Float { w, b },
                attn_out: lin("attention.output.dense")?,
                attn_norm: norm(&format!("{p}attention.output.LayerNorm"))?,
                inter: lin("intermediate.dense")?,
                out: lin("output.dense")?,
                out_norm: norm(&format!("{p}output.LayerNorm"))?,
            });
        }
        if int8 {
            // Quantized in parallel on the rayon pool (24 layers for MiniLM-L6).
            use rayon::prelude::*;
            let specs: Vec<(Vec<f32>, Vec<f32>, usize, usize)> = layers
                .iter()
                .flat_map(|l| [&l.qkv, &l.attn_out, &l.inter, &l.out])
                .map(|lin| match lin {
                    Linear::Float { w, b } => {
                        let size = w.size();
                        (
                            Vec::<f32>::from(w.view(-1)),
                            Vec::<f32>::from(b.view(-1)),
                            size[0] as usize,
                            size[1] as usize,
                        )
                    }
                    Linear::Int8(_) => unreachable!("built as float above"),
                })
                .collect();
            let quantized: Vec<QLinear> = specs
                .par_iter()
                .map(|(w, b, n, k)| QLinear::from_f32(w, b, *n, *k))
                .collect();
            let mut it = quantized.into_iter();
            for l in &mut layers {
                for lin in [&mut l.qkv, &mut l.attn_out, &mut l.inter, &mut l.out] {
                    *lin = Linear::Int8(it.next().expect("one per linear layer"));
                }
            }
        }
        Ok(FastBert {
            position: get("embeddings.position_embeddings.weight")?,
            token_type0: get("embeddings.token_type_embeddings.weight")?.get(0),
            emb_norm: norm("embeddings.LayerNorm")?,
            layers,
            heads,
            hidden,
        })
    }

    /// The last layer's output `[batch, seq, hidden]` for input embeddings `[batch, seq,
    /// hidden]` and an attention mask `[batch, seq]` (1 = token, 0 = padding).
    pub fn forward(&self, embeds: &Tensor, mask: &Tensor) -> Tensor {
        self.run(embeds, mask, false)
            .pop()
            .expect("at least the embeddings")
    }

    /// Every layer's output, the embeddings' first: `num_hidden_layers + 1` tensors
    /// `[batch, seq, hidden]`.
    pub fn hidden_states(&self, embeds: &Tensor, mask: &Tensor) -> Vec<Tensor> {
        self.run(embeds, mask, true)
    }

    fn run(&self, embeds: &Tensor, mask: &Tensor, keep: bool) -> Vec<Tensor> {
        let size = embeds.size();
        let (b, s) = (size[0], size[1]);
        let x = embeds.to_kind(Kind::Float) + self.position.narrow(0, 0, s) + &self.token_type0;
        let mut x = self.emb_norm.forward(&x);
        // Additive mask [b, 1, 1, s]: 0 for tokens, -10000 for padding (as rust-bert).
        let add_mask = ((mask.ones_like() - mask) * -10000.0)
            .to_kind(Kind::Float)
            .view([b, 1, 1, s]);
        let (heads, d) = (self.heads, self.hidden / self.heads);
        let mut out = Vec::new();
        for layer in &self.layers {
            let qkv = layer
                .qkv
                .forward(&x, None)
                .view([b, s, 3, heads, d])
                .permute(&[2, 0, 3, 1, 4]);
            let (q, k, v) = (qkv.get(0), qkv.get(1), qkv.get(2));
            let probs = (q.matmul(&k.transpose(-1, -2)) + &add_mask).softmax(-1, Kind::Float);
            let ctx =
                probs
                    .matmul(&v)
                    .permute(&[0, 2, 1, 3])
                    .contiguous()
                    .view([b, s, self.hidden]);
            let a = layer
                .attn_norm
                .forward(&layer.attn_out.forward(&ctx, Some(&x)));
            let mut inter = layer.inter.forward(&a, None);
            let _ = inter.gelu_("none");
            let y = layer.out_norm.forward(&layer.out.forward(&inter, Some(&a)));
            if keep {
                out.push(std::mem::replace(&mut x, y));
            } else {
                x = y;
            }
        }
        out.push(x);
        out
    }

    /// Bytes of the weights of the linear layers.
    pub fn linear_bytes(&self) -> usize {
        self.layers
            .iter()
            .flat_map(|l| [&l.qkv, &l.attn_out, &l.inter, &l.out])
            .map(|l| match l {
                Linear::Float { w, b } => 4 * (w.numel() + b.numel()),
                Linear::Int8(q) => q.bytes(),
            })
            .sum()
    }
}
