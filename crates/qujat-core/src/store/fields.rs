//! Sealing and opening the store's sensitive fields with the data key's
//! [`FieldCipher`]: the columns, and helpers usable inside row closures.

use rusqlite::types::Type;

use crate::error::StoreError;
use crate::keys::FieldCipher;

/// `dossiers.applicant_name`.
pub const APPLICANT_NAME: &str = "dossiers.applicant_name";
/// `documents.original_name`.
pub const ORIGINAL_NAME: &str = "documents.original_name";
/// `events.note`.
pub const EVENT_NOTE: &str = "events.note";
/// `event_history.old_note`.
pub const OLD_NOTE: &str = "event_history.old_note";
/// `event_history.new_note`.
pub const NEW_NOTE: &str = "event_history.new_note";
/// `dossier_profiles.profile` (citizenships and residence).
pub const PROFILE: &str = "dossier_profiles.profile";
/// `inspections.json` (the record may quote text found in a document).
pub const INSPECTION_JSON: &str = "inspections.json";

/// Every sealed column as (table, column, its name as associated data).
pub(crate) const SEALED: &[(&str, &str, &str)] = &[
    ("dossiers", "applicant_name", APPLICANT_NAME),
    ("documents", "original_name", ORIGINAL_NAME),
    ("events", "note", EVENT_NOTE),
    ("event_history", "old_note", OLD_NOTE),
    ("event_history", "new_note", NEW_NOTE),
    ("inspections", "json", INSPECTION_JSON),
    ("dossier_profiles", "profile", PROFILE),
];

/// The store's cipher, if it has one (plaintext otherwise: store tests).
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(pub Option<&'a FieldCipher>);

impl Fields<'_> {
    /// The value to write for `field`.
    pub fn seal(&self, field: &str, plain: &str) -> String {
        match self.0 {
            Some(c) => c.seal(field, plain),
            None => plain.to_owned(),
        }
    }

    /// The optional value to write for `field`.
    pub fn seal_opt(&self, field: &str, plain: Option<&str>) -> Option<String> {
        plain.map(|p| self.seal(field, p))
    }

    /// The value read from `field`, opened; for use in row closures.
    pub fn open(&self, field: &str, stored: String) -> rusqlite::Result<String> {
        if !FieldCipher::is_sealed(&stored) {
            return Ok(stored);
        }
        let Some(c) = self.0 else {
            return Err(conversion(crate::Error::from(StoreError::Store {
                detail: format!("{field} is sealed and no data key is open"),
            })));
        };
        c.open(field, &stored).map_err(conversion)
    }

    /// The optional value read from `field`, opened.
    pub fn open_opt(
        &self,
        field: &str,
        stored: Option<String>,
    ) -> rusqlite::Result<Option<String>> {
        stored.map(|s| self.open(field, s)).transpose()
    }
}

fn conversion(e: crate::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e))
}
