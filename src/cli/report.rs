//! `whosaid report`: one self-contained HTML page over extract output.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::analyst::export;
use whosaid::analyst::filter::{self, Filter};

use super::read_docs;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Extract output (JSON Lines or JSON); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// Write the page to FILE (e.g. report.html) instead of stdout (`-`: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not show the articles' text: list each article's quotes without it.
    #[arg(long)]
    pub no_text: bool,
    /// A folder the articles may be read from (repeatable): a `source` is read only when it
    /// is an article file (.txt .md .markdown .html .htm .jsonl) under one of them. By
    /// default the folders of the JSON Lines files reported. Text carried in the output
    /// (`extract --keep-text`) is shown without reading anything.
    #[arg(long, value_name = "DIR")]
    pub articles: Vec<PathBuf>,
    /// Page title.
    #[arg(long, default_value = "whosaid report")]
    pub title: String,
    /// Rows in each ranking table (the rest are counted below it). All by default: the page
    /// has a search box and sorting for every table.
    #[arg(long)]
    pub top: Option<usize>,
    #[command(flatten)]
    pub filter: Filter,
}

/// `whosaid report`: one self-contained HTML page over extract output.
pub fn run(args: Args) -> Result<ExitCode> {
    let (docs, summary) = filter::apply(read_docs(&args.files)?, &args.filter)?;
    if let Some(s) = &summary {
        eprintln!("whosaid: {}", s.line());
    }
    let texts: Vec<whosaid::analyst::report::Text> = if args.no_text {
        vec![Err(String::new()); docs.len()]
    } else {
        let roots: Vec<PathBuf> = if args.articles.is_empty() {
            args.files
                .iter()
                .filter(|f| f.as_os_str() != "-")
                .map(|f| match f.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                })
                .collect()
        } else {
            args.articles.clone()
        };
        whosaid::analyst::report::load_texts(&docs, &roots)
    };
    let opts = whosaid::analyst::report::ReportOptions {
        title: args.title,
        top: args.top.unwrap_or(usize::MAX).max(1),
        ..Default::default()
    };
    let html = whosaid::analyst::report::render(&docs, &texts, &opts);
    let shown = texts.iter().filter(|t| t.is_ok()).count();
    match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
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
