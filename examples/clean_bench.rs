//! Time of the cleaning stage alone over files (HTML main-content extraction included):
//! `cargo run --release --example clean_bench -- ROUNDS FILE...`. Prints the median of
//! ROUNDS passes over all files, in ms, and MB/s of input.
use std::time::Instant;

use whosaid::clean;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.first().and_then(|r| r.parse().ok()).unwrap_or(20);
    let docs: Vec<(String, clean::Format)> = args[1..]
        .iter()
        .map(|p| {
            let t = std::fs::read_to_string(p)?;
            let f = clean::detect_format(p, &t);
            Ok((t, f))
        })
        .collect::<anyhow::Result<_>>()?;
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    let mut times = Vec::new();
    let mut out = 0;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        for (text, format) in &docs {
            out += clean::clean(text, *format).text.len();
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let m = times[times.len() / 2];
    println!(
        "clean: {} files, {bytes} bytes: median {:.2} ms per pass, {:.1} MB/s (cleaned {} bytes)",
        docs.len(),
        m * 1e3,
        bytes as f64 / m / 1e6,
        out / rounds.max(1)
    );
    Ok(())
}
