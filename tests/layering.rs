//! The library's stages import each other in one direction only: no import cycle between the
//! top-level modules of `src/` (issue 17). Shared types sit below the stages that share them
//! (`span`, `segment`, `entities`, `tagging`).
//!
//! The check reads the sources: every `crate::module` path (also inside `use crate::{...}`
//! groups, and the root re-exports such as `crate::Mention`, resolved through `lib.rs`) outside
//! test code is an edge from the file's top-level module to that module. Test code (files named
//! `tests.rs`, and everything after a file's first `#[cfg(test)]`) may use any stage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The source without comments and without its test code.
fn code_of(src: &str) -> String {
    let src = src.split("#[cfg(test)]").next().unwrap_or("");
    src.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names a `crate::` path starts with: `crate::a::b` gives `a`; `crate::{a, b::c, D}` gives
/// `a`, `b` and `D`.
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A group: its top-level items, nested groups skipped.
            let (mut depth, mut item, mut end) = (0usize, String::new(), group.len());
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = k;
                        break;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 && c == ',' {
                    out.push(std::mem::take(&mut item));
                } else if depth == 0 {
                    item.push(c);
                }
            }
            out.push(item);
            rest = &group[end..];
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.into_iter()
        .map(|s| s.trim().split("::").next().unwrap_or("").trim().to_string())
        .filter(|s| !s.is_empty() && s != "self")
        .collect()
}

#[test]
fn the_library_modules_have_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(root.join("lib.rs")).expect("src/lib.rs");
    // Root re-exports: `pub use entities::{Entity, EntityType, Mention};` maps each name to
    // its module.
    let mut reexport: BTreeMap<String, String> = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.trim().strip_prefix("pub use ") {
            let module = rest.split("::").next().unwrap().to_string();
            let names = rest.rsplit("::").next().unwrap();
            for n in names.trim_matches(|c| "{};".contains(c)).split(',') {
                reexport.insert(n.trim().to_string(), module.clone());
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut modules = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        // The binary (main.rs, cli/) uses the library from outside; `fuzzing` is test support.
        if ["main", "cli", "lib", "fuzzing"].contains(&module.as_str()) {
            continue;
        }
        modules.insert(module.clone());
        if f.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        for r in crate_refs(&code) {
            let target = reexport.get(&r).cloned().unwrap_or(r);
            if target != module {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(
        modules.len() >= 10 && modules.contains("ner") && modules.contains("quotes"),
        "the walk over src/ found too few modules: {modules:?}"
    );
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for n in graph.get(m).into_iter().flatten() {
            match state.get(n.as_str()) {
                Some(1) => {
                    let i = path.iter().position(|p| p == n).unwrap();
                    let mut cycle = path[i..].to_vec();
                    cycle.push(n.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(n, graph, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in &modules {
        if !state.contains_key(m.as_str()) {
            if let Some(cycle) = visit(m, &graph, &mut state, &mut Vec::new()) {
                panic!(
                    "import cycle between the library's modules: {}\n(all edges: {graph:#?})",
                    cycle.join(" -> ")
                );
            }
        }
    }
    // The stages that share types must not depend on the stages above them.
    for (low, high) in [
        ("ner", "pipeline"),
        ("ner", "quotes"),
        ("ner", "attribution"),
        ("quotes", "pipeline"),
        ("tagging", "ner"),
    ] {
        assert!(
            !graph.get(low).is_some_and(|d| d.contains(high)),
            "{low} imports {high}"
        );
    }
}

#[test]
fn the_reference_reader_sees_groups_and_paths() {
    let refs = crate_refs("use crate::{a::B, c, D};\nlet x = crate::e::f();\n");
    assert_eq!(refs, ["a", "c", "D", "e"]);
}
