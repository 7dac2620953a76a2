//! The architecture's first invariant, enforced: the core depends, directly
//! or through any crate it pulls in, on neither Tauri, clap nor a network
//! stack. Read from the workspace's Cargo.lock, the resolved graph cargo
//! itself builds from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Crates whose presence in the core's graph would break the invariant.
const FORBIDDEN: &[&str] = &[
    "tauri", "wry", "tao", "clap", "reqwest", "hyper", "ureq", "rustls",
];

/// `name version` → its dependencies (as the lock file names them: the name,
/// with the version when several versions are locked).
fn lock_graph() -> (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = std::fs::read_to_string(&path).expect("Cargo.lock");
    let lock: toml::Value = toml::from_str(&text).expect("Cargo.lock is TOML");
    let mut by_key = BTreeMap::new();
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock["package"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("name").to_owned();
        let version = package["version"].as_str().expect("version").to_owned();
        let deps = package
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|d| {
                d.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        versions
            .entry(name.clone())
            .or_default()
            .push(version.clone());
        by_key.insert(format!("{name} {version}"), deps);
    }
    (by_key, versions)
}

/// Every crate the core can pull in, on any platform (the lock file is the
/// union over targets and features, so this over-approximates: safe here).
fn core_closure() -> BTreeSet<String> {
    let (graph, versions) = lock_graph();
    let resolve = |dep: &str| -> Vec<String> {
        let mut parts = dep.split(' ');
        let name = parts.next().unwrap_or_default();
        match parts.next() {
            Some(version) => vec![format!("{name} {version}")],
            None => versions
                .get(name)
                .map(|vs| vs.iter().map(|v| format!("{name} {v}")).collect())
                .unwrap_or_default(),
        }
    };
    let mut seen = BTreeSet::new();
    let mut todo = resolve("qujat-core");
    while let Some(key) = todo.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        for dep in graph.get(&key).into_iter().flatten() {
            todo.extend(resolve(dep));
        }
    }
    seen
}

#[test]
fn the_core_depends_on_neither_tauri_clap_nor_a_network_stack() {
    let closure = core_closure();
    assert!(
        closure.len() > 20,
        "the walk found the core's graph: {closure:?}"
    );
    assert!(closure.iter().any(|k| k.starts_with("rusqlite ")));
    let offending: Vec<&String> = closure
        .iter()
        .filter(|k| {
            let name = k.split(' ').next().unwrap_or_default();
            FORBIDDEN.contains(&name) || name.starts_with("tauri-")
        })
        .collect();
    assert!(
        offending.is_empty(),
        "qujat-core must stay free of the shell, the CLI and the network: {offending:?}"
    );
}

#[test]
fn the_walk_would_notice_a_forbidden_crate() {
    // The same walk from the CLI finds clap, and from the app tauri: the
    // test above cannot pass merely because the walk finds nothing.
    let (graph, _) = lock_graph();
    let cli = graph
        .iter()
        .find(|(k, _)| k.starts_with("qujat-cli "))
        .map(|(_, deps)| deps)
        .expect("qujat-cli is locked");
    assert!(cli.iter().any(|d| d.starts_with("clap")));
}
