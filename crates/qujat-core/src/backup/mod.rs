//! Backups: one dossier with everything in it, as one encrypted file that
//! can move to another computer.
//!
//! The file is an [age] encryption (passphrase, scrypt) of a gzip-compressed
//! tar archive, followed by a 16-byte plaintext trailer:
//! ```text
//! age-encryption.org/v1 …   the encrypted archive:
//!     manifest.json         format, dossier, documents, confirmations, events, history
//!     files/<sha256>        each vault file the documents need, once
//! <8-byte length LE>"QJBKEND1"   the trailer: the encrypted part's length
//! ```
//! age authenticates every 64 KiB chunk and marks the last one, so any
//! change to the file is caught; the trailer only lets a copy that was cut
//! short be told apart from one that was altered, and is never trusted for
//! anything else.
//!
//! Import treats the file as hostile: nothing is written to the store or
//! the vault until the manifest has been judged against this build's rule
//! pack (`validate.rs`: ids, duplicate rows, unknown requirements and
//! events, dates ahead, each file's size limit) and every entry has been
//! read, checked against the manifest and hashed, within size limits
//! enforced while it streams (see `archive.rs`). Then the files go into
//! the vault (atomically, like [`Vault::put_file`]) and the rows into the
//! store in one transaction, each document with the size and kind of its
//! bytes, whatever the manifest said.
//!
//! The app imports in its own process, not in a limited child: these
//! bounds (metadata entries refused unread, every size counted while it
//! streams, names cut before they are shown) are what protect it, and
//! `crates/qujat-cli/tests/backup_and_rules.rs` measures the peak memory of
//! the real import on the bombs.
//!
//! [age]: https://age-encryption.org/v1
//! [`Vault::put_file`]: crate::vault::Vault::put_file

mod archive;
pub mod manifest;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{FileError, KeyError, Result};
use crate::kind::FileKind;
use crate::workspace::Workspace;

pub use archive::{Limits, WORK_FACTOR};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportSummary {
    /// The backup file.
    pub path: String,
    /// The dossier exported.
    pub dossier_id: String,
    /// Distinct document files in it.
    pub files: u32,
    /// The backup's size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSummary {
    /// The id the dossier has now.
    pub dossier_id: String,
    /// The id it had in the backup; differs when that id was taken here.
    pub original_id: String,
    /// Whose dossier it is, to say so without looking it up again.
    pub applicant_name: String,
    /// Documents attached.
    pub documents: u32,
    /// Distinct files put into the vault.
    pub files: u32,
    /// Timeline events.
    pub events: u32,
}

impl Workspace {
    /// Writes dossier `dossier_id` with all its records and files to `out`,
    /// encrypted with `passphrase`. Refuses to replace an existing file; a
    /// failure leaves nothing at `out`.
    pub fn export_dossier(
        &mut self,
        dossier_id: &str,
        out: &Path,
        passphrase: &str,
        now: DateTime<Utc>,
    ) -> Result<ExportSummary> {
        self.export_dossier_with(dossier_id, out, passphrase, now, WORK_FACTOR, false)
    }

    /// [`Workspace::export_dossier`] with an scrypt work factor (log2 N;
    /// tests use a small one to stay fast), and, with `replace`, replacing
    /// an existing file at `out` (atomically: the old file stays whole until
    /// the new one is renamed over it; a folder or link is never replaced).
    pub fn export_dossier_with(
        &mut self,
        dossier_id: &str,
        out: &Path,
        passphrase: &str,
        now: DateTime<Utc>,
        work_factor: u8,
        replace: bool,
    ) -> Result<ExportSummary> {
        crate::strength::require_strong(passphrase)?;
        let dossier = self.dossier(dossier_id)?;
        if let Ok(existing) = std::fs::symlink_metadata(out) {
            if !(replace && existing.is_file()) {
                return Err(FileError::DestinationExists {
                    path: out.display().to_string(),
                }
                .into());
            }
        }
        let snapshot = self.store_mut().dossier_snapshot(&dossier.id)?;
        let manifest = manifest::Manifest {
            format: manifest::FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            exported_at: now,
            dossier: snapshot,
        };
        let _pending = crate::pending::record(self.data_dir(), out, self.data_key().fields())?;
        let (files, bytes) = archive::write(out, &manifest, self.vault(), passphrase, work_factor)?;
        Ok(ExportSummary {
            path: out.display().to_string(),
            dossier_id: dossier.id,
            files,
            bytes,
        })
    }

    /// Imports the backup at `path`, opened with `passphrase`. Any problem
    /// with the file refuses the whole import and changes nothing. A
    /// dossier whose id is taken here, or is a prefix of one here (or the
    /// other way round), gets a new id (see [`ImportSummary::original_id`]),
    /// so no short id the user types ever opens the other dossier.
    pub fn import_dossier(&mut self, path: &Path, passphrase: &str) -> Result<ImportSummary> {
        self.import_dossier_with(path, passphrase, &Limits::default())
    }

    /// [`Workspace::import_dossier`] with other size limits.
    pub fn import_dossier_with(
        &mut self,
        path: &Path,
        passphrase: &str,
        limits: &Limits,
    ) -> Result<ImportSummary> {
        if passphrase.is_empty() {
            return Err(KeyError::PassphraseEmpty.into());
        }
        let today = Utc::now().date_naive();
        let staged = archive::read(path, passphrase, limits, self.vault(), &|manifest| {
            // A dossier of a program this build does not know could not be shown.
            let pack = self.program(&manifest.dossier.program_id)?;
            validate::file_limits(&manifest.dossier, pack, today)
        })?;
        let mut snapshot = staged.manifest.dossier;
        let original_id = snapshot.id.clone();
        // An id equal to one here, or the prefix of one (or the other way
        // round), would make `qujat check <id>` open the wrong dossier.
        let taken = self
            .store()
            .dossiers()?
            .iter()
            .any(|d| d.id.starts_with(&original_id) || original_id.starts_with(&d.id));
        let dossier_id = if taken {
            self.new_dossier_id()?
        } else {
            original_id.clone()
        };
        let files = staged.files.len() as u32;
        let mut kept = BTreeMap::new();
        for (sha, file) in staged.files {
            kept.insert(sha, self.vault().keep(file)?);
        }
        // Size and kind as `attach` finds them: from the bytes.
        for d in &mut snapshot.documents {
            if let Some(stored) = kept.get(&d.sha256) {
                d.size = stored.size;
                d.kind = kind_code(stored.kind);
            }
        }
        self.store_mut().insert_snapshot(&snapshot, &dossier_id)?;
        Ok(ImportSummary {
            dossier_id,
            original_id,
            applicant_name: snapshot.applicant_name.clone(),
            documents: snapshot.documents.len() as u32,
            files,
            events: snapshot.events.len() as u32,
        })
    }
}

/// The code a kind is stored under (`pdf`, `jpeg`, …).
fn kind_code(kind: FileKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".to_owned())
}

#[cfg(test)]
mod tests;
