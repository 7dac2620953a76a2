//! The layering invariant, enforced: no source file of the core imports,
//! directly or through others, a file that imports it back. A cycle makes
//! every file in it depend on all the others (the error module once reached
//! the store through the report's size formatting), so a change anywhere in
//! it touches them all. Read from the sources: every `crate::a::b` path and
//! every `super::` names the file it leads to; comments and unit-test
//! modules are not imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate's source files by module path (`inspect::ocr`), unit-test
/// files left out.
fn modules(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .expect("under root")
                .with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let test_only = parts
                .iter()
                .any(|p| p == "tests" || p.starts_with("test_") || p.ends_with("_tests"));
            if !test_only && !parts.is_empty() {
                found.insert(parts.join("::"), path);
            }
        }
    }
    found
}

/// The longest module of `known` that `path` (`a::b::Item`) lies in.
fn file_of(path: &str, known: &BTreeMap<String, PathBuf>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| known.contains_key(m))
}

/// The modules `source` (the text of module `me`) imports.
fn imports(me: &str, source: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let code: String = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let path_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let path: String = rest.chars().take_while(|&c| path_char(c)).collect();
        let base = path.trim_end_matches(':');
        // `crate::a::{b, c::D}`: each lower-case item may be a module.
        if let Some(group) = rest[path.len()..].strip_prefix('{') {
            for item in group.split('}').next().unwrap_or_default().split(',') {
                let item = item.trim();
                if item.starts_with(|c: char| c.is_ascii_lowercase()) && item != "self" {
                    let full = match base {
                        "" => item.to_owned(),
                        base => format!("{base}::{item}"),
                    };
                    found.extend(file_of(&full, known));
                }
            }
        }
        // Items the crate root re-exports from the workspace.
        if base.starts_with("Workspace") || base.starts_with("parse_date") {
            found.insert("workspace".to_owned());
        }
        found.extend(file_of(base, known));
    }
    if code.contains("super::") {
        if let Some((parent, _)) = me.rsplit_once("::") {
            found.insert(parent.to_owned());
        }
    }
    found.remove(me);
    found
}

/// Groups of two or more modules that reach each other (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let at = self.stack.iter().rposition(|&m| m == v).expect("on stack");
                let group: Vec<String> = self.stack.drain(at..).map(str::to_owned).collect();
                if group.len() > 1 {
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

fn graph_of(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let known = modules(root);
    known
        .iter()
        .map(|(module, path)| {
            let source = std::fs::read_to_string(path).expect("read a source file");
            (module.clone(), imports(module, &source, &known))
        })
        .collect()
}

#[test]
fn the_core_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph_of(&root);
    assert!(graph.len() > 50, "the sources were read: {}", graph.len());
    assert!(
        graph["workspace"].contains("store") && graph["check"].contains("findings"),
        "imports are found"
    );
    assert_eq!(cycles(&graph), Vec::<Vec<String>>::new());
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).expect("write");
    };
    write("error.rs", "use crate::report::format_size;\n");
    write(
        "report.rs",
        "// crate::error is only named here\nuse crate::store::Row;\n",
    );
    write("store.rs", "use crate::{error::Error, kind};\n");
    write(
        "kind.rs",
        "#[cfg(test)]\nmod tests {\n    use crate::store::Row;\n}\n",
    );
    let graph = graph_of(dir.path());
    let mut found = cycles(&graph);
    for group in &mut found {
        group.sort();
    }
    assert_eq!(found, vec![vec!["error", "report", "store"]]);
}
