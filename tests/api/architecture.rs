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

/// The parent of a module path: `a::b::c` -> `a::b`; `a` -> the crate root, ``.
fn parent(module: &str) -> &str {
    module.rsplit_once("::").map_or("", |(p, _)| p)
}

/// A `use` path made absolute (crate-relative, without `crate::`) from inside `module`, or `None`
/// for a path into another crate. `module` is the file's own module (`module_of`: `a/b/c.rs` and
/// `a/b/c/mod.rs` are both `a::b::c`), so `self` is `module` and each `super` is one step up,
/// whichever kind of file it is.
fn absolute_path(path: &str, module: &str) -> Option<String> {
    let (mut base, mut rest) = if let Some(rest) = path.strip_prefix("crate::") {
        ("", rest)
    } else if let Some(rest) = path.strip_prefix("self::") {
        (module, rest)
    } else if path.starts_with("super::") {
        (module, path)
    } else {
        return None;
    };
    while let Some(further) = rest.strip_prefix("super::") {
        base = parent(base);
        rest = further;
    }
    Some(if base.is_empty() { rest.to_owned() } else { format!("{base}::{rest}") })
}

/// The modules a file's `use` lines name, resolved against the known modules (longest prefix).
fn imports(text: &str, module: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
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
        let Some(absolute) = absolute_path(&path, module) else {
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

/// The crate's `src/` folder.
fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn source_files_import_each_other_without_a_circle() {
    let src = source_dir();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let module = module_of(&src, file);
        graph.insert(module.clone(), imports(&text, &module, &modules));
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
}

#[test]
fn source_files_stay_under_400_lines() {
    let mut files = Vec::new();
    source_files(&source_dir(), &mut files);
    let mut too_long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        if text.lines().count() > MAX_LINES {
            too_long.push(format!("{} ({} lines)", file.display(), text.lines().count()));
        }
    }
    assert!(too_long.is_empty(), "split these files: {too_long:?}");
}

#[test]
fn use_paths_resolve_from_the_files_own_module() {
    // A plain file `a/b/c.rs` is `a::b::c`, and a `mod.rs` `a/b/mod.rs` is `a::b`: `super` is one
    // step up from either, `self` is the module itself.
    let resolved = [
        ("super::store::Store", "vendors::joinup::routes"),
        ("super::Store", "vendors::joinup"),
        ("super::super::common::x", "vendors::joinup::routes"),
        ("self::child::X", "vendors::joinup::routes"),
        ("super::sandbox::Id", "vendors"),
        ("self::routes::router", "vendors::joinup"),
        ("crate::journal::Journal", "vendors::joinup::routes"),
    ]
    .map(|(path, module)| absolute_path(path, module));
    let expected = [
        "vendors::joinup::store::Store",
        "vendors::Store",
        "vendors::common::x",
        "vendors::joinup::routes::child::X",
        "sandbox::Id",
        "vendors::joinup::routes::router",
        "journal::Journal",
    ]
    .map(|p| Some(p.to_owned()));
    assert_eq!(resolved, expected);
}

#[test]
fn use_paths_into_other_crates_resolve_to_nothing() {
    assert_eq!(absolute_path("serde_json::Value", "vendors::joinup::routes"), None);
}

#[test]
fn module_of_names_a_mod_file_after_its_folder() {
    let src = Path::new("/src");
    let names = ["/src/vendors/joinup/mod.rs", "/src/vendors/joinup/routes.rs", "/src/main.rs"]
        .map(|f| module_of(src, Path::new(f)));
    assert_eq!(names, ["vendors::joinup", "vendors::joinup::routes", ""]);
}
