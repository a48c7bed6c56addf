//! The shape design.md asks for, checked from the code's own `use` lines: no import circle
//! between source files, and no source file past 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 400;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/vendors/joinup/mod.rs` -> `vendors::joinup`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).filter(|p| !matches!(*p, "mod" | "lib" | "main")).collect();
    parts.join("::")
}

/// The modules a file's `use` lines name, resolved against the known modules (longest prefix).
fn imports(text: &str, module: &str, is_mod_file: bool, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let parent = |m: &str| m.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_owned());
    let mut found = BTreeSet::new();
    let mut statement = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[cfg(test)]") {
            break; // unit tests may import what they test from anywhere
        }
        if statement.is_empty() && !(line.starts_with("use ") || line.starts_with("pub use ")) {
            continue;
        }
        statement.push_str(line);
        if !line.ends_with(';') {
            continue;
        }
        let path = statement.trim_start_matches("pub ").trim_start_matches("use ").trim_end_matches(';').to_owned();
        statement.clear();
        let base = if is_mod_file { module.to_owned() } else { parent(module) };
        let absolute = if let Some(rest) = path.strip_prefix("crate::") {
            rest.to_owned()
        } else if let Some(rest) = path.strip_prefix("super::") {
            let up = parent(&base);
            if up.is_empty() { rest.to_owned() } else { format!("{up}::{rest}") }
        } else if let Some(rest) = path.strip_prefix("self::") {
            format!("{base}::{rest}")
        } else {
            continue;
        };
        // `a::b::{c, d::e}`: expand one level of braces.
        let (head, tail) = absolute.split_once("::{").map_or((absolute.as_str(), ""), |(h, t)| (h, t));
        let names: Vec<String> = if tail.is_empty() {
            vec![head.to_owned()]
        } else {
            tail.trim_end_matches('}').split(',').map(|n| format!("{head}::{}", n.trim())).collect()
        };
        for name in names {
            let mut candidate = name.replace("::self", "");
            loop {
                if modules.contains(&candidate) {
                    if candidate != module {
                        found.insert(candidate);
                    }
                    break;
                }
                match candidate.rsplit_once("::") {
                    Some((p, _)) => candidate = p.to_owned(),
                    None => break,
                }
            }
        }
    }
    found
}

#[test]
fn source_files_import_each_other_without_a_circle_and_stay_under_400_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut too_long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let module = module_of(&src, file);
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
        if text.lines().count() > MAX_LINES {
            too_long.push(format!("{} ({} lines)", file.display(), text.lines().count()));
        }
        graph.insert(module.clone(), imports(&text, &module, is_mod_file, &modules));
    }
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|n| *n == node).unwrap_or(0);
                let mut circle: Vec<String> = path[start..].iter().map(|n| (*n).to_owned()).collect();
                circle.push(node.to_owned());
                return Some(circle);
            }
            None => {}
        }
        state.insert(node, false);
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, state, path) {
                return Some(circle);
            }
        }
        path.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        let circle = visit(node, &graph, &mut state, &mut Vec::new());
        assert!(circle.is_none(), "import circle: {}", circle.unwrap_or_default().join(" -> "));
    }
    assert!(graph["vendors::joinup::routes"].contains("sandbox"), "the check reads imports: {graph:?}");
    assert!(too_long.is_empty(), "split these files: {too_long:?}");
}
