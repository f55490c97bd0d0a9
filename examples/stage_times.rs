//! Times each pipeline stage on one file: `cargo run --release --example stage_times FILE MODEL`.
use std::time::Instant;

use whosaid::pipeline::Tagger;
use whosaid::{clean, entities, ner, quotes, segment};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1])?;
    let concurrent = whosaid::ner::threads::set_inference_threads(2);
    let options = ner::NerOptions {
        concurrent,
        ..Default::default()
    };
    let model = ner::NerModel::load(std::path::Path::new(&args[2]), options)?;
    let t = Instant::now();
    let c = clean::clean(&text, clean::detect_format(&args[1], &text));
    eprintln!("clean     {:>8.3}s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let s = segment::sentences(&c.text);
    eprintln!(
        "segment   {:>8.3}s ({} sentences)",
        t.elapsed().as_secs_f64(),
        s.len()
    );
    let t = Instant::now();
    let m = model.tag(&c.text, &s)?;
    eprintln!(
        "tag       {:>8.3}s ({} mentions)",
        t.elapsed().as_secs_f64(),
        m.len()
    );
    let t = Instant::now();
    let mut e = entities::merge(&c.text, &m);
    eprintln!(
        "entities  {:>8.3}s ({} entities)",
        t.elapsed().as_secs_f64(),
        e.len()
    );
    let t = Instant::now();
    let q = quotes::extract_quotes(&c.text, &s, &mut e);
    eprintln!(
        "quotes    {:>8.3}s ({} quotes)",
        t.elapsed().as_secs_f64(),
        q.len()
    );
    Ok(())
}
