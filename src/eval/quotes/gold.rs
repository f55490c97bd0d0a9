//! Scoring against a hand-annotated gold file (the seed article's `seed-article.json`): every
//! required quote with its speaker, nothing spurious beyond the stance list.

use super::*;

/// Folds text for comparison: lowercase letters and digits only (quote marks, punctuation,
/// white space and line-end hyphens disappear).
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One document's result against the seed gold file.
#[derive(Debug, Clone, Default)]
pub struct GoldDocReport {
    pub doc: String,
    /// Required gold quotes, found, and found with the right speaker.
    pub required: usize,
    pub found: usize,
    pub speaker_ok: usize,
    /// Reported speech of the gold file, found, and found with the right speaker.
    pub reported: usize,
    pub reported_found: usize,
    pub reported_speaker_ok: usize,
    /// Required quotes not found.
    pub missing: Vec<String>,
    /// (quote, predicted speaker, gold speaker).
    pub wrong_speaker: Vec<(String, String, String)>,
    /// Predicted quotes matching nothing in the gold file (quotes or reported speech).
    pub spurious: Vec<String>,
    /// Stances of the gold file (speech acts and stances without a say-verb: acceptable
    /// either way) that were reported, and of them with another speaker than the gold one.
    pub stance_found: usize,
    pub stance_wrong_speaker: Vec<(String, String, String)>,
}

/// The result of [`eval_gold_json`].
#[derive(Debug, Clone, Default)]
pub struct GoldReport {
    pub docs: Vec<GoldDocReport>,
}

impl GoldReport {
    /// Every required quote found with its speaker, and nothing outside the gold file.
    pub fn passes(&self) -> bool {
        self.docs.iter().all(|d| {
            d.found == d.required
                && d.speaker_ok == d.required
                && d.spurious.is_empty()
                && d.stance_wrong_speaker.is_empty()
        })
    }
}

impl fmt::Display for GoldReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.docs {
            writeln!(
                f,
                "{}: quotes {}/{} found, {}/{} right speaker; reported speech {}/{} found, {}/{} right speaker; {} spurious",
                d.doc, d.found, d.required, d.speaker_ok, d.required, d.reported_found, d.reported, d.reported_speaker_ok, d.reported, d.spurious.len()
            )?;
            for m in &d.missing {
                writeln!(f, "  missing: {m:?}")?;
            }
            for (q, p, g) in &d.wrong_speaker {
                writeln!(f, "  wrong speaker: {q:?}: {p:?} (gold {g:?})")?;
            }
            for s in &d.spurious {
                writeln!(f, "  spurious: {s:?}")?;
            }
            writeln!(f, "  stances reported: {}", d.stance_found)?;
            for (q, p, g) in &d.stance_wrong_speaker {
                writeln!(
                    f,
                    "  stance with a wrong speaker: {q:?}: {p:?} (gold {g:?})"
                )?;
            }
        }
        Ok(())
    }
}

/// Whether a document looks like Markdown (links, emphasis, headings).
/// A tagger for the gold file: its entity names and the aliases that are proper names.
pub fn gold_tagger(gold: &serde_json::Value) -> crate::pipeline::GivenMentions {
    let mut names = Vec::new();
    for e in gold["entities"].as_array().into_iter().flatten() {
        let Some(t) = e["type"].as_str().and_then(EntityType::parse) else {
            continue;
        };
        if let Some(n) = e["name"].as_str() {
            names.push((n.to_string(), t));
        }
        for a in e["aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
        {
            let proper = a
                .split(' ')
                .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
                && !a.contains("'s ")
                && !a.contains("’s ");
            if proper {
                names.push((a.to_string(), t));
            }
        }
    }
    crate::pipeline::GivenMentions(names)
}

/// Evaluates against the seed gold file (`gold`: JSON with `documents`, `entities`, `quotes`,
/// `reported_speech`), reading the documents from `docs_dir`.
pub fn eval_gold_json(
    gold: &Path,
    docs_dir: &Path,
    tagger: &dyn Tagger,
) -> anyhow::Result<GoldReport> {
    let g: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(gold).with_context(|| format!("reading {}", gold.display()))?,
    )?;
    // Speaker names and aliases, folded.
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for e in g["entities"].as_array().into_iter().flatten() {
        let Some(n) = e["name"].as_str() else {
            continue;
        };
        let mut v = vec![fold(n)];
        v.extend(
            e["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
                .map(fold),
        );
        aliases.insert(fold(n), v);
    }
    let speaker_ok = |pred: Option<&str>, gold: Option<&str>| -> bool {
        match (pred, gold) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p), Some(gs)) => {
                let (p, gf) = (fold(p), fold(gs));
                if let Some(al) = aliases.get(&gf) {
                    return al.contains(&p);
                }
                // An unnamed source: one name contains the other ("the British government").
                let strip = |s: &str| {
                    s.strip_prefix("the")
                        .map(str::to_string)
                        .unwrap_or_else(|| s.to_string())
                };
                let (p, gf) = (strip(&p), strip(&gf));
                !p.is_empty() && (p.contains(&gf) || gf.contains(&p))
            }
        }
    };
    let mut report = GoldReport::default();
    for d in g["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str())
    {
        let path = docs_dir.join(d);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let format = crate::clean::detect_format(d, &text);
        let a = analyze(&text, format, tagger)?;
        let preds: Vec<(String, Option<String>)> = a
            .quotes
            .iter()
            .map(|q| {
                (
                    fold(q.content.slice(&a.cleaned.text)),
                    q.speaker.as_ref().map(|s| s.name.clone()),
                )
            })
            .collect();
        let raw: Vec<String> = a
            .quotes
            .iter()
            .map(|q| q.content.slice(&a.cleaned.text).to_string())
            .collect();
        let same = |p: &str, gq: &str| p == gq;
        // Loose: one contains the other, the shorter at least half of the longer.
        let near = |p: &str, gq: &str| {
            let (s, l) = if p.len() < gq.len() { (p, gq) } else { (gq, p) };
            !s.is_empty() && l.contains(s) && s.len() * 2 >= l.len()
        };
        let mut r = GoldDocReport {
            doc: d.to_string(),
            ..Default::default()
        };
        let mut used = vec![false; preds.len()];
        for q in g["quotes"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            let required = q["required"].as_bool().unwrap_or(true);
            let hit = preds.iter().position(|(p, _)| same(p, &gt));
            if let Some(i) = hit {
                used[i] = true;
            }
            if !required {
                continue;
            }
            r.required += 1;
            match hit {
                None => r
                    .missing
                    .push(q["text"].as_str().unwrap_or_default().to_string()),
                Some(i) => {
                    r.found += 1;
                    if speaker_ok(preds[i].1.as_deref(), q["speaker"].as_str()) {
                        r.speaker_ok += 1;
                    } else {
                        r.wrong_speaker.push((
                            raw[i].clone(),
                            preds[i].1.clone().unwrap_or_default(),
                            q["speaker"].as_str().unwrap_or_default().to_string(),
                        ));
                    }
                }
            }
        }
        for q in g["reported_speech"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            r.reported += 1;
            let hit = preds
                .iter()
                .position(|(p, _)| same(p, &gt))
                .or_else(|| preds.iter().position(|(p, _)| near(p, &gt)));
            if let Some(i) = hit {
                used[i] = true;
                r.reported_found += 1;
                if speaker_ok(preds[i].1.as_deref(), q["speaker"].as_str()) {
                    r.reported_speaker_ok += 1;
                } else {
                    r.wrong_speaker.push((
                        raw[i].clone(),
                        preds[i].1.clone().unwrap_or_default(),
                        q["speaker"].as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
        // Stances: acceptable either way; when reported, with the gold speaker.
        for q in g["stance"].as_array().into_iter().flatten() {
            let gt = fold(q["text"].as_str().unwrap_or_default());
            for (i, (p, sp)) in preds.iter().enumerate() {
                if used[i] || !(same(p, &gt) || near(p, &gt) || gt.contains(p.as_str())) {
                    continue;
                }
                used[i] = true;
                r.stance_found += 1;
                if !speaker_ok(sp.as_deref(), q["speaker"].as_str()) {
                    r.stance_wrong_speaker.push((
                        raw[i].clone(),
                        sp.clone().unwrap_or_default(),
                        q["speaker"].as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
        // Anything else must at least overlap a gold quote or reported speech text.
        let all_gold: Vec<String> = g["quotes"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(g["reported_speech"].as_array().into_iter().flatten())
            .map(|q| fold(q["text"].as_str().unwrap_or_default()))
            .collect();
        for (i, (p, _)) in preds.iter().enumerate() {
            if !used[i]
                && !all_gold
                    .iter()
                    .any(|gq| near(p, gq) || gq.contains(p.as_str()))
            {
                r.spurious.push(raw[i].clone());
            }
        }
        report.docs.push(r);
    }
    Ok(report)
}
