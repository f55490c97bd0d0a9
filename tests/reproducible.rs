//! The same answer every run: `whosaid extract` at the default precision gives byte-identical
//! JSON for a mixed batch (plain text, Markdown, PDF text, JSON Lines, HTML, and a document
//! twice) whatever `--threads` and `--chunk-size`, and in a second run; the two copies of the
//! duplicated document get the same entities and quotes. A window's tags and scores depend on
//! that window alone, not on its batch neighbours (issue 20).
//!
//! scripts/test.sh runs this test natively and again with AVX2 kernels forced
//! (`OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2`).

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The batch: fixtures/seeds, fixtures/articles and fixtures/html's pages, plus a copy of the
/// first seed under another name (it lands in another chunk and beside other neighbours).
/// Returns the folder, the first seed's id, its copy's id and the number of documents.
fn batch() -> (PathBuf, String, String, usize) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reproducible-batch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/seeds"))
        .expect("fixtures/seeds")
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 2, "fixtures/seeds has {} files", seeds.len());
    for sub in ["fixtures/seeds", "fixtures/articles", "fixtures/html"] {
        for e in std::fs::read_dir(root().join(sub)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            if name.ends_with(".json") {
                continue; // gold annotations of the HTML pages
            }
            std::fs::copy(&p, dir.join(&name)).unwrap();
        }
    }
    let first = seeds[0].file_stem().unwrap().to_str().unwrap().to_string();
    let ext = seeds[0].extension().unwrap().to_str().unwrap();
    // "zz": sorted last, so never in the first document's chunk at small chunk sizes.
    let copy = format!("zz-copy-of-{first}");
    std::fs::copy(&seeds[0], dir.join(format!("{copy}.{ext}"))).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        n += match p.extension().and_then(|x| x.to_str()) {
            Some("jsonl") => std::fs::read_to_string(&p)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count(),
            _ => 1,
        };
    }
    (dir, first, copy, n)
}

fn extract(input: &Path, threads: usize, chunk: usize, out: &Path) -> Vec<u8> {
    let o = Command::new(BIN)
        .arg("extract")
        .arg(input)
        .arg("--model")
        .arg(root().join("models/whosaid-ner-en"))
        .args(["--threads", &threads.to_string()])
        .args(["--chunk-size", &chunk.to_string()])
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "extract --threads {threads} --chunk-size {chunk}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(out).unwrap()
}

#[test]
fn extract_gives_the_same_bytes_whatever_threads_chunks_and_run() {
    let (dir, first, copy, n) = batch();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reproducible-out");
    std::fs::create_dir_all(&out).unwrap();
    let runs = [(1, 32), (2, 3), (2, 32), (1, 3)];
    let outputs: Vec<Vec<u8>> = runs
        .iter()
        .map(|&(t, c)| extract(&dir, t, c, &out.join(format!("t{t}-c{c}.jsonl"))))
        .collect();
    let again = extract(&dir, 1, 32, &out.join("t1-c32-again.jsonl"));
    let base = &outputs[0];
    let docs: Vec<serde_json::Value> = String::from_utf8(base.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Every document of the batch (a JSON Lines file holds several) and no errors.
    assert!(n >= 12, "{n} documents in the batch");
    assert_eq!(docs.len(), n);
    assert!(docs
        .iter()
        .all(|d| d["errors"].as_array().unwrap().is_empty()));
    let mentions: usize = docs
        .iter()
        .flat_map(|d| d["entities"].as_array().unwrap())
        .map(|e| e["mentions"].as_array().unwrap().len())
        .sum();
    assert!(mentions >= 100, "{mentions} mentions");
    for ((t, c), o) in runs.iter().zip(&outputs).skip(1) {
        assert!(
            o == base,
            "--threads {t} --chunk-size {c} differs from --threads 1 --chunk-size 32 in: {:?}",
            differing(base, o)
        );
    }
    assert!(
        &again == base,
        "a second run differs in: {:?}",
        differing(base, &again)
    );
    // The duplicated document: the same entities and quotes as its twin.
    let by_id = |id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no output for {id}"))
    };
    let (a, b) = (by_id(&first), by_id(&copy));
    assert!(!a["entities"].as_array().unwrap().is_empty());
    assert_eq!(a["entities"], b["entities"], "the copy's entities differ");
    assert_eq!(a["quotes"], b["quotes"], "the copy's quotes differ");
}

/// The ids of the documents whose output lines differ.
fn differing(a: &[u8], b: &[u8]) -> Vec<String> {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    a.lines()
        .zip(b.lines())
        .filter(|(x, y)| x != y)
        .map(|(x, _)| {
            serde_json::from_str::<serde_json::Value>(x).unwrap()["id"]
                .as_str()
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}
