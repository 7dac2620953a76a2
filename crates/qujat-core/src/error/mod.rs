//! The core's errors, one type per area, behind the one [`Error`].
//!
//! Every variant is something a caller branches on or a user must be told, and
//! carries plain data so it can cross the IPC boundary and be translated: the
//! UI and the CLI show `error.<code>` from the message catalogue, filled with
//! the variant's fields. No variant wraps a bare English string as its meaning.
//! Each area's enum is tagged with its `code`; [`Error`] wraps them untagged,
//! so on the wire every error is still one flat `{ code, …fields }` and codes
//! are unique across areas (`tests.rs` checks).

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::i18n::{message, Lang};

/// Declares one area's error with the attributes every area shares, so no
/// area can drift from the wire format (`{ code, …fields }`, kebab-case
/// codes, camelCase fields) or be left out of the generated TypeScript.
macro_rules! area_error {
    ($(#[$meta:meta])* pub enum $name:ident { $($variants:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, ts_rs::TS)]
        #[serde(tag = "code", rename_all = "kebab-case", rename_all_fields = "camelCase")]
        #[ts(export)]
        pub enum $name { $($variants)* }
    };
}

mod backup;
mod dossier;
mod file;
mod inspect;
mod internal;
mod keys;
mod package;
mod rules;
mod store;
mod timeline;
mod vault;

pub use backup::BackupError;
pub use dossier::DossierError;
pub use file::FileError;
pub use inspect::InspectError;
pub use internal::InternalError;
pub use keys::KeyError;
pub use package::PackageError;
pub use rules::RulesError;
pub use store::StoreError;
pub use timeline::TimelineError;
pub use vault::VaultError;

/// What went wrong, by area. Serialises exactly as the area's error, e.g.
/// `{ "code": "unknown-program", ...fields }`; its TypeScript twin is the
/// union of the areas', which the UI narrows on `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Error {
    /// What the user asked of a dossier.
    #[error(transparent)]
    Dossier(#[from] DossierError),
    /// The timeline's events and the deadlines calendar.
    #[error(transparent)]
    Timeline(#[from] TimelineError),
    /// Reading the user's files and writing outputs.
    #[error(transparent)]
    File(#[from] FileError),
    /// The vault's copies of attached documents.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The local store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The data key and unlocking.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// Rule packs and their updates.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// Packing and verifying packages.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// Reading backups.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// The document inspector and its fixes.
    #[error(transparent)]
    Inspect(#[from] InspectError),
    /// A broken invariant inside Qujat (a panic): never the user's doing.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's code, e.g. `unknown-program`: the suffix of its message key.
    pub fn code(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
            .unwrap_or_else(|| "store".to_owned())
    }

    /// Whether the error is about what the user asked for (exit status 2 in
    /// the CLI) rather than about the machine, the data folder or Qujat
    /// itself. Every variant is classed here, with no catch-all, so a new
    /// one must be classed on purpose instead of defaulting to "the user's
    /// fault". Each area classes its own variants.
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Dossier(e) => e.is_bad_input(),
            Error::Timeline(e) => e.is_bad_input(),
            Error::File(e) => e.is_bad_input(),
            Error::Vault(e) => e.is_bad_input(),
            Error::Store(e) => e.is_bad_input(),
            Error::Keys(e) => e.is_bad_input(),
            Error::Rules(e) => e.is_bad_input(),
            Error::Package(e) => e.is_bad_input(),
            Error::Backup(e) => e.is_bad_input(),
            Error::Inspect(e) => e.is_bad_input(),
            Error::Internal(e) => e.is_bad_input(),
        }
    }

    /// The technical detail some errors carry (an operating system's or a
    /// library's own words, usually English): shown apart from the message,
    /// as a "details" line, never as the message itself.
    pub fn detail(&self) -> Option<String> {
        serde_json::to_value(self)
            .ok()?
            .get("detail")?
            .as_str()
            .filter(|d| !d.trim().is_empty())
            .map(str::to_owned)
    }

    /// The message in `lang` with the technical detail, if any, on a second
    /// line: what a terminal shows.
    pub fn localized_with_detail(&self, lang: Lang) -> String {
        let text = self.localized(lang);
        match self.detail() {
            Some(detail) => format!(
                "{text}\n  {}",
                message(lang, "error.details", &[("detail", detail)])
            ),
            None => text,
        }
    }

    /// The error in `lang`, from the message catalogue.
    pub fn localized(&self, lang: Lang) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(fields) = value.as_object() {
            for (name, v) in fields {
                let text = match v {
                    // A weak passphrase's reason is a code with its own sentence.
                    serde_json::Value::String(s) if name == "reason" => {
                        message(lang, &format!("strength.reason.{s}"), &[])
                    }
                    serde_json::Value::String(s) if name == "kind" => {
                        serde_json::from_value::<crate::kind::FileKind>(v.clone())
                            .map(|k| k.label().to_owned())
                            .unwrap_or_else(|_| s.clone())
                    }
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    serde_json::Value::Number(n)
                        if matches!(name.as_str(), "size" | "limit" | "smallest" | "cap") =>
                    {
                        crate::i18n::format_size_in(n.as_u64().unwrap_or(0), lang)
                    }
                    other => other.to_string(),
                };
                params.push((name.clone(), text));
            }
        }
        let params: Vec<(&str, String)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        message(lang, &format!("error.{}", self.code()), &params)
    }

    /// Maps an I/O error while reading `path`.
    pub(crate) fn reading(path: &Path, err: std::io::Error) -> Error {
        let path_text = path.display().to_string();
        match err.kind() {
            std::io::ErrorKind::NotFound => FileError::FileNotFound { path: path_text }.into(),
            std::io::ErrorKind::IsADirectory => FileError::NotAFile { path: path_text }.into(),
            _ => FileError::Unreadable {
                path: path_text,
                detail: err.to_string(),
            }
            .into(),
        }
    }

    /// Maps an I/O error while writing under `path`.
    pub(crate) fn writing(path: &Path, err: std::io::Error) -> Error {
        let path_text = path.display().to_string();
        if err.kind() == std::io::ErrorKind::StorageFull || err.raw_os_error() == Some(28) {
            FileError::DiskFull { path: path_text }.into()
        } else {
            FileError::Unwritable {
                path: path_text,
                detail: err.to_string(),
            }
            .into()
        }
    }
}

impl From<crate::strength::Weakness> for Error {
    fn from(weakness: crate::strength::Weakness) -> Self {
        match weakness {
            crate::strength::Weakness::Empty => KeyError::PassphraseEmpty.into(),
            crate::strength::Weakness::Weak(reason) => KeyError::PassphraseWeak { reason }.into(),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &e {
            if code.code == rusqlite::ErrorCode::DiskFull {
                return FileError::DiskFull {
                    path: "qujat.sqlite3".into(),
                }
                .into();
            }
        }
        StoreError::Store {
            detail: e.to_string(),
        }
        .into()
    }
}

#[cfg(test)]
mod tests;
