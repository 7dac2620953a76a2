//! Encryption at rest: the data key, where it is kept, and unlocking it.
//!
//! One data key per data folder: an age X25519 identity. Vault objects are
//! age streams to its recipient (`vault.rs`); the sensitive fields of the
//! store are sealed with XChaCha20-Poly1305 under a key derived from it
//! ([`fields`]). The key itself is kept by a *protector*, named in the key
//! record `key.json` in the data folder (which holds no secret):
//!
//! * `keychain`: the identity is in the operating system's keychain
//!   ([`secret_store`]: Keychain, Credential Manager, Secret Service), under
//!   service `Qujat`, account `data-key-<id>`;
//! * `passphrase`: the identity is wrapped with XChaCha20-Poly1305 under a key
//!   derived from the user's passphrase with Argon2id ([`passphrase`]), for
//!   computers without a keychain.
//!
//! [`unlock`] decides: a passphrase given (`QUJAT_PASSPHRASE`, the CLI's
//! prompt, the app's unlock screen) and no record yet makes a passphrase
//! record; no passphrase makes a keychain one. An existing record is
//! followed whatever is given. Secrets live in zeroizing types and are never
//! logged or put into an error.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use age::secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{Error, KeyError, Result};

pub mod fields;
pub mod passphrase;
pub mod secret_store;

pub use fields::FieldCipher;
pub use secret_store::{OsKeychain, SecretStore};

/// The key record's file name in the data folder.
pub const KEY_FILE: &str = "key.json";
/// The keychain service name the data keys are kept under.
pub const KEYCHAIN_SERVICE: &str = "Qujat";
/// The environment variable with the passphrase (scripts, tests, the CLI).
pub const PASSPHRASE_ENV: &str = "QUJAT_PASSPHRASE";
/// The key record format this build writes and reads.
pub const KEY_FORMAT: u32 = 1;

/// The data key, unlocked. Cheap to clone (shared); the secret is zeroized
/// when the last clone goes.
#[derive(Clone)]
pub struct DataKey {
    inner: Arc<Inner>,
}

struct Inner {
    id: String,
    identity: age::x25519::Identity,
    recipient: age::x25519::Recipient,
    fields: FieldCipher,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret.
        f.debug_struct("DataKey")
            .field("id", &self.inner.id)
            .finish()
    }
}

impl DataKey {
    fn from_identity(id: &str, identity: age::x25519::Identity) -> DataKey {
        let secret = identity.to_string();
        let fields = FieldCipher::derive(secret.expose_secret().as_bytes(), id);
        DataKey {
            inner: Arc::new(Inner {
                id: id.to_owned(),
                recipient: identity.to_public(),
                identity,
                fields,
            }),
        }
    }

    fn parse(id: &str, secret: &str) -> Result<DataKey> {
        let identity = age::x25519::Identity::from_str(secret.trim()).map_err(|_| {
            KeyError::DataKeyMissing {
                detail: "the stored key is not an age identity".into(),
            }
        })?;
        Ok(DataKey::from_identity(id, identity))
    }

    /// A new random key (for a new record, and for tests).
    pub fn generate() -> DataKey {
        DataKey::from_identity(
            &uuid::Uuid::new_v4().to_string(),
            age::x25519::Identity::generate(),
        )
    }

    /// The key's id (a UUID), as in `key.json`: not secret.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The identity that decrypts vault objects.
    pub(crate) fn identity(&self) -> &age::x25519::Identity {
        &self.inner.identity
    }

    /// The recipient vault objects are encrypted to.
    pub(crate) fn recipient(&self) -> &age::x25519::Recipient {
        &self.inner.recipient
    }

    /// The cipher for the store's sensitive fields.
    pub fn fields(&self) -> &FieldCipher {
        &self.inner.fields
    }

    fn secret(&self) -> Zeroizing<String> {
        Zeroizing::new(self.inner.identity.to_string().expose_secret().to_owned())
    }
}

/// How the data key is protected, as `key.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "protector", rename_all = "kebab-case")]
pub enum Protector {
    /// In the operating system's keychain.
    Keychain {
        /// The keychain service.
        service: String,
        /// The account (entry name) within it.
        account: String,
    },
    /// Wrapped under a passphrase.
    Passphrase(passphrase::Wrapped),
}

/// The key record, `key.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecord {
    /// Format version ([`KEY_FORMAT`]).
    pub format: u32,
    /// The key's random id.
    pub id: String,
    /// Where the key is.
    #[serde(flatten)]
    pub protector: Protector,
}

impl KeyRecord {
    /// Reads the record in `data_dir`; `None` when there is none yet.
    pub fn read(data_dir: &Path) -> Result<Option<KeyRecord>> {
        let path = data_dir.join(KEY_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::reading(&path, e)),
        };
        let record: KeyRecord =
            serde_json::from_slice(&bytes).map_err(|e| KeyError::KeyRecordInvalid {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?;
        if record.format > KEY_FORMAT {
            return Err(KeyError::KeyRecordInvalid {
                path: path.display().to_string(),
                detail: format!(
                    "format {} is from a newer Qujat (this one reads {KEY_FORMAT})",
                    record.format
                ),
            }
            .into());
        }
        Ok(Some(record))
    }

    fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// Replaces the record atomically (a temporary file, synced, renamed):
    /// for a key that is already in use, kept a new way.
    fn write(&self, data_dir: &Path) -> Result<()> {
        crate::durable::write_atomically(&data_dir.join(KEY_FILE), &self.to_json())
    }

    /// Writes the record only if there is none yet: the whole file is
    /// written and synced beside it, then linked into place, which fails
    /// if a record appeared meanwhile. A key record is never overwritten by
    /// a new key: that would orphan every document encrypted with the old.
    /// Returns `false` when another record won.
    fn write_new(&self, data_dir: &Path) -> Result<bool> {
        let path = data_dir.join(KEY_FILE);
        let tmp = crate::durable::temp_sibling(&path, "tmp");
        let linked = (|| -> std::io::Result<bool> {
            let mut f = crate::durable::create_private(&tmp)?;
            f.write_all(&self.to_json())?;
            f.sync_all()?;
            drop(f);
            match fs::hard_link(&tmp, &path) {
                Ok(()) => Ok(true),
                Err(_) if path.exists() => Ok(false),
                // A file system without hard links (FAT on a USB stick, a
                // portable data folder): the setup lock already keeps other
                // Qujats out, so a rename onto nothing is as safe there.
                Err(_) => fs::rename(&tmp, &path).map(|()| true),
            }
        })();
        let _ = fs::remove_file(&tmp);
        let linked = linked.map_err(|e| Error::writing(&path, e))?;
        crate::durable::sync_dir(data_dir);
        Ok(linked)
    }

    fn account_for(id: &str) -> String {
        format!("data-key-{id}")
    }
}

/// What the user can give to unlock the key.
#[derive(Default)]
pub struct Unlock {
    /// The passphrase, if one was given.
    pub passphrase: Option<Zeroizing<String>>,
}

impl fmt::Debug for Unlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unlock")
            .field("passphrase", &self.passphrase.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Unlock {
    /// `QUJAT_PASSPHRASE` if set (and not empty), else nothing.
    pub fn from_env() -> Unlock {
        Unlock {
            passphrase: std::env::var(PASSPHRASE_ENV)
                .ok()
                .filter(|p| !p.is_empty())
                .map(Zeroizing::new),
        }
    }

    /// With this passphrase.
    pub fn with_passphrase(passphrase: &str) -> Unlock {
        Unlock {
            passphrase: Some(Zeroizing::new(passphrase.to_owned())),
        }
    }
}

/// What a data folder's key record says, for `qujat key status` and the
/// app's unlock screen. No secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyStatus {
    /// Where the key is kept, or that there is no key yet.
    pub protector: ProtectorKind,
    /// The key's id, when there is a record.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key_id: Option<String>,
    /// Whether the key could be unlocked now (checked only when asked).
    pub unlocked: bool,
}

/// Where a data folder's key is kept, as a status names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, rename_all = "kebab-case")]
pub enum ProtectorKind {
    /// In the operating system's keychain.
    Keychain,
    /// Wrapped under a passphrase.
    Passphrase,
    /// No key record yet: the first open that needs the key makes one.
    None,
}

impl ProtectorKind {
    /// The code on the wire and in the catalogue (`key.protector.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            ProtectorKind::Keychain => "keychain",
            ProtectorKind::Passphrase => "passphrase",
            ProtectorKind::None => "none",
        }
    }
}

/// The key record's state in `data_dir`, without unlocking anything.
pub fn status(data_dir: &Path) -> Result<KeyStatus> {
    Ok(match KeyRecord::read(data_dir)? {
        None => KeyStatus {
            protector: ProtectorKind::None,
            key_id: None,
            unlocked: false,
        },
        Some(r) => KeyStatus {
            protector: match r.protector {
                Protector::Keychain { .. } => ProtectorKind::Keychain,
                Protector::Passphrase(_) => ProtectorKind::Passphrase,
            },
            key_id: Some(r.id),
            unlocked: false,
        },
    })
}

/// What a window or a terminal must ask before a data folder can be used,
/// decided here once for both adapters from why opening it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, rename_all = "kebab-case")]
pub enum LockStatus {
    /// The workspace is open.
    Open,
    /// The data key is wrapped under a passphrase: ask for it.
    EnterPassphrase,
    /// A first run without a keychain: ask the user to choose a passphrase.
    ChoosePassphrase,
    /// Locked for a reason a passphrase cannot fix (a missing key, …):
    /// show the error.
    Failed,
}

/// The lock status of `data_dir` after an open that ended with `failure`
/// (`None`: it opened). Only a folder with no key record yet, on a machine
/// whose keychain cannot be reached, is a first run that may choose a
/// passphrase; a folder whose key lived in a keychain that is gone is not,
/// since a new key would orphan its data.
pub fn lock_status(data_dir: &Path, failure: Option<&Error>) -> LockStatus {
    match failure {
        None => LockStatus::Open,
        Some(
            Error::Keys(KeyError::PassphraseRequired) | Error::Keys(KeyError::WrongPassphrase),
        ) => LockStatus::EnterPassphrase,
        Some(Error::Keys(KeyError::KeychainUnavailable { .. }))
            if matches!(KeyRecord::read(data_dir), Ok(None)) =>
        {
            LockStatus::ChoosePassphrase
        }
        Some(_) => LockStatus::Failed,
    }
}

/// Whether `data_dir` has no key record yet: nothing private exists there,
/// so public screens (programs, checklists) need no unlock question.
pub fn before_first_key(data_dir: &Path) -> bool {
    matches!(KeyRecord::read(data_dir), Ok(None))
}

/// The secret store used outside tests: the operating system's keychain.
/// Unit tests of the core get a process-wide in-memory one instead, so they
/// never touch a developer's keychain (the CLI tests exercise the real one).
pub fn default_secret_store() -> Box<dyn SecretStore> {
    #[cfg(test)]
    {
        Box::new(secret_store::MemoryStore::shared())
    }
    #[cfg(not(test))]
    {
        Box::new(OsKeychain::new(KEYCHAIN_SERVICE))
    }
}

/// Unlocks the data key of `data_dir`, creating it (and `key.json`) on the
/// first open. See the module documentation for the policy.
///
/// `existing_data` says whether the folder already holds encrypted data
/// (the store's marker): then a missing record means the key is lost
/// ([`crate::KeyError::DataKeyMissing`]), never a reason to make a new one.
pub fn unlock(
    data_dir: &Path,
    unlock: &Unlock,
    secrets: &dyn SecretStore,
    existing_data: Option<&str>,
) -> Result<DataKey> {
    match KeyRecord::read(data_dir)? {
        Some(record) => open_record(&record, unlock, secrets, existing_data),
        None => {
            if let Some(id) = existing_data {
                return Err(KeyError::DataKeyMissing {
                    detail: format!("{KEY_FILE} is gone; the data was encrypted with key {id}"),
                }
                .into());
            }
            create(data_dir, unlock, secrets)
        }
    }
}

fn open_record(
    record: &KeyRecord,
    unlock: &Unlock,
    secrets: &dyn SecretStore,
    existing_data: Option<&str>,
) -> Result<DataKey> {
    if let Some(id) = existing_data.filter(|id| *id != record.id) {
        return Err(KeyError::DataKeyMissing {
            detail: format!(
                "{KEY_FILE} names key {}, but the data was encrypted with key {id}",
                record.id
            ),
        }
        .into());
    }
    match &record.protector {
        Protector::Keychain { account, .. } => match secrets.get(account)? {
            Some(secret) => DataKey::parse(&record.id, &secret),
            None => Err(KeyError::DataKeyMissing {
                detail: format!("no keychain entry {KEYCHAIN_SERVICE}/{account}"),
            }
            .into()),
        },
        Protector::Passphrase(wrapped) => {
            let Some(pass) = unlock.passphrase.as_ref() else {
                return Err(KeyError::PassphraseRequired.into());
            };
            let secret = passphrase::unwrap(wrapped, pass)?;
            DataKey::parse(&record.id, &secret)
        }
    }
}

/// Makes a new data key and its record. Callers hold the data folder's
/// setup lock, so no other Qujat is doing the same; should a record appear
/// anyway (a file system without locks), the one already there wins and
/// this key is discarded before anything was encrypted with it.
fn create(data_dir: &Path, unlock: &Unlock, secrets: &dyn SecretStore) -> Result<DataKey> {
    fs::create_dir_all(data_dir).map_err(|e| Error::writing(data_dir, e))?;
    let key = DataKey::generate();
    let protector = match unlock.passphrase.as_ref() {
        Some(pass) => {
            crate::strength::require_strong(pass)?;
            Protector::Passphrase(passphrase::wrap(&key.secret(), pass)?)
        }
        None => {
            let account = KeyRecord::account_for(key.id());
            secrets.set(&account, &key.secret())?;
            Protector::Keychain {
                service: KEYCHAIN_SERVICE.into(),
                account,
            }
        }
    };
    let record = KeyRecord {
        format: KEY_FORMAT,
        id: key.id().to_owned(),
        protector,
    };
    if record.write_new(data_dir)? {
        return Ok(key);
    }
    if let Protector::Keychain { account, .. } = &record.protector {
        let _ = secrets.delete(account);
    }
    match KeyRecord::read(data_dir)? {
        Some(theirs) => open_record(&theirs, unlock, secrets, None),
        None => Err(KeyError::DataKeyMissing {
            detail: format!("{KEY_FILE} appeared and vanished while the key was made"),
        }
        .into()),
    }
}

/// How the user wants the data key kept from now on.
pub enum Protection {
    /// In the operating system's keychain.
    Keychain,
    /// Wrapped under this (new) passphrase.
    Passphrase(Zeroizing<String>),
}

impl Protection {
    /// Under this passphrase (kept in a zeroizing string).
    pub fn passphrase(pass: &str) -> Protection {
        Protection::Passphrase(Zeroizing::new(pass.to_owned()))
    }
}

/// Keeps the (unlocked) data `key` of `data_dir` the way `protection` says:
/// a new passphrase, or a move between keychain and passphrase. The key
/// itself does not change, so no document is re-encrypted. The new place
/// is written before `key.json` names it, and the old keychain entry is
/// deleted only after: a crash at any point leaves a record that opens.
pub fn protect(
    data_dir: &Path,
    key: &DataKey,
    protection: &Protection,
    secrets: &dyn SecretStore,
) -> Result<()> {
    let old = KeyRecord::read(data_dir)?;
    if let Some(record) = &old {
        if record.id != key.id() {
            return Err(KeyError::DataKeyMissing {
                detail: format!("{KEY_FILE} names key {}, not {}", record.id, key.id()),
            }
            .into());
        }
    }
    let account = KeyRecord::account_for(key.id());
    let protector = match protection {
        Protection::Passphrase(pass) => {
            crate::strength::require_strong(pass)?;
            Protector::Passphrase(passphrase::wrap(&key.secret(), pass)?)
        }
        Protection::Keychain => {
            secrets.set(&account, &key.secret())?;
            Protector::Keychain {
                service: KEYCHAIN_SERVICE.into(),
                account: account.clone(),
            }
        }
    };
    KeyRecord {
        format: KEY_FORMAT,
        id: key.id().to_owned(),
        protector,
    }
    .write(data_dir)?;
    let was_keychain = matches!(old.map(|r| r.protector), Some(Protector::Keychain { .. }));
    if was_keychain && matches!(protection, Protection::Passphrase(_)) {
        // The key no longer needs to be in the keychain; failing to delete
        // it leaves a copy there, not a broken record.
        let _ = secrets.delete(&account);
    }
    Ok(())
}

/// The path of the key record in `data_dir`.
pub fn record_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEY_FILE)
}

#[cfg(test)]
mod tests;
