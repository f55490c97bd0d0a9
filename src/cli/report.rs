//! `whosaid report`: one self-contained HTML page over extract output.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::analyst::export;

use super::read_docs;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Extract output (JSON Lines or JSON); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// Write the page to FILE (e.g. report.html) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not read the articles' sources: list each article's quotes without its text.
    #[arg(long)]
    pub no_text: bool,
    /// Page title.
    #[arg(long, default_value = "whosaid report")]
    pub title: String,
    /// Rows in each ranking table.
    #[arg(long, default_value_t = 100)]
    pub top: usize,
}

/// `whosaid report`: one self-contained HTML page over extract output.
pub fn run(args: Args) -> Result<ExitCode> {
    let docs = read_docs(&args.files)?;
    let texts: Vec<whosaid::analyst::report::Text> = if args.no_text {
        vec![Err(String::new()); docs.len()]
    } else {
        whosaid::analyst::report::load_texts(&docs)
    };
    let opts = whosaid::analyst::report::ReportOptions {
        title: args.title,
        top: args.top.max(1),
        ..Default::default()
    };
    let html = whosaid::analyst::report::render(&docs, &texts, &opts);
    let shown = texts.iter().filter(|t| t.is_ok()).count();
    match &args.output {
        Some(p) => {
            export::write_atomic(p, html.as_bytes())?;
            eprintln!(
                "whosaid: report of {} documents ({shown} with their text) written to {}",
                docs.len(),
                p.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(html.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
