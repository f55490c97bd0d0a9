//! The fuzz target ([`whosaid::fuzzing::fuzz_one`]: cleaning, sentence splitting, entities,
//! quote detection, JSON/CSV output and report highlighting) run in `cargo test`, bounded:
//! first every file of the seed corpus `fuzz/seeds/`, then random mutations of it (bit flips,
//! inserted quote marks and markup, deleted, duplicated and spliced ranges) for
//! `WHOSAID_FUZZ_SECS` seconds (20 by default) or `WHOSAID_FUZZ_ITERS` inputs, whichever
//! comes first. The mutations are deterministic for a given `WHOSAID_FUZZ_SEED`.
//!
//! An input that panics is saved under the test's temporary folder and the test fails with
//! its path; `cargo fuzz run pipeline <file>` (see fuzz/README.md) replays it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use whosaid::fuzzing::fuzz_one;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "seed corpus missing in {}", dir.display());
    out
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: small, deterministic, good enough for choosing mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments that steer the rules: quote marks of every kind, cues, markup, line breaks.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "\u{201c}",
    "\u{201d}",
    "\u{2018}",
    "\u{2019}",
    "\u{ab}",
    "\u{bb}",
    "\u{201e}",
    " said ",
    " told ",
    ", he said.",
    " according to ",
    ": ",
    "\n",
    "\n\n",
    "\r\n",
    ". ",
    "-\n",
    "<p>",
    "</p>",
    "<b>",
    "&quot;",
    "&amp;",
    "# ",
    "> ",
    "* ",
    "**",
    "_",
    "[",
    "](",
    ")",
    " Vladimir Putin",
    " He",
    " she",
    " The minister",
    " officials",
    "\u{0}",
    "\u{feff}",
    "\u{301}",
    "\u{1F600}",
    "\u{200b}",
    "\u{ad}",
    "\t",
    "...",
    "?",
    "!",
];

const MAX_LEN: usize = 64 * 1024;

fn mutate(rng: &mut Rng, input: &[u8], pool: &[Vec<u8>]) -> Vec<u8> {
    let mut d = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let n = d.len();
        match rng.below(9) {
            0 if n > 0 => {
                let i = rng.below(n);
                d[i] ^= 1 << rng.below(8);
            }
            1 if n > 0 => {
                let i = rng.below(n);
                d[i] = rng.next() as u8;
            }
            2 | 3 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let i = rng.below(n + 1);
                let times = if rng.below(8) == 0 {
                    1 + rng.below(64)
                } else {
                    1
                };
                for _ in 0..times {
                    d.splice(i..i, t.iter().copied());
                }
            }
            4 if n > 0 => {
                let i = rng.below(n);
                let len = 1 + rng.below((n - i).min(256));
                d.drain(i..i + len);
            }
            5 if n > 0 => {
                let i = rng.below(n);
                let len = 1 + rng.below((n - i).min(512));
                let chunk = d[i..i + len].to_vec();
                let j = rng.below(d.len() + 1);
                d.splice(j..j, chunk);
            }
            6 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let len = 1 + rng.below((other.len() - i).min(1024));
                    let j = rng.below(n + 1);
                    d.splice(j..j, other[i..i + len].iter().copied());
                }
            }
            7 if n > 0 => d.truncate(rng.below(n)),
            _ => {
                // Swap a quote mark for another kind.
                let marks: [&[u8]; 4] = [b"\"", "\u{201c}".as_bytes(), "\u{201d}".as_bytes(), b"'"];
                if let Some(i) = d.iter().position(|&b| b == b'"') {
                    let m = marks[rng.below(marks.len())];
                    d.splice(i..i + 1, m.iter().copied());
                }
            }
        }
    }
    d.truncate(MAX_LEN);
    d
}

fn run_guarded(data: &[u8], label: &str) -> Duration {
    let t = Instant::now();
    if catch_unwind(AssertUnwindSafe(|| fuzz_one(data))).is_err() {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join(format!("fuzz-crash-{}.bin", label.replace('/', "_")));
        std::fs::write(&path, data).unwrap();
        panic!(
            "the fuzz target panicked on {label} ({} bytes); input saved to {}",
            data.len(),
            path.display()
        );
    }
    t.elapsed()
}

#[test]
fn seed_corpus_passes() {
    for (name, data) in seeds() {
        run_guarded(&data, &name);
    }
}

#[test]
fn bounded_random_mutations_of_the_seed_corpus() {
    let secs = env_num("WHOSAID_FUZZ_SECS", 20);
    let max_iters = env_num("WHOSAID_FUZZ_ITERS", u64::MAX);
    let seed = env_num("WHOSAID_FUZZ_SEED", 0x5eed_2024);
    let mut rng = Rng(seed | 1);
    let seeds: Vec<Vec<u8>> = seeds().into_iter().map(|(_, d)| d).collect();
    // Mutants are mutated further: the pool keeps the latest few hundred.
    let mut pool: Vec<Vec<u8>> = seeds.clone();
    let start = Instant::now();
    let (mut iters, mut bytes) = (0u64, 0usize);
    let mut slowest = (Duration::ZERO, 0usize);
    while iters < max_iters && start.elapsed() < Duration::from_secs(secs) {
        let base = if rng.below(3) == 0 {
            &seeds[rng.below(seeds.len())]
        } else {
            &pool[rng.below(pool.len())]
        };
        let input = mutate(&mut rng, base, &seeds);
        let took = run_guarded(&input, &format!("seed{seed}-iter{iters}"));
        if took > slowest.0 {
            slowest = (took, input.len());
        }
        bytes += input.len();
        if pool.len() < 512 {
            pool.push(input);
        } else {
            let i = rng.below(pool.len());
            pool[i] = input;
        }
        iters += 1;
    }
    eprintln!(
        "fuzz: {iters} inputs ({:.1} MB) in {:.1}s, seed {seed}, no panic; slowest {:.1} ms ({} bytes)",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64() * 1e3,
        slowest.1
    );
    assert!(iters > 0);
    assert!(
        slowest.0 < Duration::from_secs(10),
        "an input of {} bytes took {:?}",
        slowest.1,
        slowest.0
    );
}

/// Pathological shapes, bigger than the mutations make: the rule layer must stay near linear.
#[test]
fn pathological_inputs_finish() {
    let cases: Vec<(&str, String)> = vec![
        ("500 nested quotes", {
            let (open, close) = whosaid::fuzzing::nested_quotes(500);
            format!("Smith said {open}deep{close} and left.")
        }),
        (
            "500 straight quotes",
            format!("He said {}x{} today.", "\"'".repeat(250), "'\"".repeat(250)),
        ),
        ("unbalanced", "\"Never closed, said Anna. ".repeat(2000)),
        ("one 200 KB line", "word Name said other ".repeat(10_000)),
        ("200 KB of quote marks", "\"".repeat(200_000)),
        ("200 KB of one word", "a".repeat(200_000)),
        (
            "lines of markup",
            "<p>\"x\" said <b>Y</b>.</p>\n".repeat(5000),
        ),
    ];
    for (name, text) in cases {
        let t = Instant::now();
        run_guarded(text.as_bytes(), name);
        let took = t.elapsed();
        eprintln!("{name}: {} bytes in {:.2}s", text.len(), took.as_secs_f64());
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    }
}
