//! Eight `qujat` processes started at the same moment on one data folder:
//! on a folder that is still empty, and on one written by an older Qujat
//! (schema version 1, plaintext rows, no key). Every round must end with
//! every process successful, one key record, the store encrypted with that
//! key and fully migrated, and nothing half-written left behind. Before the
//! setup lock, four processes left the folder unusable in most rounds ("key
//! A … encrypted with key B", "table dossiers already exists").

mod support;

use std::path::Path;
use std::process::{Child, Output, Stdio};

use support::qujat_process;

const PROCESSES: usize = 8;
const FRESH_ROUNDS: usize = 50;
const UPGRADE_ROUNDS: usize = 10;
const LEGACY_NAME: &str = "Aigerim Legacyova";

/// Starts all processes before waiting for any, so they race for real.
fn race(data: &Path, round: usize) -> Vec<Output> {
    let children: Vec<Child> = (0..PROCESSES)
        .map(|i| {
            let mut cmd = qujat_process(data);
            if i % 3 == 0 {
                let name = format!("Racer {round}-{i}");
                cmd.args([
                    "new",
                    "--closed-program-ok",
                    "--program",
                    "kz-ai-pilot",
                    "--name",
                    &name,
                ]);
            } else {
                cmd.args(["list", "--json"]);
            }
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start qujat")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect()
}

fn assert_all_succeeded(outputs: &[Output], what: &str) {
    for (i, out) in outputs.iter().enumerate() {
        assert!(
            out.status.success(),
            "{what}: process {i} failed ({:?}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The key record's id, read from the file itself (no process: the rounds
/// are many, and every unlock is an Argon2id derivation).
fn key_id(data: &Path) -> String {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("key.json")).expect("key.json"))
            .expect("json");
    record["id"].as_str().expect("a key id").to_owned()
}

fn dossier_names(data: &Path) -> Vec<String> {
    let out = qujat_process(data)
        .args(["list", "--json"])
        .output()
        .expect("list");
    assert!(
        out.status.success(),
        "the folder is not usable after the race: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    list.as_array()
        .expect("an array")
        .iter()
        .map(|d| d["applicantName"].as_str().expect("a name").to_owned())
        .collect()
}

/// Nothing but the finished files: no key record or store write in flight.
fn assert_no_leftovers(data: &Path) {
    for entry in std::fs::read_dir(data).expect("list") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(!name.ends_with(".tmp"), "a temporary file was left: {name}");
    }
}

fn schema_version(data: &Path) -> i64 {
    let conn = rusqlite::Connection::open(data.join("qujat.sqlite3")).expect("open");
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version")
}

fn migrations() -> i64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../qujat-core/migrations");
    std::fs::read_dir(dir).expect("migrations").count() as i64
}

#[test]
fn eight_processes_on_an_empty_folder_make_one_key() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for round in 0..FRESH_ROUNDS {
        let data = tmp.path().join(format!("round-{round}"));
        let outputs = race(&data, round);
        assert_all_succeeded(&outputs, &format!("round {round}"));
        assert!(!key_id(&data).is_empty());
        let names = dossier_names(&data);
        let made = (0..PROCESSES).filter(|i| i % 3 == 0).count();
        assert_eq!(names.len(), made, "round {round}: every new dossier kept");
        assert_eq!(schema_version(&data), migrations());
        assert_no_leftovers(&data);
        // The folder is now the user's alone (see data_folder.rs).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
            assert_eq!(mode(&data), 0o700, "the data folder is private");
            assert_eq!(mode(&data.join("key.json")), 0o600, "key.json is private");
            assert_eq!(
                mode(&data.join("qujat.sqlite3")),
                0o600,
                "the store is private"
            );
        }
    }
}

/// A data folder as the first Qujat wrote it: schema version 1, a dossier
/// whose name is in clear, no key record.
fn legacy_folder(data: &Path) {
    std::fs::create_dir_all(data).expect("mkdir");
    let conn = rusqlite::Connection::open(data.join("qujat.sqlite3")).expect("open");
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../qujat-core/migrations/0001_initial.sql");
    conn.execute_batch(&std::fs::read_to_string(schema).expect("schema"))
        .expect("schema 1");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    conn.execute(
        "INSERT INTO dossiers (id, program_id, applicant_name, created_at, updated_at)
         VALUES ('0a1b2c3d', 'kz-ai-pilot', ?1, '2025-11-01T10:00:00Z', '2025-11-01T10:00:00Z')",
        [LEGACY_NAME],
    )
    .expect("dossier");
}

#[test]
fn eight_processes_on_a_folder_that_needs_a_migration_migrate_it_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for round in 0..UPGRADE_ROUNDS {
        let data = tmp.path().join(format!("round-{round}"));
        legacy_folder(&data);
        let outputs = race(&data, round);
        assert_all_succeeded(&outputs, &format!("upgrade round {round}"));
        assert!(!key_id(&data).is_empty());
        let names = dossier_names(&data);
        assert!(
            names.iter().any(|n| n == LEGACY_NAME),
            "round {round}: the old dossier survived: {names:?}"
        );
        assert_eq!(schema_version(&data), migrations());
        let conn = rusqlite::Connection::open(data.join("qujat.sqlite3")).expect("open");
        let stored: String = conn
            .query_row(
                "SELECT applicant_name FROM dossiers WHERE id = '0a1b2c3d'",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert_ne!(stored, LEGACY_NAME, "the old name is encrypted now");
        assert_no_leftovers(&data);
    }
}
