//! The local store: one SQLite file (`qujat.sqlite3`) in the data folder.
//!
//! Opened in WAL mode with full sync, so every committed change survives a
//! crash or power cut and readers never see a half-written state. The schema
//! is versioned with `PRAGMA user_version` and migrated forward by the ordered
//! SQL files in `migrations/`, each in its own transaction.
//!
//! The sensitive fields (the applicant's name, file names, event notes, the
//! inspection records with text found in documents) are sealed with the data
//! key's [`FieldCipher`] before they are written and opened after they are
//! read ([`fields`]): SQL never sorts or filters on them.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result, StoreError};
use crate::keys::FieldCipher;
use crate::kind::FileKind;
use crate::profile::Profile;

mod backup;
mod events;
pub(crate) mod fields;
mod inspections;
pub use events::EventWrite;
use fields::Fields;
pub use inspections::DocumentDates;

/// The migrations, in order; the schema version is the count applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_timeline.sql"),
    include_str!("../migrations/0003_inspections.sql"),
    include_str!("../migrations/0004_demo.sql"),
    include_str!("../migrations/0005_profile.sql"),
];

/// A dossier: one applicant's application under one program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dossier {
    /// Short id (8 hex digits), typed in the CLI.
    pub id: String,
    /// The program's rule pack id.
    pub program_id: String,
    /// The applicant's name as on the passport.
    pub applicant_name: String,
    /// When it was created.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// When anything in it last changed.
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// Whether it is the embassy demo's sample dossier (fictional
    /// applicant, generated documents), which "reset demo" deletes.
    pub is_demo: bool,
}

/// A file attached to a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Document {
    /// The requirement it meets.
    pub requirement_id: String,
    /// SHA-256 of the content, the vault key.
    pub sha256: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Kind detected from the content.
    pub kind: FileKind,
    /// The file's name when it was attached.
    pub original_name: String,
    /// When it was attached.
    #[ts(type = "string")]
    pub attached_at: DateTime<Utc>,
}

/// The SQLite store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// Seals the sensitive fields; `None` only in tests of the store, whose
    /// rows are plaintext.
    cipher: Option<FieldCipher>,
}

impl Store {
    /// Opens (creating and migrating as needed) the store file at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL lets the app and the CLI read while the other writes; FULL sync
        // makes each commit durable, which matters more here than speed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let mut store = Store { conn, cipher: None };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current > known {
            return Err(StoreError::StoreTooNew {
                found: current,
                known,
            }
            .into());
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Seals sensitive fields written from now on, and opens sealed ones.
    pub(crate) fn set_cipher(&mut self, cipher: FieldCipher) {
        self.cipher = Some(cipher);
    }

    fn fields(&self) -> Fields<'_> {
        Fields(self.cipher.as_ref())
    }

    #[cfg(test)]
    /// The schema version in use.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Inserts a new dossier.
    pub fn insert_dossier(&self, dossier: &Dossier) -> Result<()> {
        self.conn.execute(
            "INSERT INTO dossiers (id, program_id, applicant_name, created_at, updated_at, is_demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![dossier.id, dossier.program_id, self.fields().seal(fields::APPLICANT_NAME, &dossier.applicant_name), dossier.created_at, dossier.updated_at, dossier.is_demo],
        )?;
        Ok(())
    }

    /// Whether a dossier with this id exists.
    pub fn dossier_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM dossiers WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// All dossiers, newest first.
    pub fn dossiers(&self) -> Result<Vec<Dossier>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, program_id, applicant_name, created_at, updated_at, is_demo FROM dossiers ORDER BY created_at DESC, id",
        )?;
        let f = self.fields();
        let rows = stmt.query_map([], |r| {
            Ok(Dossier {
                id: r.get(0)?,
                program_id: r.get(1)?,
                applicant_name: f.open(fields::APPLICANT_NAME, r.get(2)?)?,
                created_at: r.get(3)?,
                updated_at: r.get(4)?,
                is_demo: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The applicant's profile recorded for a dossier; the empty profile if
    /// none is.
    pub fn profile(&self, dossier_id: &str) -> Result<Profile> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT profile FROM dossier_profiles WHERE dossier_id = ?1",
                [dossier_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            return Ok(Profile::default());
        };
        let json = self.fields().open(fields::PROFILE, stored)?;
        serde_json::from_str(&json).map_err(|e| {
            Error::from(StoreError::Store {
                detail: format!("the profile of dossier {dossier_id} does not parse: {e}"),
            })
        })
    }

    /// Runs `change` and marks the dossier changed at `now`, in one
    /// immediate transaction: both happen or, after a crash, neither.
    pub(crate) fn change_dossier<T>(
        &mut self,
        dossier_id: &str,
        now: DateTime<Utc>,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = change(&tx)?;
        tx.execute(
            "UPDATE dossiers SET updated_at = ?2 WHERE id = ?1",
            params![dossier_id, now],
        )?;
        tx.commit()?;
        Ok(changed)
    }

    /// Records (replacing) a dossier's profile, and marks the dossier
    /// changed, in one transaction. An empty profile removes the row.
    pub fn set_profile(
        &mut self,
        dossier_id: &str,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let json = serde_json::to_string(profile).map_err(|e| StoreError::Store {
            detail: e.to_string(),
        })?;
        let sealed = self.fields().seal(fields::PROFILE, &json);
        self.change_dossier(dossier_id, now, |tx| {
            if profile.is_empty() {
                tx.execute(
                    "DELETE FROM dossier_profiles WHERE dossier_id = ?1",
                    [dossier_id],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO dossier_profiles (dossier_id, profile) VALUES (?1, ?2)
                     ON CONFLICT (dossier_id) DO UPDATE SET profile = excluded.profile",
                    params![dossier_id, sealed],
                )?;
            }
            Ok(())
        })
    }

    /// Removes every demo dossier with its records, in one transaction;
    /// returns how many there were. Real dossiers are never touched.
    pub fn delete_demo_dossiers(&mut self) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute("DELETE FROM dossiers WHERE is_demo = 1", [])?;
        tx.commit()?;
        Ok(n)
    }

    /// Changes the applicant's name on a dossier; returns whether it exists.
    pub fn rename_dossier(&self, id: &str, name: &str, now: DateTime<Utc>) -> Result<bool> {
        let sealed = self.fields().seal(fields::APPLICANT_NAME, name);
        let n = self.conn.execute(
            "UPDATE dossiers SET applicant_name = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, sealed, now],
        )?;
        Ok(n == 1)
    }

    /// Removes a dossier with its documents and confirmations.
    pub fn delete_dossier(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM dossiers WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The hashes of every document attached to any dossier: the vault
    /// objects still in use.
    pub fn referenced_objects(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT sha256 FROM documents")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The documents attached to a dossier.
    pub fn documents(&self, dossier_id: &str) -> Result<Vec<Document>> {
        let mut stmt = self.conn.prepare(
            "SELECT requirement_id, sha256, size, kind, original_name, attached_at FROM documents WHERE dossier_id = ?1",
        )?;
        let f = self.fields();
        let rows = stmt.query_map([dossier_id], |r| {
            let kind: String = r.get(3)?;
            Ok(Document {
                requirement_id: r.get(0)?,
                sha256: r.get(1)?,
                size: r.get::<_, i64>(2)?.max(0) as u64,
                kind: serde_json::from_value(serde_json::Value::String(kind))
                    .unwrap_or(FileKind::Other),
                original_name: f.open(fields::ORIGINAL_NAME, r.get(4)?)?,
                attached_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Attaches (or replaces) the document for a requirement, in one transaction
    /// that also marks the dossier changed.
    pub fn put_document(&mut self, dossier_id: &str, doc: &Document) -> Result<()> {
        let kind = serde_json::to_value(doc.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let original_name = self
            .fields()
            .seal(fields::ORIGINAL_NAME, &doc.original_name);
        self.change_dossier(dossier_id, doc.attached_at, |tx| {
            tx.execute(
                "INSERT INTO documents (dossier_id, requirement_id, sha256, size, kind, original_name, attached_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (dossier_id, requirement_id) DO UPDATE SET
                   sha256 = excluded.sha256, size = excluded.size, kind = excluded.kind,
                   original_name = excluded.original_name, attached_at = excluded.attached_at",
                params![dossier_id, doc.requirement_id, doc.sha256, doc.size as i64, kind, original_name, doc.attached_at],
            )?;
            Ok(())
        })
    }

    /// Removes the document for a requirement; returns whether there was one.
    pub fn remove_document(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.change_dossier(dossier_id, now, |tx| {
            Ok(tx.execute(
                "DELETE FROM documents WHERE dossier_id = ?1 AND requirement_id = ?2",
                params![dossier_id, requirement_id],
            )?)
        })?;
        Ok(n > 0)
    }

    /// Step confirmations of a dossier: (step id, date done).
    pub fn confirmations(&self, dossier_id: &str) -> Result<Vec<(String, NaiveDate)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT step_id, done_on FROM step_confirmations WHERE dossier_id = ?1")?;
        let rows = stmt.query_map([dossier_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Confirms a step as done on `date` (replacing an earlier date).
    pub fn confirm_step(
        &mut self,
        dossier_id: &str,
        step_id: &str,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.change_dossier(dossier_id, now, |tx| {
            tx.execute(
                "INSERT INTO step_confirmations (dossier_id, step_id, done_on, confirmed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (dossier_id, step_id) DO UPDATE SET done_on = excluded.done_on, confirmed_at = excluded.confirmed_at",
                params![dossier_id, step_id, date, now],
            )?;
            Ok(())
        })
    }

    /// Withdraws a step confirmation; returns whether there was one.
    pub fn unconfirm_step(
        &mut self,
        dossier_id: &str,
        step_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.change_dossier(dossier_id, now, |tx| {
            Ok(tx.execute(
                "DELETE FROM step_confirmations WHERE dossier_id = ?1 AND step_id = ?2",
                params![dossier_id, step_id],
            )?)
        })?;
        Ok(n > 0)
    }

    /// Seals every sensitive field still in plaintext (written before
    /// encryption) and sets `marker` to `value`, in one transaction: all of
    /// it or, after a crash, none. Returns how many values it sealed.
    pub(crate) fn seal_plaintext_fields(&mut self, marker: &str, value: &str) -> Result<usize> {
        let Some(cipher) = self.cipher.clone() else {
            return Ok(0);
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // History is append-only for the app; sealing it in place is the
        // one rewrite, inside this transaction, with the guard put back.
        tx.execute_batch("DROP TRIGGER IF EXISTS event_history_is_append_only")?;
        let mut sealed = 0;
        for (table, column, field) in fields::SEALED {
            let rows: Vec<(i64, String)> = tx
                .prepare(&format!(
                    "SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut update = tx.prepare(&format!(
                "UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"
            ))?;
            for (rowid, value) in rows {
                if FieldCipher::is_sealed(&value) {
                    continue;
                }
                update.execute(params![cipher.seal(field, &value), rowid])?;
                sealed += 1;
            }
        }
        tx.execute_batch(
            "CREATE TRIGGER event_history_is_append_only
             BEFORE UPDATE ON event_history
             BEGIN
                 SELECT RAISE(ABORT, 'event_history is append-only');
             END;",
        )?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![marker, value],
        )?;
        tx.commit()?;
        Ok(sealed)
    }

    /// A user preference.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Stores a user preference.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Forgets a preference.
    pub fn remove_setting(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier(id: &str) -> Dossier {
        let now = Utc::now();
        Dossier {
            id: id.into(),
            program_id: "kz-ai-pilot".into(),
            applicant_name: "Ada".into(),
            created_at: now,
            updated_at: now,
            is_demo: false,
        }
    }

    #[test]
    fn a_new_store_is_migrated_to_the_latest_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("q.sqlite3")).expect("open");
        assert_eq!(
            store.schema_version().expect("version"),
            MIGRATIONS.len() as i64
        );
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal", "the store runs in WAL mode for crash safety");
    }

    #[test]
    fn a_profile_is_kept_replaced_and_removed_with_its_dossier() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("q.sqlite3");
        let now = Utc::now();
        {
            let mut store = Store::open(&path).expect("open");
            store.insert_dossier(&dossier("d1")).expect("insert");
            assert!(store.profile("d1").expect("none yet").is_empty());
            let p = Profile::new(&["DE".into()], Some("KZ")).expect("valid");
            store.set_profile("d1", &p, now).expect("set");
            let p = Profile::new(&["DE".into(), "RU".into()], Some("KZ")).expect("valid");
            store.set_profile("d1", &p, now).expect("replace");
        }
        let mut store = Store::open(&path).expect("reopen");
        assert_eq!(
            store.profile("d1").expect("read").citizenships,
            ["DE", "RU"]
        );
        store
            .set_profile("d1", &Profile::default(), now)
            .expect("clear");
        assert!(store.profile("d1").expect("cleared").is_empty());
        store
            .set_profile(
                "d1",
                &Profile::new(&["DE".into()], None).expect("valid"),
                now,
            )
            .expect("set again");
        store.delete_dossier("d1").expect("delete");
        let left: i64 = store
            .conn
            .query_row("SELECT count(*) FROM dossier_profiles", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0, "the profile goes with its dossier");
    }

    #[test]
    fn a_store_from_a_newer_qujat_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("q.sqlite3");
        Store::open(&path)
            .expect("open")
            .conn
            .pragma_update(None, "user_version", 99)
            .expect("bump");
        assert!(matches!(
            Store::open(&path),
            Err(Error::Store(StoreError::StoreTooNew { found: 99, .. }))
        ));
    }

    #[test]
    fn documents_and_confirmations_are_kept_across_reopen_and_replaced_not_duplicated() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("q.sqlite3");
        {
            let mut store = Store::open(&path).expect("open");
            store.insert_dossier(&dossier("d1")).expect("insert");
            let mut doc = Document {
                requirement_id: "cv".into(),
                sha256: "aa".into(),
                size: 3,
                kind: FileKind::Pdf,
                original_name: "cv.pdf".into(),
                attached_at: Utc::now(),
            };
            store.put_document("d1", &doc).expect("put");
            doc.sha256 = "bb".into();
            store.put_document("d1", &doc).expect("replace");
            let day = NaiveDate::from_ymd_opt(2025, 2, 1).expect("date");
            store
                .confirm_step("d1", "iin", day, Utc::now())
                .expect("confirm");
        }
        let store = Store::open(&path).expect("reopen");
        let docs = store.documents("d1").expect("docs");
        assert_eq!(docs.len(), 1, "replacing a document keeps one row");
        assert_eq!(docs[0].sha256, "bb");
        assert_eq!(docs[0].kind, FileKind::Pdf);
        assert_eq!(
            store.confirmations("d1").expect("steps"),
            vec![(
                "iin".to_owned(),
                NaiveDate::from_ymd_opt(2025, 2, 1).expect("d")
            )]
        );
        store.delete_dossier("d1").expect("delete");
        assert!(
            store.documents("d1").expect("docs").is_empty(),
            "deleting a dossier deletes its documents"
        );
    }
}
