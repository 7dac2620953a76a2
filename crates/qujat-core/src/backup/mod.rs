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
//! the vault until every entry has been read, checked against the manifest
//! and hashed, within size limits enforced while it streams (see
//! `archive.rs`). Then the files go into the vault (atomically, through
//! [`Vault::put_file`]) and the rows into the store in one transaction.
//!
//! [age]: https://age-encryption.org/v1
//! [`Vault::put_file`]: crate::vault::Vault::put_file

mod archive;
pub mod manifest;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
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
        self.export_dossier_with(dossier_id, out, passphrase, now, WORK_FACTOR)
    }

    /// [`Workspace::export_dossier`] with an scrypt work factor (log2 N);
    /// tests use a small one to stay fast.
    pub fn export_dossier_with(
        &mut self,
        dossier_id: &str,
        out: &Path,
        passphrase: &str,
        now: DateTime<Utc>,
        work_factor: u8,
    ) -> Result<ExportSummary> {
        if passphrase.is_empty() {
            return Err(Error::PassphraseEmpty);
        }
        let dossier = self.dossier(dossier_id)?;
        if std::fs::symlink_metadata(out).is_ok() {
            return Err(Error::DestinationExists {
                path: out.display().to_string(),
            });
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
    /// dossier whose id is taken here gets a new id (see
    /// [`ImportSummary::original_id`]).
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
            return Err(Error::PassphraseEmpty);
        }
        let staged = archive::read(path, passphrase, limits, self.vault())?;
        let snapshot = &staged.manifest.dossier;
        // A dossier of a program this build does not know could not be shown.
        self.program(&snapshot.program_id)?;
        let files = staged.files.len() as u32;
        for (_, file) in staged.files {
            self.vault().keep(file)?;
        }
        let original_id = snapshot.id.clone();
        let dossier_id = if self.store().dossier_exists(&original_id)? {
            self.new_dossier_id()?
        } else {
            original_id.clone()
        };
        self.store_mut().insert_snapshot(snapshot, &dossier_id)?;
        Ok(ImportSummary {
            dossier_id,
            original_id,
            documents: snapshot.documents.len() as u32,
            files,
            events: snapshot.events.len() as u32,
        })
    }
}

#[cfg(test)]
mod tests;
