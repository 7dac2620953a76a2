//! The unlock screen's commands. The workspace is opened at start-up with
//! the keychain (or `QUJAT_PASSPHRASE`); when that fails because the data
//! key needs a passphrase, or because no keychain is available on a first
//! run, the window asks for one and [`unlock`] opens the workspace with it
//! and swaps it into [`AppState`]. The passphrase is never stored or logged.

use std::sync::{Arc, Mutex};

use qujat_core::keys::{self, KeyStatus, LockStatus, Unlock};
use qujat_core::{Error, InternalError, KeyError, OpenOptions, Result, Workspace};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::commands::with_workspace;
use crate::AppState;

/// The lock status and, when locked, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LockState {
    /// What to show.
    pub status: LockStatus,
    /// Why the workspace is not open.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<Error>,
}

/// Whether the workspace is open, and if not, what the user can do.
#[tauri::command]
pub async fn lock_state(state: State<'_, AppState>) -> Result<LockState> {
    let error = match state.workspace() {
        Ok(_) => {
            return Ok(LockState {
                status: LockStatus::Open,
                error: None,
            })
        }
        Err(e) => e,
    };
    let status = keys::lock_status(&state.data_dir, Some(&error));
    Ok(LockState {
        status,
        error: Some(error),
    })
}

/// Opens the workspace with `passphrase` (the one the data key is wrapped
/// under, or, on a first run without a keychain, the one the user chose) and
/// makes it the app's. A wrong passphrase is [`KeyError::WrongPassphrase`] and
/// changes nothing: the user may try again.
#[tauri::command]
pub async fn unlock(app: AppHandle, state: State<'_, AppState>, passphrase: String) -> Result<()> {
    if state.workspace().is_ok() {
        return Ok(());
    }
    if passphrase.is_empty() {
        return Err(KeyError::PassphraseEmpty.into());
    }
    // The programs read at start-up (nothing can have installed a pack
    // while the folder was locked), so the packs are not read twice.
    let catalog = state.catalog.clone()?;
    let options = OpenOptions::new(&state.data_dir).catalog(catalog);
    let opened = tauri::async_runtime::spawn_blocking(move || {
        let unlock = Unlock::with_passphrase(&passphrase);
        drop(passphrase);
        Workspace::open(options.unlock(unlock))
    })
    .await
    .map_err(|e| InternalError::Internal {
        detail: e.to_string(),
    })??;
    // Preferences chosen on the first screen, before there was a key.
    let early: Vec<_> = std::mem::take(
        &mut *state
            .early_settings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    );
    for choice in early {
        opened.set_preference(choice)?;
    }
    let shared = Arc::new(Mutex::new(opened));
    {
        let mut slot = state
            .workspace
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.is_ok() {
            // Another unlock won the race; keep that one.
            return Ok(());
        }
        *slot = Ok(shared.clone());
    }
    crate::reminders::start(app, shared);
    Ok(())
}

/// Where the data key is kept, as the Settings screen shows it. `unlocked`
/// is true whenever the workspace is open.
#[tauri::command]
pub async fn key_status(state: State<'_, AppState>) -> Result<KeyStatus> {
    let open = state.workspace().is_ok();
    let data_dir = state.data_dir.clone();
    let mut status = crate::package_cmds::blocking(move || keys::status(&data_dir)).await?;
    status.unlocked = open;
    Ok(status)
}

/// How the user wants the data key kept from now on: `"keychain"` or
/// `{ "passphrase": "…" }`. No `Debug`: it may hold a passphrase.
#[derive(Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, rename_all = "kebab-case")]
pub enum KeyProtection {
    /// In the operating system's keychain.
    Keychain,
    /// Wrapped under this new passphrase.
    Passphrase(String),
}

/// Keeps the open workspace's data key the way `protection` says (a new
/// passphrase, or a move to or from the keychain); nothing is re-encrypted.
/// The passphrase is neither stored nor logged, and never part of an error.
#[tauri::command]
pub async fn protect_key(state: State<'_, AppState>, protection: KeyProtection) -> Result<()> {
    let protection = match protection {
        KeyProtection::Keychain => keys::Protection::Keychain,
        KeyProtection::Passphrase(pass) => keys::Protection::passphrase(&pass),
    };
    with_workspace(state, move |ws| ws.protect_key(&protection)).await
}

/// How hard `passphrase` is to guess, shown while a new one is typed; the
/// same judgement refuses it when it is set. Needs no workspace: the first
/// screen uses it before there is a key.
#[tauri::command]
pub fn passphrase_strength(passphrase: String) -> qujat_core::strength::PassphraseStrength {
    qujat_core::strength::assess(&passphrase)
}
