//! Where a data key can be kept: a small trait over the operating system's
//! keychain, so the core's unit tests can use an in-memory store instead
//! (keyring's own mock forgets an entry as soon as its `Entry` is dropped).

use zeroize::Zeroizing;

use crate::error::{Error, KeyError, Result};

/// A store of secrets by account name, under one service.
pub trait SecretStore: Send + Sync {
    /// The secret kept for `account`, or `None` if there is none. An error
    /// only when the store itself cannot be reached.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>>;
    /// Keeps `secret` for `account`, replacing any earlier one.
    fn set(&self, account: &str, secret: &str) -> Result<()>;
    /// Removes the secret for `account`; `false` if there was none.
    fn delete(&self, account: &str) -> Result<bool>;
}

/// The operating system's keychain through the `keyring` crate: the
/// Keychain on macOS, the Credential Manager on Windows, the Secret Service
/// (GNOME Keyring, KWallet, KeePassXC…) on Linux.
#[derive(Debug, Clone)]
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// The keychain entries of `service`.
    pub fn new(service: &str) -> OsKeychain {
        OsKeychain {
            service: service.to_owned(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(unavailable)
    }
}

/// The keychain error as [`crate::KeyError::KeychainUnavailable`]; keyring's messages
/// name the backend's failure, never a secret.
fn unavailable(e: keyring::Error) -> Error {
    Error::from(KeyError::KeychainUnavailable {
        detail: e.to_string(),
    })
}

impl SecretStore for OsKeychain {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        let entry = self.entry(account)?;
        entry.set_password(secret).map_err(unavailable)?;
        // Read it back: some backends (a locked collection, a mock without
        // persistence) accept a write they do not keep.
        match entry.get_password() {
            Ok(back) if back == secret => Ok(()),
            Ok(_) | Err(keyring::Error::NoEntry) => Err(KeyError::KeychainUnavailable {
                detail: "the keychain did not keep the key".into(),
            }
            .into()),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn delete(&self, account: &str) -> Result<bool> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// An in-memory secret store for the core's unit tests. `shared()` is one
/// store for the whole test process, as a keychain is for a user.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    pub(crate) entries: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
    /// When set, every call fails as an unreachable keychain does.
    pub unreachable: bool,
}

#[cfg(test)]
impl MemoryStore {
    /// The process-wide store.
    pub fn shared() -> MemoryStore {
        static SHARED: std::sync::OnceLock<MemoryStore> = std::sync::OnceLock::new();
        SHARED.get_or_init(MemoryStore::default).clone()
    }

    fn check(&self) -> Result<()> {
        if self.unreachable {
            return Err(KeyError::KeychainUnavailable {
                detail: "no keychain in this test".into(),
            }
            .into());
        }
        Ok(())
    }
}

#[cfg(test)]
impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        self.check()?;
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        Ok(entries.get(account).cloned().map(Zeroizing::new))
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        self.check()?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<bool> {
        self.check()?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        Ok(entries.remove(account).is_some())
    }
}
