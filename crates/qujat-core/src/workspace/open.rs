//! Opening a data folder: the one door, [`Workspace::open`], and what the
//! caller may choose about it in [`OpenOptions`] — which rule packs to trust
//! and what unlocks the data key. Every adapter and test opens through it,
//! so every open cleans the same leftovers and reads installed packs once.

use std::path::{Path, PathBuf};

use super::Workspace;
use crate::catalog::Catalog;
use crate::data_folder::SetupLock;
use crate::error::Result;
use crate::keys::{self, Unlock};
use crate::rules::installed::TrustedKey;
use crate::rules::RulePack;
use crate::store::Store;

/// How to open a data folder. `OpenOptions::new(dir)` (or just the folder's
/// path) means: the built-in rule packs and newer installed ones signed with
/// the built-in key, and the data key unlocked with `QUJAT_PASSPHRASE` if set,
/// else from the keychain.
#[derive(Debug)]
pub struct OpenOptions {
    data_dir: PathBuf,
    rules: Rules,
    unlock: Unlock,
}

/// Where the programs come from.
#[derive(Debug)]
enum Rules {
    /// Built-in packs, and installed ones signed with the built-in key.
    Builtin,
    /// Built-in packs, and installed ones signed with this key.
    Trusting(TrustedKey),
    /// A catalog the caller has already read (the app reads it before any
    /// unlock question, to show the programs), or packs a test chose.
    Catalog(Catalog),
}

impl OpenOptions {
    /// The defaults for `data_dir` (see [`OpenOptions`]).
    pub fn new(data_dir: impl Into<PathBuf>) -> OpenOptions {
        OpenOptions {
            data_dir: data_dir.into(),
            rules: Rules::Builtin,
            unlock: Unlock::from_env(),
        }
    }

    /// Uses installed rule packs only if they are signed with `key`.
    pub fn trusting(mut self, key: &TrustedKey) -> OpenOptions {
        self.rules = Rules::Trusting(key.clone());
        self
    }

    /// Uses the programs of a catalog already read from this folder.
    pub fn catalog(mut self, catalog: Catalog) -> OpenOptions {
        self.rules = Rules::Catalog(catalog);
        self
    }

    /// Uses exactly these packs, ignoring installed ones.
    pub fn packs(self, packs: Vec<RulePack>) -> OpenOptions {
        self.catalog(Catalog::with_packs(packs))
    }

    /// Unlocks the data key with what the user gave (a passphrase from a
    /// prompt or the app's unlock screen) instead of `QUJAT_PASSPHRASE`.
    pub fn unlock(mut self, unlock: Unlock) -> OpenOptions {
        self.unlock = unlock;
        self
    }
}

impl From<&Path> for OpenOptions {
    fn from(data_dir: &Path) -> OpenOptions {
        OpenOptions::new(data_dir)
    }
}

impl From<&PathBuf> for OpenOptions {
    fn from(data_dir: &PathBuf) -> OpenOptions {
        OpenOptions::new(data_dir.as_path())
    }
}

impl Workspace {
    /// Opens the data folder as `options` say, creating the folder, store,
    /// vault and data key on first use. The store is created and migrated
    /// and the key made or unlocked under the folder's setup lock, so two
    /// processes starting at once make one key and migrate once (see
    /// [`crate::data_folder`]). Then the leftovers of writes a crash
    /// interrupted are cleaned (their journal is sealed with the data key).
    pub fn open(options: impl Into<OpenOptions>) -> Result<Workspace> {
        let OpenOptions {
            data_dir,
            rules,
            unlock,
        } = options.into();
        let catalog = match rules {
            Rules::Builtin => Catalog::open(&data_dir, &TrustedKey::builtin()?)?,
            Rules::Trusting(key) => Catalog::open(&data_dir, &key)?,
            Rules::Catalog(catalog) => catalog,
        };
        let setup = SetupLock::take(&data_dir)?;
        let store = Store::open(&data_dir.join("qujat.sqlite3"))?;
        let existing = store.setting(super::migrate::KEY_ID_SETTING)?;
        let key = keys::unlock(
            &data_dir,
            &unlock,
            &*keys::default_secret_store(),
            existing.as_deref(),
        )?;
        drop(unlock);
        let mut ws = Workspace::assemble(&data_dir, store, catalog, key)?;
        setup.finish();
        crate::pending::clean(&data_dir, ws.data_key().fields());
        ws.move_saved_update_url()?;
        Ok(ws)
    }
}
