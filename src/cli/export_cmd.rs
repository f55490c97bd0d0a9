//! `whosaid export`: extract output converted to CSV (or JSON, JSON Lines).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::analyst::export::{DocWriter, BOM};
use whosaid::analyst::filter::{self, Filter};

use super::{is_broken_pipe, read_docs, OutFormat, Sink};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Extract output (JSON Lines or JSON); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
    pub format: OutFormat,
    /// Write to FILE instead of stdout (`-`: stdout). A symlink is followed; a FIFO, device
    /// or folder is refused.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write one row per entity mention to FILE: a Parquet table with --format parquet or
    /// a FILE ending in .parquet, else CSV.
    #[arg(long = "entities", visible_alias = "entities-csv", value_name = "FILE")]
    pub entities_csv: Option<PathBuf>,
    /// Write CSV fields as they are: no `'` before a field starting with = + - @ (which a
    /// spreadsheet would run as a formula).
    #[arg(long)]
    pub raw_csv: bool,
    /// Start CSV files with a UTF-8 byte order mark, so that Excel reads them as UTF-8.
    #[arg(long)]
    pub excel: bool,
    #[command(flatten)]
    pub filter: Filter,
}

/// `whosaid export`: extract output converted to CSV (or JSON, JSON Lines).
pub fn run(args: Args) -> Result<ExitCode> {
    if args.excel && args.format != OutFormat::Csv {
        anyhow::bail!("--excel: only CSV output has a byte order mark (use --format csv)");
    }
    let (mut docs, summary) = filter::apply(read_docs(&args.files)?, &args.filter)?;
    if let Some(s) = summary {
        eprintln!("whosaid: {}", s.line());
    }
    // The batch's identities: the same speaker ids as `report` and `who`.
    whosaid::identity::assign_batch(&mut docs);
    let mut sink = Sink::open(args.output.as_deref())?;
    if args.excel {
        sink.write_all(BOM)?;
    }
    let mut writer = DocWriter::new(sink, args.format.into(), true)?.raw_csv(args.raw_csv);
    let mut entities = match &args.entities_csv {
        Some(p) => Some(super::entity_table_bom(p, args.format, args.excel)?.raw_csv(args.raw_csv)),
        None => None,
    };
    for d in &docs {
        writer.write(d)?;
        if let Some(e) = entities.as_mut() {
            e.write(d)?;
        }
    }
    match writer
        .finish()
        .map_err(anyhow::Error::from)
        .and_then(Sink::finish)
    {
        Err(e) if is_broken_pipe(&e) => {}
        r => r?,
    }
    if let Some(e) = entities {
        e.finish()?.commit()?;
    }
    Ok(ExitCode::SUCCESS)
}
