//! `whosaid who NAME`: the quotes attributed to a speaker in extract output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use super::read_docs;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Speaker name, e.g. "Putin" or "Vladimir Putin".
    pub name: String,
    /// Extract output (JSON Lines); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// JSON out instead of readable text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let docs = read_docs(&args.files)?;
    let found = whosaid::analyst::who::find(&docs, &args.name);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
    } else {
        print!("{}", whosaid::analyst::who::render_text(&args.name, &found));
    }
    Ok(ExitCode::SUCCESS)
}
