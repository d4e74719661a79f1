//! The house rules, read from the source as a newcomer would read it: arrows run one way
//! (domain → store → model), SQL lives in `store/`, and the two edges (the shell's commands and
//! the CLI) call the core's rules, never its SQL. Each test names the file and line that breaks
//! its rule.

#![allow(clippy::unwrap_used)] // a failing read is a failing test

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const CORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Modules every layer may use: the rows and ids, the error type, and time.
const LEAVES: [&str; 3] = ["model", "error", "clock"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A file's text up to its unit tests, which may set up whatever they need.
fn production(path: &Path) -> String {
    let s = fs::read_to_string(path).unwrap();
    match s.find("#[cfg(test)]") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

/// The module a core file belongs to: `store/<table>` for the store, else the top-level module
/// (`import/plan.rs` is `import`).
fn module_of(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [store, table, ..] if store == "store" && table != "mod" => format!("store/{table}"),
        [first, ..] => first.clone(),
        [] => unreachable!(),
    }
}

struct Core {
    /// Top-level module names (files and folders of src/).
    modules: BTreeSet<String>,
    /// Module → (module it names, file:line).
    uses: BTreeMap<String, BTreeMap<String, String>>,
}

fn read_core() -> Core {
    let root = Path::new(CORE);
    let modules: BTreeSet<String> = fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "lib")
        .collect();
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let mut uses: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap();
        let from = module_of(rel);
        if from == "lib" {
            continue;
        }
        let text = production(&f);
        for (n, line) in code_lines(&text) {
            for named in named_modules(line, &modules) {
                let target = if named == "store" {
                    store_table(line).map_or("store".to_string(), |t| format!("store/{t}"))
                } else {
                    named
                };
                if target != from && !(from.starts_with("store") && target == "store") {
                    uses.entry(from.clone())
                        .or_default()
                        .entry(target)
                        .or_insert_with(|| format!("{}:{n}", rel.display()));
                }
            }
        }
    }
    Core { modules, uses }
}

/// Modules a line names through `crate::m` or inside `use crate::{m, …}`.
fn named_modules(line: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let head = item.trim().split("::").next().unwrap_or("");
                if modules.contains(head) {
                    out.push(head.to_string());
                }
            }
        } else {
            let head: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&head) {
                out.push(head);
            }
        }
    }
    out
}

/// `store::expert::…` → `expert`.
fn store_table(line: &str) -> Option<String> {
    let i = line.find("store::")?;
    let t: String = line[i + "store::".len()..]
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
        .collect();
    Path::new(CORE)
        .join("store")
        .join(format!("{t}.rs"))
        .exists()
        .then_some(t)
}

#[test]
fn the_store_never_uses_a_domain_module() {
    let core = read_core();
    let mut broken = Vec::new();
    for (from, targets) in &core.uses {
        if !from.starts_with("store") {
            continue;
        }
        for (to, at) in targets {
            if !to.starts_with("store") && !LEAVES.contains(&to.as_str()) {
                broken.push(format!("{at}: {from} uses {to}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "the store reaches up into the domain:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_module_of_the_core_uses_a_module_that_uses_it_back() {
    let core = read_core();
    let top = |m: &str| m.split('/').next().unwrap().to_string();
    // The graph between top-level modules (the store as one).
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &core.uses {
        for to in targets.keys() {
            if top(from) != top(to) {
                graph.entry(top(from)).or_default().insert(top(to));
            }
        }
    }
    let reaches = |from: &str, goal: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            if m == goal {
                return true;
            }
            if seen.insert(m.clone()) {
                todo.extend(graph.get(&m).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut cycles = Vec::new();
    for (from, targets) in &core.uses {
        for (to, at) in targets {
            if top(from) != top(to) && reaches(&top(to), &top(from)) {
                cycles.push(format!(
                    "{at}: {from} uses {to}, which leads back to {from}"
                ));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    assert!(
        core.modules.contains("store") && core.uses.len() > 20,
        "the core was not read"
    );
}

/// SQL keywords as they open a statement in a string, and the SQLite crate by name.
fn sql_at(line: &str) -> bool {
    const OPENERS: [&str; 8] = [
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"PRAGMA ",
        "\"CREATE ",
        "\"WITH ",
        "\"ALTER ",
    ];
    line.contains("rusqlite") || OPENERS.iter().any(|o| line.contains(o))
}

#[test]
fn sql_lives_in_the_store_and_the_migrations_only() {
    let root = Path::new(CORE);
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let mut found = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap();
        // The store; the migrations and the connection's settings; the error type's
        // conversion of SQLite's errors.
        if rel.starts_with("store") || rel == Path::new("db.rs") || rel == Path::new("error.rs") {
            continue;
        }
        let text = production(&f);
        for (n, line) in code_lines(&text) {
            if sql_at(line) {
                found.push(format!("{}:{n}: {}", rel.display(), line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside core/src/store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_window_and_the_cli_call_the_cores_rules_never_its_sql() {
    let tauri = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut found = Vec::new();
    for edge in ["src", "cli/src"] {
        let mut files = Vec::new();
        rust_files(&tauri.join(edge), &mut files);
        assert!(!files.is_empty(), "no source read in {edge}");
        for f in files {
            let text = production(&f);
            for (n, line) in code_lines(&text) {
                if line.contains("store::") || sql_at(line) {
                    found.push(format!("{}:{n}: {}", f.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "an edge reaches past the core's rules:\n{}",
        found.join("\n")
    );
}
