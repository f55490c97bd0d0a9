//! `whosaid who NAME`: the quotes attributed to a speaker in extract output.
//!
//! Exit codes: 0 when NAME fits one speaker (its quotes are printed), 3 when it fits nobody
//! (the nearest names are suggested on stderr), 4 when it fits several speakers (they are
//! listed with their counts; ask again with a full name or an id), 1 on an error (an
//! unreadable file, a line that is not extract output).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::analyst::filter::{self, Filter};
use whosaid::analyst::who::{ask, render_text, Answer};

use super::read_docs;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Speaker name, any form ("Putin", "Vladimir Putin", "Mr. Putin"), or a speaker id
    /// ("person:vladimir-putin").
    pub name: String,
    /// Extract output (JSON Lines); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// JSON out instead of readable text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub filter: Filter,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if whosaid::entities::entity_key(&args.name).is_empty() {
        anyhow::bail!("who: the name {:?} has no letters or digits", args.name);
    }
    let (docs, summary) = filter::apply(read_docs(&args.files)?, &args.filter)?;
    if let Some(s) = summary {
        eprintln!("whosaid: {}", s.line());
    }
    let answer = ask(&docs, &args.name);
    let code = match &answer {
        Answer::Found { .. } => 0,
        Answer::None { .. } => 3,
        Answer::Several { .. } => 4,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else if code == 3 {
        eprint!("whosaid: {}", render_text(&args.name, &answer));
    } else {
        print!("{}", render_text(&args.name, &answer));
    }
    Ok(ExitCode::from(code))
}
