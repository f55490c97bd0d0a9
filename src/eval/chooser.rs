//! Fitting the learned speaker chooser (`quotes/chooser.rs`) on PolNeAR articles, with
//! cross-validation by article: `whosaid eval fit-chooser DIR --model M -o M/chooser.json`.
//!
//! Each attribution the pipeline finds (rules and tagger, before speaker resolution) is matched
//! to the gold attribution whose content it overlaps by at least half of the shorter (as
//! `eval quotes` matches them). Its label is the candidate that overlaps the gold Source span
//! most; attributions whose gold source no candidate touches count against every method in the
//! figures but give no gradient. The weights are a softmax regression (L2, full-batch
//! gradient descent, deterministic). The threshold `min_prob` is the one with the best
//! cross-validated accuracy of the whole decision (the rules' phrase unless the chooser prefers
//! another with at least `min_prob`).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::pipeline::{chooser_examples, Tagger};
use crate::quotes::chooser::{probabilities, FEATURES};
use crate::tagging::ChooserWeights;

use super::quotes::{half_overlap, overlap, polnear_articles, read_ann};

/// One attribution, ready for fitting: candidate features, which candidate holds the rules'
/// phrase, and which is right (when one is).
#[derive(Debug, Clone)]
pub struct Labelled {
    pub article: usize,
    pub feats: Vec<Vec<f32>>,
    pub rule: Option<usize>,
    pub label: Option<usize>,
}

/// The labelled attributions of every article of a PolNeAR folder (attributions matched to a
/// gold attribution with a source only), and the number of articles.
pub fn collect(dir: &Path, tagger: &dyn Tagger) -> Result<(Vec<Labelled>, usize)> {
    let arts = polnear_articles(dir)?;
    anyhow::ensure!(!arts.is_empty(), "no PolNeAR articles in {}", dir.display());
    let per: Vec<Result<Vec<Labelled>>> = arts
        .par_iter()
        .enumerate()
        .map(|(ai, (_, text_path, ann_path))| {
            let text = std::fs::read_to_string(text_path)
                .with_context(|| format!("reading {}", text_path.display()))?;
            let ann = std::fs::read_to_string(ann_path)
                .with_context(|| format!("reading {}", ann_path.display()))?;
            let gold = read_ann(&ann, &text);
            let (doc, examples) = chooser_examples(&text, tagger)?;
            let map = |s: crate::Span| doc.cleaned.map.to_original(s);
            let mut out = Vec::new();
            for ex in examples {
                let content = map(ex.content);
                let best = gold
                    .iter()
                    .filter(|g| !g.source.is_empty())
                    .filter_map(|g| half_overlap(&g.content, &[content]).map(|ov| (ov, g)))
                    .max_by_key(|(ov, _)| *ov);
                let Some((_, g)) = best else { continue };
                let spans: Vec<(usize, usize)> =
                    ex.candidates.iter().map(|c| map(c.span)).collect();
                let label = spans
                    .iter()
                    .enumerate()
                    .map(|(i, &s)| (overlap(&g.source, &[s]), i))
                    .filter(|(ov, _)| *ov > 0)
                    .max_by_key(|&(ov, i)| (ov, std::cmp::Reverse(i)))
                    .map(|(_, i)| i);
                out.push(Labelled {
                    article: ai,
                    rule: ex.candidates.iter().position(|c| c.rule),
                    feats: ex.candidates.into_iter().map(|c| c.features).collect(),
                    label,
                });
            }
            Ok(out)
        })
        .collect();
    let mut all = Vec::new();
    for p in per {
        all.extend(p?);
    }
    Ok((all, arts.len()))
}

/// Softmax regression over the candidates of each example with a label, L2 `l2`, `iters`
/// steps of full-batch gradient descent from zero.
pub fn fit(data: &[&Labelled], l2: f32, iters: usize) -> Vec<f32> {
    let n = FEATURES.len();
    let mut w = vec![0.0f32; n];
    let used: Vec<&&Labelled> = data
        .iter()
        .filter(|d| d.label.is_some() && d.feats.len() > 1)
        .collect();
    if used.is_empty() {
        return w;
    }
    let lr = 1.0f32;
    for _ in 0..iters {
        let mut grad = vec![0.0f32; n];
        for d in &used {
            let p = probabilities(&w, &d.feats);
            let y = d.label.unwrap_or(0);
            for (i, f) in d.feats.iter().enumerate() {
                let g = p[i] - if i == y { 1.0 } else { 0.0 };
                for (k, x) in f.iter().enumerate() {
                    grad[k] += g * x;
                }
            }
        }
        for k in 0..n {
            w[k] -= lr * (grad[k] / used.len() as f32 + l2 * w[k]);
        }
    }
    w
}

/// The candidate the whole decision takes: the chooser's best when it is not the rules'
/// phrase and reaches `min_prob`, else the rules' phrase (none when the rules had none). With
/// `replace_strong` off, a strong rule's phrase always stays.
pub fn decide(w: &[f32], d: &Labelled, min_prob: f32, replace_strong: bool) -> Option<usize> {
    if d.feats.is_empty() {
        return d.rule;
    }
    if !replace_strong && d.rule.is_some_and(|r| d.feats[r][0] == 1.0) {
        return d.rule;
    }
    let p = probabilities(w, &d.feats);
    let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]))?;
    if Some(best) != d.rule && p[best] >= min_prob {
        Some(best)
    } else {
        d.rule
    }
}

/// Thresholds tried for `min_prob`.
pub const THRESHOLDS: &[f32] = &[0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];

/// Cross-validation by article (`k` folds, article index mod `k`): for each threshold, with
/// strong rules' phrases kept and replaceable, the attributions whose decision is right, and the
/// rules' own right count. Returns the report text, the best threshold and whether strong
/// phrases are replaced (on a tie: the higher threshold, strong phrases kept).
pub fn cross_validate(data: &[Labelled], k: usize, l2: f32, iters: usize) -> (String, f32, bool) {
    let n_t = THRESHOLDS.len();
    let mut right = vec![0usize; 2 * n_t];
    let mut rules_right = 0usize;
    let mut replaced = vec![0usize; 2 * n_t];
    for fold in 0..k {
        let train: Vec<&Labelled> = data.iter().filter(|d| d.article % k != fold).collect();
        let w = fit(&train, l2, iters);
        for d in data.iter().filter(|d| d.article % k == fold) {
            rules_right += (d.label.is_some() && d.rule == d.label) as usize;
            for (t, &th) in THRESHOLDS.iter().enumerate() {
                for (s, strong) in [false, true].into_iter().enumerate() {
                    let pick = decide(&w, d, th, strong);
                    right[s * n_t + t] += (d.label.is_some() && pick == d.label) as usize;
                    replaced[s * n_t + t] += (pick != d.rule) as usize;
                }
            }
        }
    }
    let n = data.len().max(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{n} attributions matched to a gold attribution with a source; a candidate touches the gold source in {} ({:.1}%)",
        data.iter().filter(|d| d.label.is_some()).count(),
        100.0 * data.iter().filter(|d| d.label.is_some()).count() as f64 / n as f64
    );
    let _ = writeln!(
        out,
        "rules' phrase right: {rules_right} ({:.1}%)",
        100.0 * rules_right as f64 / n as f64
    );
    let mut best = (rules_right, 1.01f32, false);
    for (s, strong) in [false, true].into_iter().enumerate() {
        for (t, &th) in THRESHOLDS.iter().enumerate().rev() {
            let i = s * n_t + t;
            let _ = writeln!(
                out,
                "chooser, min_prob {th:.2}, strong rules' phrases {}: right {} ({:.1}%), phrase replaced or added in {}",
                if strong { "replaceable" } else { "kept" },
                right[i],
                100.0 * right[i] as f64 / n as f64,
                replaced[i]
            );
            if right[i] > best.0 {
                best = (right[i], th, strong);
            }
        }
    }
    (out, best.1, best.2)
}

/// Fits the chooser on every article of `dir` after a `k`-fold cross-validation that picks the
/// threshold; returns the weights (with the report in `about`).
pub fn fit_chooser(
    dir: &Path,
    tagger: &dyn Tagger,
    k: usize,
    command: &str,
) -> Result<ChooserWeights> {
    let (data, articles) = collect(dir, tagger)?;
    let (l2, iters) = (1e-3, 300);
    let (report, min_prob, replace_strong) = cross_validate(&data, k, l2, iters);
    let all: Vec<&Labelled> = data.iter().collect();
    let weights = fit(&all, l2, iters);
    let about = format!(
        "{command}\n{articles} articles, {k}-fold cross-validation by article (L2 {l2}, {iters} steps):\n{report}min_prob {min_prob:.2}, strong rules' phrases {}, weights fitted on all {} attributions",
        if replace_strong { "replaceable" } else { "kept" },
        data.len()
    );
    Ok(ChooserWeights {
        features: FEATURES.iter().map(|s| s.to_string()).collect(),
        weights,
        min_prob,
        replace_strong,
        about,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(article: usize, feats: Vec<Vec<f32>>, rule: Option<usize>, label: usize) -> Labelled {
        Labelled {
            article,
            feats,
            rule,
            label: Some(label),
        }
    }

    /// A one-hot feature vector with feature `k` set.
    fn one(k: usize) -> Vec<f32> {
        let mut v = vec![0.0; FEATURES.len()];
        v[k] = 1.0;
        v
    }

    #[test]
    fn fit_learns_the_feature_that_marks_the_right_candidate() {
        // The right candidate has the tagger's source feature (2); the rules' phrase (weak, 1)
        // is wrong in every example.
        let data: Vec<Labelled> = (0..20)
            .map(|i| ex(i, vec![one(1), one(2), one(13)], Some(0), 1))
            .collect();
        let refs: Vec<&Labelled> = data.iter().collect();
        let w = fit(&refs, 1e-3, 200);
        assert!(w[2] > w[1] && w[2] > w[13], "{w:?}");
        assert_eq!(decide(&w, &data[0], 0.5, false), Some(1));
        // With a threshold no probability reaches, the rules' phrase stays.
        assert_eq!(decide(&w, &data[0], 1.01, false), Some(0));
        let (report, th, strong) = cross_validate(&data, 5, 1e-3, 200);
        assert!(th <= 0.9 && !strong, "{report}");
        // A strong rule's phrase (feature 0) stays unless strong phrases are replaceable.
        let strong_data: Vec<Labelled> = (0..20)
            .map(|i| ex(i, vec![one(0), one(2)], Some(0), 1))
            .collect();
        let refs: Vec<&Labelled> = strong_data.iter().collect();
        let w = fit(&refs, 1e-3, 200);
        assert_eq!(decide(&w, &strong_data[0], 0.5, false), Some(0));
        assert_eq!(decide(&w, &strong_data[0], 0.5, true), Some(1));
        let (report, _, strong) = cross_validate(&strong_data, 5, 1e-3, 200);
        assert!(strong, "{report}");
        assert!(report.contains("rules' phrase right: 0 (0.0%)"), "{report}");
    }
}
