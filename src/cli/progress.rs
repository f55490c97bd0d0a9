//! `extract`'s progress line on stderr: documents done out of the total (when the inputs are
//! files, whose documents can be counted before the run), percent, words per second and time
//! left. It is redrawn twice a second by its own thread from counters, so it moves while a big
//! document is being tagged: the tagger counts its tokens as it goes ([`whosaid::ner::Work`]).

use std::io::{BufRead, BufReader, IsTerminal};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use whosaid::input::InputSource;

/// What is known of the whole run before it starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    /// Documents (files, plus the lines of JSON Lines files); `None` when reading a stream.
    pub documents: Option<usize>,
    /// Bytes of all inputs; `None` when reading a stream.
    pub bytes: Option<u64>,
}

impl Totals {
    /// Counts the documents and bytes of `sources` (a JSON Lines file: its non-blank lines).
    pub fn of(sources: &[InputSource]) -> Totals {
        let (mut docs, mut bytes) = (0usize, 0u64);
        for s in sources {
            let InputSource::File(p) = s else {
                return Totals::default();
            };
            bytes += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let jsonl = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
            docs += if jsonl {
                std::fs::File::open(p)
                    .map(|f| {
                        BufReader::new(f)
                            .split(b'\n')
                            .filter(|l| l.as_ref().is_ok_and(|l| !l.trim_ascii().is_empty()))
                            .count()
                    })
                    .unwrap_or(0)
            } else {
                1
            };
        }
        Totals {
            documents: Some(docs),
            bytes: Some(bytes),
        }
    }
}

/// Counters the run updates and the progress thread reads.
#[derive(Debug, Default)]
pub struct Counters {
    pub documents: AtomicUsize,
    pub words: AtomicUsize,
    /// Input bytes of the documents done.
    pub bytes: AtomicU64,
    /// The tagger's token count when the last document was done.
    pub tokens_at_last: AtomicU64,
}

/// `1h 02m`, `3m 05s`, `12s`.
pub fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// One progress line from the totals, the counters, the tagger's token count and the time
/// since the start.
pub fn line(totals: Totals, c: &Counters, tokens: u64, secs: f64) -> String {
    let docs = c.documents.load(Relaxed);
    let words = c.words.load(Relaxed);
    let done_bytes = c.bytes.load(Relaxed) as f64;
    let at_last = c.tokens_at_last.load(Relaxed);
    let secs = secs.max(1e-3);
    let mut s = match totals.documents {
        Some(n) => format!(
            "{docs}/{n} documents ({:.0}%)",
            100.0 * docs as f64 / n.max(1) as f64
        ),
        None => format!("{docs} documents"),
    };
    s += &format!(", {:.0} words/s", words as f64 / secs);
    if let Some(total) = totals.bytes.filter(|b| *b > 0) {
        // Bytes done, plus the part of the documents in hand already tagged (tokens since the
        // last document was done, at the bytes per token seen so far).
        let per_token = if at_last > 0 {
            done_bytes / at_last as f64
        } else {
            4.0
        };
        let moving = tokens.saturating_sub(at_last) as f64 * per_token;
        let done = (done_bytes + moving).min(total as f64);
        if done > 0.0 {
            let left = secs * (total as f64 - done) / done;
            s += &format!(", about {} left", duration(left));
        }
    }
    s
}

/// The progress loop, for a scoped thread: redraws the line on stderr every half second until
/// `stop` is set, then clears it. `tokens` reads the tagger's token count.
pub fn draw_until(
    stop: &AtomicBool,
    totals: Totals,
    counters: &Counters,
    tokens: impl Fn() -> u64,
) {
    let started = Instant::now();
    let clear = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    while !stop.load(Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if last.elapsed() < Duration::from_millis(500) {
            continue;
        }
        last = Instant::now();
        let l = line(totals, counters, tokens(), started.elapsed().as_secs_f64());
        if clear {
            eprint!("\r\x1b[K{l}");
        } else {
            eprintln!("{l}");
        }
    }
    if clear {
        eprint!("\r\x1b[K");
    } else {
        // A log gets the final state too, however short the run.
        eprintln!(
            "{}",
            line(totals, counters, tokens(), started.elapsed().as_secs_f64())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_gives_the_total_percent_rate_and_time_left() {
        let c = Counters::default();
        c.documents.store(21, Relaxed);
        c.words.store(10_000, Relaxed);
        c.bytes.store(60_000, Relaxed);
        c.tokens_at_last.store(15_000, Relaxed);
        let totals = Totals {
            documents: Some(84),
            bytes: Some(240_000),
        };
        // A quarter of the bytes done in 2 s: 6 s left.
        assert_eq!(
            line(totals, &c, 15_000, 2.0),
            "21/84 documents (25%), 5000 words/s, about 6s left"
        );
        // Inside the next document: 15,000 more tokens at 4 bytes each → half done at 4 s.
        assert_eq!(
            line(totals, &c, 30_000, 4.0),
            "21/84 documents (25%), 2500 words/s, about 4s left"
        );
        assert_eq!(
            line(Totals::default(), &c, 0, 2.0),
            "21 documents, 5000 words/s"
        );
        assert_eq!(duration(3725.0), "1h 02m");
        assert_eq!(duration(185.0), "3m 05s");
    }
}
