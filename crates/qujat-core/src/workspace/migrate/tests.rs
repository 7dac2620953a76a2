//! A data folder in the format before encryption (plaintext vault objects
//! and rows), opened with a key: everything is encrypted, nothing is lost,
//! and an interrupted migration finishes on the next open.

use std::fs;
use std::path::Path;

use chrono::Utc;

use super::*;
use crate::keys::KEY_FILE;
use crate::store::{Document, Dossier, EventWrite};
use crate::timeline::EventValues;
use crate::Workspace;

struct Legacy {
    dir: tempfile::TempDir,
    shas: Vec<String>,
}

const NAME: &str = "Aigerim Legacyova";
const NOTE: &str = "called the embassy about the visa";

/// Writes a data folder as a Qujat before encryption did: no key, plain
/// objects, plain rows.
fn legacy() -> Legacy {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    fs::create_dir_all(&data).expect("data");
    let mut store = Store::open(&data.join("qujat.sqlite3")).expect("store");
    let vault = Vault::open(&data.join("vault")).expect("vault");
    let now = Utc::now();
    store
        .insert_dossier(&Dossier {
            id: "d1".into(),
            program_id: "kz-ai-pilot".into(),
            applicant_name: NAME.into(),
            created_at: now,
            updated_at: now,
            is_demo: false,
        })
        .expect("dossier");
    let mut shas = Vec::new();
    for (i, req) in ["cv", "passport-copy", "biography"].iter().enumerate() {
        let file = dir.path().join(format!("secret-{i}.pdf"));
        fs::write(
            &file,
            format!("%PDF-1.4\nplaintext document {i} of {NAME}\n"),
        )
        .expect("f");
        let stored = vault.put_file(&file, 1 << 20).expect("put");
        store
            .put_document(
                "d1",
                &Document {
                    requirement_id: (*req).into(),
                    sha256: stored.sha256.clone(),
                    size: stored.size,
                    kind: stored.kind,
                    original_name: format!("secret-{i}.pdf"),
                    attached_at: now,
                },
            )
            .expect("doc");
        store
            .put_inspection(&stored.sha256, &crate::inspect::Verdict::Damaged, now)
            .expect("verdict");
        shas.push(stored.sha256);
    }
    let e = store
        .change_events("d1", now, |_| {
            Ok(EventWrite::Add(EventValues {
                kind: "egov-submitted".into(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("d"),
                note: Some(NOTE.into()),
            }))
        })
        .expect("event");
    store
        .change_events("d1", now, |_| {
            Ok(EventWrite::Correct {
                id: e.id,
                values: EventValues {
                    kind: "egov-submitted".into(),
                    date: chrono::NaiveDate::from_ymd_opt(2025, 3, 2).expect("d"),
                    note: Some(format!("{NOTE} again")),
                },
            })
        })
        .expect("correct");
    Legacy { dir, shas }
}

fn data(l: &Legacy) -> std::path::PathBuf {
    l.dir.path().join("data")
}

fn sqlite_holds(data: &Path, text: &str) -> bool {
    let mut bytes = Vec::new();
    for f in ["qujat.sqlite3", "qujat.sqlite3-wal"] {
        bytes.extend(fs::read(data.join(f)).unwrap_or_default());
    }
    memchr::memmem::find(&bytes, text.as_bytes()).is_some()
}

fn check_everything_readable_and_encrypted(l: &Legacy) {
    let ws = Workspace::open(&data(l)).expect("open with a key");
    let dossier = ws.dossier("d1").expect("dossier");
    assert_eq!(dossier.applicant_name, NAME, "the name survives");
    let docs = ws.store().documents("d1").expect("docs");
    assert_eq!(docs.len(), 3);
    for (i, sha) in l.shas.iter().enumerate() {
        assert!(ws.vault().is_encrypted(sha), "object {i} is encrypted");
        assert_eq!(
            ws.vault().verify(sha),
            crate::vault::Integrity::Intact,
            "object {i} reads back whole"
        );
        let raw = fs::read(ws.vault().path_of(sha)).expect("raw");
        assert!(memchr::memmem::find(&raw, b"plaintext document").is_none());
    }
    assert!(docs.iter().all(|d| d.original_name.starts_with("secret-")));
    let events = ws.store().events("d1").expect("events");
    assert_eq!(
        events[0].note.as_deref(),
        Some(format!("{NOTE} again").as_str())
    );
    let history = ws.store().event_history("d1").expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1]
            .before
            .as_ref()
            .and_then(|v| v.note.clone())
            .as_deref(),
        Some(NOTE)
    );
    assert_eq!(
        ws.store()
            .inspections(l.shas.iter().map(String::as_str))
            .expect("verdicts")
            .len(),
        3,
        "cached verdicts survive"
    );
    drop(ws);
    // Checkpoint the WAL so the file on disk is what is searched.
    let conn = rusqlite::Connection::open(data(l).join("qujat.sqlite3")).expect("sqlite");
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .expect("checkpoint");
    let plain: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM dossiers WHERE applicant_name NOT LIKE 'enc1:%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(plain, 0);
    let rewrite = conn.execute("UPDATE event_history SET new_date = '2020-01-01'", []);
    assert!(rewrite.is_err(), "history is append-only again");
    drop(conn);
    assert!(
        !sqlite_holds(&data(l), NAME),
        "no plaintext name in the store"
    );
    assert!(
        !sqlite_holds(&data(l), NOTE),
        "no plaintext note in the store"
    );
}

#[test]
fn a_data_folder_from_before_encryption_is_encrypted_without_loss() {
    let l = legacy();
    assert!(!data(&l).join(KEY_FILE).exists());
    check_everything_readable_and_encrypted(&l);
    // And a second open changes nothing and still reads.
    check_everything_readable_and_encrypted(&l);
}

#[test]
fn a_migration_interrupted_half_way_finishes_on_the_next_open() {
    let l = legacy();
    // The first run made the key and encrypted one object, then died: the
    // rows are still plaintext, one object is encrypted, another copy was
    // left half-written in tmp/, the marker is not set.
    let key = crate::keys::unlock(
        &data(&l),
        &crate::keys::Unlock::default(),
        &*crate::keys::default_secret_store(),
        None,
    )
    .expect("key");
    let mut vault = Vault::open(&data(&l).join("vault")).expect("vault");
    vault.set_key(key.clone());
    let path = vault.path_of(&l.shas[0]);
    let mut f = fs::File::open(&path).expect("object");
    vault.seal_one(&mut f, &path, &key).expect("seal one");
    fs::write(
        vault.tmp_dir().join("x.seal"),
        b"age-encryption.org/v1\nhalf",
    )
    .expect("half");
    {
        let mut store = Store::open(&data(&l).join("qujat.sqlite3")).expect("store");
        store.set_setting(KEY_ID_SETTING, key.id()).expect("marker");
        // Mixed state reads fine: plaintext rows through a keyed store.
        store.set_cipher(key.fields().clone());
        assert_eq!(store.dossiers().expect("dossiers")[0].applicant_name, NAME);
    }
    assert!(vault.is_encrypted(&l.shas[0]));
    assert!(!vault.is_encrypted(&l.shas[1]));
    assert_eq!(vault.verify(&l.shas[0]), crate::vault::Integrity::Intact);
    assert_eq!(vault.verify(&l.shas[1]), crate::vault::Integrity::Intact);
    drop(vault);
    check_everything_readable_and_encrypted(&l);
    assert_eq!(
        fs::read_dir(data(&l).join("vault/tmp"))
            .expect("tmp")
            .count(),
        0,
        "the half-written copy is gone"
    );
}

#[test]
fn a_plaintext_document_that_is_itself_an_age_file_is_encrypted_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let vault = Vault::open(&data.join("vault")).expect("vault");
    // An age file to someone else's key, attached before encryption.
    let mut theirs = Vault::open(&dir.path().join("other")).expect("other");
    theirs.set_key(DataKey::generate());
    let src = dir.path().join("doc.pdf");
    fs::write(&src, b"%PDF-1.4 someone's").expect("write");
    let stored = theirs.put_file(&src, 1 << 20).expect("put");
    let foreign = fs::read(theirs.path_of(&stored.sha256)).expect("foreign");
    let file = dir.path().join("foreign.age");
    fs::write(&file, &foreign).expect("write");
    let kept = vault.put_file(&file, 1 << 20).expect("legacy put");
    drop(vault);
    // Attached to a dossier: an object nothing refers to is swept at open.
    let mut store = Store::open(&data.join("qujat.sqlite3")).expect("store");
    let now = Utc::now();
    store
        .insert_dossier(&Dossier {
            id: "d1".into(),
            program_id: "kz-ai-pilot".into(),
            applicant_name: NAME.into(),
            created_at: now,
            updated_at: now,
            is_demo: false,
        })
        .expect("dossier");
    store
        .put_document(
            "d1",
            &Document {
                requirement_id: "cv".into(),
                sha256: kept.sha256.clone(),
                size: kept.size,
                kind: kept.kind,
                original_name: "foreign.age".into(),
                attached_at: now,
            },
        )
        .expect("doc");
    drop(store);
    let ws = Workspace::open(&data).expect("open");
    assert!(ws.vault().is_encrypted(&kept.sha256));
    assert_eq!(
        ws.vault().verify(&kept.sha256),
        crate::vault::Integrity::Intact
    );
    assert_eq!(
        ws.vault().read(&kept.sha256, 1 << 20).expect("read"),
        foreign,
        "read back as the user's own bytes"
    );
}
