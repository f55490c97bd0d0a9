//! `whosaid export`: extract output converted to CSV (or JSON, JSON Lines).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use whosaid::analyst::export::{AtomicFile, DocWriter, EntityCsv};

use super::{is_broken_pipe, read_docs, OutFormat, Sink};

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Extract output (JSON Lines or JSON); stdin when absent or `-`.
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
    pub format: OutFormat,
    /// Write to FILE instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write one CSV row per entity mention to FILE.
    #[arg(long, value_name = "FILE")]
    pub entities_csv: Option<PathBuf>,
}

/// `whosaid export`: extract output converted to CSV (or JSON, JSON Lines).
pub fn run(args: Args) -> Result<ExitCode> {
    let mut docs = read_docs(&args.files)?;
    // The batch's identities: the same speaker ids as `report` and `who`.
    whosaid::identity::assign_batch(&mut docs);
    let mut writer = DocWriter::new(
        Sink::open(args.output.as_deref())?,
        args.format.into(),
        true,
    )?;
    let mut entities = match &args.entities_csv {
        Some(p) => Some(EntityCsv::new(AtomicFile::create(p)?)?),
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
