//! Reading one dossier's rows whole for a backup, and inserting an imported
//! dossier in one transaction.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::fields::{
    Fields, APPLICANT_NAME, EVENT_NOTE, NEW_NOTE, OLD_NOTE, ORIGINAL_NAME, PROFILE,
};
use super::Store;
use crate::backup::manifest::{
    ConfirmationRow, DocumentDatesRow, DocumentRow, DossierSnapshot, EventRow, HistoryRow,
};
use crate::error::{DossierError, Result, StoreError};

impl Store {
    /// Every row of dossier `id`, read in one transaction so the snapshot is
    /// consistent even while the app writes.
    pub fn dossier_snapshot(&mut self, id: &str) -> Result<DossierSnapshot> {
        let cipher = self.cipher.clone();
        let f = Fields(cipher.as_ref());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let mut snapshot = tx
            .query_row(
                "SELECT id, program_id, applicant_name, created_at, updated_at, is_demo FROM dossiers WHERE id = ?1",
                [id],
                |r| {
                    Ok(DossierSnapshot {
                        id: r.get(0)?,
                        program_id: r.get(1)?,
                        applicant_name: f.open(APPLICANT_NAME, r.get(2)?)?,
                        created_at: r.get(3)?,
                        updated_at: r.get(4)?,
                        is_demo: r.get(5)?,
                        documents: Vec::new(),
                        confirmations: Vec::new(),
                        events: Vec::new(),
                        history: Vec::new(),
                        document_dates: Vec::new(),
                        profile: None,
                    })
                },
            )
            .map_err(|_| DossierError::UnknownDossier {
                id: id.to_owned(),
                known: Vec::new(),
            })?;
        snapshot.documents = tx
            .prepare("SELECT requirement_id, sha256, size, kind, original_name, attached_at FROM documents WHERE dossier_id = ?1 ORDER BY requirement_id")?
            .query_map([id], |r| {
                Ok(DocumentRow {
                    requirement_id: r.get(0)?,
                    sha256: r.get(1)?,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                    kind: r.get(3)?,
                    original_name: f.open(ORIGINAL_NAME, r.get(4)?)?,
                    attached_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        snapshot.confirmations = tx
            .prepare("SELECT step_id, done_on, confirmed_at FROM step_confirmations WHERE dossier_id = ?1 ORDER BY step_id")?
            .query_map([id], |r| {
                Ok(ConfirmationRow {
                    step_id: r.get(0)?,
                    done_on: r.get(1)?,
                    confirmed_at: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        snapshot.events = tx
            .prepare("SELECT id, kind, happened_on, note, created_at, updated_at FROM events WHERE dossier_id = ?1 ORDER BY id")?
            .query_map([id], |r| {
                Ok(EventRow {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    happened_on: r.get(2)?,
                    note: f.open_opt(EVENT_NOTE, r.get(3)?)?,
                    created_at: r.get(4)?,
                    updated_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        snapshot.history = tx
            .prepare("SELECT event_id, action, old_kind, old_date, old_note, new_kind, new_date, new_note, changed_at FROM event_history WHERE dossier_id = ?1 ORDER BY seq")?
            .query_map([id], |r| {
                Ok(HistoryRow {
                    event_id: r.get(0)?,
                    action: r.get(1)?,
                    old_kind: r.get(2)?,
                    old_date: r.get(3)?,
                    old_note: f.open_opt(OLD_NOTE, r.get(4)?)?,
                    new_kind: r.get(5)?,
                    new_date: r.get(6)?,
                    new_note: f.open_opt(NEW_NOTE, r.get(7)?)?,
                    changed_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        snapshot.document_dates = tx
            .prepare("SELECT requirement_id, sha256, issued_on, expires_on, entered_at FROM document_dates WHERE dossier_id = ?1 ORDER BY requirement_id")?
            .query_map([id], |r| {
                Ok(DocumentDatesRow {
                    requirement_id: r.get(0)?,
                    sha256: r.get(1)?,
                    issued_on: r.get(2)?,
                    expires_on: r.get(3)?,
                    entered_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let profile: Option<String> = tx
            .query_row(
                "SELECT profile FROM dossier_profiles WHERE dossier_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sealed) = profile {
            let json = f.open(PROFILE, sealed)?;
            snapshot.profile =
                Some(serde_json::from_str(&json).map_err(|e| StoreError::Store {
                    detail: format!("the profile of dossier {id} does not parse: {e}"),
                })?);
        }
        tx.commit()?;
        Ok(snapshot)
    }

    /// Inserts `snapshot` as dossier `new_id`, all rows or none. Event
    /// numbers are global, so events get new numbers and their history
    /// follows them.
    pub fn insert_snapshot(&mut self, snapshot: &DossierSnapshot, new_id: &str) -> Result<()> {
        let cipher = self.cipher.clone();
        let f = Fields(cipher.as_ref());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO dossiers (id, program_id, applicant_name, created_at, updated_at, is_demo) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new_id, snapshot.program_id, f.seal(APPLICANT_NAME, &snapshot.applicant_name), snapshot.created_at, snapshot.updated_at, snapshot.is_demo],
        )?;
        for d in &snapshot.documents {
            tx.execute(
                "INSERT INTO documents (dossier_id, requirement_id, sha256, size, kind, original_name, attached_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![new_id, d.requirement_id, d.sha256, d.size as i64, d.kind, f.seal(ORIGINAL_NAME, &d.original_name), d.attached_at],
            )?;
        }
        for c in &snapshot.confirmations {
            tx.execute(
                "INSERT INTO step_confirmations (dossier_id, step_id, done_on, confirmed_at) VALUES (?1, ?2, ?3, ?4)",
                params![new_id, c.step_id, c.done_on, c.confirmed_at],
            )?;
        }
        let mut renumbered: HashMap<i64, i64> = HashMap::new();
        for e in &snapshot.events {
            tx.execute(
                "INSERT INTO events (dossier_id, kind, happened_on, note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new_id, e.kind, e.happened_on, f.seal_opt(EVENT_NOTE, e.note.as_deref()), e.created_at, e.updated_at],
            )?;
            renumbered.insert(e.id, tx.last_insert_rowid());
        }
        // A removed event has history but no row: give it a number of its
        // own that no other event will get, by taking one from the sequence.
        for h in &snapshot.history {
            let event_id = match renumbered.get(&h.event_id) {
                Some(id) => *id,
                None => {
                    tx.execute(
                        "INSERT INTO events (dossier_id, kind, happened_on, created_at, updated_at) VALUES (?1, '', '1970-01-01', ?2, ?2)",
                        params![new_id, h.changed_at],
                    )?;
                    let id = tx.last_insert_rowid();
                    tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
                    renumbered.insert(h.event_id, id);
                    id
                }
            };
            tx.execute(
                "INSERT INTO event_history (dossier_id, event_id, action, old_kind, old_date, old_note, new_kind, new_date, new_note, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![new_id, event_id, h.action, h.old_kind, h.old_date, f.seal_opt(OLD_NOTE, h.old_note.as_deref()), h.new_kind, h.new_date, f.seal_opt(NEW_NOTE, h.new_note.as_deref()), h.changed_at],
            )?;
        }
        for d in &snapshot.document_dates {
            tx.execute(
                "INSERT INTO document_dates (dossier_id, requirement_id, sha256, issued_on, expires_on, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new_id, d.requirement_id, d.sha256, d.issued_on, d.expires_on, d.entered_at],
            )?;
        }
        if let Some(profile) = snapshot.profile.as_ref().filter(|p| !p.is_empty()) {
            let json = serde_json::to_string(profile).map_err(|e| StoreError::Store {
                detail: e.to_string(),
            })?;
            tx.execute(
                "INSERT INTO dossier_profiles (dossier_id, profile) VALUES (?1, ?2)",
                params![new_id, f.seal(PROFILE, &json)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
