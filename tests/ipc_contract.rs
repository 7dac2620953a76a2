//! The IPC contract in one place: every app command appears in the four
//! lists that must agree — the handlers `src-tauri/lib.rs` registers, the
//! permissions `src-tauri/build.rs` generates, the capability in
//! `tauri.conf.json` that allows them, and the calls `ui/src/lib/backend.ts`
//! makes. A command missing from one of them fails at run time only (a
//! denied call, an unknown command, dead code); this test fails at once and
//! names the list and the command.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    &text[from..from + to]
}

/// `module::command,` entries of `generate_handler![…]`.
fn handlers() -> BTreeSet<String> {
    let lib = read("src-tauri/lib.rs");
    between(&lib, "tauri::generate_handler![", "]")
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.rsplit("::").next().unwrap_or(e).to_owned())
        .collect()
}

/// The string literals of `AppManifest::new().commands(&[…])`.
fn manifest_commands() -> BTreeSet<String> {
    let build = read("src-tauri/build.rs");
    quoted(between(&build, ".commands(&[", "]"))
}

/// `allow-…` permissions of the main window's capability, as command names.
fn allowed() -> BTreeSet<String> {
    let conf: serde_json::Value =
        serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json is JSON");
    let capabilities = conf["app"]["security"]["capabilities"]
        .as_array()
        .expect("capabilities");
    capabilities
        .iter()
        .flat_map(|c| c["permissions"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p.as_str().map(str::to_owned))
        // Plugin and core permissions carry a `prefix:`; the app's own don't.
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("app permission `{p}` is not an allow- permission"))
                .replace('-', "_")
        })
        .collect()
}

/// The command names `backend.ts` passes to `call("…")`.
fn called() -> BTreeSet<String> {
    let backend = read("ui/src/lib/backend.ts");
    backend
        .split("call(")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .collect()
}

fn quoted(list: &str) -> BTreeSet<String> {
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn assert_same(name: &str, list: &BTreeSet<String>, handlers: &BTreeSet<String>) {
    let missing: Vec<_> = handlers.difference(list).collect();
    let extra: Vec<_> = list.difference(handlers).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name} disagrees with generate_handler!: missing {missing:?}, not a handler {extra:?}"
    );
}

#[test]
fn the_four_lists_of_commands_agree() {
    let handlers = handlers();
    assert!(
        handlers.len() > 20,
        "parsed only {} handlers: the parser no longer matches lib.rs",
        handlers.len()
    );
    assert_same("build.rs (permissions)", &manifest_commands(), &handlers);
    assert_same("tauri.conf.json (capability)", &allowed(), &handlers);
    assert_same("backend.ts (calls)", &called(), &handlers);
}
