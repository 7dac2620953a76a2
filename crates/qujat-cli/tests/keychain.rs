//! The data key in the real keychain (the Secret Service on Linux), not a
//! mock: no `QUJAT_PASSPHRASE` here. `scripts/test.sh` runs the suite
//! inside a private D-Bus session with gnome-keyring started and sets
//! `QUJAT_REQUIRE_KEYCHAIN=1`, which turns "no keychain reachable" from a
//! skip into a failure. To run it by hand:
//!
//! ```sh
//! dbus-run-session -- bash -c 'echo pw | gnome-keyring-daemon --daemonize --unlock --components=secrets
//!   until busctl --user list 2>/dev/null | grep -q org.freedesktop.secrets; do sleep 0.1; done
//!   QUJAT_REQUIRE_KEYCHAIN=1 cargo test -p qujat-cli --test keychain'
//! ```
//!
//! Every keychain entry a test makes is deleted at its end, pass or fail.
#![cfg(target_os = "linux")]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const SERVICE: &str = "Qujat";
const NAME: &str = "Keychain Testperson-Zhanarova";
const MARKER: &[u8] = b"a-marker-only-this-document-holds-7f3a";

/// Whether a keychain answers: a throwaway entry written, read, deleted.
fn keychain() -> Result<(), String> {
    let account = format!("probe-{}", std::process::id());
    let entry = keyring::Entry::new(SERVICE, &account).map_err(|e| e.to_string())?;
    entry.set_password("probe").map_err(|e| e.to_string())?;
    let back = entry.get_password().map_err(|e| e.to_string());
    let _ = entry.delete_credential();
    match back {
        Ok(p) if p == "probe" => Ok(()),
        Ok(_) => Err("the keychain did not keep the entry".into()),
        Err(e) => Err(e),
    }
}

/// `true` to go on; `false` (with the reason printed) to skip; a panic when
/// the keychain is required.
fn keychain_or_skip() -> bool {
    match keychain() {
        Ok(()) => true,
        Err(reason) if std::env::var("QUJAT_REQUIRE_KEYCHAIN").as_deref() == Ok("1") => {
            panic!("QUJAT_REQUIRE_KEYCHAIN=1, but no keychain is reachable: {reason}")
        }
        Err(reason) => {
            eprintln!(
                "SKIPPED: no keychain is reachable ({reason}); run inside a D-Bus session with \
                 gnome-keyring (see this file's header), or set QUJAT_REQUIRE_KEYCHAIN=1 to fail"
            );
            false
        }
    }
}

/// Deletes the data folder's keychain entry when dropped.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(account) = account(&self.0) {
            if let Ok(entry) = keyring::Entry::new(SERVICE, &account) {
                let _ = entry.delete_credential();
            }
        }
    }
}

fn record(data: &Path) -> Option<Value> {
    serde_json::from_slice(&fs::read(data.join("key.json")).ok()?).ok()
}

fn account(data: &Path) -> Option<String> {
    record(data)?["account"].as_str().map(str::to_owned)
}

fn qujat(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("qujat").expect("the qujat binary is built");
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("QUJAT_DATA_DIR")
        .env_remove("QUJAT_PASSPHRASE")
        .env("LANG", "C");
    cmd
}

fn stdout(data: &Path, args: &[&str]) -> String {
    let out = qujat(data).args(args).output().expect("run qujat");
    assert!(
        out.status.success(),
        "qujat {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_data_key_lives_in_the_keychain_and_nothing_readable_is_on_disk() {
    if !keychain_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let _cleanup = Cleanup(data.clone());

    let id = stdout(
        &data,
        &[
            "new",
            "--closed-program-ok",
            "--program",
            "kz-ai-pilot",
            "--name",
            NAME,
        ],
    )
    .trim()
    .to_owned();
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(MARKER);
    pdf.extend_from_slice(b"\n%%EOF\n");
    let file = dir.path().join("cv-of-the-applicant.pdf");
    fs::write(&file, &pdf).expect("fixture");
    stdout(
        &data,
        &["add", &id, "cv", file.to_str().expect("utf-8 path")],
    );

    // key.json names the keychain and holds no secret.
    let rec = record(&data).expect("key.json");
    assert_eq!(rec["protector"], "keychain", "{rec}");
    assert_eq!(rec["service"], SERVICE);
    let key_id = rec["id"].as_str().expect("id").to_owned();
    assert_eq!(rec["account"], format!("data-key-{key_id}"));
    let raw_record = fs::read_to_string(data.join("key.json")).expect("read");
    assert!(!raw_record.contains("AGE-SECRET-KEY"), "{raw_record}");

    // The secret is in the real keychain, looked up independently.
    let secret = keyring::Entry::new(SERVICE, &format!("data-key-{key_id}"))
        .expect("entry")
        .get_password()
        .expect("the data key is in the keychain");
    assert!(secret.starts_with("AGE-SECRET-KEY-1"), "an age identity");

    // The vault object is encrypted: the document's bytes are not on disk.
    let mut objects = Vec::new();
    for fan in fs::read_dir(data.join("vault/objects"))
        .expect("objects")
        .flatten()
    {
        for obj in fs::read_dir(fan.path()).expect("fan").flatten() {
            objects.push(fs::read(obj.path()).expect("object"));
        }
    }
    assert_eq!(objects.len(), 1);
    assert!(objects[0].starts_with(b"age-encryption.org/v1\n"));
    assert!(!contains(&objects[0], MARKER), "no plaintext in the vault");

    // Nor the applicant's name or the file name in the store.
    {
        let db = rusqlite::Connection::open(data.join("qujat.sqlite3")).expect("sqlite");
        db.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .expect("checkpoint");
    }
    let mut store = fs::read(data.join("qujat.sqlite3")).expect("store");
    store.extend(fs::read(data.join("qujat.sqlite3-wal")).unwrap_or_default());
    assert!(!contains(&store, NAME.as_bytes()), "no plaintext name");
    assert!(
        !contains(&store, b"cv-of-the-applicant"),
        "no plaintext file name"
    );

    // A second process unlocks from the keychain and reads it all back.
    let list = stdout(&data, &["list", "--json"]);
    assert!(list.contains(NAME), "{list}");
    let check = qujat(&data)
        .args(["check", &id, "--json"])
        .output()
        .expect("check");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(report.contains("cv-of-the-applicant.pdf"), "{report}");
    let status: Value =
        serde_json::from_str(&stdout(&data, &["key", "status", "--json"])).expect("json");
    assert_eq!(status["protector"], "keychain");
    assert_eq!(status["unlocked"], true);
    assert_eq!(status["keyId"], key_id.as_str());

    // The entry gone, the data is unreadable and Qujat says so (exit 1),
    // without making a new key over it.
    keyring::Entry::new(SERVICE, &format!("data-key-{key_id}"))
        .expect("entry")
        .delete_credential()
        .expect("delete");
    let out = qujat(&data).args(["list"]).output().expect("list");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing") && err.contains("backup"), "{err}");
    assert_eq!(record(&data).expect("key.json")["id"], key_id.as_str());
}

#[test]
fn the_key_moves_out_of_the_keychain_to_a_passphrase_and_back() {
    if !keychain_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let _cleanup = Cleanup(data.clone());
    let id = stdout(
        &data,
        &[
            "new",
            "--closed-program-ok",
            "--program",
            "kz-ai-pilot",
            "--name",
            NAME,
        ],
    )
    .trim()
    .to_owned();
    let account = account(&data).expect("a keychain record");
    let entry = || keyring::Entry::new(SERVICE, &account).expect("entry");

    // To a passphrase: the keychain entry goes, the passphrase is needed.
    qujat(&data)
        .args(["key", "passphrase"])
        .env("QUJAT_NEW_PASSPHRASE", "moved out of the keychain")
        .assert()
        .success();
    assert_eq!(record(&data).expect("key.json")["protector"], "passphrase");
    assert!(
        matches!(entry().get_password(), Err(keyring::Error::NoEntry)),
        "the key left the keychain"
    );
    let locked = qujat(&data).args(["list"]).output().expect("list");
    assert!(!locked.status.success(), "no passphrase, no data");
    let list = qujat(&data)
        .args(["list", "--json"])
        .env("QUJAT_PASSPHRASE", "moved out of the keychain")
        .output()
        .expect("list");
    assert!(String::from_utf8_lossy(&list.stdout).contains(NAME));

    // Back to the keychain: no passphrase asked, the same dossier.
    qujat(&data)
        .args(["key", "keychain"])
        .env("QUJAT_PASSPHRASE", "moved out of the keychain")
        .assert()
        .success();
    assert_eq!(record(&data).expect("key.json")["protector"], "keychain");
    assert!(entry().get_password().is_ok(), "the key is back");
    let list = stdout(&data, &["list", "--json"]);
    assert!(list.contains(&id), "{list}");
}
