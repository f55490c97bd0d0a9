//! Prints the cleaned text of a file (what the later stages see) and its metadata:
//! `cargo run --release --example clean_text FILE [article|all]`.
use whosaid::clean::{self, CleanOptions};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or_else(|| anyhow::anyhow!("usage: clean_text FILE [article|all]"))?;
    let text = std::fs::read_to_string(path)?;
    let options = CleanOptions {
        html_mode: args
            .get(2)
            .map(|m| m.parse())
            .transpose()
            .map_err(anyhow::Error::msg)?
            .unwrap_or_default(),
    };
    let c = clean::clean_with(&text, clean::detect_format(path, &text), &options);
    println!("{}", c.text);
    eprintln!("{}", serde_json::to_string_pretty(&c.meta)?);
    Ok(())
}
