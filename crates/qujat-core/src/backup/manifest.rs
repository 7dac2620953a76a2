//! The backup's manifest: every record of one dossier, as plain data, and
//! the list of vault files the archive must hold (by SHA-256).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The manifest format this build writes and reads. A backup states its
/// format; a newer one is refused before anything else in it is read.
pub const FORMAT_VERSION: u32 = 1;

/// `manifest.json`, the archive's first entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] when written.
    pub format: u32,
    /// The Qujat version that wrote it, for support.
    pub app_version: String,
    /// When it was written.
    pub exported_at: DateTime<Utc>,
    /// The dossier and everything in it.
    pub dossier: DossierSnapshot,
}

/// One dossier's rows, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DossierSnapshot {
    /// The dossier's id.
    pub id: String,
    /// Its program.
    pub program_id: String,
    /// The applicant's name.
    pub applicant_name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// A demo dossier stays one after a restore, so "Reset demo" still
    /// removes it. Absent in archives written before it was kept.
    #[serde(default)]
    pub is_demo: bool,
    /// Attached documents; their files are `files/<sha256>` in the archive.
    pub documents: Vec<DocumentRow>,
    /// Confirmed steps.
    pub confirmations: Vec<ConfirmationRow>,
    /// The timeline's events.
    pub events: Vec<EventRow>,
    /// The append-only history of the events, oldest first.
    pub history: Vec<HistoryRow>,
    /// Dates entered for documents (issued / expires).
    #[serde(default)]
    pub document_dates: Vec<DocumentDatesRow>,
    /// The applicant's profile (citizenships, residence), if recorded.
    /// Absent in archives written before profiles existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::Profile>,
}

/// A `documents` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentRow {
    /// The requirement.
    pub requirement_id: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// File kind code (`pdf`, `jpeg`, …).
    pub kind: String,
    /// The name it was attached under.
    pub original_name: String,
    /// When.
    pub attached_at: DateTime<Utc>,
}

/// A `step_confirmations` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmationRow {
    /// The step.
    pub step_id: String,
    /// The day it was done.
    pub done_on: NaiveDate,
    /// When it was confirmed.
    pub confirmed_at: DateTime<Utc>,
}

/// An `events` row. Its id is renumbered on import (ids are global).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventRow {
    /// The number in the exporting store.
    pub id: i64,
    /// Event kind.
    pub kind: String,
    /// The day.
    pub happened_on: NaiveDate,
    /// The note.
    pub note: Option<String>,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// When last corrected.
    pub updated_at: DateTime<Utc>,
}

/// An `event_history` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HistoryRow {
    /// The event's number in the exporting store.
    pub event_id: i64,
    /// `added`, `corrected` or `removed`.
    pub action: String,
    /// Values before.
    pub old_kind: Option<String>,
    /// Values before.
    pub old_date: Option<NaiveDate>,
    /// Values before.
    pub old_note: Option<String>,
    /// Values after.
    pub new_kind: Option<String>,
    /// Values after.
    pub new_date: Option<NaiveDate>,
    /// Values after.
    pub new_note: Option<String>,
    /// When.
    pub changed_at: DateTime<Utc>,
}

/// A `document_dates` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentDatesRow {
    /// The requirement.
    pub requirement_id: String,
    /// The file the dates were read from.
    pub sha256: String,
    /// Day of issue.
    pub issued_on: Option<NaiveDate>,
    /// Day of expiry.
    pub expires_on: Option<NaiveDate>,
    /// When entered.
    pub entered_at: DateTime<Utc>,
}

impl DossierSnapshot {
    /// The distinct vault files the documents need, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.documents.iter().map(|d| d.sha256.clone()).collect();
        files.sort();
        files.dedup();
        files
    }
}

/// Whether `s` is a lowercase hex SHA-256.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
