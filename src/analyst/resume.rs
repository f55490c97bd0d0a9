//! Resuming an interrupted JSON Lines run: [`resume_state`] reads what it left, for
//! `extract --resume`.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::outfile::{output_target, stale_partials};

/// What an earlier (maybe interrupted) JSON Lines run left in its output file.
#[derive(Debug, Default)]
pub struct ResumeState {
    /// `input_sha256` of every document written.
    pub hashes: HashSet<String>,
    /// `(source, id)` of documents written without a hash (inputs that could not be read, or
    /// output of an older whosaid), the source as [`source_key`] gives it.
    pub keys: HashSet<(String, String)>,
    /// Complete lines kept.
    pub lines: usize,
    /// Bytes of a trailing partial line that were cut off.
    pub truncated: usize,
    /// Documents taken over from the temporary files of killed runs, and those files.
    pub picked_up: usize,
    pub partials: Vec<PathBuf>,
}

impl ResumeState {
    /// Whether a document with this hash (or, without one, this source and id) is written.
    pub fn is_done(&self, hash: Option<&str>, source: &str, id: &str) -> bool {
        match hash {
            Some(h) => self.hashes.contains(h),
            None => self.keys.contains(&(source_key(source), id.to_string())),
        }
    }

    /// Records one written line; false when it was written already.
    fn add(&mut self, key: DocKey) -> bool {
        match key.input_sha256 {
            Some(h) => self.hashes.insert(h),
            None => self.keys.insert((source_key(&key.source), key.id)),
        }
    }
}

/// A source path as resume compares it: canonical when it exists (so `small3/a.txt`,
/// `./small3/a.txt` and the absolute path are one), else as written.
pub fn source_key(source: &str) -> String {
    if source == "-" {
        return source.to_string();
    }
    std::fs::canonicalize(source)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| source.to_string())
}

#[derive(serde::Deserialize)]
struct DocKey {
    id: String,
    source: String,
    #[serde(default)]
    input_sha256: Option<String>,
}

/// The complete lines of `bytes` (up to the last line break) and the length kept.
fn complete_lines(bytes: &[u8]) -> (usize, impl Iterator<Item = (usize, &[u8])>) {
    let keep = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let lines = bytes[..keep]
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace));
    (keep, lines)
}

/// Opens `path` for `extract --resume`: reads its complete lines (each must be a document of
/// extract output), cuts off a trailing partial line (what a killed run may leave), takes over
/// the complete lines of the temporary files that killed runs without `--resume` left beside
/// it (documents not yet in it are appended; the files are removed), and returns the file
/// positioned at its end for appending. A missing file is created; a symlink is followed; a
/// FIFO, device or folder is refused.
pub fn resume_state(path: &Path) -> Result<(std::fs::File, ResumeState)> {
    let target = output_target(path)?;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&target)
        .with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    let (keep, lines) = complete_lines(&bytes);
    let mut state = ResumeState {
        truncated: bytes.len() - keep,
        ..Default::default()
    };
    for (n, line) in lines {
        let key: DocKey = serde_json::from_slice(line).with_context(|| {
            format!(
                "{}:{}: not a line of extract output (JSON Lines); cannot resume",
                path.display(),
                n + 1
            )
        })?;
        state.add(key);
        state.lines += 1;
    }
    if state.truncated > 0 {
        // Only ever cut what a killed run of ours leaves: the start of a document's line.
        let tail = &bytes[keep..];
        if !(tail.starts_with(b"{\"schema\":") || tail.starts_with(b"{\"id\":")) {
            bail!(
                "{}: ends in a line that is not extract output; cannot resume",
                path.display()
            );
        }
        f.set_len(keep as u64)
            .with_context(|| format!("truncating {}", path.display()))?;
        f.sync_all()?;
    }
    f.seek(SeekFrom::Start(keep as u64))?;
    // The temporary files of killed runs: their complete lines are documents done.
    for partial in stale_partials(&target) {
        let Ok(pbytes) = std::fs::read(&partial) else {
            continue;
        };
        let (_, lines) = complete_lines(&pbytes);
        // A line that is not extract output is not ours to take: leave such a file alone.
        let Ok(keys) = lines
            .map(|(_, line)| serde_json::from_slice::<DocKey>(line).map(|k| (k, line)))
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let mut add = Vec::new();
        for (key, line) in keys {
            if state.add(key) {
                add.extend_from_slice(line);
                add.push(b'\n');
                state.picked_up += 1;
                state.lines += 1;
            }
        }
        f.write_all(&add)
            .and_then(|_| f.sync_data())
            .with_context(|| format!("writing {}", path.display()))?;
        std::fs::remove_file(&partial)
            .with_context(|| format!("removing {}", partial.display()))?;
        state.partials.push(partial);
    }
    Ok((f, state))
}
