//! Encrypting a data folder written before encryption: on the first open
//! with a data key, every plaintext vault object is encrypted (each one
//! atomically, [`Vault::seal_legacy`]), then every plaintext sensitive field
//! is sealed in one transaction that also records that the migration is
//! done. A crash at any point leaves every object and row readable, and the
//! next open finishes the work.

use crate::error::Result;
use crate::keys::DataKey;
use crate::store::Store;
use crate::vault::Vault;

/// The setting naming the key the data folder is encrypted with; written
/// before the first encrypted byte, so a lost `key.json` is recognised as
/// a lost key rather than a new folder.
pub(crate) const KEY_ID_SETTING: &str = "encryption.key-id";
/// The setting recording that the migration finished for that key.
pub(crate) const DONE_SETTING: &str = "encryption.migrated";

/// Marks the folder as encrypted with `key`, then encrypts whatever is
/// still in plaintext, unless that was finished before.
pub(crate) fn ensure_encrypted(store: &mut Store, vault: &Vault, key: &DataKey) -> Result<()> {
    if store.setting(KEY_ID_SETTING)?.is_none() {
        store.set_setting(KEY_ID_SETTING, key.id())?;
    }
    if store.setting(DONE_SETTING)?.as_deref() == Some(key.id()) {
        return Ok(());
    }
    vault.seal_legacy()?;
    store.seal_plaintext_fields(DONE_SETTING, key.id())?;
    Ok(())
}

#[cfg(test)]
mod tests;
