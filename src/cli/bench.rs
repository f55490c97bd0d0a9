//! Tagging throughput alone (`whosaid bench-tag`): clean, split and tag a set of documents,
//! timing only the NER forward passes and decoding.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::input::{expand_inputs, read_all, DEFAULT_MAX_BYTES};
use whosaid::pipeline::Tagger;
use whosaid::{clean, segment};

use super::ModelArgs;

/// Words, mentions and seconds spent tagging.
#[derive(Debug, Clone, Default)]
pub struct TagBench {
    pub documents: usize,
    pub words: usize,
    pub mentions: usize,
    pub seconds: f64,
}

impl std::fmt::Display for TagBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "tagging alone: {} documents, {} words, {} mentions in {:.2}s: {:.0} words/s",
            self.documents,
            self.words,
            self.mentions,
            self.seconds,
            self.words as f64 / self.seconds.max(1e-9)
        )
    }
}

/// Tags every document under `inputs` in chunks of `chunk` documents.
pub fn bench_tag(inputs: &[String], tagger: &dyn Tagger, chunk: usize) -> anyhow::Result<TagBench> {
    let (sources, errors) = expand_inputs(inputs);
    if let Some(e) = errors.first() {
        anyhow::bail!("{}", e.message);
    }
    let docs: Vec<(String, Vec<whosaid::Sentence>)> = read_all(sources, DEFAULT_MAX_BYTES)
        .filter_map(Result::ok)
        .map(|d| {
            let c = clean::clean(&d.text, d.format);
            let s = segment::sentences(&c.text);
            (c.text, s)
        })
        .collect();
    let mut b = TagBench {
        documents: docs.len(),
        words: docs.iter().map(|(t, _)| t.split_whitespace().count()).sum(),
        ..Default::default()
    };
    let t = Instant::now();
    for group in docs.chunks(chunk.max(1)) {
        let batch: Vec<(&str, &[whosaid::Sentence])> = group
            .iter()
            .map(|(t, s)| (t.as_str(), s.as_slice()))
            .collect();
        for r in tagger.tag_batch(&batch) {
            b.mentions += r?.len();
        }
    }
    b.seconds = t.elapsed().as_secs_f64();
    Ok(b)
}

#[derive(ClapArgs, Debug)]
pub struct Args {
    inputs: Vec<String>,
    #[command(flatten)]
    model: ModelArgs,
    /// Share of each window that is labelled; the rest is context.
    #[arg(long, default_value_t = 1.0)]
    core_fraction: f64,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let loaded = args.model.load(|o| o.core_fraction = args.core_fraction)?;
    let model = loaded.model;
    eprintln!(
        "model loaded in {:.2}s ({})",
        loaded.load_s,
        model.precision.name()
    );
    let b = bench_tag(&args.inputs, &model, 32)?;
    println!("{b}");
    println!("{}", model.work_summary(b.words));
    Ok(ExitCode::SUCCESS)
}
